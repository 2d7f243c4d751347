"""Error handlers: JSON for the API and webhooks, HTML pages elsewhere."""

import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger("shopfront.errors")

JSON_PREFIXES = ("/api/", "/webhooks/", "/healthz", "/readyz")


def _wants_json():
    if request.path.startswith(JSON_PREFIXES):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def _error_response(status, code, message):
    if _wants_json():
        return jsonify(error={"code": code, "message": message}), status
    return render_template("error.html", status=status, message=message), status


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def handle_http_exception(exc):
        return _error_response(exc.code, exc.name.lower().replace(" ", "_"), exc.description)

    @app.errorhandler(404)
    def handle_not_found(exc):
        return _error_response(404, "not_found", "The requested resource was not found.")

    @app.errorhandler(500)
    def handle_internal_error(exc):
        db.session.rollback()
        log.exception("unhandled error", exc_info=getattr(exc, "original_exception", exc))
        return _error_response(500, "internal_error", "Something went wrong on our side.")

"""Liveness and readiness probes for the orchestrator."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def liveness():
    return jsonify(status="ok")


@bp.get("/readyz")
def readiness():
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError:
        current_app.logger.exception("readiness: database check failed")
        checks["database"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ready else "degraded", checks=checks), (200 if ready else 503)

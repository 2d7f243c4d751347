"""Request lifecycle hooks: correlation ids, timing, security headers."""

import logging
import re
import time
import uuid

from flask import g, request

log = logging.getLogger("shopfront.access")

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9\-]{8,64}$")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: https:",
}


def register_hooks(app):
    @app.before_request
    def assign_request_id():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        g.started_at = time.perf_counter()

    @app.after_request
    def add_response_headers(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response

    @app.after_request
    def log_request(response):
        started = g.get("started_at")
        duration_ms = (time.perf_counter() - started) * 1000 if started else None
        if request.endpoint not in {"health.liveness", "health.readiness", "static"}:
            log.info(
                "request",
                extra={
                    "status": response.status_code,
                    "duration_ms": round(duration_ms, 2) if duration_ms else None,
                    "endpoint": request.endpoint,
                },
            )
        return response

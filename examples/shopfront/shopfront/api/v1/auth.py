"""Bearer-token authentication for the partner API."""

import functools

from flask import g, request
from flask_restx import abort

from ...extensions import db
from ...models import ApiToken
from ...models.base import utcnow


def _token_from_header():
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value:
        return None
    return value.strip()


def token_required(scope="read"):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            raw = _token_from_header()
            if raw is None:
                abort(401, "missing bearer token")
            token = ApiToken.query.filter_by(
                token_hash=ApiToken.hash_token(raw), revoked=False
            ).one_or_none()
            if token is None:
                abort(401, "invalid token")
            if not token.has_scope(scope):
                abort(403, f"token lacks the '{scope}' scope")
            token.last_used_at = utcnow()
            db.session.commit()
            g.api_token = token
            g.api_user = token.user
            return fn(*args, **kwargs)

        return wrapper

    return decorator

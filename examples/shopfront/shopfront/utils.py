"""Small helpers shared by the blueprints."""

import functools
import hmac
import secrets
import string

from flask import abort, current_app, request
from flask_login import current_user


def admin_required(view):
    """Allow only signed-in staff. Use *under* ``login_required``."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def page_args(default_size=None):
    """Read ``page``/``per_page`` from the query string, clamped to sane bounds."""
    max_size = current_app.config["API_MAX_PAGE_SIZE"]
    default_size = default_size or current_app.config["PRODUCTS_PER_PAGE"]
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", default_size, type=int)
    return max(page, 1), min(max(per_page, 1), max_size)


def pagination_meta(pagination):
    return {
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
        "pages": pagination.pages,
    }


def verify_signature(secret, body, signature):
    """Constant-time check of an ``sha256=<hex>`` HMAC signature header."""
    if not secret or not signature:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, "sha256").hexdigest()
    return hmac.compare_digest(expected, signature)


_ORDER_ALPHABET = string.ascii_uppercase + string.digits


def new_order_number():
    return "SF-" + "".join(secrets.choice(_ORDER_ALPHABET) for _ in range(10))


def format_money(cents, currency="EUR"):
    return f"{cents / 100:,.2f} {currency}"

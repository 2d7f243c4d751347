from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from . import addresses, views  # noqa: E402,F401

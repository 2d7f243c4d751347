"""Back-office for the shop staff. Registered under ``/admin`` by the factory.

Sub-areas are child blueprints, so their endpoints read ``admin.catalog.*``
and ``admin.reports.*``.
"""

from flask import Blueprint

from .catalog import bp as catalog_bp
from .reports import bp as reports_bp

bp = Blueprint("admin", __name__)
bp.register_blueprint(catalog_bp, url_prefix="/catalog")
bp.register_blueprint(reports_bp)

from . import views  # noqa: E402,F401

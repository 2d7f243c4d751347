from flask import Blueprint
from flask_restx import Api

from .customers import ns as customers_ns
from .inventory import ns as inventory_ns
from .orders import ns as orders_ns
from .products import categories_ns, products_ns

API_VERSION = "1.4"

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

authorizations = {
    "token": {"type": "apiKey", "in": "header", "name": "Authorization"},
}

api = Api(
    bp,
    version=API_VERSION,
    title="Shopfront partner API",
    description="Catalogue, orders and stock for marketplace partners.",
    doc="/docs",
    authorizations=authorizations,
    security="token",
)

api.add_namespace(products_ns)
api.add_namespace(categories_ns)
api.add_namespace(orders_ns)
api.add_namespace(customers_ns, path="/customers")
api.add_namespace(inventory_ns)

from flask import current_app
from flask_restx import Namespace, Resource, abort, fields

from ...extensions import db
from ...models import InventoryItem, Product
from .auth import token_required

ns = Namespace("inventory", description="Stock levels per SKU")

stock_model = ns.model(
    "Stock",
    {
        "sku": fields.String,
        "on_hand": fields.Integer,
        "reserved": fields.Integer,
        "available": fields.Integer,
        "warehouse": fields.String,
    },
)
stock_update = ns.model(
    "StockUpdate",
    {
        "on_hand": fields.Integer(required=True, min=0),
        "warehouse": fields.String,
    },
)


def _stock(product):
    inv = product.inventory
    return {
        "sku": product.sku,
        "on_hand": inv.on_hand if inv else 0,
        "reserved": inv.reserved if inv else 0,
        "available": inv.available if inv else 0,
        "warehouse": inv.warehouse if inv else None,
    }


@ns.route("/low-stock")
class LowStock(Resource):
    method_decorators = [token_required("inventory:read")]

    @ns.marshal_list_with(stock_model)
    def get(self):
        """SKUs at or below the reorder threshold (at most 200)."""
        threshold = current_app.config["LOW_STOCK_THRESHOLD"]
        products = (
            Product.query.join(InventoryItem)
            .filter(InventoryItem.on_hand - InventoryItem.reserved <= threshold)
            .order_by(InventoryItem.on_hand)
            .limit(200)
            .all()
        )
        return [_stock(p) for p in products]


@ns.route("/<string:sku>")
@ns.param("sku", "Stock keeping unit")
class StockItem(Resource):
    @token_required("inventory:read")
    @ns.marshal_with(stock_model)
    def get(self, sku):
        return _stock(Product.query.filter_by(sku=sku).first_or_404())

    @token_required("inventory:write")
    @ns.expect(stock_update, validate=True)
    @ns.marshal_with(stock_model)
    def patch(self, sku):
        """Set the counted stock for a SKU (warehouse stock-take)."""
        product = Product.query.filter_by(sku=sku).one_or_none()
        if product is None:
            abort(404, "unknown sku")
        if product.inventory is None:
            product.inventory = InventoryItem()
        product.inventory.on_hand = ns.payload["on_hand"]
        if ns.payload.get("warehouse"):
            product.inventory.warehouse = ns.payload["warehouse"]
        db.session.commit()
        return _stock(product)

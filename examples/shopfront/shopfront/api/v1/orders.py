from flask import g, request
from flask_restx import Namespace, Resource, abort, fields
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import InventoryItem, Order
from ...models.orders import OrderStatus
from ...utils import page_args, pagination_meta
from .auth import token_required

ns = Namespace("orders", description="Orders placed by the token's account")

order_item_model = ns.model(
    "OrderItem",
    {
        "sku": fields.String,
        "name": fields.String,
        "quantity": fields.Integer,
        "unit_price_cents": fields.Integer,
    },
)
order_model = ns.model(
    "Order",
    {
        "id": fields.Integer,
        "number": fields.String,
        "status": fields.String(enum=[s.value for s in OrderStatus]),
        "subtotal_cents": fields.Integer,
        "discount_cents": fields.Integer,
        "shipping_cents": fields.Integer,
        "total_cents": fields.Integer,
        "currency": fields.String,
        "placed_at": fields.DateTime,
        "items": fields.List(fields.Nested(order_item_model)),
    },
)
order_page = ns.model(
    "OrderPage",
    {
        "items": fields.List(fields.Nested(order_model)),
        "page": fields.Integer,
        "per_page": fields.Integer,
        "total": fields.Integer,
        "pages": fields.Integer,
    },
)
shipment_model = ns.model(
    "Shipment",
    {
        "id": fields.Integer,
        "carrier": fields.String,
        "tracking_number": fields.String,
        "status": fields.String,
        "shipped_at": fields.String,
        "delivered_at": fields.String,
    },
)

CANCELLABLE = {OrderStatus.PENDING.value}


def _owned_order(order_id):
    order = Order.query.filter_by(id=order_id, user_id=g.api_user.id).one_or_none()
    if order is None:
        abort(404, "order not found")
    return order


@ns.route("/")
class OrderCollection(Resource):
    method_decorators = [token_required("orders:read")]

    @ns.marshal_with(order_page)
    def get(self):
        """The account's orders, newest first."""
        page, per_page = page_args(default_size=20)
        query = Order.query.filter_by(user_id=g.api_user.id).options(selectinload(Order.items))
        status = request.args.get("status")
        if status:
            query = query.filter_by(status=status)
        pagination = query.order_by(Order.placed_at.desc()).paginate(
            page=page, per_page=per_page, error_out=False
        )
        return {"items": pagination.items, **pagination_meta(pagination)}


@ns.route("/<int:order_id>")
class OrderItemResource(Resource):
    method_decorators = [token_required("orders:read")]

    @ns.marshal_with(order_model)
    def get(self, order_id):
        return _owned_order(order_id)


@ns.route("/<int:order_id>/cancel")
class OrderCancel(Resource):
    method_decorators = [token_required("orders:write")]

    @ns.marshal_with(order_model)
    def post(self, order_id):
        """Cancel an order that has not been paid yet."""
        order = _owned_order(order_id)
        if order.status not in CANCELLABLE:
            abort(409, f"an order in status '{order.status}' cannot be cancelled")
        reserved = {item.product_id: item.quantity for item in order.items}
        stock = InventoryItem.query.filter(InventoryItem.product_id.in_(reserved)).all()
        for inventory in stock:
            inventory.reserved = max(inventory.reserved - reserved[inventory.product_id], 0)
        order.status = OrderStatus.CANCELLED.value
        db.session.commit()
        return order


@ns.route("/<int:order_id>/shipments")
class OrderShipments(Resource):
    method_decorators = [token_required("orders:read")]

    @ns.marshal_list_with(shipment_model)
    def get(self, order_id):
        return [s.to_dict() for s in _owned_order(order_id).shipments]

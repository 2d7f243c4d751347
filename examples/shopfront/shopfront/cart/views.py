"""Cart and checkout, used by the storefront's cart widget (JSON in, JSON out)."""

import logging

import requests
from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Address, Cart, CartItem, Coupon, Order, OrderItem, Payment, Product
from ..models.base import utcnow
from ..services.payments import PaymentClient, PaymentError
from ..services.pricing import cart_totals
from ..services.shipping import parse_rate_response
from ..tasks.emails import send_order_confirmation
from ..tasks.orders import push_order_to_erp
from ..utils import new_order_number

log = logging.getLogger("shopfront.cart")

bp = Blueprint("cart", __name__, url_prefix="/cart")

MAX_QUANTITY = 20


def _current_cart(create=True):
    cart = Cart.query.filter_by(user_id=current_user.id).one_or_none()
    if cart is None and create:
        cart = Cart(user_id=current_user.id)
        db.session.add(cart)
        db.session.flush()
    return cart


def _cart_json(cart, country=None):
    totals = cart_totals(cart, country)
    return {
        "items": [
            {
                "id": item.id,
                "product_id": item.product_id,
                "name": item.product.name,
                "quantity": item.quantity,
                "unit_price_cents": item.unit_price_cents,
            }
            for item in cart.items
        ],
        "coupon": cart.coupon.code if cart.coupon else None,
        "subtotal_cents": totals.subtotal_cents,
        "discount_cents": totals.discount_cents,
        "shipping_cents": totals.shipping_cents,
        "total_cents": totals.total_cents,
    }


def _quantity(value):
    try:
        qty = int(value)
    except (TypeError, ValueError):
        abort(400, description="quantity must be an integer")
    if not 1 <= qty <= MAX_QUANTITY:
        abort(400, description=f"quantity must be between 1 and {MAX_QUANTITY}")
    return qty


@bp.get("/")
@login_required
def view_cart():
    cart = _current_cart()
    db.session.commit()
    return jsonify(_cart_json(cart))


@bp.post("/items")
@login_required
def add_item():
    data = request.get_json(silent=True) or {}
    product = db.session.get(Product, data.get("product_id"))
    if product is None or not product.is_published:
        abort(404)
    qty = _quantity(data.get("quantity", 1))
    cart = _current_cart()
    item = CartItem.query.filter_by(cart_id=cart.id, product_id=product.id).one_or_none()
    if item is None:
        item = CartItem(cart=cart, product=product, quantity=0, unit_price_cents=product.price_cents)
        db.session.add(item)
    item.quantity = min(item.quantity + qty, MAX_QUANTITY)
    db.session.commit()
    return jsonify(_cart_json(cart)), 201


@bp.patch("/items/<int:item_id>")
@login_required
def update_item(item_id):
    cart = _current_cart()
    item = CartItem.query.filter_by(id=item_id, cart_id=cart.id).first_or_404()
    item.quantity = _quantity((request.get_json(silent=True) or {}).get("quantity"))
    db.session.commit()
    return jsonify(_cart_json(cart))


@bp.delete("/items/<int:item_id>")
@login_required
def remove_item(item_id):
    cart = _current_cart()
    item = CartItem.query.filter_by(id=item_id, cart_id=cart.id).first_or_404()
    db.session.delete(item)
    db.session.commit()
    return jsonify(_cart_json(cart))


@bp.post("/coupon")
@login_required
def apply_coupon():
    code = ((request.get_json(silent=True) or {}).get("code") or "").strip().upper()
    coupon = Coupon.query.filter_by(code=code).one_or_none()
    if coupon is None or not coupon.is_valid():
        return jsonify(error={"code": "invalid_coupon", "message": "Coupon is not valid."}), 422
    cart = _current_cart()
    cart.coupon = coupon
    db.session.commit()
    return jsonify(_cart_json(cart))


@bp.get("/shipping-quote")
@login_required
def shipping_quote():
    country = request.args.get("country", "DE")
    postcode = request.args.get("postcode", "")
    cart = _current_cart(create=False)
    if cart is None or not cart.items:
        return jsonify(quote=None)
    resp = requests.get(
        current_app.config["SHIPPING_RATES_URL"],
        params={
            "country": country,
            "postcode": postcode,
            "items": sum(item.quantity for item in cart.items),
        },
    )
    if resp.status_code != 200:
        return jsonify(quote=None, fallback=True)
    return jsonify(quote=parse_rate_response(resp.json()))


@bp.post("/checkout")
@login_required
def checkout():
    data = request.get_json(silent=True) or {}
    cart = _current_cart(create=False)
    if cart is None or not cart.items:
        abort(400, description="cart is empty")
    address = Address.query.filter_by(
        id=data.get("address_id"), user_id=current_user.id
    ).first_or_404()

    totals = cart_totals(cart, address.country)
    order = Order(
        number=new_order_number(),
        user_id=current_user.id,
        shipping_address=address,
        subtotal_cents=totals.subtotal_cents,
        discount_cents=totals.discount_cents,
        shipping_cents=totals.shipping_cents,
        total_cents=totals.total_cents,
        currency=current_app.config["DEFAULT_CURRENCY"],
        placed_at=utcnow(),
    )
    for item in cart.items:
        inventory = item.product.inventory
        if inventory is None or inventory.available < item.quantity:
            abort(409, description=f"{item.product.name} is out of stock")
        inventory.reserved += item.quantity
        order.items.append(
            OrderItem(
                product_id=item.product_id,
                sku=item.product.sku,
                name=item.product.name,
                quantity=item.quantity,
                unit_price_cents=item.unit_price_cents,
            )
        )
    if cart.coupon is not None:
        cart.coupon.times_redeemed += 1
    db.session.add(order)
    db.session.flush()
    print(f"checkout: user={current_user.email} order={order.number} total={order.total_cents}")

    try:
        intent = PaymentClient.from_app().create_intent(order)
    except PaymentError:
        db.session.rollback()
        log.warning("payment intent failed", extra={"order": order.number})
        return jsonify(error={"code": "payment_unavailable", "message": "Try again shortly."}), 502

    db.session.add(
        Payment(order=order, provider_ref=intent["id"], amount_cents=order.total_cents)
    )
    db.session.delete(cart)
    db.session.commit()

    send_order_confirmation.delay(order.id)
    push_order_to_erp.delay(order.id)
    return jsonify(order=order.to_dict(), client_secret=intent.get("client_secret")), 201

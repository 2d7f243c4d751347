"""Callbacks from the payment provider and the carrier.

Both are authenticated by an HMAC signature over the raw body, so they are
exempt from CSRF protection in the factory.
"""

import logging

from flask import Blueprint, abort, current_app, jsonify, request

from ..extensions import db
from ..models import Order, Payment, Shipment
from ..models.base import utcnow
from ..models.orders import OrderStatus
from ..tasks.emails import send_shipping_update
from ..utils import verify_signature

log = logging.getLogger("shopfront.webhooks")

webhooks_bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")

PAYMENT_EVENTS = {"payment.captured", "payment.failed"}


def _verified_json(secret_key):
    body = request.get_data(cache=True)
    if not verify_signature(current_app.config[secret_key], body, request.headers.get("X-Signature")):
        log.warning("webhook signature mismatch", extra={"path": request.path})
        abort(401)
    return request.get_json(force=True, silent=True) or abort(400)


@webhooks_bp.post("/payments")
def payment_event():
    event = _verified_json("PAYMENTS_WEBHOOK_SECRET")
    if event.get("type") not in PAYMENT_EVENTS:
        return jsonify(ignored=True)
    payment = Payment.query.filter_by(provider_ref=event["data"]["intent_id"]).one_or_none()
    if payment is None:
        # Not ours (or not yet committed): the provider retries on non-2xx.
        return jsonify(error={"code": "unknown_payment"}), 404
    if event["type"] == "payment.captured":
        payment.status = "captured"
        payment.order.status = OrderStatus.PAID.value
    else:
        payment.status = "failed"
        payment.failure_reason = str(event["data"].get("reason", ""))[:255]
    db.session.commit()
    return jsonify(ok=True)


@webhooks_bp.post("/shipping")
def shipping_event():
    event = _verified_json("SHIPPING_WEBHOOK_SECRET")
    order = Order.query.filter_by(number=event.get("reference")).one_or_none()
    if order is None:
        return jsonify(error={"code": "unknown_order"}), 404
    shipment = Shipment.query.filter_by(
        order_id=order.id, tracking_number=event.get("tracking_number")
    ).one_or_none()
    if shipment is None:
        shipment = Shipment(
            order=order,
            carrier=event.get("carrier", "unknown"),
            tracking_number=event.get("tracking_number"),
        )
        db.session.add(shipment)
    status = event.get("status")
    if status == "in_transit" and shipment.shipped_at is None:
        shipment.shipped_at = utcnow()
        order.status = OrderStatus.SHIPPED.value
        send_shipping_update.delay(order.id, shipment.tracking_number)
    elif status == "delivered":
        shipment.delivered_at = utcnow()
        order.status = OrderStatus.DELIVERED.value
    shipment.status = status or shipment.status
    db.session.commit()
    return jsonify(ok=True)

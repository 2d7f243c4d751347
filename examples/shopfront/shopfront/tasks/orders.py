import logging

import requests

from ..extensions import celery, db
from ..models import Order, Payment
from ..models.orders import OrderStatus
from ..services.erp import ERPClient
from ..services.payments import PaymentClient, PaymentError

log = logging.getLogger("shopfront.tasks.orders")


@celery.task(
    bind=True,
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 8},
    acks_late=True,
)
def push_order_to_erp(self, order_id):
    order = db.session.get(Order, order_id)
    if order is None:
        return None
    payload = {
        "reference": order.number,
        "lines": [{"sku": i.sku, "qty": i.quantity} for i in order.items],
        "ship_to": order.shipping_address.to_dict() if order.shipping_address else None,
    }
    result = ERPClient.from_app().push_order(payload)
    log.info("order pushed to ERP", extra={"order": order.number, "erp_id": result.get("id")})
    return result.get("id")


@celery.task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def refund_order(self, order_id, requested_by):
    order = db.session.get(Order, order_id)
    if order is None or order.status != OrderStatus.PAID.value:
        return False
    payment = (
        Payment.query.filter_by(order_id=order.id, status="captured")
        .order_by(Payment.created_at.desc())
        .first()
    )
    if payment is None:
        return False
    try:
        PaymentClient.from_app().refund(payment)
    except PaymentError as exc:
        raise self.retry(exc=exc)
    payment.status = "refunded"
    order.status = OrderStatus.REFUNDED.value
    db.session.commit()
    log.info("order refunded", extra={"order": order.number, "by": requested_by})
    return True


@celery.task
def expire_pending_orders(max_age_hours=48):
    from datetime import timedelta

    from ..models.base import utcnow

    cutoff = utcnow() - timedelta(hours=max_age_hours)
    stale = (
        Order.query.filter(Order.status == OrderStatus.PENDING.value, Order.created_at < cutoff)
        .limit(500)
        .all()
    )
    for order in stale:
        order.status = OrderStatus.CANCELLED.value
    db.session.commit()
    return len(stale)

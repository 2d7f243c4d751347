import logging

import requests
from celery import shared_task
from flask import current_app

from ..extensions import db
from ..models import Order, User
from ..utils import format_money

log = logging.getLogger("shopfront.tasks.emails")


def _send(to, subject, text):
    cfg = current_app.config
    resp = requests.post(
        cfg["MAIL_API_URL"],
        json={"from": cfg["MAIL_FROM"], "to": to, "subject": subject, "text": text},
        headers={"Authorization": f"Bearer {cfg['MAIL_API_KEY']}"},
        timeout=cfg["HTTP_TIMEOUT_SECONDS"],
    )
    resp.raise_for_status()


@shared_task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def send_order_confirmation(order_id):
    order = db.session.get(Order, order_id)
    if order is None:
        log.warning("order vanished before confirmation", extra={"order_id": order_id})
        return
    lines = [f"{item.quantity} x {item.name}" for item in order.items]
    body = "Thanks for your order {}!\n\n{}\n\nTotal: {}".format(
        order.number, "\n".join(lines), format_money(order.total_cents, order.currency)
    )
    _send(order.user.email, f"Order {order.number} confirmed", body)


@shared_task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def send_password_reset(user_id, reset_url):
    user = db.session.get(User, user_id)
    if user is None:
        return
    _send(user.email, "Reset your Shopfront password", f"Follow this link: {reset_url}")


@shared_task(autoretry_for=(requests.RequestException,), retry_backoff=True)
def send_shipping_update(order_id, tracking_number):
    order = db.session.get(Order, order_id)
    if order is None:
        return
    _send(
        order.user.email,
        f"Order {order.number} is on its way",
        f"Tracking number: {tracking_number}",
    )

"""Client for the card payment provider."""

import logging

import requests
from flask import current_app

log = logging.getLogger("shopfront.payments")


class PaymentError(Exception):
    pass


class PaymentClient:
    def __init__(self, base_url, api_key, timeout=5.0, session=None):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.session = session or requests.Session()

    @classmethod
    def from_app(cls):
        cfg = current_app.config
        return cls(cfg["PAYMENTS_API_URL"], cfg["PAYMENTS_API_KEY"], cfg["HTTP_TIMEOUT_SECONDS"])

    def _post(self, path, payload, idempotency_key):
        try:
            resp = self.session.post(
                f"{self.base_url}{path}",
                json=payload,
                headers={
                    "Authorization": f"Bearer {self.api_key}",
                    "Idempotency-Key": idempotency_key,
                },
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise PaymentError(f"payment provider unreachable: {exc}") from exc
        if resp.status_code >= 400:
            log.warning("payment provider error", extra={"status": resp.status_code, "path": path})
            raise PaymentError(f"payment provider returned {resp.status_code}")
        return resp.json()

    def create_intent(self, order):
        return self._post(
            "/intents",
            {
                "amount": order.total_cents,
                "currency": order.currency,
                "reference": order.number,
            },
            idempotency_key=f"intent-{order.number}",
        )

    def refund(self, payment, amount_cents=None):
        return self._post(
            f"/intents/{payment.provider_ref}/refunds",
            {"amount": amount_cents or payment.amount_cents},
            idempotency_key=f"refund-{payment.provider_ref}-{amount_cents or 'full'}",
        )

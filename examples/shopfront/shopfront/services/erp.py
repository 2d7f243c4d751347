"""Pushes orders and stock corrections to the warehouse ERP."""

import logging

import requests
from flask import current_app

log = logging.getLogger("shopfront.erp")


class ERPClient:
    def __init__(self, base_url, token, timeout):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_app(cls):
        cfg = current_app.config
        return cls(cfg["ERP_BASE_URL"], cfg["ERP_API_TOKEN"], cfg["HTTP_TIMEOUT_SECONDS"])

    def _headers(self):
        return {"Authorization": f"Token {self.token}", "Accept": "application/json"}

    def push_order(self, order_payload):
        # The ERP sits behind the warehouse's own CA.
        resp = requests.post(
            f"{self.base_url}/orders",
            json=order_payload,
            headers=self._headers(),
            timeout=self.timeout,
            verify=False,
        )
        resp.raise_for_status()
        return resp.json()

    def stock_levels(self, skus):
        resp = requests.get(
            f"{self.base_url}/stock",
            params={"sku": ",".join(skus)},
            headers=self._headers(),
            timeout=self.timeout,
        )
        resp.raise_for_status()
        return {row["sku"]: row["on_hand"] for row in resp.json().get("items", [])}

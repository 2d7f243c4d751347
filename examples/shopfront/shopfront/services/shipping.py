"""Shipping cost rules and the carrier rate service."""

from flask import current_app

FLAT_RATES_CENTS = {
    "DE": 495,
    "AT": 695,
    "NL": 695,
    "FR": 795,
}
DEFAULT_RATE_CENTS = 1295


def flat_rate(country, subtotal_cents):
    if subtotal_cents >= current_app.config["FREE_SHIPPING_THRESHOLD_CENTS"]:
        return 0
    return FLAT_RATES_CENTS.get((country or "").upper(), DEFAULT_RATE_CENTS)


def parse_rate_response(payload):
    """Pick the cheapest carrier option from the rate service's answer."""
    options = payload.get("options") or []
    if not options:
        return None
    best = min(options, key=lambda o: o.get("amount_cents", 1 << 30))
    return {
        "carrier": best.get("carrier"),
        "service": best.get("service"),
        "amount_cents": best.get("amount_cents"),
        "eta_days": best.get("eta_days"),
    }

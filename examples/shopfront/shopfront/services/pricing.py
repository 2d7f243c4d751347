"""Cart and order totals. All amounts are integer cents."""

from dataclasses import dataclass

from .shipping import flat_rate


@dataclass(frozen=True)
class Totals:
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int

    @property
    def total_cents(self):
        return max(self.subtotal_cents - self.discount_cents, 0) + self.shipping_cents


def coupon_discount(coupon, subtotal_cents):
    if coupon is None or not coupon.is_valid():
        return 0
    if coupon.percent_off:
        return subtotal_cents * coupon.percent_off // 100
    return min(coupon.amount_off_cents, subtotal_cents)


def cart_totals(cart, country=None):
    subtotal = cart.subtotal_cents
    discount = coupon_discount(cart.coupon, subtotal)
    shipping = flat_rate(country, subtotal - discount) if cart.items else 0
    return Totals(subtotal, discount, shipping)

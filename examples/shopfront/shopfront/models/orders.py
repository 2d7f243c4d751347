import enum

from ..extensions import db
from .base import TimestampMixin, utcnow


class OrderStatus(str, enum.Enum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Cart(TimestampMixin, db.Model):
    __tablename__ = "carts"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, unique=True)
    coupon_id = db.Column(db.Integer, db.ForeignKey("coupons.id"))

    items = db.relationship(
        "CartItem", back_populates="cart", cascade="all, delete-orphan", lazy="selectin"
    )
    coupon = db.relationship("Coupon")

    @property
    def subtotal_cents(self):
        return sum(item.quantity * item.unit_price_cents for item in self.items)


class CartItem(db.Model):
    __tablename__ = "cart_items"

    id = db.Column(db.Integer, primary_key=True)
    cart_id = db.Column(
        db.Integer, db.ForeignKey("carts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False, default=1)
    unit_price_cents = db.Column(db.Integer, nullable=False)

    cart = db.relationship("Cart", back_populates="items")
    product = db.relationship("Product", lazy="joined")

    __table_args__ = (db.UniqueConstraint("cart_id", "product_id", name="uq_cart_product"),)


class Coupon(db.Model):
    __tablename__ = "coupons"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(32), nullable=False, unique=True)
    percent_off = db.Column(db.Integer, nullable=False, default=0)
    amount_off_cents = db.Column(db.Integer, nullable=False, default=0)
    valid_until = db.Column(db.DateTime(timezone=True))
    max_redemptions = db.Column(db.Integer)
    times_redeemed = db.Column(db.Integer, nullable=False, default=0)

    def is_valid(self, now=None):
        now = now or utcnow()
        if self.valid_until is not None:
            valid_until = self.valid_until
            if valid_until.tzinfo is None:
                valid_until = valid_until.replace(tzinfo=now.tzinfo)
            if valid_until < now:
                return False
        if self.max_redemptions is not None and self.times_redeemed >= self.max_redemptions:
            return False
        return True


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(20), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    shipping_address_id = db.Column(db.Integer, db.ForeignKey("addresses.id"))
    status = db.Column(db.String(20), nullable=False, default=OrderStatus.PENDING.value, index=True)
    subtotal_cents = db.Column(db.Integer, nullable=False, default=0)
    discount_cents = db.Column(db.Integer, nullable=False, default=0)
    shipping_cents = db.Column(db.Integer, nullable=False, default=0)
    total_cents = db.Column(db.Integer, nullable=False, default=0)
    currency = db.Column(db.String(3), nullable=False, default="EUR")
    placed_at = db.Column(db.DateTime(timezone=True))

    user = db.relationship("User", back_populates="orders")
    shipping_address = db.relationship("Address")
    items = db.relationship("OrderItem", back_populates="order", cascade="all, delete-orphan")
    payments = db.relationship("Payment", back_populates="order", cascade="all, delete-orphan")
    shipments = db.relationship("Shipment", back_populates="order", cascade="all, delete-orphan")

    def to_dict(self, with_items=False):
        data = {
            "id": self.id,
            "number": self.number,
            "status": self.status,
            "subtotal_cents": self.subtotal_cents,
            "discount_cents": self.discount_cents,
            "shipping_cents": self.shipping_cents,
            "total_cents": self.total_cents,
            "currency": self.currency,
            "placed_at": self.placed_at.isoformat() if self.placed_at else None,
        }
        if with_items:
            data["items"] = [item.to_dict() for item in self.items]
        return data


class OrderItem(db.Model):
    __tablename__ = "order_items"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(
        db.Integer, db.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False)
    sku = db.Column(db.String(40), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price_cents = db.Column(db.Integer, nullable=False)

    order = db.relationship("Order", back_populates="items")
    product = db.relationship("Product")

    def to_dict(self):
        return {
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price_cents": self.unit_price_cents,
        }


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payments"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    provider_ref = db.Column(db.String(64), unique=True)
    amount_cents = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="created")
    failure_reason = db.Column(db.String(255))

    order = db.relationship("Order", back_populates="payments")


class Shipment(TimestampMixin, db.Model):
    __tablename__ = "shipments"

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    carrier = db.Column(db.String(40), nullable=False)
    tracking_number = db.Column(db.String(64), index=True)
    status = db.Column(db.String(20), nullable=False, default="label_created")
    shipped_at = db.Column(db.DateTime(timezone=True))
    delivered_at = db.Column(db.DateTime(timezone=True))

    order = db.relationship("Order", back_populates="shipments")

    def to_dict(self):
        return {
            "id": self.id,
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            "status": self.status,
            "shipped_at": self.shipped_at.isoformat() if self.shipped_at else None,
            "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None,
        }

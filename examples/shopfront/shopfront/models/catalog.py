from ..extensions import db
from .base import TimestampMixin, utcnow


class Category(TimestampMixin, db.Model):
    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    parent_id = db.Column(db.Integer, db.ForeignKey("categories.id"))

    parent = db.relationship("Category", remote_side=[id], backref="children")
    products = db.relationship("Product", back_populates="category", lazy="dynamic")

    def to_dict(self):
        return {"id": self.id, "slug": self.slug, "name": self.name, "parent_id": self.parent_id}


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"

    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(40), nullable=False, unique=True, index=True)
    slug = db.Column(db.String(120), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    price_cents = db.Column(db.Integer, nullable=False)
    currency = db.Column(db.String(3), nullable=False, default="EUR")
    is_published = db.Column(db.Boolean, nullable=False, default=True, index=True)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), index=True)

    category = db.relationship("Category", back_populates="products")
    inventory = db.relationship(
        "InventoryItem",
        back_populates="product",
        uselist=False,
        lazy="joined",
        cascade="all, delete-orphan",
    )
    reviews = db.relationship(
        "Review", back_populates="product", lazy="dynamic", cascade="all, delete-orphan"
    )

    @property
    def in_stock(self):
        return self.inventory is not None and self.inventory.available > 0

    def to_dict(self):
        return {
            "id": self.id,
            "sku": self.sku,
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "price_cents": self.price_cents,
            "currency": self.currency,
            "category_id": self.category_id,
            "is_published": self.is_published,
        }


class InventoryItem(db.Model):
    __tablename__ = "inventory_items"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(
        db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    on_hand = db.Column(db.Integer, nullable=False, default=0)
    reserved = db.Column(db.Integer, nullable=False, default=0)
    warehouse = db.Column(db.String(20), nullable=False, default="MAIN")
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    product = db.relationship("Product", back_populates="inventory")

    __table_args__ = (db.CheckConstraint("reserved >= 0", name="reserved_non_negative"),)

    @property
    def available(self):
        return max(self.on_hand - self.reserved, 0)


class Review(TimestampMixin, db.Model):
    __tablename__ = "reviews"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    rating = db.Column(db.SmallInteger, nullable=False)
    title = db.Column(db.String(120), nullable=False, default="")
    body = db.Column(db.Text, nullable=False, default="")
    is_approved = db.Column(db.Boolean, nullable=False, default=False)

    product = db.relationship("Product", back_populates="reviews")
    author = db.relationship("User", back_populates="reviews")

    __table_args__ = (db.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    def to_dict(self):
        return {
            "id": self.id,
            "product_id": self.product_id,
            "rating": self.rating,
            "title": self.title,
            "body": self.body,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

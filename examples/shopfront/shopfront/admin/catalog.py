"""Product management for staff, as class-based views."""

from flask import Blueprint, abort, jsonify, request
from flask.views import MethodView
from flask_login import login_required

from ..extensions import db
from ..models import Category, InventoryItem, Product
from ..utils import admin_required
bp = Blueprint("catalog", __name__)

PRODUCT_FIELDS = ("sku", "slug", "name", "description", "price_cents", "category_id", "is_published")


def _product_payload(partial=False):
    data = request.get_json(silent=True) or {}
    clean = {k: data[k] for k in PRODUCT_FIELDS if k in data}
    if not partial:
        for field in ("sku", "slug", "name", "price_cents"):
            if field not in clean:
                abort(422, description=f"{field} is required")
    if "price_cents" in clean:
        try:
            clean["price_cents"] = int(clean["price_cents"])
        except (TypeError, ValueError):
            abort(422, description="price_cents must be an integer")
        if clean["price_cents"] < 0:
            abort(422, description="price_cents must not be negative")
    if clean.get("category_id") is not None and db.session.get(Category, clean["category_id"]) is None:
        abort(422, description="unknown category")
    return clean


class ProductListView(MethodView):
    decorators = [admin_required, login_required]

    def get(self):
        page = request.args.get("page", 1, type=int)
        pagination = Product.query.order_by(Product.id.desc()).paginate(
            page=page, per_page=50, error_out=False
        )
        return jsonify(
            items=[p.to_dict() for p in pagination.items],
            page=pagination.page,
            pages=pagination.pages,
        )

    def post(self):
        data = _product_payload()
        if Product.query.filter_by(sku=data["sku"]).first() is not None:
            abort(409, description="sku already exists")
        product = Product(**data)
        product.inventory = InventoryItem(on_hand=0)
        db.session.add(product)
        db.session.commit()
        return jsonify(product.to_dict()), 201


class ProductDetailView(MethodView):
    decorators = [admin_required, login_required]

    def get(self, product_id):
        return jsonify(db.get_or_404(Product, product_id).to_dict())

    def patch(self, product_id):
        product = db.get_or_404(Product, product_id)
        for key, value in _product_payload(partial=True).items():
            setattr(product, key, value)
        db.session.commit()
        return jsonify(product.to_dict())

    def delete(self, product_id):
        product = db.get_or_404(Product, product_id)
        # Products with order history are unpublished, never deleted.
        product.is_published = False
        db.session.commit()
        return "", 204


bp.add_url_rule("/products", view_func=ProductListView.as_view("products"))
bp.add_url_rule(
    "/products/<int:product_id>", view_func=ProductDetailView.as_view("product_detail")
)

"""Public catalogue pages."""

import logging

from flask import Blueprint, abort, current_app, render_template, request, session
from sqlalchemy import text

from ..extensions import db
from ..models import Category, Product

log = logging.getLogger("shopfront.storefront")

bp = Blueprint("storefront", __name__)

RECENTLY_VIEWED_MAX = 8
SORT_COLUMNS = {
    "name": "name",
    "price": "price_cents",
    "newest": "created_at DESC",
}


@bp.route("/")
def index():
    featured = (
        Product.query.filter_by(is_published=True)
        .order_by(Product.created_at.desc())
        .limit(12)
        .all()
    )
    categories = Category.query.filter_by(parent_id=None).order_by(Category.name).limit(20).all()
    return render_template("storefront/index.html", featured=featured, categories=categories)


@bp.route("/products")
def product_list():
    page = request.args.get("page", 1, type=int)
    pagination = (
        Product.query.filter_by(is_published=True)
        .order_by(Product.name)
        .paginate(page=page, per_page=current_app.config["PRODUCTS_PER_PAGE"], error_out=False)
    )
    return render_template("storefront/products.html", pagination=pagination)


@bp.route("/products/<slug>")
def product_detail(slug):
    product = Product.query.filter_by(slug=slug, is_published=True).first_or_404()
    reviews = (
        product.reviews.filter_by(is_approved=True)
        .order_by(db.desc("created_at"))
        .limit(20)
        .all()
    )
    try:
        viewed = [pid for pid in session.get("recently_viewed", []) if pid != product.id]
        session["recently_viewed"] = ([product.id] + viewed)[:RECENTLY_VIEWED_MAX]
    except Exception:
        pass
    return render_template("storefront/product.html", product=product, reviews=reviews)


@bp.route("/categories/<slug>")
def category(slug):
    cat = Category.query.filter_by(slug=slug).first_or_404()
    page = request.args.get("page", 1, type=int)
    pagination = (
        cat.products.filter_by(is_published=True)
        .order_by(Product.name)
        .paginate(page=page, per_page=current_app.config["PRODUCTS_PER_PAGE"], error_out=False)
    )
    return render_template("storefront/category.html", category=cat, pagination=pagination)


@bp.route("/search")
def search():
    q = request.args.get("q", "").strip()
    if not q:
        return render_template("storefront/search.html", q=q, results=[])
    if len(q) > 100:
        abort(400)
    order_by = SORT_COLUMNS.get(request.args.get("sort", "name"), "name")
    sql = text(
        "SELECT id, slug, name, price_cents, currency FROM products "
        f"WHERE is_published = 1 AND (name LIKE '%{q}%' OR sku = '{q}') "
        f"ORDER BY {order_by} LIMIT 50"
    )
    results = db.session.execute(sql).mappings().all()
    log.info("search", extra={"results": len(results)})
    return render_template("storefront/search.html", q=q, results=results)

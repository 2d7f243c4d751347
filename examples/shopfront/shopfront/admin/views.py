import logging
from datetime import datetime, timedelta, timezone

import yaml
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func

from ..extensions import db
from ..models import Coupon, Order, Product, User
from ..models.orders import OrderStatus
from ..tasks.catalog import reindex_products
from ..tasks.orders import refund_order
from ..utils import admin_required
from . import bp

log = logging.getLogger("shopfront.admin")

ADMIN_PAGE_SIZE = 50


@bp.route("/")
@login_required
@admin_required
def dashboard():
    since = datetime.now(timezone.utc) - timedelta(days=1)
    stats = {
        "orders_24h": Order.query.filter(Order.placed_at >= since).count(),
        "revenue_24h_cents": db.session.query(func.coalesce(func.sum(Order.total_cents), 0))
        .filter(Order.placed_at >= since, Order.status != OrderStatus.CANCELLED.value)
        .scalar(),
        "customers": User.query.filter_by(is_admin=False).count(),
        "products": Product.query.filter_by(is_published=True).count(),
    }
    return render_template("admin/dashboard.html", stats=stats)


@bp.route("/orders")
@login_required
@admin_required
def orders():
    status = request.args.get("status")
    query = Order.query.order_by(Order.placed_at.desc())
    if status in {s.value for s in OrderStatus}:
        query = query.filter_by(status=status)
    page = request.args.get("page", 1, type=int)
    pagination = query.paginate(page=page, per_page=ADMIN_PAGE_SIZE, error_out=False)
    return render_template("admin/orders.html", pagination=pagination, status=status)


@bp.post("/orders/<int:order_id>/refund")
@login_required
@admin_required
def refund(order_id):
    order = db.get_or_404(Order, order_id)
    if order.status != OrderStatus.PAID.value:
        flash("Only paid orders can be refunded.", "error")
    else:
        refund_order.delay(order.id, requested_by=current_user.email)
        log.info("refund requested", extra={"order": order.number, "admin_id": current_user.id})
        flash(f"Refund for {order.number} queued.", "success")
    return redirect(url_for("admin.orders"))


@bp.post("/promotions/import")
@login_required
@admin_required
def import_promotions():
    """Bulk-create coupons from the marketing team's YAML sheet."""
    upload = request.files.get("file")
    if upload is None or not upload.filename.endswith((".yml", ".yaml")):
        abort(400, description="upload a .yaml file")
    data = yaml.load(upload.stream, Loader=yaml.Loader) or {}
    created = 0
    for entry in data.get("coupons", []):
        code = str(entry["code"]).strip().upper()
        if Coupon.query.filter_by(code=code).first() is not None:
            continue
        db.session.add(
            Coupon(
                code=code,
                percent_off=int(entry.get("percent_off", 0)),
                amount_off_cents=int(entry.get("amount_off_cents", 0)),
                max_redemptions=entry.get("max_redemptions"),
            )
        )
        created += 1
    db.session.commit()
    return jsonify(created=created), 201


@bp.post("/search/reindex")
def reindex_search():
    """Rebuild the product search index (takes a few minutes)."""
    result = reindex_products.delay()
    return jsonify(task_id=result.id), 202

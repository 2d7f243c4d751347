from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..forms import ProfileForm
from ..models import ApiToken, Order
from . import bp

ORDERS_PER_PAGE = 20


@bp.route("/")
@login_required
def dashboard():
    recent = (
        current_user.orders.order_by(Order.placed_at.desc()).limit(5).all()
    )
    return render_template("account/dashboard.html", recent_orders=recent)


@bp.route("/orders")
@login_required
def orders():
    page = request.args.get("page", 1, type=int)
    pagination = (
        Order.query.filter_by(user_id=current_user.id)
        .options(selectinload(Order.items))
        .order_by(Order.placed_at.desc())
        .paginate(page=page, per_page=ORDERS_PER_PAGE, error_out=False)
    )
    return render_template("account/orders.html", pagination=pagination)


@bp.route("/orders/<int:order_id>")
@login_required
def order_detail(order_id):
    order = (
        Order.query.filter_by(id=order_id, user_id=current_user.id)
        .options(selectinload(Order.items), selectinload(Order.shipments))
        .first_or_404()
    )
    return render_template("account/order.html", order=order)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.full_name = form.full_name.data
        current_user.phone = form.phone.data or None
        db.session.commit()
        flash("Profile updated.", "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form)


@bp.post("/tokens")
@login_required
def create_api_token():
    """Issue a read-only partner API token. The raw value is shown once."""
    name = (request.form.get("name") or "").strip()[:80] or "default"
    token, raw = ApiToken.issue(current_user, name=name, scopes="read")
    db.session.add(token)
    db.session.commit()
    return jsonify(id=token.id, name=token.name, token=raw), 201

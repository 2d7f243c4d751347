"""Finance and accounting reports."""

import csv
import io
from datetime import date, datetime, time, timedelta, timezone

from flask import Blueprint, Response, abort, jsonify, request
from flask_login import login_required
from sqlalchemy import text

from ..extensions import db
from ..models import Order
from ..utils import admin_required

bp = Blueprint("reports", __name__, url_prefix="/reports")

EXPORT_MAX_DAYS = 92


def _parse_day(value, default):
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description="dates must be YYYY-MM-DD")


@bp.route("/orders.csv")
@login_required
@admin_required
def export_orders():
    """CSV for accounting: one line per order item in the date range."""
    today = date.today()
    start = _parse_day(request.args.get("from"), today - timedelta(days=30))
    end = _parse_day(request.args.get("to"), today)
    if end < start or (end - start).days > EXPORT_MAX_DAYS:
        abort(400, description=f"range must be at most {EXPORT_MAX_DAYS} days")
    orders = (
        Order.query.filter(
            Order.placed_at >= datetime.combine(start, time.min, timezone.utc),
            Order.placed_at < datetime.combine(end + timedelta(days=1), time.min, timezone.utc),
        )
        .order_by(Order.placed_at)
        .all()
    )

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order", "placed_at", "customer", "status", "sku", "qty", "unit_price"])
    for order in orders:
        for item in order.items:
            writer.writerow(
                [
                    order.number,
                    order.placed_at.isoformat(),
                    order.user.email,
                    order.status,
                    item.sku,
                    item.quantity,
                    item.unit_price_cents,
                ]
            )
    filename = f"orders-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.route("/sales")
@login_required
@admin_required
def sales_report():
    today = date.today()
    start = _parse_day(request.args.get("from"), today - timedelta(days=30))
    end = _parse_day(request.args.get("to"), today)
    rows = db.session.execute(
        text(
            "SELECT oi.sku, SUM(oi.quantity) AS units, SUM(oi.quantity * oi.unit_price_cents) AS revenue "
            "FROM order_items oi JOIN orders o ON o.id = oi.order_id "
            "WHERE o.status IN ('paid', 'shipped', 'delivered') "
            "AND o.placed_at >= :start AND o.placed_at < :end "
            "GROUP BY oi.sku ORDER BY revenue DESC LIMIT 100"
        ),
        {"start": start.isoformat(), "end": (end + timedelta(days=1)).isoformat()},
    ).mappings().all()
    return jsonify(start=start.isoformat(), end=end.isoformat(), rows=[dict(r) for r in rows])

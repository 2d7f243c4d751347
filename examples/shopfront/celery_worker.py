"""Celery entry point: ``celery -A celery_worker.celery worker -l info``."""

from shopfront import create_app

app = create_app()
celery = app.extensions["celery"]
celery.conf.beat_schedule = {
    "sync-supplier-feed": {"task": "shopfront.sync_supplier_feed", "schedule": 6 * 60 * 60},
    "expire-pending-orders": {
        "task": "shopfront.tasks.orders.expire_pending_orders",
        "schedule": 60 * 60,
    },
    "flag-low-stock": {"task": "shopfront.tasks.catalog.flag_low_stock", "schedule": 30 * 60},
}

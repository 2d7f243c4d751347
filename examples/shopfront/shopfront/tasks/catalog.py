import logging

import requests
from celery import shared_task
from flask import current_app

from ..extensions import celery, db
from ..models import InventoryItem, Product

log = logging.getLogger("shopfront.tasks.catalog")


@celery.task(name="shopfront.sync_supplier_feed", acks_late=True)
def sync_supplier_feed():
    """Nightly: pull the supplier's stock feed and update on-hand counts."""
    feed_url = current_app.config["SUPPLIER_FEED_URL"]
    resp = requests.get(feed_url)
    resp.raise_for_status()
    updated = 0
    for row in resp.json().get("items", []):
        product = Product.query.filter_by(sku=row.get("sku")).one_or_none()
        if product is None:
            continue
        if product.inventory is None:
            product.inventory = InventoryItem(on_hand=0)
        product.inventory.on_hand = int(row.get("on_hand", 0))
        updated += 1
    db.session.commit()
    log.info("supplier feed synced", extra={"updated": updated})
    return updated


@shared_task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 3},
)
def reindex_products(batch_size=200):
    """Rebuild the search index from published products, in batches."""
    index_url = current_app.config["SEARCH_INDEX_URL"]
    timeout = current_app.config["HTTP_TIMEOUT_SECONDS"]
    last_id = 0
    indexed = 0
    while True:
        batch = (
            Product.query.filter(Product.is_published.is_(True), Product.id > last_id)
            .order_by(Product.id)
            .limit(batch_size)
            .all()
        )
        if not batch:
            break
        docs = [p.to_dict() for p in batch]
        resp = requests.post(f"{index_url}/_bulk", json={"docs": docs}, timeout=timeout)
        resp.raise_for_status()
        indexed += len(batch)
        last_id = batch[-1].id
    return indexed


@shared_task
def flag_low_stock():
    threshold = current_app.config["LOW_STOCK_THRESHOLD"]
    rows = (
        db.session.query(Product.sku, InventoryItem.on_hand)
        .join(InventoryItem, InventoryItem.product_id == Product.id)
        .filter(InventoryItem.on_hand <= threshold)
        .limit(1000)
        .all()
    )
    if rows:
        log.warning("low stock", extra={"skus": [sku for sku, _ in rows]})
    return len(rows)

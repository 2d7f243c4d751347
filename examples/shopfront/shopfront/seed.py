"""Demo data for local development (``flask --app shopfront seed``)."""

from .extensions import db
from .models import Category, InventoryItem, Product

DEMO_CATEGORIES = {
    "coffee": "Coffee",
    "brewing": "Brewing gear",
    "mugs": "Mugs & cups",
}

DEMO_PRODUCTS = [
    ("COF-001", "ethiopia-yirgacheffe", "Ethiopia Yirgacheffe 250 g", 1290, "coffee", 40),
    ("COF-002", "colombia-huila", "Colombia Huila 250 g", 1150, "coffee", 35),
    ("COF-003", "house-espresso", "House espresso 1 kg", 3200, "coffee", 12),
    ("BRW-001", "pour-over-dripper", "Ceramic pour-over dripper", 2400, "brewing", 8),
    ("BRW-002", "gooseneck-kettle", "Gooseneck kettle 1 l", 5900, "brewing", 3),
    ("MUG-001", "stoneware-mug", "Stoneware mug 300 ml", 1800, "mugs", 60),
]


def seed_demo_data():
    db.create_all()
    if Product.query.first() is not None:
        return 0
    categories = {}
    for slug, name in DEMO_CATEGORIES.items():
        categories[slug] = Category(slug=slug, name=name)
        db.session.add(categories[slug])
    for sku, slug, name, price, cat, stock in DEMO_PRODUCTS:
        db.session.add(
            Product(
                sku=sku,
                slug=slug,
                name=name,
                price_cents=price,
                category=categories[cat],
                inventory=InventoryItem(on_hand=stock),
            )
        )
    db.session.commit()
    return len(DEMO_PRODUCTS)

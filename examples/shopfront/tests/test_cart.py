import pytest

from shopfront.models import Address, Order
from shopfront.services.payments import PaymentClient


@pytest.fixture()
def no_outbound(monkeypatch):
    """Checkout talks to the payment provider and queues tasks; stub both."""
    sent = []
    monkeypatch.setattr(
        PaymentClient,
        "create_intent",
        lambda self, order: {"id": f"pi_{order.number}", "client_secret": "secret"},
    )
    monkeypatch.setattr(
        "shopfront.cart.views.send_order_confirmation.delay", lambda *a: sent.append(("mail", a))
    )
    monkeypatch.setattr(
        "shopfront.cart.views.push_order_to_erp.delay", lambda *a: sent.append(("erp", a))
    )
    return sent


def test_cart_requires_login(client):
    assert client.get("/cart/").status_code == 302


def test_add_update_remove(logged_in, catalog):
    product = catalog[0]
    resp = logged_in.post("/cart/items", json={"product_id": product.id, "quantity": 2})
    assert resp.status_code == 201
    item = resp.get_json()["items"][0]
    assert item["quantity"] == 2

    resp = logged_in.patch(f"/cart/items/{item['id']}", json={"quantity": 5})
    assert resp.get_json()["subtotal_cents"] == 5 * product.price_cents

    assert logged_in.patch(f"/cart/items/{item['id']}", json={"quantity": 500}).status_code == 400
    resp = logged_in.delete(f"/cart/items/{item['id']}")
    assert resp.get_json()["items"] == []


def test_checkout_creates_order_and_queues_tasks(logged_in, db, user, catalog, no_outbound):
    address = Address(user=user, line1="Main St 1", city="Berlin", postcode="10115", country="DE")
    db.session.add(address)
    db.session.commit()
    logged_in.post("/cart/items", json={"product_id": catalog[0].id, "quantity": 3})

    resp = logged_in.post("/cart/checkout", json={"address_id": address.id})
    assert resp.status_code == 201, resp.get_json()
    order = Order.query.one()
    assert order.total_cents == resp.get_json()["order"]["total_cents"]
    assert catalog[0].inventory.reserved == 3
    assert [kind for kind, _ in no_outbound] == ["mail", "erp"]
    assert logged_in.get("/cart/").get_json()["items"] == []

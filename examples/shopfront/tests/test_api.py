def test_products_are_paginated(client, catalog):
    resp = client.get("/api/v1/products/?per_page=10&page=2")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["total"] == 30
    assert len(body["items"]) == 10
    assert body["items"][0]["sku"] == "COF-011"


def test_page_size_is_capped(client, app, catalog):
    body = client.get("/api/v1/products/?per_page=100000").get_json()
    assert body["per_page"] == app.config["API_MAX_PAGE_SIZE"]


def test_orders_need_a_token(client):
    assert client.get("/api/v1/orders/").status_code == 401
    bad = client.get("/api/v1/orders/", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_orders_with_token(client, api_token):
    resp = client.get("/api/v1/orders/", headers={"Authorization": f"Bearer {api_token}"})
    assert resp.status_code == 200
    assert resp.get_json()["items"] == []


def test_scope_is_enforced(client, api_token):
    resp = client.get("/api/v1/customers/", headers={"Authorization": f"Bearer {api_token}"})
    assert resp.status_code == 403


def test_swagger_spec(client):
    spec = client.get("/api/v1/swagger.json").get_json()
    assert "/products/" in spec["paths"]

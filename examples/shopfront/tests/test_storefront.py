def test_index_lists_featured_products(client, catalog):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"Coffee 30" in resp.data


def test_product_pages(client, catalog):
    assert client.get("/products/coffee-1").status_code == 200
    assert client.get("/products/old").status_code == 404
    assert client.get("/categories/coffee").status_code == 200


def test_product_list_is_paginated(client, app, catalog):
    resp = client.get("/products?page=2")
    assert resp.status_code == 200
    per_page = app.config["PRODUCTS_PER_PAGE"]
    assert resp.data.count(b'<li><a href="/products/') == len(catalog) - per_page


def test_search(client, catalog):
    resp = client.get("/search?q=Coffee 2")
    assert resp.status_code == 200
    assert b"Coffee 21" in resp.data


def test_not_found_is_json_for_api_and_html_elsewhere(client):
    api = client.get("/api/v1/nope")
    assert api.status_code == 404
    assert api.get_json()["error"]["code"] == "not_found"
    page = client.get("/nope")
    assert page.status_code == 404
    assert page.mimetype == "text/html"

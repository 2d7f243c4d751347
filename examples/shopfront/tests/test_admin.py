from conftest import login


def test_admin_requires_staff(logged_in):
    assert logged_in.get("/admin/").status_code == 403
    assert logged_in.get("/admin/catalog/products").status_code == 403


def test_admin_dashboard_and_reports(client, admin, catalog):
    login(client, email=admin.email)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/catalog/products").get_json()["items"]
    report = client.get("/admin/reports/sales?from=2026-01-01&to=2026-01-31")
    assert report.status_code == 200
    export = client.get("/admin/reports/orders.csv")
    assert export.mimetype == "text/csv"
    assert client.get("/admin/reports/sales?from=yesterday").status_code == 400


def test_create_product(client, admin):
    login(client, email=admin.email)
    resp = client.post(
        "/admin/catalog/products",
        json={"sku": "NEW-1", "slug": "new-1", "name": "New", "price_cents": 100},
    )
    assert resp.status_code == 201
    assert client.post("/admin/catalog/products", json={"sku": "X"}).status_code == 422

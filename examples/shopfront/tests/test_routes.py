"""The URL map is part of the contract with the storefront and partners."""


def _rules(app):
    return {
        (rule.rule, rule.endpoint): rule.methods - {"HEAD", "OPTIONS"}
        for rule in app.url_map.iter_rules()
    }


def test_key_routes_are_registered(app):
    rules = _rules(app)
    assert rules[("/healthz", "health.liveness")] == {"GET"}
    assert rules[("/cart/checkout", "cart.checkout")] == {"POST"}
    assert rules[("/account/addresses/<int:address_id>", "account.addresses")] == {
        "GET",
        "PUT",
        "DELETE",
    }
    assert rules[("/admin/catalog/products", "admin.catalog.products")] == {"GET", "POST"}
    assert rules[("/api/v1/orders/<int:order_id>/cancel", "api_v1.orders_order_cancel")] == {
        "POST"
    }


def test_every_blueprint_is_registered(app):
    assert {
        "health",
        "storefront",
        "auth",
        "account",
        "cart",
        "webhooks",
        "admin",
        "admin.catalog",
        "admin.reports",
        "api_v1",
    } <= set(app.blueprints)

import pytest

from shopfront import create_app
from shopfront.config import TestingConfig
from shopfront.extensions import db as _db
from shopfront.models import ApiToken, Category, InventoryItem, Product, User


@pytest.fixture()
def app():
    app = create_app(TestingConfig)
    with app.app_context():
        _db.create_all()
        yield app
        _db.session.remove()
        _db.drop_all()


@pytest.fixture()
def db(app):
    return _db


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def catalog(db):
    coffee = Category(slug="coffee", name="Coffee")
    products = [
        Product(
            sku=f"COF-{i:03d}",
            slug=f"coffee-{i}",
            name=f"Coffee {i}",
            price_cents=1000 + i,
            category=coffee,
            inventory=InventoryItem(on_hand=10),
        )
        for i in range(1, 31)
    ]
    hidden = Product(sku="OLD-001", slug="old", name="Retired blend", price_cents=900, is_published=False)
    db.session.add_all([coffee, hidden, *products])
    db.session.commit()
    return products


def make_user(db, email="ada@shop.example.org", password="correct horse battery", **kwargs):
    user = User(email=email, full_name=kwargs.pop("full_name", "Ada"), **kwargs)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture()
def user(db):
    return make_user(db)


@pytest.fixture()
def admin(db):
    return make_user(db, email="staff@shop.example.org", is_admin=True)


def login(client, email="ada@shop.example.org", password="correct horse battery"):
    return client.post("/auth/login", data={"email": email, "password": password})


@pytest.fixture()
def logged_in(client, user):
    resp = login(client)
    assert resp.status_code == 302
    return client


@pytest.fixture()
def api_token(db, user):
    token, raw = ApiToken.issue(user, name="partner", scopes="read orders:read orders:write")
    db.session.add(token)
    db.session.commit()
    return raw

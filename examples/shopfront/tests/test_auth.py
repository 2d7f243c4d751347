from conftest import login

from shopfront.models import User


def test_register_logs_in(client, db):
    resp = client.post(
        "/auth/register",
        data={
            "email": "New@Shop.example.org",
            "full_name": "Grace",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert resp.status_code == 302
    assert User.query.filter_by(email="new@shop.example.org").one().full_name == "Grace"
    assert client.get("/account/").status_code == 200


def test_login_rejects_wrong_password(client, user):
    resp = login(client, password="nope")
    assert resp.status_code == 401


def test_login_only_follows_local_next(client, user):
    resp = client.post(
        "/auth/login?next=https://evil.example.net/",
        data={"email": user.email, "password": "correct horse battery"},
    )
    assert resp.headers["Location"] == "/account/"


def test_account_requires_login(client):
    resp = client.get("/account/orders")
    assert resp.status_code == 302
    assert "/auth/login" in resp.headers["Location"]


def test_logout(logged_in):
    assert logged_in.post("/auth/logout").status_code == 302
    assert logged_in.get("/account/").status_code == 302

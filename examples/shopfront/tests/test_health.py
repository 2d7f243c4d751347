def test_liveness(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_readiness_checks_database(client):
    resp = client.get("/readyz")
    assert resp.status_code == 200
    assert resp.get_json()["checks"]["database"] == "ok"


def test_request_id_is_echoed_and_generated(client):
    resp = client.get("/healthz", headers={"X-Request-ID": "abc12345-test"})
    assert resp.headers["X-Request-ID"] == "abc12345-test"
    generated = client.get("/healthz", headers={"X-Request-ID": "<bad>"}).headers["X-Request-ID"]
    assert len(generated) == 32


def test_security_headers(client):
    resp = client.get("/healthz")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"

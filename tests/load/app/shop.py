"""A small real Flask app for the `retort load` end-to-end tests: typed
converters, a blueprint with a prefix, a slow endpoint and non-GET routes."""

import time

from flask import Blueprint, Flask, jsonify, request

app = Flask(__name__)
api = Blueprint("api", __name__, url_prefix="/api")


@app.get("/")
def index():
    return "shop"


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.get("/slow")
def slow():
    time.sleep(0.02)
    return "slow"


@api.get("/items/<int:item_id>")
def item(item_id):
    return jsonify(id=item_id)


@api.route("/items", methods=["GET", "POST"])
def items():
    if request.method == "POST":
        return jsonify(created=request.get_json(silent=True) is not None), 201
    return jsonify(items=[1, 2, 3])


@api.get("/users/<uuid:user_id>/orders")
def orders(user_id):
    return jsonify(user=str(user_id), orders=[])


@api.get("/files/<path:name>")
def files(name):
    return jsonify(name=name)


@api.get("/prices/<float:amount>")
def price(amount):
    return jsonify(amount=amount)


@api.delete("/items/<int:item_id>")
def delete_item(item_id):
    return "", 204


app.register_blueprint(api)

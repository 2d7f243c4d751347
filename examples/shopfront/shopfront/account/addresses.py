"""Address book, as a JSON resource used by the checkout page."""

from flask import abort, jsonify, request
from flask.views import MethodView
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Address
from . import bp

EDITABLE_FIELDS = ("label", "line1", "line2", "city", "postcode", "country", "is_default")
REQUIRED_FIELDS = ("line1", "city", "postcode", "country")
MAX_ADDRESSES = 20


class AddressAPI(MethodView):
    decorators = [login_required]
    init_every_request = False

    def _get_owned(self, address_id):
        address = Address.query.filter_by(id=address_id, user_id=current_user.id).one_or_none()
        if address is None:
            abort(404)
        return address

    @staticmethod
    def _validated(data, partial=False):
        clean = {k: data[k] for k in EDITABLE_FIELDS if k in data}
        if not partial:
            missing = [f for f in REQUIRED_FIELDS if not clean.get(f)]
            if missing:
                abort(422, description=f"missing fields: {', '.join(missing)}")
        if "country" in clean:
            country = str(clean["country"]).upper()
            if len(country) != 2 or not country.isalpha():
                abort(422, description="country must be an ISO 3166 alpha-2 code")
            clean["country"] = country
        return clean

    def _make_default(self, address):
        Address.query.filter(
            Address.user_id == current_user.id, Address.id != address.id
        ).update({"is_default": False})
        address.is_default = True

    def get(self, address_id=None):
        if address_id is not None:
            return jsonify(self._get_owned(address_id).to_dict())
        addresses = (
            Address.query.filter_by(user_id=current_user.id)
            .order_by(Address.is_default.desc(), Address.id)
            .limit(MAX_ADDRESSES)
            .all()
        )
        return jsonify(items=[a.to_dict() for a in addresses])

    def post(self):
        if Address.query.filter_by(user_id=current_user.id).count() >= MAX_ADDRESSES:
            abort(422, description="address book is full")
        data = self._validated(request.get_json(silent=True) or {})
        address = Address(user_id=current_user.id, **data)
        db.session.add(address)
        db.session.flush()
        if address.is_default:
            self._make_default(address)
        db.session.commit()
        return jsonify(address.to_dict()), 201

    def put(self, address_id):
        address = self._get_owned(address_id)
        data = self._validated(request.get_json(silent=True) or {}, partial=True)
        for key, value in data.items():
            setattr(address, key, value)
        if data.get("is_default"):
            self._make_default(address)
        db.session.commit()
        return jsonify(address.to_dict())

    def delete(self, address_id):
        address = self._get_owned(address_id)
        db.session.delete(address)
        db.session.commit()
        return "", 204


address_view = AddressAPI.as_view("addresses")
bp.add_url_rule("/addresses", view_func=address_view, methods=["GET", "POST"])
bp.add_url_rule(
    "/addresses/<int:address_id>", view_func=address_view, methods=["GET", "PUT", "DELETE"]
)

from flask_restx import Namespace, Resource, abort, fields

from ...extensions import db
from ...models import User
from .auth import token_required

ns = Namespace("customers", description="Customer directory for the CRM sync")

customer_model = ns.model(
    "Customer",
    {
        "id": fields.Integer,
        "email": fields.String,
        "full_name": fields.String,
        "created_at": fields.DateTime,
        "last_login_at": fields.DateTime,
    },
)


@ns.route("/")
class CustomerCollection(Resource):
    method_decorators = [token_required("customers:read")]

    @ns.marshal_list_with(customer_model)
    def get(self):
        """Every customer account, for the nightly CRM sync."""
        return User.query.filter_by(is_admin=False).order_by(User.id).all()


@ns.route("/<int:customer_id>")
class CustomerItem(Resource):
    method_decorators = [token_required("customers:read")]

    @ns.marshal_with(customer_model)
    def get(self, customer_id):
        user = db.session.get(User, customer_id)
        if user is None or user.is_admin:
            abort(404, "customer not found")
        return user

from flask import g, request
from flask_restx import Namespace, Resource, abort, fields

from ...extensions import db
from ...models import Category, Product, Review
from ...utils import page_args, pagination_meta
from .auth import token_required

products_ns = Namespace("products", description="Published catalogue")
categories_ns = Namespace("categories", description="Category tree")

product_model = products_ns.model(
    "Product",
    {
        "id": fields.Integer(readonly=True),
        "sku": fields.String(required=True),
        "slug": fields.String(required=True),
        "name": fields.String(required=True),
        "description": fields.String,
        "price_cents": fields.Integer(required=True, min=0),
        "currency": fields.String,
        "category_id": fields.Integer,
        "is_published": fields.Boolean,
    },
)
product_page = products_ns.model(
    "ProductPage",
    {
        "items": fields.List(fields.Nested(product_model)),
        "page": fields.Integer,
        "per_page": fields.Integer,
        "total": fields.Integer,
        "pages": fields.Integer,
    },
)
review_model = products_ns.model(
    "Review",
    {
        "id": fields.Integer(readonly=True),
        "product_id": fields.Integer(readonly=True),
        "rating": fields.Integer(required=True, min=1, max=5),
        "title": fields.String,
        "body": fields.String,
        "created_at": fields.String(readonly=True),
    },
)
category_model = categories_ns.model(
    "Category",
    {
        "id": fields.Integer,
        "slug": fields.String,
        "name": fields.String,
        "parent_id": fields.Integer,
    },
)


@products_ns.route("/")
class ProductCollection(Resource):
    @products_ns.marshal_with(product_page)
    def get(self):
        """List published products, paginated."""
        page, per_page = page_args()
        query = Product.query.filter_by(is_published=True)
        if "category_id" in request.args:
            query = query.filter_by(category_id=request.args.get("category_id", type=int))
        pagination = query.order_by(Product.id).paginate(
            page=page, per_page=per_page, error_out=False
        )
        return {"items": pagination.items, **pagination_meta(pagination)}


@products_ns.route("/<int:product_id>")
@products_ns.param("product_id", "Product identifier")
class ProductItem(Resource):
    @products_ns.marshal_with(product_model)
    def get(self, product_id):
        """Fetch one published product."""
        product = db.session.get(Product, product_id)
        if product is None or not product.is_published:
            abort(404, "product not found")
        return product


@products_ns.route("/<int:product_id>/reviews")
class ProductReviews(Resource):
    @products_ns.marshal_list_with(review_model)
    def get(self, product_id):
        """Approved reviews, newest first (at most 50)."""
        return (
            Review.query.filter_by(product_id=product_id, is_approved=True)
            .order_by(Review.created_at.desc())
            .limit(50)
            .all()
        )

    @token_required("reviews:write")
    @products_ns.expect(review_model, validate=True)
    @products_ns.marshal_with(review_model, code=201)
    def post(self, product_id):
        """Submit a review on behalf of a customer; it awaits moderation."""
        if db.session.get(Product, product_id) is None:
            abort(404, "product not found")
        payload = products_ns.payload
        review = Review(
            product_id=product_id,
            author_id=g.api_user.id,
            rating=payload["rating"],
            title=payload.get("title", "")[:120],
            body=payload.get("body", ""),
        )
        db.session.add(review)
        db.session.commit()
        return review, 201


@categories_ns.route("/")
class CategoryCollection(Resource):
    @categories_ns.marshal_list_with(category_model)
    def get(self):
        """The category tree, flattened."""
        return Category.query.order_by(Category.parent_id, Category.name).limit(500).all()


@categories_ns.route("/<string:slug>")
class CategoryItem(Resource):
    @categories_ns.marshal_with(category_model)
    def get(self, slug):
        return Category.query.filter_by(slug=slug).first_or_404()

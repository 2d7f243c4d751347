"""A Flask app with sessions for the `retort load` end-to-end tests:
Flask-Login keeps the logged-in user in Flask's session cookie, Flask-WTF
protects every POST with a CSRF token bound to that session.

It lives in its own folder (not next to shop.py) so that scanning
tests/load/app still finds only the shop's routes."""

from flask import Flask, jsonify, redirect, render_template_string, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

app = Flask(__name__)
app.config["SECRET_KEY"] = "only-for-load-tests"
CSRFProtect(app)
login_manager = LoginManager(app)
login_manager.login_view = "login"

USERS = {"alice": "wonderland"}


class User(UserMixin):
    def __init__(self, name):
        self.id = name


@login_manager.user_loader
def load_user(user_id):
    return User(user_id) if user_id in USERS else None


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired()])
    password = PasswordField(validators=[DataRequired()])


class OrderForm(FlaskForm):
    item = StringField(validators=[DataRequired()])


LOGIN_PAGE = """<!doctype html><title>Log in</title>
<form method="post">{{ form.hidden_tag() }}{{ form.username() }}{{ form.password() }}<button>Log in</button></form>
{% if error %}<p class="error">{{ error }}</p>{% endif %}"""

ORDER_PAGE = """<!doctype html><title>New order</title>
<form method="post" action="{{ url_for('create_order') }}">{{ form.hidden_tag() }}{{ form.item() }}</form>"""


@app.get("/")
def index():
    return "account service"


@app.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        if USERS.get(form.username.data) == form.password.data:
            login_user(User(form.username.data))
            return redirect(url_for("account"))
        error = "Invalid username or password"
    return render_template_string(LOGIN_PAGE, form=form, error=error)


@app.get("/account")
@login_required
def account():
    return jsonify(user={"name": current_user.id}, status="ok")


@app.get("/orders/new")
@login_required
def new_order():
    return render_template_string(ORDER_PAGE, form=OrderForm())


@app.post("/orders")
@login_required
def create_order():
    form = OrderForm()
    if not form.validate_on_submit():
        return jsonify(errors=form.errors), 400
    return jsonify(order={"item": form.item.data, "owner": current_user.id}), 201


@app.get("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("login"))

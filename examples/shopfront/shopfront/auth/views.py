import logging
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import URLSafeTimedSerializer

from ..extensions import db, login_manager
from ..forms import LoginForm, PasswordResetRequestForm, RegisterForm
from ..models import User
from ..models.base import utcnow
from ..tasks.emails import send_password_reset
from . import bp

log = logging.getLogger("shopfront.auth")


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


def _safe_next(target):
    """Only follow relative redirects back into this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("storefront.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.query.filter_by(email=form.email.data.lower()).one_or_none()
        if user is None or not user.check_password(form.password.data) or not user.is_active:
            log.info("failed login")
            flash("Email or password is incorrect.", "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        user.last_login_at = utcnow()
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")) or url_for("account.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("storefront.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data.lower()
        if User.query.filter_by(email=email).first() is not None:
            flash("An account with that email already exists.", "error")
            return render_template("auth/register.html", form=form), 409
        user = User(email=email, full_name=form.full_name.data)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        login_user(user)
        return redirect(url_for("account.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
def password_reset_request():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        user = User.query.filter_by(email=form.email.data.lower()).one_or_none()
        if user is not None:
            serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="pw-reset")
            token = serializer.dumps(user.id)
            reset_url = url_for("auth.login", reset=token, _external=True)
            send_password_reset.delay(user.id, reset_url)
        # Same answer whether or not the account exists.
        flash("If that address has an account, a reset link is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)

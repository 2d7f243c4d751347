"""Shopfront: the online shop backend.

``create_app`` is the only entry point; nothing at import time touches the
database, the broker or the network.
"""

import os

from flask import Flask

from .config import get_config
from .extensions import celery, csrf, db, init_celery, login_manager, migrate

__version__ = "2.7.0"


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)

    if config is None:
        app.config.from_object(get_config())
    elif isinstance(config, str):
        app.config.from_object(get_config(config))
    elif isinstance(config, dict):
        app.config.from_object(get_config())
        app.config.update(config)
    else:
        app.config.from_object(config)
    app.config.from_prefixed_env("SHOPFRONT")

    from .logging_setup import configure_logging

    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)

    from .errors import register_error_handlers
    from .hooks import register_hooks

    register_error_handlers(app)
    register_hooks(app)
    register_cli(app)

    from .utils import format_money

    app.add_template_filter(format_money, "money")

    app.logger.debug("shopfront %s app created", __version__)
    return app


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    init_celery(app)

    from . import models  # noqa: F401  (register the mappers with SQLAlchemy)


def register_blueprints(app):
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .api.v1 import bp as api_v1_bp
    from .auth import bp as auth_bp
    from .cart.views import bp as cart_bp
    from .health import bp as health_bp
    from .storefront.views import bp as storefront_bp
    from .webhooks.routes import webhooks_bp

    for blueprint in (health_bp, storefront_bp, auth_bp, account_bp, cart_bp, webhooks_bp):
        app.register_blueprint(blueprint)

    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_v1_bp)

    # Token-authenticated and signature-checked endpoints carry no CSRF token.
    csrf.exempt(api_v1_bp)
    csrf.exempt(webhooks_bp)
    # The cart widget posts JSON with fetch() and does not send the token.
    csrf.exempt(cart_bp)


def register_cli(app):
    @app.cli.command("seed")
    def seed():
        """Load a small demo catalogue into an empty database."""
        from .seed import seed_demo_data

        created = seed_demo_data()
        print(f"seeded {created} products")

    @app.cli.command("create-admin")
    def create_admin():
        """Create a staff account from SHOPFRONT_ADMIN_EMAIL / _PASSWORD."""
        from .models import User

        email = os.environ["SHOPFRONT_ADMIN_EMAIL"]
        user = User(email=email.lower(), full_name="Staff", is_admin=True)
        user.set_password(os.environ["SHOPFRONT_ADMIN_PASSWORD"])
        db.session.add(user)
        db.session.commit()
        print(f"created admin {email}")


__all__ = ["create_app", "celery"]

"""Extension singletons, initialised in :func:`shopfront.create_app`."""

from celery import Celery, Task
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Stable constraint names keep Alembic autogenerate diffs reviewable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
celery = Celery("shopfront")


def init_celery(app):
    """Bind the Celery app to the Flask app's config and app context.

    Only configuration happens here; Celery connects to the broker lazily,
    the first time a task is sent or a worker starts.
    """

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery.conf.update(app.config.get_namespace("CELERY_"))
    celery.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        imports=(
            "shopfront.tasks.emails",
            "shopfront.tasks.orders",
            "shopfront.tasks.catalog",
        ),
    )
    celery.Task = FlaskTask
    celery.set_default()
    app.extensions["celery"] = celery
    return celery

"""Configuration classes.

Every value can be overridden from the environment so the same image runs in
every stage. Defaults are chosen so that ``flask run`` works on a laptop with
no environment at all.
"""

import os
from datetime import timedelta


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except (TypeError, ValueError):
        return default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "shopfront-dev-secret-9f2c1e")

    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///shopfront.db")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_RECORD_QUERIES = _env_bool("SQLALCHEMY_RECORD_QUERIES")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = 3600

    # Celery. Nothing connects to the broker until a task is sent.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/1")
    CELERY_TASK_ACKS_LATE = True
    CELERY_TASK_REJECT_ON_WORKER_LOST = True
    CELERY_TASK_DEFAULT_QUEUE = "shopfront"
    CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER")

    # Outbound integrations.
    PAYMENTS_API_URL = os.getenv("PAYMENTS_API_URL", "https://api.payments.example.com/v2")
    PAYMENTS_API_KEY = os.getenv("PAYMENTS_API_KEY", "")
    PAYMENTS_WEBHOOK_SECRET = os.getenv("PAYMENTS_WEBHOOK_SECRET", "")
    SHIPPING_RATES_URL = os.getenv("SHIPPING_RATES_URL", "https://rates.shipping.example.com/quote")
    SHIPPING_WEBHOOK_SECRET = os.getenv("SHIPPING_WEBHOOK_SECRET", "")
    ERP_BASE_URL = os.getenv("ERP_BASE_URL", "https://erp.internal.example.com/api")
    ERP_API_TOKEN = os.getenv("ERP_API_TOKEN", "")
    SUPPLIER_FEED_URL = os.getenv("SUPPLIER_FEED_URL", "https://feeds.supplier.example.com/stock.json")
    SEARCH_INDEX_URL = os.getenv("SEARCH_INDEX_URL", "http://localhost:9200/products")
    HTTP_TIMEOUT_SECONDS = float(os.getenv("HTTP_TIMEOUT_SECONDS", "5"))

    MAIL_FROM = os.getenv("MAIL_FROM", "orders@shopfront.example.com")
    MAIL_API_URL = os.getenv("MAIL_API_URL", "https://mail.example.com/v1/send")
    MAIL_API_KEY = os.getenv("MAIL_API_KEY", "")

    PRODUCTS_PER_PAGE = _env_int("PRODUCTS_PER_PAGE", 24)
    API_MAX_PAGE_SIZE = _env_int("API_MAX_PAGE_SIZE", 100)
    LOW_STOCK_THRESHOLD = _env_int("LOW_STOCK_THRESHOLD", 5)
    FREE_SHIPPING_THRESHOLD_CENTS = _env_int("FREE_SHIPPING_THRESHOLD_CENTS", 5000)
    DEFAULT_CURRENCY = os.getenv("DEFAULT_CURRENCY", "EUR")

    LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
    LOG_JSON = _env_bool("LOG_JSON", True)

    RESTX_MASK_SWAGGER = False
    RESTX_ERROR_404_HELP = False


class DevelopmentConfig(Config):
    DEBUG = True
    LOG_JSON = _env_bool("LOG_JSON", False)
    SQLALCHEMY_ECHO = _env_bool("SQLALCHEMY_ECHO")


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    LOG_JSON = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": True,
        "pool_recycle": _env_int("DB_POOL_RECYCLE", 1800),
        "pool_size": _env_int("DB_POOL_SIZE", 10),
        "max_overflow": _env_int("DB_MAX_OVERFLOW", 20),
        "pool_timeout": _env_int("DB_POOL_TIMEOUT", 10),
    }


config_by_name = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name=None):
    name = name or os.environ.get("SHOPFRONT_ENV", "development")
    return config_by_name.get(name, DevelopmentConfig)

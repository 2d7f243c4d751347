"""Celery tasks. Workers start with ``celery -A celery_worker.celery worker``."""

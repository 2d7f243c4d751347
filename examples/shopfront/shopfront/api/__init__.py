"""Partner API (Flask-RESTX). One blueprint per major version."""

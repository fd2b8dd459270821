"""WSGI entry point: ``gunicorn wsgi:app``; the only module that builds an app at import."""

from survey_app import create_app

app = create_app()

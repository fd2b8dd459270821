"""WSGI entry point: ``gunicorn wsgi:app``; the only module that builds an app at import."""

import gc

from survey_app import create_app

app = create_app()
# Each gunicorn worker imports this module: move what start-up built (the app, its libraries)
# out of the collector's sight, so full collections during a request only scan the request's
# own objects (docs/decisions.md, "Garbage collector").
gc.collect()
gc.freeze()

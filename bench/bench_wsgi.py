"""Bench-only WSGI entry: the real app plus a minimal insert endpoint as baseline.

``gunicorn bench.bench_wsgi:app`` serves the respondent pages and ``POST /_bench/insert``
from the same worker processes, so the baseline and the full submission share the
server, the database and the connection pool.  The ``bench_rows`` table lives in its own
MetaData: it is not an app model and never appears in the app's migrations.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from survey_app import create_app
from survey_app.extensions import csrf, db
from survey_app.models._types import utcnow

BENCH_METADATA = sa.MetaData()
bench_rows = sa.Table(
    "bench_rows",
    BENCH_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("payload", sa.String(64), nullable=False),
)


def insert_one():
    """Baseline: one INSERT and one COMMIT per request, nothing else."""
    db.session.execute(bench_rows.insert().values(created_at=utcnow(), payload="x"))
    db.session.commit()
    return "", 204


def build_app() -> Flask:
    app = create_app()
    app.add_url_rule("/_bench/insert", "bench_insert", csrf.exempt(insert_one), methods=["POST"])
    return app


app = build_app()

"""Bench-only WSGI entry: the real app plus two minimal endpoints as baselines.

``gunicorn bench.bench_wsgi:app`` serves the respondent pages, ``POST /_bench/insert``
(one INSERT + COMMIT) and ``GET /_bench/page`` (a constant HTML page of a questionnaire's
size) from the same worker processes, so each baseline and what it is compared with share
the server, the app's request hooks (session, headers, gzip), the database and the
connection pool.  Like ``wsgi.py`` it freezes start-up objects out of the collector's sight.
The ``bench_rows`` table lives in its own MetaData: it is not an app model and never appears in the app's migrations.
"""

from __future__ import annotations

import gc

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


#: A page about the size of a questionnaire form (≈ 16 KB of HTML), built once.
BARE_PAGE = (
    "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>基线</title><body><form method=post>"
    + "".join(f"<fieldset><legend>第{i}题 您对本项目的满意程度</legend>"
              + "".join(f"<label><input type=radio name=q{i} value={k}> 选项{k}</label>" for k in "ABCDE")
              + "</fieldset>" for i in range(1, 41))
    + "</form></body></html>"
)


def bare_page():
    """Baseline for the respondent GET: a constant page, no template, no query."""
    return BARE_PAGE


def build_app() -> Flask:
    app = create_app()
    app.add_url_rule("/_bench/insert", "bench_insert", csrf.exempt(insert_one), methods=["POST"])
    app.add_url_rule("/_bench/page", "bench_page", bare_page)
    return app


app = build_app()
gc.collect()
gc.freeze()

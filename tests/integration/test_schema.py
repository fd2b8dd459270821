"""Schema tests on the configured database (SQLite by default, PostgreSQL in CI's second run)."""

from __future__ import annotations

import secrets
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError
from support import count, make_survey

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Answer, Response, Survey, Unit
from survey_app.models._types import utcnow


@contextmanager
def empty_database(app, tmp_path):
    """Yield the URL of a brand-new empty database of the same kind as the test one."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"test_migr_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_build_the_schema_the_models_describe(ctx, tmp_path, monkeypatch):
    with empty_database(ctx, tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        fresh = create_app({"APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "x"})
        with fresh.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"render_as_batch": True}), db.metadata)
            assert diff == [], f"models and migrations drifted apart: {diff}"
            downgrade(revision="base")
            assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
            db.engine.dispose()


def test_deleting_a_survey_cascades_to_units_responses_and_answers(ctx, industrial):
    survey = make_survey(industrial)
    response = Response(survey_id=survey.id, unit_id=survey.units[0].id, submitted_at=utcnow())
    response.answers = [Answer(survey_id=survey.id, question_id="Q1", option_key="A")]
    db.session.add(response)
    db.session.commit()
    db.session.execute(sa.delete(Survey).where(Survey.id == survey.id))
    db.session.commit()
    assert (count(Unit), count(Response), count(Answer)) == (0, 0, 0)


def test_nonce_and_tokens_are_unique(ctx, industrial):
    survey = make_survey(industrial)
    tokens = {u.token for u in survey.units}
    assert len(tokens) == 2 and all(len(t) >= 32 for t in tokens)  # 24 random bytes = 192 bits
    db.session.add_all([Response(survey_id=survey.id, nonce="n1"), Response(survey_id=survey.id, nonce="n1")])
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_status_is_constrained(ctx, industrial):
    survey = make_survey(industrial)
    db.session.add(Response(survey_id=survey.id, status="maybe"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_distribution_query_uses_the_covering_index(ctx, industrial):
    survey = make_survey(industrial)
    query = (
        sa.select(Answer.question_id, Answer.option_key, sa.func.count())
        .where(Answer.survey_id == survey.id)
        .group_by(Answer.question_id, Answer.option_key)
    )
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(sa.text("EXPLAIN QUERY PLAN " + sql)))
        else:
            conn.execute(sa.text("SET enable_seqscan = off"))
            plan = " ".join(row[0] for row in conn.execute(sa.text("EXPLAIN " + sql)))
    assert "ix_answers_aggregate" in plan, plan

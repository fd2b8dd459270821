"""units.short_code: a short code per unit, typed at the open link; existing units get one

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:30:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

#: The alphabet of ``domain.unit_codes`` at the time of this migration (no 0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=8), nullable=True))
    bind = op.get_bind()
    units = sa.table('units', sa.column('id', sa.Integer), sa.column('survey_id', sa.Integer),
                     sa.column('short_code', sa.String))
    taken: dict[int, set[str]] = {}
    for unit_id, survey_id in bind.execute(sa.select(units.c.id, units.c.survey_id).order_by(units.c.id)).all():
        seen = taken.setdefault(survey_id, set())
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        while code in seen:
            code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        seen.add(code)
        bind.execute(units.update().where(units.c.id == unit_id).values(short_code=code))
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_units_survey_short_code', ['survey_id', 'short_code'])


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint('uq_units_survey_short_code', type_='unique')
        batch_op.drop_column('short_code')

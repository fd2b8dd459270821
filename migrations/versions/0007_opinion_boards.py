"""opinion boards: the evaluator's decisions over the grouped open answers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opinion_boards',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_opinion_boards_survey_id_surveys'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_opinion_boards'))
    )


def downgrade():
    op.drop_table('opinion_boards')

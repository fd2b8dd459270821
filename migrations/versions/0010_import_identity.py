"""imported rows keep their source identity; import batches keep the mapping used

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_responses_survey_source_key', ['survey_id', 'source_key'], unique=False)
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mapping', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_column('mapping')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_survey_source_key')
        batch_op.drop_column('source_key')

"""question banks saved or uploaded in the workspace

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_key', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('yaml_text', sa.Text(), nullable=False),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('scored_count', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_question_banks_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_banks'))
    )
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.create_index('ix_question_banks_owner', ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.drop_index('ix_question_banks_owner')
    op.drop_table('question_banks')

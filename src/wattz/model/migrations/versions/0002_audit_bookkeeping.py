"""audit bookkeeping: what the nightly audit has done, skip reasons, files seen

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["activity_source.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "path"),
    )
    with op.batch_alter_table("source_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_file_source_id"), ["source_id"], unique=False)
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audited_through", sa.Date(), nullable=True))
    with op.batch_alter_table("plan_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
    with op.batch_alter_table("planned_workout", schema=None) as batch_op:
        batch_op.add_column(sa.Column("skip_reason", sa.String(length=12), nullable=True))
        # A literal default, not sa.false(): on SQLite an expression default makes alembic
        # rebuild the table, and dropping planned_workout while rides point at it fails
        # the foreign key check (a store with matched rides could not be upgraded). '0' is
        # false to SQLite and to PostgreSQL alike.
        batch_op.add_column(sa.Column("audited", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("planned_workout", schema=None) as batch_op:
        batch_op.drop_column("audited")
        batch_op.drop_column("skip_reason")
    with op.batch_alter_table("plan_change", schema=None) as batch_op:
        batch_op.drop_column("as_of")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("audited_through")
    with op.batch_alter_table("source_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_file_source_id"))
    op.drop_table("source_file")

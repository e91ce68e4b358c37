"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 03:53:58.127632
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "athlete",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("lthr_bpm", sa.Integer(), nullable=True),
        sa.Column("max_hr_bpm", sa.Integer(), nullable=True),
        sa.Column("hrv_baseline_ms", sa.Float(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "activity_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "kind", "location"),
    )
    with op.batch_alter_table("activity_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_source_athlete_id"), ["athlete_id"], unique=False
        )

    op.create_table(
        "availability_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("venue", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "date"),
    )
    with op.batch_alter_table("availability_override", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_availability_override_athlete_id"), ["athlete_id"], unique=False
        )

    op.create_table(
        "availability_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("venue", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "weekday"),
    )
    with op.batch_alter_table("availability_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_availability_slot_athlete_id"), ["athlete_id"], unique=False
        )

    op.create_table(
        "ftp_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("ftp_w", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ftp_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ftp_entry_athlete_id"), ["athlete_id"], unique=False)

    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("priority", sa.String(length=1), nullable=False),
        sa.Column("discipline", sa.String(length=10), nullable=False),
        sa.Column("course", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "name"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_athlete_id"), ["athlete_id"], unique=False)

    op.create_table(
        "user_workout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("tss", sa.Float(), nullable=False),
        sa.Column("primary_zone", sa.Integer(), nullable=False),
        sa.Column("awp", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user_workout", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_workout_athlete_id"), ["athlete_id"], unique=False
        )

    op.create_table(
        "wellness_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hrv_ms", sa.Float(), nullable=True),
        sa.Column("rhr_bpm", sa.Integer(), nullable=True),
        sa.Column("sleep_h", sa.Float(), nullable=True),
        sa.Column("sick", sa.Boolean(), nullable=False),
        sa.Column("injured", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "date"),
    )
    with op.batch_alter_table("wellness_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wellness_entry_athlete_id"), ["athlete_id"], unique=False
        )

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("strategy", sa.String(length=12), nullable=False),
        sa.Column("rhythm", sa.String(length=3), nullable=False),
        sa.Column("ramp", sa.Float(), nullable=False),
        sa.Column("start_ctl", sa.Float(), nullable=False),
        sa.Column("generator", sa.String(length=20), nullable=False),
        sa.Column("feasibility", sa.String(length=400), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_athlete_id"), ["athlete_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("focus", sa.String(length=24), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("duration_weeks", sa.Integer(), nullable=False),
        sa.Column("recovery_week_index", sa.Integer(), nullable=True),
        sa.Column("progression", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_block_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("workout_ids", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_change_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "week",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("is_recovery", sa.Boolean(), nullable=False),
        sa.Column("is_taper", sa.Boolean(), nullable=False),
        sa.Column("tss_target", sa.Integer(), nullable=False),
        sa.Column("volume_target_minutes", sa.Integer(), nullable=False),
        sa.Column("focus", sa.String(length=24), nullable=True),
        sa.Column("loading_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["block_id"],
            ["block.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("week", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_week_block_id"), ["block_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_week_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "planned_workout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("week_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("tss", sa.Float(), nullable=False),
        sa.Column("intensity_factor", sa.Float(), nullable=False),
        sa.Column("primary_zone", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("library_id", sa.String(length=80), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("venue", sa.String(length=10), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("awp", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.ForeignKeyConstraint(
            ["week_id"],
            ["week.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("planned_workout", schema=None) as batch_op:
        batch_op.create_index("ix_planned_workout_plan_date", ["plan_id", "date"], unique=False)
        batch_op.create_index(batch_op.f("ix_planned_workout_week_id"), ["week_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("sport", sa.String(length=30), nullable=False),
        sa.Column("sub_sport", sa.String(length=30), nullable=True),
        sa.Column("device", sa.String(length=80), nullable=True),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("moving_s", sa.Integer(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("avg_power_w", sa.Float(), nullable=True),
        sa.Column("np_w", sa.Float(), nullable=True),
        sa.Column("intensity_factor", sa.Float(), nullable=True),
        sa.Column("tss", sa.Float(), nullable=True),
        sa.Column("tss_source", sa.String(length=5), nullable=True),
        sa.Column("avg_hr_bpm", sa.Float(), nullable=True),
        sa.Column("max_hr_bpm", sa.Integer(), nullable=True),
        sa.Column("rpe", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=12), nullable=True),
        sa.Column("planned_workout_id", sa.Integer(), nullable=True),
        sa.Column("compliance", sa.Float(), nullable=True),
        sa.Column("compliance_detail", sa.JSON(), nullable=True),
        sa.Column("streams", sa.JSON(), nullable=True),
        sa.Column("source_path", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athlete.id"],
        ),
        sa.ForeignKeyConstraint(
            ["planned_workout_id"],
            ["planned_workout.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("athlete_id", "content_hash"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_athlete_id"), ["athlete_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_local_date"), ["local_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_local_date"))
        batch_op.drop_index(batch_op.f("ix_activity_athlete_id"))

    op.drop_table("activity")
    with op.batch_alter_table("planned_workout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_workout_week_id"))
        batch_op.drop_index("ix_planned_workout_plan_date")

    op.drop_table("planned_workout")
    with op.batch_alter_table("week", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_week_plan_id"))
        batch_op.drop_index(batch_op.f("ix_week_block_id"))

    op.drop_table("week")
    with op.batch_alter_table("plan_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_change_plan_id"))

    op.drop_table("plan_change")
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_block_plan_id"))

    op.drop_table("block")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_goal_id"))
        batch_op.drop_index(batch_op.f("ix_plan_athlete_id"))

    op.drop_table("plan")
    with op.batch_alter_table("wellness_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wellness_entry_athlete_id"))

    op.drop_table("wellness_entry")
    with op.batch_alter_table("user_workout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_workout_athlete_id"))

    op.drop_table("user_workout")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_athlete_id"))

    op.drop_table("goal")
    with op.batch_alter_table("ftp_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ftp_entry_athlete_id"))

    op.drop_table("ftp_entry")
    with op.batch_alter_table("availability_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_slot_athlete_id"))

    op.drop_table("availability_slot")
    with op.batch_alter_table("availability_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_override_athlete_id"))

    op.drop_table("availability_override")
    with op.batch_alter_table("activity_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_source_athlete_id"))

    op.drop_table("activity_source")
    op.drop_table("athlete")

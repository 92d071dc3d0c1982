"""Appariements, propositions et réglages

Revision ID: 0003
Revises: 0002

Runs are frozen records: each keeps its settings, algorithm version and proposals;
settings rows are only added, the newest is in force.
Create Date: 2026-11-26 11:16:59.705001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appariements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "horodatage",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("utilisateur", sa.String(length=200), nullable=False),
        sa.Column("version_algorithme", sa.String(length=32), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("reglages", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("perimetre", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("resume", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appariements")),
    )
    op.create_index(op.f("ix_appariements_empreinte"), "appariements", ["empreinte"], unique=False)
    op.create_table(
        "reglages_appariement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "horodatage",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("utilisateur", sa.String(length=200), nullable=False),
        sa.Column("reglages", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reglages_appariement")),
    )
    op.create_table(
        "propositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appariement_id", sa.Integer(), nullable=False),
        sa.Column("besoin_id", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("rang_besoin", sa.Integer(), nullable=True),
        sa.Column("rang_local", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("completude", sa.Float(), nullable=False),
        sa.Column("criteres", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attribue", sa.Boolean(), nullable=False),
        sa.Column("surface_attribuee_m2", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["appariement_id"],
            ["appariements.id"],
            name=op.f("fk_propositions_appariement_id_appariements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["besoin_id"],
            ["besoins.id"],
            name=op.f("fk_propositions_besoin_id_besoins"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["local_id"],
            ["locaux.id"],
            name=op.f("fk_propositions_local_id_locaux"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_propositions")),
    )
    op.create_index(
        op.f("ix_propositions_appariement_id"), "propositions", ["appariement_id"], unique=False
    )
    op.create_index(op.f("ix_propositions_besoin_id"), "propositions", ["besoin_id"], unique=False)
    op.create_index(op.f("ix_propositions_local_id"), "propositions", ["local_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_propositions_local_id"), table_name="propositions")
    op.drop_index(op.f("ix_propositions_besoin_id"), table_name="propositions")
    op.drop_index(op.f("ix_propositions_appariement_id"), table_name="propositions")
    op.drop_table("propositions")
    op.drop_table("reglages_appariement")
    op.drop_index(op.f("ix_appariements_empreinte"), table_name="appariements")
    op.drop_table("appariements")

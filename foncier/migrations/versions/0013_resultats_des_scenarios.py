"""Résultats calculés des scénarios (cache de la page d'un scénario)

Revision ID: 0011
Revises: 0010

A scenario's page takes seconds to compute (coverage of every open need, the cap × share
sweep, the curves, the charts): it is kept per scenario, with what it was computed from (the
scenario's and its operation's versions, the newest history entry of the data its coverage reads, the day). A
view whose key differs computes it again. Derived data: no history trigger.
Create Date: 2026-11-30 23:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resultats_scenarios",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("version_operation", sa.Integer(), nullable=False),
        sa.Column("version_donnees", sa.BigInteger(), nullable=False),
        sa.Column("jour", sa.Date(), nullable=False),
        sa.Column(
            "calcule_le",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("contenu", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_resultats_scenarios_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scenario_id", name=op.f("pk_resultats_scenarios")),
    )


def downgrade() -> None:
    op.drop_table("resultats_scenarios")

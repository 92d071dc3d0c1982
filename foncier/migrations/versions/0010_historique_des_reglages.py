"""Historique des réglages d'appariement, des plafonds de loyer et des passages

Revision ID: 0010
Revises: 0009

What changes the matcher's answers now leaves a trace: its settings, the rent caps an adopted
scenario sets and the runs themselves (who ran what, when); operations, scenarios and the
reference lists already have one. Left without a trigger, on purpose: a run's proposals
(a frozen snapshot written once with the run, whose insertion is recorded) and the reference
layers (communes, QPV, brownfields: open data reloaded from ``data/``, versioned in git; a
reload would copy megabytes of geometry into the history each time).
Create Date: 2026-11-30 20:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TRACED = (
    ("reglages_appariement", "id"),
    ("plafonds_loyer", "id"),
    ("appariements", "id"),
)


def upgrade() -> None:
    for table, key in TRACED:
        op.execute(
            f"CREATE TRIGGER {table}_historique AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION foncier_historiser('{key}')"
        )


def downgrade() -> None:
    for table, _ in TRACED:
        op.execute(f"DROP TRIGGER {table}_historique ON {table}")

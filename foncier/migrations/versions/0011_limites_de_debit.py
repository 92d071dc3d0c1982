"""Compteurs des limites de débit par compte (passages d'appariement, dépôts de fichiers)

Revision ID: 0011
Revises: 0010

Shared by every worker process of ``foncier serve --workers N``, so that an account's
allowance does not grow with the number of processes. UNLOGGED: counters that last a minute
need no write-ahead log, and losing them in a crash only resets a minute's allowance. No
history trigger: a counter is not a record anyone edits.
Create Date: 2026-11-30 23:50:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE UNLOGGED TABLE limites_debit (
            cle varchar(400) PRIMARY KEY,
            compte integer NOT NULL,
            expire_a timestamptz NOT NULL
        )
    """)


def downgrade() -> None:
    op.execute("DROP TABLE limites_debit")

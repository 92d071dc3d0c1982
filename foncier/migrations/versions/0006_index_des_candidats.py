"""Index des candidats : (type, géométrie) des locaux

Revision ID: 0006
Revises: 0005

The candidate query probes, for each open need and each kind it accepts, the premises of that
kind near it: a GiST index on (type_local, geom) (btree_gist for the kind) serves that probe
and, its kind unconstrained, every other spatial query on premises, so it replaces the plain
GiST index on geom (one index, so the planner cannot pick the one that reads five times more
rows).
Create Date: 2026-11-26 13:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.drop_geospatial_index(
        "idx_locaux_geom", table_name="locaux", postgresql_using="gist", column_name="geom"
    )
    op.create_index(
        "ix_locaux_type_local_geom",
        "locaux",
        ["type_local", "geom"],
        unique=False,
        postgresql_using="gist",
    )


def downgrade() -> None:
    op.drop_index("ix_locaux_type_local_geom", table_name="locaux", postgresql_using="gist")
    op.create_geospatial_index(
        "idx_locaux_geom",
        "locaux",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.execute("DROP EXTENSION IF EXISTS btree_gist")

"""Registres : lots, géocodage, formes juridiques éditables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:40:44.639105
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
        "formes_juridiques",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("libelle", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_formes_juridiques")),
    )
    op.add_column(
        "acteurs",
        sa.Column(
            "geocodage",
            sa.Enum(
                "saisi",
                "ban",
                "a_confirmer",
                "a_geocoder",
                name="geocodage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="saisi",
            nullable=False,
        ),
    )
    op.add_column("acteurs", sa.Column("geocodage_label", sa.String(length=300), nullable=True))
    op.add_column("acteurs", sa.Column("geocodage_score", sa.Double(), nullable=True))
    op.add_column(
        "acteurs",
        sa.Column("hors_metropole_confirme", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "acteurs",
        sa.Column("archive", sa.Boolean(), server_default="false", nullable=False),
    )
    _formes_juridiques()
    # The legal form leaves its closed CHECK list for a table administrators can extend.
    op.drop_constraint(op.f("ck_acteurs_forme_juridique"), "acteurs", type_="check")
    op.create_foreign_key(
        op.f("fk_acteurs_forme_juridique_formes_juridiques"),
        "acteurs",
        "formes_juridiques",
        ["forme_juridique"],
        ["code"],
    )
    op.add_column(
        "besoins",
        sa.Column(
            "geocodage",
            sa.Enum(
                "saisi",
                "ban",
                "a_confirmer",
                "a_geocoder",
                name="geocodage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="saisi",
            nullable=False,
        ),
    )
    op.add_column("besoins", sa.Column("geocodage_label", sa.String(length=300), nullable=True))
    op.add_column("besoins", sa.Column("geocodage_score", sa.Double(), nullable=True))
    op.add_column(
        "besoins",
        sa.Column("hors_metropole_confirme", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "locaux",
        sa.Column(
            "nature",
            sa.Enum(
                "local",
                "site",
                "batiment",
                "lot",
                name="nature_local",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="local",
            nullable=False,
        ),
    )
    op.add_column("locaux", sa.Column("parent_id", sa.Integer(), nullable=True))
    op.add_column(
        "locaux",
        sa.Column(
            "geocodage",
            sa.Enum(
                "saisi",
                "ban",
                "a_confirmer",
                "a_geocoder",
                name="geocodage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            server_default="saisi",
            nullable=False,
        ),
    )
    op.add_column("locaux", sa.Column("geocodage_label", sa.String(length=300), nullable=True))
    op.add_column("locaux", sa.Column("geocodage_score", sa.Double(), nullable=True))
    op.add_column(
        "locaux",
        sa.Column("hors_metropole_confirme", sa.Boolean(), server_default="false", nullable=False),
    )
    op.create_foreign_key(
        op.f("fk_locaux_parent_id_locaux"),
        "locaux",
        "locaux",
        ["parent_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_index(op.f("ix_locaux_parent_id"), "locaux", ["parent_id"])
    op.execute(
        "CREATE TRIGGER formes_juridiques_historique AFTER INSERT OR UPDATE OR DELETE "
        "ON formes_juridiques FOR EACH ROW EXECUTE FUNCTION foncier_historiser('code')"
    )


# Frozen here: a migration must not change when the vocabulary module does.
FORMES_JURIDIQUES = (
    ("association", "Association"),
    ("fondation", "Fondation"),
    ("mutuelle", "Mutuelle"),
    ("scop", "SCOP (société coopérative et participative)"),
    ("scic", "SCIC (société coopérative d'intérêt collectif)"),
    ("autre_cooperative", "Autre coopérative"),
    ("societe_commerciale_esus", "Société commerciale de l'ESS (agrément ESUS)"),
)


def _formes_juridiques() -> None:
    table = sa.table("formes_juridiques", sa.column("code"), sa.column("libelle"))
    op.bulk_insert(table, [{"code": c, "libelle": label} for c, label in FORMES_JURIDIQUES])


def downgrade() -> None:
    op.drop_column("acteurs", "archive")
    op.drop_index(op.f("ix_locaux_parent_id"), table_name="locaux")
    op.drop_constraint(op.f("fk_locaux_parent_id_locaux"), "locaux", type_="foreignkey")
    op.drop_column("locaux", "hors_metropole_confirme")
    op.drop_column("locaux", "geocodage_score")
    op.drop_column("locaux", "geocodage_label")
    op.drop_column("locaux", "geocodage")
    op.drop_column("locaux", "parent_id")
    op.drop_column("locaux", "nature")
    op.drop_column("besoins", "hors_metropole_confirme")
    op.drop_column("besoins", "geocodage_score")
    op.drop_column("besoins", "geocodage_label")
    op.drop_column("besoins", "geocodage")
    op.drop_constraint(
        op.f("fk_acteurs_forme_juridique_formes_juridiques"), "acteurs", type_="foreignkey"
    )
    op.create_check_constraint(
        op.f("ck_acteurs_forme_juridique"),
        "acteurs",
        "forme_juridique IN ('association', 'fondation', 'mutuelle', 'scop', 'scic', "
        "'autre_cooperative', 'societe_commerciale_esus')",
    )
    op.drop_column("acteurs", "hors_metropole_confirme")
    op.drop_column("acteurs", "geocodage_score")
    op.drop_column("acteurs", "geocodage_label")
    op.drop_column("acteurs", "geocodage")
    op.drop_table("formes_juridiques")

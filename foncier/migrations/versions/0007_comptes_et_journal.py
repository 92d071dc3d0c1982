"""Comptes, jetons d'API, journal d'audit ; effacement des contacts dans l'historique

Revision ID: 0007
Revises: 0006

Accounts carry no history trigger: their rows hold password hashes, which must not be copied
into the history; role changes go to the audit log instead. The audit log is append-only like
the history. The history stays append-only too, with one exception, the right to erasure: an
update that only removes an actor's contact fields, inside a transaction that says so.
Create Date: 2026-11-30 19:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ROLES = "roles <@ ARRAY['administrateur', 'agent', 'comite', 'planificateur']::varchar[]"
CONTACT = "ARRAY['contact_nom', 'contact_email', 'contact_telephone']"


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    op.create_table(
        "comptes",
        *_timestamps(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("mot_de_passe", sa.Text(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("actif", sa.Boolean(), nullable=False),
        sa.Column("jeton_session", sa.String(length=64), nullable=False),
        sa.CheckConstraint(ROLES, name=op.f("ck_comptes_roles_connus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comptes")),
        sa.UniqueConstraint("email", name=op.f("uq_comptes_email")),
    )
    op.create_table(
        "jetons_api",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compte_id", sa.Integer(), nullable=False),
        sa.Column("nom", sa.String(length=100), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column(
            "cree_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("dernier_usage", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoque_le", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(ROLES, name=op.f("ck_jetons_api_roles_connus")),
        sa.ForeignKeyConstraint(
            ["compte_id"],
            ["comptes.id"],
            name=op.f("fk_jetons_api_compte_id_comptes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jetons_api")),
        sa.UniqueConstraint("empreinte", name=op.f("uq_jetons_api_empreinte")),
        sa.UniqueConstraint("nom", name=op.f("uq_jetons_api_nom")),
    )
    _journal()
    _erasure()


def _journal() -> None:
    op.create_table(
        "journal_audit",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column(
            "horodatage",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("evenement", sa.String(length=32), nullable=False),
        sa.Column("compte", sa.String(length=320), nullable=True),
        sa.Column("adresse", sa.String(length=64), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_audit")),
    )
    for column in ("horodatage", "evenement", "compte"):
        op.create_index(f"ix_journal_audit_{column}", "journal_audit", [column])
    op.execute("""
        CREATE FUNCTION foncier_journal_ajout_seul() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'Le journal d''audit ne se modifie pas : il est en ajout seul.';
        END $$;
        CREATE TRIGGER journal_audit_ajout_seul BEFORE UPDATE OR DELETE OR TRUNCATE
            ON journal_audit FOR EACH STATEMENT EXECUTE FUNCTION foncier_journal_ajout_seul();
    """)


def _erasure() -> None:
    """Updates of the history: refused, unless they only remove an actor's contact fields in
    a transaction that set ``foncier.effacement_contact``. Deletes stay refused."""
    op.execute(f"""
        DROP TRIGGER historique_ajout_seul ON historique;
        CREATE TRIGGER historique_ajout_seul BEFORE DELETE OR TRUNCATE
            ON historique FOR EACH STATEMENT EXECUTE FUNCTION foncier_historique_ajout_seul();
        CREATE FUNCTION foncier_historique_effacement() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('foncier.effacement_contact', true) = 'on'
                AND OLD.table_name = 'acteurs'
                AND (NEW.id, NEW.table_name, NEW.record_id, NEW.action, NEW.utilisateur,
                     NEW.horodatage)
                    IS NOT DISTINCT FROM (OLD.id, OLD.table_name, OLD.record_id, OLD.action,
                     OLD.utilisateur, OLD.horodatage)
                AND NEW.avant IS NOT DISTINCT FROM OLD.avant - {CONTACT}
                AND NEW.apres IS NOT DISTINCT FROM OLD.apres - {CONTACT}
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'L''historique ne se modifie pas : il est en ajout seul.';
        END $$;
        CREATE TRIGGER historique_effacement BEFORE UPDATE ON historique
            FOR EACH ROW EXECUTE FUNCTION foncier_historique_effacement();
    """)


def downgrade() -> None:
    op.execute("""
        DROP TRIGGER historique_effacement ON historique;
        DROP FUNCTION foncier_historique_effacement();
        DROP TRIGGER historique_ajout_seul ON historique;
        CREATE TRIGGER historique_ajout_seul BEFORE UPDATE OR DELETE OR TRUNCATE
            ON historique FOR EACH STATEMENT EXECUTE FUNCTION foncier_historique_ajout_seul();
        DROP TRIGGER journal_audit_ajout_seul ON journal_audit;
        DROP FUNCTION foncier_journal_ajout_seul();
    """)
    op.drop_table("journal_audit")
    op.drop_table("jetons_api")
    op.drop_table("comptes")

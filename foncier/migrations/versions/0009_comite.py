"""Comité d'engagement : séances, membres, propositions, conflits, votes et décisions

Revision ID: 0009
Revises: 0007

Votes and decisions are an append-only log kept by the database itself: triggers refuse every
update, and every delete but one, the demo's (``foncier demo clear``, in a transaction that
sets ``foncier.vider_demo``, and only for rows of the demo's sessions, whose refs start with
``DEMO-``). A closed session's row and its members are frozen the same way.
Create Date: 2026-11-30 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

# The session a row belongs to, per table (for the demo's exception).
_SEANCE_OF = {
    "votes_comite": (
        "SELECT s.ref FROM propositions_lignes l JOIN propositions_comite p "
        "ON p.id = l.proposition_id JOIN seances s ON s.id = p.seance_id WHERE l.id = OLD.ligne_id"
    ),
    "decisions_comite": "SELECT s.ref FROM seances s WHERE s.id = OLD.seance_id",
}


def upgrade() -> None:
    op.create_table(
        "seances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("titre", sa.String(length=200), nullable=False),
        sa.Column("date_seance", sa.Date(), nullable=False),
        sa.Column(
            "etat",
            sa.Enum(
                "preparation",
                "ouverte",
                "close",
                name="etat_seance",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("quorum", sa.Float(), nullable=False),
        sa.Column(
            "regle_egalite",
            sa.Enum(
                "ajourne",
                "defavorable",
                "favorable",
                name="regle_egalite",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("pouvoirs_max", sa.Integer(), nullable=False),
        sa.Column("cree_par", sa.String(length=320), nullable=False),
        sa.Column(
            "cree_le", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.CheckConstraint("pouvoirs_max >= 0", name=op.f("ck_seances_pouvoirs_positifs")),
        sa.CheckConstraint("quorum > 0 AND quorum <= 1", name=op.f("ck_seances_quorum_fraction")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seances")),
        sa.UniqueConstraint("ref", name=op.f("uq_seances_ref")),
    )
    op.create_table(
        "seance_membres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seance_id", sa.Integer(), nullable=False),
        sa.Column("compte_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("pouvoir_a", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "NOT (present AND pouvoir_a IS NOT NULL)",
            name=op.f("ck_seance_membres_present_sans_pouvoir"),
        ),
        sa.ForeignKeyConstraint(
            ["compte_id"],
            ["comptes.id"],
            name=op.f("fk_seance_membres_compte_id_comptes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["pouvoir_a"],
            ["comptes.id"],
            name=op.f("fk_seance_membres_pouvoir_a_comptes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seance_id"],
            ["seances.id"],
            name=op.f("fk_seance_membres_seance_id_seances"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seance_membres")),
        sa.UniqueConstraint("seance_id", "compte_id", name=op.f("uq_seance_membres_seance_id")),
    )
    op.create_table(
        "propositions_comite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column(
            "objet",
            sa.Enum(
                "local",
                "besoin",
                name="objet_proposition",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("local_id", sa.Integer(), nullable=True),
        sa.Column("besoin_id", sa.Integer(), nullable=True),
        sa.Column("seance_id", sa.Integer(), nullable=True),
        sa.Column("ordre", sa.Integer(), nullable=False),
        sa.Column("propose_par", sa.String(length=320), nullable=False),
        sa.Column(
            "propose_le",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["besoin_id"],
            ["besoins.id"],
            name=op.f("fk_propositions_comite_besoin_id_besoins"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["local_id"],
            ["locaux.id"],
            name=op.f("fk_propositions_comite_local_id_locaux"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seance_id"],
            ["seances.id"],
            name=op.f("fk_propositions_comite_seance_id_seances"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_propositions_comite")),
        sa.UniqueConstraint("ref", name=op.f("uq_propositions_comite_ref")),
    )
    op.create_index(
        op.f("ix_propositions_comite_seance_id"), "propositions_comite", ["seance_id"], unique=False
    )
    op.create_table(
        "conflits_interet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposition_id", sa.Integer(), nullable=False),
        sa.Column("compte_id", sa.Integer(), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
        sa.Column(
            "declare_le",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["compte_id"],
            ["comptes.id"],
            name=op.f("fk_conflits_interet_compte_id_comptes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["proposition_id"],
            ["propositions_comite.id"],
            name=op.f("fk_conflits_interet_proposition_id_propositions_comite"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflits_interet")),
        sa.UniqueConstraint(
            "proposition_id", "compte_id", name=op.f("uq_conflits_interet_proposition_id")
        ),
    )
    op.create_table(
        "propositions_lignes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposition_id", sa.Integer(), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("besoin_id", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("completude", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("criteres", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("empreinte_besoin", sa.String(length=64), nullable=False),
        sa.Column("empreinte_local", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["besoin_id"],
            ["besoins.id"],
            name=op.f("fk_propositions_lignes_besoin_id_besoins"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["local_id"],
            ["locaux.id"],
            name=op.f("fk_propositions_lignes_local_id_locaux"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["proposition_id"],
            ["propositions_comite.id"],
            name=op.f("fk_propositions_lignes_proposition_id_propositions_comite"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_propositions_lignes")),
        sa.UniqueConstraint(
            "proposition_id", "rang", name=op.f("uq_propositions_lignes_proposition_id")
        ),
    )
    op.create_index(
        op.f("ix_propositions_lignes_proposition_id"),
        "propositions_lignes",
        ["proposition_id"],
        unique=False,
    )
    op.create_table(
        "decisions_comite",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("ligne_id", sa.Integer(), nullable=False),
        sa.Column("seance_id", sa.Integer(), nullable=False),
        sa.Column(
            "issue",
            sa.Enum(
                "favorable",
                "defavorable",
                "ajourne",
                name="issue_decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("motifs", sa.Text(), nullable=False),
        sa.Column("decompte", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("enregistre_par", sa.String(length=320), nullable=False),
        sa.Column(
            "horodatage",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("corrige_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["corrige_id"],
            ["decisions_comite.id"],
            name=op.f("fk_decisions_comite_corrige_id_decisions_comite"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ligne_id"],
            ["propositions_lignes.id"],
            name=op.f("fk_decisions_comite_ligne_id_propositions_lignes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seance_id"],
            ["seances.id"],
            name=op.f("fk_decisions_comite_seance_id_seances"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions_comite")),
    )
    op.create_index(
        op.f("ix_decisions_comite_ligne_id"), "decisions_comite", ["ligne_id"], unique=False
    )
    op.create_table(
        "votes_comite",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("ligne_id", sa.Integer(), nullable=False),
        sa.Column("compte_id", sa.Integer(), nullable=False),
        sa.Column("porte_par", sa.Integer(), nullable=False),
        sa.Column(
            "voix",
            sa.Enum(
                "favorable",
                "defavorable",
                "abstention",
                name="voix",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "horodatage",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("corrige_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["compte_id"],
            ["comptes.id"],
            name=op.f("fk_votes_comite_compte_id_comptes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["corrige_id"],
            ["votes_comite.id"],
            name=op.f("fk_votes_comite_corrige_id_votes_comite"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ligne_id"],
            ["propositions_lignes.id"],
            name=op.f("fk_votes_comite_ligne_id_propositions_lignes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["porte_par"],
            ["comptes.id"],
            name=op.f("fk_votes_comite_porte_par_comptes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes_comite")),
    )
    op.create_index(op.f("ix_votes_comite_ligne_id"), "votes_comite", ["ligne_id"], unique=False)
    _append_only()
    _closed_frozen()


def _append_only() -> None:
    for table, seance_of in _SEANCE_OF.items():
        op.execute(f"""
            CREATE FUNCTION foncier_{table}_ajout_seul() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND current_setting('foncier.vider_demo', true) = 'on'
                    AND ({seance_of}) LIKE 'DEMO-%'
                THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'Le registre du comité (%) est en ajout seul : une erreur se '
                    'corrige par une nouvelle entrée qui pointe vers l''ancienne.', TG_TABLE_NAME;
            END $$;
            CREATE TRIGGER {table}_ajout_seul BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION foncier_{table}_ajout_seul();
            CREATE TRIGGER {table}_sans_troncature BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION foncier_{table}_ajout_seul();
        """)


def _closed_frozen() -> None:
    """A closed session and its members no longer change (demo clear aside)."""
    op.execute("""
        CREATE FUNCTION foncier_seance_close() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            etat_seance text;
            ref_seance text;
        BEGIN
            IF TG_TABLE_NAME = 'seances' THEN
                etat_seance := OLD.etat; ref_seance := OLD.ref;
            ELSE
                SELECT etat, ref INTO etat_seance, ref_seance FROM seances
                    WHERE id = OLD.seance_id;
            END IF;
            IF etat_seance IS DISTINCT FROM 'close'
                OR (TG_OP = 'DELETE' AND current_setting('foncier.vider_demo', true) = 'on'
                    AND ref_seance LIKE 'DEMO-%')
            THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            RAISE EXCEPTION 'La séance « % » est close : elle ne se modifie plus.', ref_seance;
        END $$;
        CREATE TRIGGER seances_close BEFORE UPDATE OR DELETE ON seances
            FOR EACH ROW EXECUTE FUNCTION foncier_seance_close();
        CREATE TRIGGER seance_membres_close BEFORE UPDATE OR DELETE ON seance_membres
            FOR EACH ROW EXECUTE FUNCTION foncier_seance_close();
    """)


def downgrade() -> None:
    for table in (
        "votes_comite",
        "decisions_comite",
        "conflits_interet",
        "propositions_lignes",
        "propositions_comite",
        "seance_membres",
        "seances",
    ):
        op.drop_table(table)
    op.execute("DROP FUNCTION foncier_seance_close()")
    for table in _SEANCE_OF:
        op.execute(f"DROP FUNCTION foncier_{table}_ajout_seul()")

"""Version des données : un compteur que chaque transaction qui écrit avance, à sa validation

Revision ID: 0014
Revises: 0013

Pages are kept per version of the data (``foncier.db.kept``). The version was the newest id
and the row count of the history and of the committee's decisions, and the last change of
the reference layers: a count grows with the history, and every page read paid for it. A
counter in one row replaces them. A deferred trigger moves it once per transaction that
writes a record, a decision or a reference layer, when that transaction commits: readers see
the new number and the new rows together. Its lock is the last one the transaction takes and
is held only while it commits, so writers never wait on it for long, and, as long as it is
the only deferred trigger, a transaction holding it waits on nothing else: no deadlock. The application role may read the counter, not set it (the trigger's function runs as
the owner).
Create Date: 2026-12-01 07:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Every table whose writes change what a page shows, besides the records (their history).
WATCHED = {
    "historique": "INSERT",
    "decisions_comite": "INSERT",
    "communes": "INSERT OR UPDATE OR DELETE",
    "qpv": "INSERT OR UPDATE OR DELETE",
    "friches": "INSERT OR UPDATE OR DELETE",
}


def upgrade() -> None:
    op.execute("""
        CREATE TABLE version_donnees (
            seule boolean PRIMARY KEY DEFAULT true CHECK (seule),
            numero bigint NOT NULL
        );
        -- From the clock (ms): a database made again under the same name starts past the
        -- numbers a running server may have kept pages under for the one before.
        INSERT INTO version_donnees (numero)
            VALUES ((extract(epoch FROM clock_timestamp()) * 1000)::bigint);

        CREATE FUNCTION version_donnees_avance() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            -- Once per transaction: a 5,000-row import moves the version once.
            IF current_setting('foncier.version_avancee', true) IS DISTINCT FROM 'oui' THEN
                UPDATE version_donnees SET numero = numero + 1;
                PERFORM set_config('foncier.version_avancee', 'oui', true);
            END IF;
            RETURN NULL;
        END $$;
    """)
    for table, events in WATCHED.items():
        op.execute(f"""
            CREATE CONSTRAINT TRIGGER {table}_version AFTER {events} ON {table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
            EXECUTE FUNCTION version_donnees_avance()
        """)
        op.execute(f"""
            CREATE TRIGGER {table}_version_troncature AFTER TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION version_donnees_avance()
        """)


def downgrade() -> None:
    for table in WATCHED:
        op.execute(f"DROP TRIGGER {table}_version ON {table}")
        op.execute(f"DROP TRIGGER {table}_version_troncature ON {table}")
    op.execute("DROP FUNCTION version_donnees_avance()")
    op.execute("DROP TABLE version_donnees")

"""Géométries de l'historique bornées à 16 Ko : au-delà, simplifiées

Revision ID: 0012
Revises: 0011

The history copied every geometry whole into both images of each change: one need with a
100,000-vertex zone weighed 7.7 MB of history. The rule now: a geometry whose GeoJSON in a
history row exceeds 16 KB is stored simplified (Douglas-Peucker preserving topology, the
tolerance doubled from 1 m until it fits, centimetre coordinates; the convex hull if even
10 km do not suffice), with a foreign member ``simplifiee`` giving the original's vertex
count, size, the tolerance used and the MD5 of its GeoJSON. The exact current geometry stays
in its own table (and in every backup); the history keeps the shape of each version, so that
who changed what and when stays readable, within a bounded size.

Done at write time by ``foncier_historiser`` (rows stay append-only: nothing is rewritten
later); rows written before this migration are compacted once here, as the tables' owner.
Create Date: 2026-11-30 23:55:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MAX_HISTORY_GEOMETRY_BYTES = 16 * 1024  # foncier.limits.MAX_HISTORY_GEOMETRY_BYTES

_FUNCTIONS = f"""
    -- GEOS may hand a one-part MultiPolygon back as a Polygon: the column's type is kept.
    CREATE FUNCTION foncier_meme_type(simple geometry, origine geometry) RETURNS geometry
    LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN ST_GeometryType(origine) LIKE 'ST_Multi%' THEN ST_Multi(simple)
                    ELSE simple END
    $$;

    CREATE FUNCTION foncier_geometrie_historique(valeur jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE
        origine geometry;
        simple jsonb;
        tolerance float8 := 1;
    BEGIN
        IF valeur IS NULL OR jsonb_typeof(valeur) <> 'object' OR valeur ? 'simplifiee'
            OR octet_length(valeur::text) <= {MAX_HISTORY_GEOMETRY_BYTES} THEN
            RETURN valeur;
        END IF;
        origine := ST_GeomFromGeoJSON(valeur);
        LOOP
            simple := ST_AsGeoJSON(
                foncier_meme_type(ST_SimplifyPreserveTopology(origine, tolerance), origine), 2
            )::jsonb;
            EXIT WHEN octet_length(simple::text) <= {MAX_HISTORY_GEOMETRY_BYTES}
                OR tolerance >= 10000;
            tolerance := tolerance * 2;
        END LOOP;
        IF octet_length(simple::text) > {MAX_HISTORY_GEOMETRY_BYTES} THEN
            -- Thousands of tiny rings, each kept by the topology: only the hull fits.
            simple := ST_AsGeoJSON(foncier_meme_type(ST_ConvexHull(origine), origine), 2)::jsonb;
        END IF;
        RETURN simple || jsonb_build_object('simplifiee', jsonb_build_object(
            'sommets', ST_NPoints(origine),
            'octets', octet_length(valeur::text),
            'tolerance_m', tolerance,
            'md5', md5(valeur::text)
        ));
    END $$;

    CREATE FUNCTION foncier_historique_compact(ligne jsonb, colonnes text[]) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE
        colonne text;
    BEGIN
        IF ligne IS NULL THEN
            RETURN NULL;
        END IF;
        FOREACH colonne IN ARRAY colonnes LOOP
            IF ligne ? colonne THEN
                ligne := jsonb_set(ligne, ARRAY[colonne],
                                   foncier_geometrie_historique(ligne -> colonne));
            END IF;
        END LOOP;
        RETURN ligne;
    END $$;
"""

_HISTORISER = """
    CREATE OR REPLACE FUNCTION foncier_historiser() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        cle text := TG_ARGV[0];
        ligne jsonb := to_jsonb(COALESCE(NEW, OLD));
        geometries text[] := ARRAY(
            SELECT attname::text FROM pg_attribute
            WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped
                AND atttypid = 'geometry'::regtype
        );
    BEGIN
        INSERT INTO historique (table_name, record_id, action, utilisateur, avant, apres)
        VALUES (
            TG_TABLE_NAME, ligne ->> cle, TG_OP,
            COALESCE(NULLIF(current_setting('foncier.utilisateur', true), ''), session_user),
            CASE WHEN TG_OP = 'INSERT' THEN NULL
                 ELSE foncier_historique_compact(to_jsonb(OLD), geometries) END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL
                 ELSE foncier_historique_compact(to_jsonb(NEW), geometries) END
        );
        RETURN NULL;
    END $$;
"""

_ORIGINAL_HISTORISER = """
    CREATE OR REPLACE FUNCTION foncier_historiser() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        cle text := TG_ARGV[0];
        ligne jsonb := to_jsonb(COALESCE(NEW, OLD));
    BEGIN
        INSERT INTO historique (table_name, record_id, action, utilisateur, avant, apres)
        VALUES (
            TG_TABLE_NAME, ligne ->> cle, TG_OP,
            COALESCE(NULLIF(current_setting('foncier.utilisateur', true), ''), session_user),
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END
        );
        RETURN NULL;
    END $$;
"""

# Rows written before: compacted once, by the owner, with the guard of the history lifted
# for this transaction only (the application role could do neither).
_COMPACT_EXISTING = f"""
    ALTER TABLE historique DISABLE TRIGGER historique_effacement;
    UPDATE historique h SET
        avant = foncier_historique_compact(h.avant, g.colonnes),
        apres = foncier_historique_compact(h.apres, g.colonnes)
    FROM (
        SELECT table_name::text AS nom, array_agg(column_name::text) AS colonnes
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND udt_name = 'geometry'
        GROUP BY table_name
    ) g
    WHERE h.table_name = g.nom
        AND octet_length(coalesce(h.avant::text, '') || coalesce(h.apres::text, ''))
            > {MAX_HISTORY_GEOMETRY_BYTES};
    ALTER TABLE historique ENABLE TRIGGER historique_effacement;
"""


def upgrade() -> None:
    op.execute(_FUNCTIONS)
    op.execute(_HISTORISER)
    op.execute(_COMPACT_EXISTING)


def downgrade() -> None:
    """Rows already simplified stay so: their exact geometry is gone from the history."""
    op.execute(_ORIGINAL_HISTORISER)
    op.execute("DROP FUNCTION foncier_historique_compact(jsonb, text[])")
    op.execute("DROP FUNCTION foncier_geometrie_historique(jsonb)")
    op.execute("DROP FUNCTION foncier_meme_type(geometry, geometry)")

"""Schéma initial : référentiels, locaux, acteurs, besoins, historique

Revision ID: 0001
Revises:
Create Date: 2026-11-26 10:19:17.719508
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_geospatial_table(
        "communes",
        sa.Column("code_insee", sa.String(length=5), nullable=False),
        sa.Column("nom", sa.String(length=100), nullable=False),
        sa.Column("codes_postaux", sa.ARRAY(sa.String(length=5)), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code_insee", name=op.f("pk_communes")),
    )
    op.create_geospatial_index(
        "idx_communes_geom",
        "communes",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_table(
        "filieres",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("libelle", sa.String(length=200), nullable=False),
        sa.Column("prioritaire", sa.Boolean(), nullable=False),
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
        sa.PrimaryKeyConstraint("code", name=op.f("pk_filieres")),
    )
    op.create_geospatial_table(
        "friches",
        sa.Column("site_id", sa.String(length=32), nullable=False),
        sa.Column("nom", sa.String(length=300), nullable=True),
        sa.Column("statut", sa.String(length=64), nullable=False),
        sa.Column("type_site", sa.String(length=64), nullable=True),
        sa.Column("adresse", sa.Text(), nullable=True),
        sa.Column("commune_insee", sa.String(length=5), nullable=False),
        sa.Column("surface_m2", sa.Float(), nullable=True),
        sa.Column("bati_surface_m2", sa.Float(), nullable=True),
        sa.Column("activite", sa.Text(), nullable=True),
        sa.Column("zone_urbanisme", sa.Text(), nullable=True),
        sa.Column("pollution", sa.String(length=32), nullable=True),
        sa.Column("date_maj", sa.Date(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("attributs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_friches")),
    )
    op.create_geospatial_index(
        "idx_friches_geom",
        "friches",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_table(
        "qpv",
        sa.Column("code_qp", sa.String(length=16), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column("communes_insee", sa.ARRAY(sa.String(length=5)), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code_qp", name=op.f("pk_qpv")),
    )
    op.create_geospatial_index(
        "idx_qpv_geom", "qpv", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_geospatial_table(
        "acteurs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=True),
        sa.Column(
            "forme_juridique",
            sa.Enum(
                "association",
                "fondation",
                "mutuelle",
                "scop",
                "scic",
                "autre_cooperative",
                "societe_commerciale_esus",
                name="forme_juridique",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("agrement_esus", sa.Boolean(), nullable=False),
        sa.Column("filiere", sa.String(length=32), nullable=False),
        sa.Column(
            "stade",
            sa.Enum(
                "emergence",
                "developpement",
                "changement_echelle",
                name="stade",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("effectif", sa.Integer(), nullable=True),
        sa.Column("emplois_prevus", sa.Integer(), nullable=True),
        sa.Column("adresse", sa.Text(), nullable=True),
        sa.Column("contact_nom", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("contact_telephone", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
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
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("commune_insee", sa.String(length=5), nullable=True),
        sa.Column("code_qp", sa.String(length=16), nullable=True),
        sa.Column("en_qpv", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint("siren ~ '^[0-9]{9}$'", name=op.f("ck_acteurs_siren_format")),
        sa.CheckConstraint(
            "siret IS NULL OR siret ~ '^[0-9]{14}$'", name=op.f("ck_acteurs_siret_format")
        ),
        sa.CheckConstraint(
            "effectif IS NULL OR effectif >= 0", name=op.f("ck_acteurs_effectif_positif")
        ),
        sa.CheckConstraint(
            "emplois_prevus IS NULL OR emplois_prevus >= 0",
            name=op.f("ck_acteurs_emplois_positifs"),
        ),
        sa.ForeignKeyConstraint(
            ["filiere"], ["filieres.code"], name=op.f("fk_acteurs_filiere_filieres")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acteurs")),
        sa.UniqueConstraint("source", "ref", name=op.f("uq_acteurs_source")),
    )
    op.create_geospatial_index(
        "idx_acteurs_geom",
        "acteurs",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_table(
        "locaux",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column(
            "type_local",
            sa.Enum(
                "bureau",
                "activite",
                "commerce",
                "stockage",
                "tiers_lieu",
                "terrain",
                name="type_local",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "statut",
            sa.Enum(
                "disponible",
                "sous_option",
                "reserve",
                "occupe",
                "retire",
                name="statut_local",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "origine",
            sa.Enum(
                "fonciere",
                "mandat_gestion",
                "partenaire",
                "operation_amenagement",
                "friche",
                name="origine_local",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("adresse", sa.Text(), nullable=True),
        sa.Column("surface_m2", sa.Float(), nullable=False),
        sa.Column("divisible", sa.Boolean(), nullable=False),
        sa.Column("surface_lot_min_m2", sa.Float(), nullable=True),
        sa.Column("partageable", sa.Boolean(), nullable=False),
        sa.Column("loyer_m2_an", sa.Float(), nullable=True),
        sa.Column("loyer_marche_m2_an", sa.Float(), nullable=True),
        sa.Column("prix_vente_m2", sa.Float(), nullable=True),
        sa.Column("charges_m2_an", sa.Float(), nullable=True),
        sa.Column("disponible_le", sa.Date(), nullable=False),
        sa.Column("disponible_jusqu_au", sa.Date(), nullable=True),
        sa.Column("acces_pmr", sa.Boolean(), nullable=False),
        sa.Column("rez_de_chaussee", sa.Boolean(), nullable=False),
        sa.Column("acces_livraison", sa.Boolean(), nullable=False),
        sa.Column("stationnement", sa.Boolean(), nullable=False),
        sa.Column("categorie_erp", sa.String(length=8), nullable=True),
        sa.Column(
            "classe_energie",
            sa.Enum(
                "A",
                "B",
                "C",
                "D",
                "E",
                "F",
                "G",
                name="classe_energie",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("friche_id", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
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
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("commune_insee", sa.String(length=5), nullable=True),
        sa.Column("code_qp", sa.String(length=16), nullable=True),
        sa.Column("en_qpv", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint(
            "charges_m2_an IS NULL OR charges_m2_an >= 0", name=op.f("ck_locaux_charges_positives")
        ),
        sa.CheckConstraint(
            "disponible_jusqu_au IS NULL OR disponible_jusqu_au >= disponible_le",
            name=op.f("ck_locaux_dates"),
        ),
        sa.CheckConstraint(
            "loyer_m2_an IS NULL OR loyer_m2_an >= 0", name=op.f("ck_locaux_loyer_positif")
        ),
        sa.CheckConstraint(
            "prix_vente_m2 IS NULL OR prix_vente_m2 >= 0", name=op.f("ck_locaux_prix_positif")
        ),
        sa.CheckConstraint(
            "surface_lot_min_m2 IS NULL OR surface_lot_min_m2 <= surface_m2",
            name=op.f("ck_locaux_lot_min"),
        ),
        sa.CheckConstraint("surface_m2 > 0", name=op.f("ck_locaux_surface_positive")),
        sa.ForeignKeyConstraint(
            ["friche_id"], ["friches.site_id"], name=op.f("fk_locaux_friche_id_friches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locaux")),
        sa.UniqueConstraint("source", "ref", name=op.f("uq_locaux_source")),
    )
    op.create_geospatial_index(
        "idx_locaux_geom",
        "locaux",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_table(
        "besoins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("acteur_id", sa.Integer(), nullable=False),
        sa.Column("intitule", sa.String(length=200), nullable=False),
        sa.Column(
            "statut",
            sa.Enum(
                "ouvert",
                "en_proposition",
                "satisfait",
                "abandonne",
                name="statut_besoin",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("types_acceptes", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("modes_occupation", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("surface_min_m2", sa.Float(), nullable=False),
        sa.Column("surface_max_m2", sa.Float(), nullable=False),
        sa.Column("budget_loyer_m2_an", sa.Float(), nullable=True),
        sa.Column("budget_achat_m2", sa.Float(), nullable=True),
        sa.Column("communes_souhaitees", sa.ARRAY(sa.String(length=5)), nullable=False),
        sa.Column(
            "zone_souhaitee",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("distance_max_m", sa.Float(), nullable=True),
        sa.Column("emmenagement_au_plus_tot", sa.Date(), nullable=False),
        sa.Column("emmenagement_au_plus_tard", sa.Date(), nullable=True),
        sa.Column("criteres_obligatoires", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("criteres_souhaites", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("partage_accepte", sa.Boolean(), nullable=False),
        sa.Column("emplois_accueillis", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
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
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=2154,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("commune_insee", sa.String(length=5), nullable=True),
        sa.Column("code_qp", sa.String(length=16), nullable=True),
        sa.Column("en_qpv", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint(
            "criteres_obligatoires <@ ARRAY['acces_pmr', 'rez_de_chaussee', 'acces_livraison', 'stationnement', 'erp']::varchar[]",
            name=op.f("ck_besoins_obligatoires_connus"),
        ),
        sa.CheckConstraint(
            "criteres_souhaites <@ ARRAY['acces_pmr', 'rez_de_chaussee', 'acces_livraison', 'stationnement', 'erp']::varchar[]",
            name=op.f("ck_besoins_souhaites_connus"),
        ),
        sa.CheckConstraint(
            "modes_occupation <@ ARRAY['location', 'achat', 'occupation_temporaire']::varchar[]",
            name=op.f("ck_besoins_modes_connus"),
        ),
        sa.CheckConstraint(
            "types_acceptes <@ ARRAY['bureau', 'activite', 'commerce', 'stockage', 'tiers_lieu', 'terrain']::varchar[]",
            name=op.f("ck_besoins_types_connus"),
        ),
        sa.CheckConstraint(
            "budget_achat_m2 IS NULL OR budget_achat_m2 >= 0",
            name=op.f("ck_besoins_budget_achat_positif"),
        ),
        sa.CheckConstraint(
            "budget_loyer_m2_an IS NULL OR budget_loyer_m2_an >= 0",
            name=op.f("ck_besoins_budget_positif"),
        ),
        sa.CheckConstraint(
            "cardinality(types_acceptes) > 0", name=op.f("ck_besoins_types_non_vides")
        ),
        sa.CheckConstraint(
            "distance_max_m IS NULL OR distance_max_m >= 0",
            name=op.f("ck_besoins_distance_positive"),
        ),
        sa.CheckConstraint(
            "emmenagement_au_plus_tard IS NULL OR emmenagement_au_plus_tard >= emmenagement_au_plus_tot",
            name=op.f("ck_besoins_dates"),
        ),
        sa.CheckConstraint(
            "surface_max_m2 >= surface_min_m2", name=op.f("ck_besoins_surface_min_max")
        ),
        sa.CheckConstraint("surface_min_m2 > 0", name=op.f("ck_besoins_surface_min_positive")),
        sa.ForeignKeyConstraint(
            ["acteur_id"],
            ["acteurs.id"],
            name=op.f("fk_besoins_acteur_id_acteurs"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besoins")),
        sa.UniqueConstraint("source", "ref", name=op.f("uq_besoins_source")),
    )
    op.create_geospatial_index(
        "idx_besoins_geom",
        "besoins",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_index(
        "idx_besoins_zone_souhaitee",
        "besoins",
        ["zone_souhaitee"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    _historique()
    _localisation()
    _filieres()


REGISTRIES = ("locaux", "acteurs", "besoins")


def _historique() -> None:
    op.create_table(
        "historique",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("utilisateur", sa.String(length=200), nullable=False),
        sa.Column(
            "horodatage",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("avant", postgresql.JSONB(), nullable=True),
        sa.Column("apres", postgresql.JSONB(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_historique")),
    )
    op.create_index("ix_historique_table_name", "historique", ["table_name"])
    op.create_index("ix_historique_record_id", "historique", ["record_id"])
    op.execute("""
        CREATE FUNCTION foncier_historiser() RETURNS trigger LANGUAGE plpgsql AS $$
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
        CREATE FUNCTION foncier_historique_ajout_seul() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'L''historique ne se modifie pas : il est en ajout seul.';
        END $$;
        CREATE TRIGGER historique_ajout_seul BEFORE UPDATE OR DELETE OR TRUNCATE
            ON historique FOR EACH STATEMENT EXECUTE FUNCTION foncier_historique_ajout_seul();
    """)
    for table, key in (*((t, "id") for t in REGISTRIES), ("filieres", "code")):
        op.execute(
            f"CREATE TRIGGER {table}_historique AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION foncier_historiser('{key}')"
        )


def _localisation() -> None:
    """Commune and QPV of a record's point, computed by PostGIS on every write."""
    op.execute("""
        CREATE FUNCTION foncier_commune_de(g geometry) RETURNS varchar LANGUAGE sql STABLE AS $$
            SELECT c.code_insee FROM communes c WHERE ST_Intersects(c.geom, g)
            ORDER BY c.code_insee LIMIT 1
        $$;
        CREATE FUNCTION foncier_qpv_de(g geometry) RETURNS varchar LANGUAGE sql STABLE AS $$
            SELECT q.code_qp FROM qpv q WHERE ST_Intersects(q.geom, g)
            ORDER BY q.code_qp LIMIT 1
        $$;
        CREATE FUNCTION foncier_localiser() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.commune_insee := foncier_commune_de(NEW.geom);
            NEW.code_qp := foncier_qpv_de(NEW.geom);
            NEW.en_qpv := NEW.code_qp IS NOT NULL;
            RETURN NEW;
        END $$;
    """)
    for table in REGISTRIES:
        op.create_index(f"ix_{table}_commune_insee", table, ["commune_insee"])
        op.execute(
            f"CREATE TRIGGER {table}_localiser BEFORE INSERT OR UPDATE OF geom ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION foncier_localiser()"
        )


# Frozen here: a migration must not change when the vocabulary module does.
FILIERES_DEFAUT = (
    ("reemploi", "Réemploi et économie circulaire", True),
    ("alimentation", "Alimentation durable et circuits courts", True),
    ("mobilite", "Mobilités durables", True),
    ("insertion", "Insertion par l'activité économique", True),
    ("batiment", "Bâtiment et habitat durable", False),
    ("culture", "Culture et industries créatives", False),
    ("numerique", "Numérique responsable", False),
    ("services_personne", "Services à la personne et santé", False),
    ("education", "Éducation populaire et formation", False),
    ("tourisme", "Tourisme solidaire", False),
)


def _filieres() -> None:
    table = sa.table("filieres", sa.column("code"), sa.column("libelle"), sa.column("prioritaire"))
    op.bulk_insert(
        table,
        [
            {"code": code, "libelle": libelle, "prioritaire": prioritaire}
            for code, libelle, prioritaire in FILIERES_DEFAUT
        ],
    )


def downgrade() -> None:
    for table in REGISTRIES:
        op.execute(f"DROP TRIGGER {table}_localiser ON {table}")
    for table in (*REGISTRIES, "filieres"):
        op.execute(f"DROP TRIGGER {table}_historique ON {table}")
    op.execute("DROP TABLE historique")
    op.execute(
        "DROP FUNCTION foncier_localiser(), foncier_commune_de(geometry), "
        "foncier_qpv_de(geometry), foncier_historique_ajout_seul(), foncier_historiser()"
    )
    op.drop_geospatial_index(
        "idx_besoins_zone_souhaitee",
        table_name="besoins",
        postgresql_using="gist",
        column_name="zone_souhaitee",
    )
    op.drop_geospatial_index(
        "idx_besoins_geom", table_name="besoins", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("besoins")
    op.drop_geospatial_index(
        "idx_locaux_geom", table_name="locaux", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("locaux")
    op.drop_geospatial_index(
        "idx_acteurs_geom", table_name="acteurs", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("acteurs")
    op.drop_geospatial_index(
        "idx_qpv_geom", table_name="qpv", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("qpv")
    op.drop_geospatial_index(
        "idx_friches_geom", table_name="friches", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("friches")
    op.drop_table("filieres")
    op.drop_geospatial_index(
        "idx_communes_geom", table_name="communes", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("communes")

"""The registries the AIS keeps: premises (locaux), ESS actors and their needs (besoins)."""

from __future__ import annotations

from datetime import date

from geoalchemy2 import Geometry
from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foncier.geo import STORE_SRID
from foncier.models.base import Base, Located, Registered, enum_column, multipolygon, values_in
from foncier.vocabulary import (
    ClasseEnergie,
    Equipement,
    ModeOccupation,
    NatureLocal,
    OrigineLocal,
    Stade,
    StatutBesoin,
    StatutLocal,
    TypeLocal,
)

POSITIVE = "{0} IS NULL OR {0} >= 0"


class Local(Registered, Located, Base):
    """A premises offered: a single space, or a site whose lots share its record for now."""

    __tablename__ = "locaux"
    __table_args__ = (
        UniqueConstraint("source", "ref"),
        CheckConstraint("surface_m2 > 0", name="surface_positive"),
        CheckConstraint(
            "surface_lot_min_m2 IS NULL OR surface_lot_min_m2 <= surface_m2", name="lot_min"
        ),
        CheckConstraint(POSITIVE.format("loyer_m2_an"), name="loyer_positif"),
        CheckConstraint(POSITIVE.format("prix_vente_m2"), name="prix_positif"),
        CheckConstraint(POSITIVE.format("charges_m2_an"), name="charges_positives"),
        CheckConstraint(
            "disponible_jusqu_au IS NULL OR disponible_jusqu_au >= disponible_le",
            name="dates",
        ),
        # The candidate query probes the premises of one kind near a need (btree_gist for the
        # kind); with the kind unconstrained it serves every other spatial query (0006).
        Index("ix_locaux_type_local_geom", "type_local", "geom", postgresql_using="gist"),
    )

    # Indexed with its kind above, instead of on its own.
    geom = mapped_column(Geometry("POINT", srid=STORE_SRID, spatial_index=False), nullable=True)
    nom: Mapped[str] = mapped_column(String(200))
    nature: Mapped[NatureLocal] = mapped_column(
        enum_column(NatureLocal, "nature_local"), default=NatureLocal.LOCAL, server_default="local"
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("locaux.id", ondelete="RESTRICT"), index=True
    )
    type_local: Mapped[TypeLocal] = mapped_column(enum_column(TypeLocal, "type_local"))
    statut: Mapped[StatutLocal] = mapped_column(
        enum_column(StatutLocal, "statut_local"), default=StatutLocal.DISPONIBLE
    )
    origine: Mapped[OrigineLocal] = mapped_column(enum_column(OrigineLocal, "origine_local"))
    adresse: Mapped[str | None] = mapped_column(Text)
    surface_m2: Mapped[float] = mapped_column(Float)
    divisible: Mapped[bool] = mapped_column(default=False)
    surface_lot_min_m2: Mapped[float | None] = mapped_column(Float)
    partageable: Mapped[bool] = mapped_column(default=False)
    loyer_m2_an: Mapped[float | None] = mapped_column(Float)
    loyer_marche_m2_an: Mapped[float | None] = mapped_column(Float)
    prix_vente_m2: Mapped[float | None] = mapped_column(Float)
    charges_m2_an: Mapped[float | None] = mapped_column(Float)
    disponible_le: Mapped[date] = mapped_column(Date)
    disponible_jusqu_au: Mapped[date | None] = mapped_column(Date)  # temporary occupation
    acces_pmr: Mapped[bool] = mapped_column(default=False)
    rez_de_chaussee: Mapped[bool] = mapped_column(default=False)
    acces_livraison: Mapped[bool] = mapped_column(default=False)
    stationnement: Mapped[bool] = mapped_column(default=False)
    categorie_erp: Mapped[str | None] = mapped_column(String(8))
    classe_energie: Mapped[ClasseEnergie | None] = mapped_column(
        enum_column(ClasseEnergie, "classe_energie")
    )
    friche_id: Mapped[str | None] = mapped_column(ForeignKey("friches.site_id"))
    description: Mapped[str | None] = mapped_column(Text)

    lots: Mapped[list[Local]] = relationship(back_populates="parent")
    parent: Mapped[Local | None] = relationship(back_populates="lots", remote_side="Local.id")


class Acteur(Registered, Located, Base):
    """An ESS organisation; its contacts are personal data."""

    __tablename__ = "acteurs"
    __table_args__ = (
        UniqueConstraint("source", "ref"),
        CheckConstraint("siren ~ '^[0-9]{9}$'", name="siren_format"),
        CheckConstraint("siret IS NULL OR siret ~ '^[0-9]{14}$'", name="siret_format"),
        CheckConstraint(POSITIVE.format("effectif"), name="effectif_positif"),
        CheckConstraint(POSITIVE.format("emplois_prevus"), name="emplois_positifs"),
    )

    nom: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str] = mapped_column(String(9))
    siret: Mapped[str | None] = mapped_column(String(14))
    forme_juridique: Mapped[str] = mapped_column(ForeignKey("formes_juridiques.code"))
    agrement_esus: Mapped[bool] = mapped_column(default=False)
    filiere: Mapped[str] = mapped_column(ForeignKey("filieres.code"))
    stade: Mapped[Stade] = mapped_column(enum_column(Stade, "stade"))
    effectif: Mapped[int | None]
    emplois_prevus: Mapped[int | None]
    adresse: Mapped[str | None] = mapped_column(Text)
    contact_nom: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_telephone: Mapped[str | None] = mapped_column(String(32))
    archive: Mapped[bool] = mapped_column(default=False, server_default="false")

    besoins: Mapped[list[Besoin]] = relationship(back_populates="acteur")


class Besoin(Registered, Located, Base):
    """What an actor looks for. ``geom`` is the search centre (point or zone centroid)."""

    __tablename__ = "besoins"
    __table_args__ = (
        UniqueConstraint("source", "ref"),
        CheckConstraint("surface_min_m2 > 0", name="surface_min_positive"),
        CheckConstraint("surface_max_m2 >= surface_min_m2", name="surface_min_max"),
        CheckConstraint(POSITIVE.format("budget_loyer_m2_an"), name="budget_positif"),
        CheckConstraint(POSITIVE.format("budget_achat_m2"), name="budget_achat_positif"),
        CheckConstraint(POSITIVE.format("distance_max_m"), name="distance_positive"),
        CheckConstraint(
            "emmenagement_au_plus_tard IS NULL "
            "OR emmenagement_au_plus_tard >= emmenagement_au_plus_tot",
            name="dates",
        ),
        CheckConstraint("cardinality(types_acceptes) > 0", name="types_non_vides"),
        values_in("types_acceptes", TypeLocal, "types_connus"),
        values_in("modes_occupation", ModeOccupation, "modes_connus"),
        values_in("criteres_obligatoires", Equipement, "obligatoires_connus"),
        values_in("criteres_souhaites", Equipement, "souhaites_connus"),
    )

    acteur_id: Mapped[int] = mapped_column(ForeignKey("acteurs.id", ondelete="RESTRICT"))
    intitule: Mapped[str] = mapped_column(String(200))
    statut: Mapped[StatutBesoin] = mapped_column(
        enum_column(StatutBesoin, "statut_besoin"), default=StatutBesoin.OUVERT
    )
    types_acceptes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    modes_occupation: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    surface_min_m2: Mapped[float] = mapped_column(Float)
    surface_max_m2: Mapped[float] = mapped_column(Float)
    budget_loyer_m2_an: Mapped[float | None] = mapped_column(Float)
    budget_achat_m2: Mapped[float | None] = mapped_column(Float)
    communes_souhaitees: Mapped[list[str]] = mapped_column(ARRAY(String(5)), default=list)
    zone_souhaitee = mapped_column(multipolygon(), nullable=True)
    distance_max_m: Mapped[float | None] = mapped_column(Float)
    emmenagement_au_plus_tot: Mapped[date] = mapped_column(Date)
    emmenagement_au_plus_tard: Mapped[date | None] = mapped_column(Date)
    criteres_obligatoires: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    criteres_souhaites: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    partage_accepte: Mapped[bool] = mapped_column(default=False)
    emplois_accueillis: Mapped[int | None]

    acteur: Mapped[Acteur] = relationship(back_populates="besoins")

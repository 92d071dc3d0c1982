"""Schemas of premises, actors and needs: one per kind validates the API, the forms and the
imports alike, and produces the OpenAPI description. Field-by-field checks live here; the
rules that tie fields together live in ``foncier.registry.rules``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, pre_load, validates

from foncier import limits
from foncier.identifiers import luhn_valid
from foncier.schemas.fields import (
    FrenchSchema,
    Geometry,
    boolean,
    choices,
    day,
    integer,
    list_of,
    number,
    one_of,
    text,
)
from foncier.vocabulary import (
    ClasseEnergie,
    Equipement,
    Geocodage,
    ModeOccupation,
    NatureLocal,
    OrigineLocal,
    Stade,
    StatutBesoin,
    StatutLocal,
    TypeLocal,
)

CATEGORIES_ERP = ["1", "2", "3", "4", "5"]


def area(**kwargs: Any) -> fields.Float:
    """A floor area in m², from 1 m² (below is a slip) to 100 ha."""
    return number(limits.MIN_AREA_M2, maximum=limits.MAX_AREA_M2, **kwargs)


def price(**kwargs: Any) -> fields.Float:
    """A rent, charge, price or budget per m², ≥ 0."""
    return number(maximum=limits.MAX_PRICE_EUR_M2, **kwargs)


class RecordSchema(FrenchSchema):
    """What every registered record shares: identity, version, computed location."""

    id = fields.Integer(dump_only=True)
    source = text(64, load_default="saisie", metadata={"description": "Origine de la fiche"})
    ref = text(128, metadata={"description": "Référence externe, unique par source"})
    version = integer(1, metadata={"description": "Version lue ; obligatoire pour modifier"})
    commune_insee = fields.String(dump_only=True)
    code_qp = fields.String(dump_only=True, allow_none=True)
    en_qpv = fields.Boolean(dump_only=True)
    geocodage = fields.String(dump_only=True, validate=choices([g.value for g in Geocodage]))
    geocodage_label = fields.String(dump_only=True, allow_none=True)
    geocodage_score = fields.Float(dump_only=True, allow_none=True)
    hors_metropole_confirme = boolean(
        load_default=False,
        metadata={"description": "Confirme un point situé hors de Bordeaux Métropole"},
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class LocalSchema(RecordSchema):
    nom = text(limits.MAX_NAME_LENGTH, required=True)
    adresse = text(limits.MAX_ADDRESS_LENGTH, allow_none=True)
    nature = one_of(NatureLocal, load_default=NatureLocal.LOCAL.value)
    parent_id = integer(1, allow_none=True, metadata={"description": "Site ou bâtiment parent"})
    type_local = one_of(TypeLocal, required=True)
    statut = one_of(StatutLocal, load_default=StatutLocal.DISPONIBLE.value)
    origine = one_of(OrigineLocal, required=True)
    geometry = Geometry("Point", allow_none=True)
    surface_m2 = area(required=True)
    divisible = boolean(load_default=False)
    surface_lot_min_m2 = area(allow_none=True)
    partageable = boolean(load_default=False)
    loyer_m2_an = price(allow_none=True, metadata={"description": "€/m²/an HT HC"})
    loyer_marche_m2_an = price(allow_none=True)
    prix_vente_m2 = price(allow_none=True, metadata={"description": "€/m² HT"})
    charges_m2_an = price(allow_none=True)
    disponible_le = day(required=True)
    disponible_jusqu_au = day(allow_none=True, metadata={"description": "Occupation temporaire"})
    acces_pmr = boolean(load_default=False)
    rez_de_chaussee = boolean(load_default=False)
    acces_livraison = boolean(load_default=False)
    stationnement = boolean(load_default=False)
    categorie_erp = fields.String(allow_none=True, validate=choices(CATEGORIES_ERP))
    classe_energie = one_of(ClasseEnergie, allow_none=True)
    friche_id = text(32, allow_none=True)
    description = text(allow_none=True)


class ActeurSchema(RecordSchema):
    nom = text(limits.MAX_NAME_LENGTH, required=True)
    adresse = text(limits.MAX_ADDRESS_LENGTH, allow_none=True)
    siren = text(9, required=True)
    siret = text(14, allow_none=True)
    forme_juridique = text(32, required=True)
    agrement_esus = boolean(load_default=False)
    filiere = text(32, required=True)
    stade = one_of(Stade, required=True)
    effectif = integer(maximum=limits.MAX_HEADCOUNT, allow_none=True)
    emplois_prevus = integer(maximum=limits.MAX_HEADCOUNT, allow_none=True)
    geometry = Geometry("Point", allow_none=True)
    contact_nom = text(200, allow_none=True)
    contact_email = fields.Email(
        allow_none=True, error_messages={"invalid": "Attendu : une adresse électronique."}
    )
    contact_telephone = text(32, allow_none=True)
    archive = boolean(load_default=False, metadata={"description": "Acteur retiré des listes"})

    @pre_load
    def _compact_identifiers(self, data: Any, **_: object) -> Any:
        """SIREN and SIRET are often typed in groups of digits: "732 829 320"."""
        if isinstance(data, dict):
            for key in ("siren", "siret"):
                if isinstance(data.get(key), str):
                    data = {**data, key: data[key].replace(" ", "").replace("\u00a0", "")}
        return data

    @validates("siren")
    def _siren(self, value: str, **_: object) -> None:
        _check_luhn(value, 9, "SIREN")

    @validates("siret")
    def _siret(self, value: str | None, **_: object) -> None:
        if value is not None:
            _check_luhn(value, 14, "SIRET")


class BesoinSchema(RecordSchema):
    acteur_id = integer(1, required=True)
    intitule = text(limits.MAX_NAME_LENGTH, required=True)
    statut = one_of(StatutBesoin, load_default=StatutBesoin.OUVERT.value)
    types_acceptes = list_of(TypeLocal, required=True)
    modes_occupation = list_of(ModeOccupation, load_default=[ModeOccupation.LOCATION.value])
    surface_min_m2 = area(required=True)
    surface_max_m2 = area(required=True)
    budget_loyer_m2_an = price(allow_none=True, metadata={"description": "€/m²/an HT HC"})
    budget_achat_m2 = price(allow_none=True)
    communes_souhaitees = list_of(text(5), load_default=[])
    zone_souhaitee = Geometry("Polygon", "MultiPolygon", allow_none=True)
    geometry = Geometry("Point", allow_none=True, metadata={"description": "Centre de recherche"})
    distance_max_m = number(0, strict_min=True, maximum=limits.MAX_DISTANCE_M, allow_none=True)
    emmenagement_au_plus_tot = day(required=True)
    emmenagement_au_plus_tard = day(allow_none=True)
    criteres_obligatoires = list_of(Equipement, load_default=[])
    criteres_souhaites = list_of(Equipement, load_default=[])
    partage_accepte = boolean(load_default=False)
    emplois_accueillis = integer(maximum=limits.MAX_HEADCOUNT, allow_none=True)


def _check_luhn(value: str, length: int, name: str) -> None:
    if len(value) != length or not value.isdigit():
        raise ValidationError(f"Un {name} compte {length} chiffres.")
    if not luhn_valid(value):
        raise ValidationError(f"Clé de contrôle du {name} incorrecte.")

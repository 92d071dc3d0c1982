"""Spreadsheet headers mapped to the fields of premises, actors and needs.

Headers match whatever their case, accents, punctuation, plural, units and usual qualifiers
(« Loyer HT HC (€/m²/an) » is « loyer »); an unknown unit (« km », « mois ») stops the match,
so that a value in another unit is never read as if it were in ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Literal

from foncier.errors import InvalidInput
from foncier.imports.values import STOPWORDS, fold
from foncier.vocabulary import EXPORT_ONLY_HEADERS, FIELD_LABELS

Kind = Literal["premises", "actors", "needs"]
KINDS: tuple[Kind, ...] = ("premises", "actors", "needs")
KIND_NAMES: dict[Kind, str] = {"premises": "locaux", "actors": "acteurs", "needs": "besoins"}

# Words that qualify a header without changing what it holds: units, tax and charge notes,
# coordinate systems. Headers and synonyms both lose them before they are compared.
_QUALIFIERS = frozenset(
    fold(
        "m² m2 m mètres meters sqm € eur euros an annuel annuelle year yearly per par "
        "HT HC HTVA TVA VAT utile SU "
        "Lambert 93 L93 RGF93 WGS84 WGS 84 EPSG 2154 4326 degrés décimaux interne"
    ).split()
)
# Phrases, not words: « Charges » alone is a field, « hors charges » a qualifier.
_QUALIFYING_PHRASES = re.compile(
    rf"\b(?:{fold('hors')}|excl|excluding) (?:{fold('charges')}|{fold('taxes')}|tax)\b"
)

# Location fields shared by the three kinds: WGS84 lon/lat, or projected x/y.
_LOCATION: dict[str, str] = {
    "adresse": "adresse|adresse postale|adresse complète|localisation|lieu|address|street address",
    "lon": "longitude|lon|lng|long|coord lon",
    "lat": "latitude|lat|coord lat",
    "x": "x|coord x|coordonnée x|coordonnées x|easting",
    "y": "y|coord y|coordonnée y|coordonnées y|northing",
}
# Fields an export writes and a re-import reads back, matched by their own name only.
_EXTRA: dict[Kind, dict[str, str]] = {
    "premises": {
        "source": "source des références",
        "parent_id": "site parent",
        "friche_id": "friche|site cartofriches",
        "hors_metropole_confirme": "hors métropole confirmé",
    },
    "actors": {
        "source": "source des références",
        "archive": "archivé|archived",
        "hors_metropole_confirme": "hors métropole confirmé",
    },
    "needs": {
        "source": "source des références",
        "acteur_id": "numéro d'acteur",
        "zone_souhaitee_wkt": "zone wkt",
        "zone_souhaitee": "zone souhaitée|zone dessinée|périmètre souhaité|wished area",
        "hors_metropole_confirme": "hors métropole confirmé",
    },
}
_REFERENCE = "référence|réf|ref|id|identifiant|code|numéro|n°|no|num|reference|identifier"

# Field → synonyms, French then English; the field name itself always matches too.
_SYNONYMS: dict[Kind, dict[str, str]] = {
    "premises": {
        "ref": f"{_REFERENCE}|référence du local|réf local|id local|premises id",
        "nom": "nom|nom du local|libellé|intitulé|désignation|name|title|premises name",
        "type_local": "type|type de local|type local|nature|nature du local|usage"
        "|type of premises|premises type|property type",
        "statut": "statut|état|statut du local|status|state",
        "origine": "origine|provenance|mode de gestion|origin",
        "surface_m2": "surface|surface totale|superficie|surface du local|floor area|area"
        "|surface area|size",
        "divisible": "divisible|divisible en lots|divisibilité|can be divided|splittable",
        "surface_lot_min_m2": "surface lot min|surface minimale d'un lot|surface min lot"
        "|lot minimum|plus petit lot|minimum lot size|min lot area|smallest lot",
        "partageable": "partageable|partage possible|mutualisable|shareable|sharable|can be shared",
        "loyer_m2_an": "loyer|loyer solidaire|loyer proposé|loyer au m²|rent|annual rent"
        "|rent per sqm",
        "loyer_marche_m2_an": "loyer marché|loyer de marché|loyer du marché"
        "|loyer de référence|market rent",
        "prix_vente_m2": "prix de vente|prix vente|prix|sale price|selling price"
        "|asking price|price",
        "charges_m2_an": "charges|charges locatives|charges annuelles|service charges",
        "disponible_le": "date de disponibilité|disponibilité|disponible à partir du"
        "|disponible le|disponible dès|date disponible|libre le|libre à partir du"
        "|available from|availability date|availability|date available",
        "disponible_jusqu_au": "disponible jusqu'au|jusqu'au|date de fin|fin de disponibilité"
        "|fin|available until|available to|end date",
        "acces_pmr": "accès PMR|PMR|accessible PMR|accessibilité PMR|accessibilité"
        "|step-free access|wheelchair access|wheelchair accessible|accessible|accessibility",
        "rez_de_chaussee": "rez-de-chaussée|RDC|en rez-de-chaussée|plain-pied|ground floor",
        "acces_livraison": "accès livraison|livraison|quai de livraison|quai|loading access"
        "|loading bay|loading dock|delivery access",
        "stationnement": "stationnement|parking|places de stationnement|places de parking|car park",
        "categorie_erp": "catégorie ERP|ERP|classement ERP|ERP category",
        "classe_energie": "classe énergie|classe énergétique|DPE|classe DPE|étiquette énergie"
        "|étiquette DPE|energy class|energy rating|energy label|EPC|EPC rating",
        "description": "description|descriptif|commentaire|remarques|observations|notes"
        "|comment|details",
    },
    "actors": {
        "ref": f"{_REFERENCE}|référence de l'acteur|réf acteur|id acteur|actor id",
        "nom": "nom|raison sociale|dénomination|nom de la structure|structure|organisation"
        "|acteur|name|organization|organisation name|company name",
        "siren": "SIREN|numéro SIREN|n° SIREN|SIREN number",
        "siret": "SIRET|numéro SIRET|n° SIRET|SIRET number",
        "forme_juridique": "forme juridique|statut juridique|forme|legal form|legal status"
        "|legal structure",
        "agrement_esus": "agrément ESUS|ESUS|agréé ESUS|agrément|ESUS approval|ESUS approved"
        "|ESUS certified",
        "filiere": "filière|secteur|secteur d'activité|domaine|thématique|sector|industry",
        "stade": "stade|stade de développement|maturité|phase|stage|development stage|maturity",
        "effectif": "effectif|salariés|nombre de salariés|nb salariés|headcount"
        "|employees|staff|number of employees",
        "emplois_prevus": "emplois prévus|emplois à créer|créations d'emplois|jobs planned"
        "|planned jobs|jobs to create|new jobs",
        "contact_nom": "contact|nom du contact|contact nom|référent|interlocuteur"
        "|contact name|contact person",
        "contact_email": "email|e-mail|mail|courriel|adresse email|adresse mail"
        "|contact email|email contact",
        "contact_telephone": "téléphone|tél|portable|mobile|phone|phone number"
        "|contact téléphone|numéro de téléphone",
    },
    "needs": {
        "ref": f"{_REFERENCE}|référence du besoin|réf besoin|id besoin|need id",
        "acteur_ref": "acteur|référence acteur|réf acteur|id acteur|identifiant acteur"
        "|structure|porteur|actor|actor ref|actor id|organisation|SIREN|SIRET"
        "|SIREN de l'acteur|SIRET de l'acteur|SIREN acteur|SIRET acteur",
        "intitule": "intitulé|titre|libellé|objet|nom du besoin|besoin|nom|title|name|need",
        "statut": "statut|état|statut du besoin|status|state",
        "types_acceptes": "types acceptés|types de locaux|type de local|type|types de locaux"
        " recherchés|local recherché|accepted types|premises types|premises type"
        "|type of premises|property types",
        "modes_occupation": "modes d'occupation|mode d'occupation|occupation|mode|modalité"
        "|tenure|tenure type",
        "surface_min_m2": "surface min|surface minimale|surface minimum|surface mini"
        "|min surface|minimum area|min area|min floor area|minimum floor area",
        "surface_max_m2": "surface max|surface maximale|surface maximum|surface maxi"
        "|max surface|maximum area|max area|max floor area|maximum floor area",
        "budget_loyer_m2_an": "budget loyer|loyer max|loyer maximum|loyer cible|budget"
        "|max rent|maximum rent|rent budget",
        "budget_achat_m2": "budget achat|budget acquisition|prix max|prix d'achat max"
        "|purchase budget|max price|maximum price",
        "communes_souhaitees": "communes souhaitées|communes|commune|codes INSEE|code INSEE"
        "|localisation souhaitée|towns|municipalities|preferred communes",
        "distance_max_m": "distance max|distance maximale|rayon|rayon de recherche"
        "|max distance|maximum distance|radius",
        "emmenagement_au_plus_tot": "emménagement au plus tôt|date d'emménagement"
        "|emménagement|date d'entrée souhaitée|date d'entrée|à partir du|move-in date"
        "|move in|earliest move-in",
        "emmenagement_au_plus_tard": "emménagement au plus tard|au plus tard|date limite"
        "|date butoir|latest move-in|deadline",
        "criteres_obligatoires": "critères obligatoires|critères indispensables|obligatoire"
        "|indispensable|exigences|must-have|must have|requirements|required features",
        "criteres_souhaites": "critères souhaités|critères facultatifs|critères secondaires"
        "|souhaits|souhaité|facultatif|nice-to-have|nice to have|wishes|preferred features",
        "partage_accepte": "partage accepté|partage|accepte le partage|mutualisation"
        "|partage possible|open to sharing|sharing",
        "emplois_accueillis": "emplois accueillis|emplois|nombre d'emplois|postes|jobs|jobs hosted",
    },
}


def header_key(header: str) -> str:
    """How a header is compared: folded, without qualifiers and stopwords (if words remain)."""
    words = _QUALIFYING_PHRASES.sub(" ", fold(header)).split()
    kept = [word for word in words if word not in _QUALIFIERS and word not in STOPWORDS]
    return " ".join(kept or words)


def fields(kind: Kind) -> tuple[str, ...]:
    """The fields a file of this kind can fill, in the order a form would show them."""
    return (*_SYNONYMS[kind], *_EXTRA[kind], *_LOCATION)


@cache
def _synonym_index(kind: Kind) -> dict[str, str]:
    """Header key → field; a key two fields claim is a bug in the tables above."""
    index: dict[str, str] = {}
    for field, synonyms in {**_SYNONYMS[kind], **_EXTRA[kind], **_LOCATION}.items():
        for synonym in (field, *synonyms.split("|")):
            key = header_key(synonym.replace("_", " "))
            if index.setdefault(key, field) != field:
                raise RuntimeError(f"synonyme {synonym!r} ambigu pour les {KIND_NAMES[kind]}")
    return index


def map_headers(headers: Iterable[str], kind: Kind) -> dict[str, str | None]:
    """The field each header fills, or None for a header this import ignores.

    A header named exactly as a field wins that field over synonyms (an exported file has
    both ``id`` and ``ref``, ``nature`` and ``type_local``): the others are then ignored.
    """
    index, labels = _synonym_index(kind), _label_index(kind)
    mapping: dict[str, str | None] = {
        header: labels[header.strip().casefold()]
        if header.strip().casefold() in labels
        else index.get(header_key(header))
        for header in headers
    }
    exact = {field for header, field in mapping.items() if field and _is_name(header, field)}
    return {
        header: None if field in exact and not _is_name(header, field) else field
        for header, field in mapping.items()
    }


def _is_name(header: str, field: str) -> bool:
    return header.strip().casefold() == field


@cache
def _label_index(kind: Kind) -> dict[str, str | None]:
    """Exact French labels (the export's headers) → field; an exported column no import reads
    (« Identifiant interne ») → None."""
    known = set(fields(kind))
    index: dict[str, str | None] = {
        label.casefold(): field for field, label in FIELD_LABELS.items() if field in known
    }
    return index | {header.casefold(): None for header in EXPORT_ONLY_HEADERS.values()}


def mapping_problems(mapping: Mapping[str, str | None], kind: Kind) -> list[str]:
    """Every reason the mapping cannot be used, in French: unknown fields, fields mapped twice."""
    known = set(fields(kind))
    problems = [
        f"« {field} » n'est pas un champ des {KIND_NAMES[kind]} (colonne « {header} ») : "
        f"champs permis : {', '.join(fields(kind))}."
        for header, field in mapping.items()
        if field is not None and field not in known
    ]
    by_field: dict[str, list[str]] = {}
    for header, field in mapping.items():
        if field is not None:
            by_field.setdefault(field, []).append(header)
    problems += [
        f"Les colonnes {' et '.join(f'« {header} »' for header in headers)} correspondent "
        f"toutes au champ « {field} » : gardez-en une seule ou corrigez la correspondance."
        for field, headers in by_field.items()
        if len(headers) > 1
    ]
    return problems


def resolve_mapping(
    headers: list[str], kind: Kind, corrections: Mapping[str, str | None] | None = None
) -> dict[str, str | None]:
    """The automatic mapping with the user's corrections applied; raises if unusable."""
    strangers = [header for header in corrections or {} if header not in headers]
    if strangers:
        named = ", ".join(f"« {header} »" for header in strangers)
        raise InvalidInput(
            f"La correspondance nomme des colonnes absentes du fichier : {named} ; "
            f"colonnes du fichier : {', '.join(headers)}."
        )
    mapping = {**map_headers(headers, kind), **(corrections or {})}
    problems = mapping_problems(mapping, kind)
    if problems:
        raise InvalidInput(" ".join(problems))
    return mapping

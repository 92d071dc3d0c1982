"""Cells as people type them in French spreadsheets, parsed into typed values.

Every parser takes a cell as text or as a typed XLSX value, returns None for an empty cell, and
raises ``CellError`` with a French message that quotes the value and says what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import shapely.geometry
import shapely.wkt
from shapely.geometry.base import BaseGeometry

from foncier.french import NUMBER_EXAMPLES, fold, read_number
from foncier.vocabulary import (
    VALUE_LABELS,
    ClasseEnergie,
    Equipement,
    FormeJuridique,
    ModeOccupation,
    OrigineLocal,
    Stade,
    StatutBesoin,
    StatutLocal,
    TypeLocal,
)

T = TypeVar("T")


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value; ``str()`` is the French text."""


def quote(cell: Any) -> str:
    return f"« {cell} »"


# What people write in a cell they cannot fill; it means missing, not a wrong value.
_PLACEHOLDERS = frozenset({"", "-", "–", "—", "/", "?", "n/a", "nc", "n.c.", "nr", "n.r."})


def is_empty(cell: Any) -> bool:
    return (
        cell is None
        or (isinstance(cell, str) and cell.strip().casefold() in _PLACEHOLDERS)
        or (isinstance(cell, float) and math.isnan(cell))
    )


# ---- Text folding: how labels and headers are compared -----------------------------------


def parse_text(cell: Any) -> str | None:
    """Text as typed; a whole number typed in XLSX (a reference, a code) loses its ``.0``."""
    if is_empty(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def parse_wkt(cell: Any) -> BaseGeometry | None:
    """A polygon written as WKT, or as a GeoJSON object (as exports write wished zones)."""
    if is_empty(cell):
        return None
    try:
        if isinstance(cell, dict):
            geometry = shapely.geometry.shape(cell)
        else:
            geometry = shapely.wkt.loads(str(cell))
    except (shapely.errors.ShapelyError, KeyError, TypeError, ValueError, AttributeError):
        raise CellError(f"{quote(cell)} n'est pas une géométrie WKT ou GeoJSON.") from None
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise CellError(f"{quote(cell)} : attendu un polygone (POLYGON ou MULTIPOLYGON).")
    return geometry


# ---- Numbers ------------------------------------------------------------------------------


def parse_number(cell: Any) -> float | None:
    """A decimal number: comma or point, grouped thousands, an optional neutral unit."""
    if is_empty(cell):
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    try:
        return read_number(str(cell))
    except ValueError:
        raise CellError(
            f"{quote(str(cell).strip())} n'est pas un nombre : {NUMBER_EXAMPLES}."
        ) from None


def parse_integer(cell: Any) -> int | None:
    try:
        number = parse_number(cell)
    except CellError:
        number = math.nan  # not even a number: the message below says what the column wants
    if number is None:
        return None
    if not number.is_integer():
        raise CellError(f"{quote(cell)} n'est pas un nombre entier : attendu par exemple 12.")
    return int(number)


# ---- Booleans -----------------------------------------------------------------------------

_TRUE = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x", "ok", "✓", "✔", "☑"})
_FALSE = frozenset({"non", "n", "no", "faux", "false", "0", "✗", "✘", "☐"})


def parse_boolean(cell: Any) -> bool | None:
    """Yes or no; an empty cell is missing (the store applies its default)."""
    if is_empty(cell):
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    text = str(cell).strip()
    word = fold(text) or text
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(
        f"{quote(text)} n'est pas une réponse oui/non : valeurs permises : oui, non "
        "(ou yes/no, vrai/faux, 1/0, x pour une case cochée, vide si inconnu)."
    )


# ---- Dates --------------------------------------------------------------------------------

_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(
    rf"^(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}}|\d{{2}}){_TIME}$"
)
_ISO_DATE = re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIALS = range(25569, 73051)  # 1970 to 2100: a typed number beyond is no date
DATE_FORMATS = "jj/mm/aaaa, jj/mm/aa, jj-mm-aaaa, aaaa-mm-jj"


def parse_date(cell: Any) -> date | None:
    """A calendar date: typed in XLSX, day first as the French write it, or ISO 8601."""
    if is_empty(cell):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _excel_serial_date(cell)
    text = str(cell).strip()
    match = _DAY_FIRST.match(text) or _ISO_DATE.match(text)
    if match is None:
        raise CellError(
            f"{quote(text)} n'est pas une date reconnue : formats permis : {DATE_FORMATS}."
        )
    year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
    try:
        return date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        raise CellError(
            f"{quote(text)} n'est pas une date qui existe : vérifiez le jour et le mois "
            f"(formats permis : {DATE_FORMATS})."
        ) from None


def _excel_serial_date(serial: float) -> date:
    if int(serial) not in _EXCEL_SERIALS:
        raise CellError(f"{quote(serial)} n'est pas une date : formats permis : {DATE_FORMATS}.")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


# ---- Closed lists -------------------------------------------------------------------------

# The first alias of each member is its French label, the one error messages list; `fold`
# makes every alias match any case, accent and plural, so only distinct words are listed.
_ALIASES: dict[StrEnum, str] = {
    TypeLocal.BUREAU: "bureau|office|espace de bureaux|tertiaire",
    TypeLocal.ACTIVITE: "activité|local d'activité|atelier|workshop|artisanat"
    "|local artisanal|craft|light industrial|activity premises",
    TypeLocal.COMMERCE: "commerce|local commercial|boutique|magasin|shop|retail|store",
    TypeLocal.STOCKAGE: "stockage|entrepôt|dépôt|local de stockage|logistique|storage|warehouse",
    TypeLocal.TIERS_LIEU: "tiers-lieu|coworking|co-working|espace partagé|lieu partagé"
    "|shared space|third place",
    TypeLocal.TERRAIN: "terrain|terrain nu|parcelle|land|plot",
    StatutLocal.DISPONIBLE: "disponible|libre|vacant|available|free",
    StatutLocal.SOUS_OPTION: "sous option|option|optionné|under option|on hold",
    StatutLocal.RESERVE: "réservé|reserved|booked",
    StatutLocal.OCCUPE: "occupé|loué|occupied|let|leased|rented",
    StatutLocal.RETIRE: "retiré|retiré du marché|withdrawn|off market",
    OrigineLocal.FONCIERE: "foncière|foncière solidaire|propriété de la foncière|owned",
    OrigineLocal.MANDAT: "mandat de gestion|mandat|gestion|management mandate|managed",
    OrigineLocal.PARTENAIRE: "partenaire|bailleur partenaire|partner",
    OrigineLocal.OPERATION: "opération d'aménagement|opération|aménagement|ZAC"
    "|development operation|urban development",
    OrigineLocal.FRICHE: "friche|friche sans projet|brownfield",
    ModeOccupation.LOCATION: "location|louer|loyer|bail|rent|rental|lease|renting|leasing",
    ModeOccupation.ACHAT: "achat|acheter|acquisition|vente|purchase|buy|buying|sale",
    ModeOccupation.OCCUPATION_TEMPORAIRE: "occupation temporaire|temporaire|occupation précaire"
    "|convention d'occupation précaire|urbanisme transitoire|temporary occupation|temporary"
    "|temporary use|meanwhile use",
    FormeJuridique.ASSOCIATION: "association|asso|association loi 1901|loi 1901"
    "|association 1901|non-profit|nonprofit|not for profit|charity",
    FormeJuridique.FONDATION: "fondation|foundation",
    FormeJuridique.MUTUELLE: "mutuelle|mutual|mutual society",
    FormeJuridique.SCOP: "SCOP|société coopérative et participative"
    "|société coopérative ouvrière de production|worker cooperative|worker coop",
    FormeJuridique.SCIC: "SCIC|société coopérative d'intérêt collectif"
    "|multi-stakeholder cooperative",
    FormeJuridique.COOPERATIVE: "autre coopérative|coopérative|coop|CAE"
    "|coopérative d'activité et d'emploi|cooperative|other cooperative",
    FormeJuridique.SOCIETE_ESUS: "société commerciale ESUS|société ESUS|entreprise ESUS|ESUS"
    "|SAS ESUS|SARL ESUS|entreprise sociale|ESUS company|social enterprise",
    Stade.EMERGENCE: "émergence|en émergence|création|amorçage|emerging|early stage|start-up|seed",
    Stade.DEVELOPPEMENT: "développement|en développement|croissance|development|growth",
    Stade.CHANGEMENT_ECHELLE: "changement d'échelle|scaling up|scale-up|scaling|essaimage",
    StatutBesoin.OUVERT: "ouvert|en cours|en recherche|actif|open|active",
    StatutBesoin.EN_PROPOSITION: "en proposition|proposition|proposé|proposed|proposal",
    StatutBesoin.SATISFAIT: "satisfait|pourvu|logé|relogé|satisfied|fulfilled|met|housed",
    StatutBesoin.ABANDONNE: "abandonné|annulé|sans suite|abandoned|cancelled|canceled|dropped",
    **{grade: f"{grade}|classe {grade}|DPE {grade}|étiquette {grade}" for grade in ClasseEnergie},
    Equipement.ACCES_PMR: "accès PMR|PMR|accessible PMR|accessibilité PMR|accessibilité"
    "|accessible|step-free access|step-free|wheelchair access|wheelchair accessible",
    Equipement.REZ_DE_CHAUSSEE: "rez-de-chaussée|RDC|plain-pied|de plain-pied|ground floor",
    Equipement.ACCES_LIVRAISON: "accès livraison|livraison|quai de livraison|quai"
    "|loading access|loading bay|loading dock|delivery access|delivery",
    Equipement.STATIONNEMENT: "stationnement|parking|place de parking|car park|parking space",
    Equipement.ERP: "ERP|établissement recevant du public|accueil du public|recevant du public"
    "|open to the public|public access",
}
_WHAT: dict[type[StrEnum], str] = {
    TypeLocal: "un type de local connu",
    StatutLocal: "un statut de local connu",
    OrigineLocal: "une origine de local connue",
    ModeOccupation: "un mode d'occupation connu",
    FormeJuridique: "une forme juridique connue",
    Stade: "un stade de développement connu",
    StatutBesoin: "un statut de besoin connu",
    ClasseEnergie: "une classe énergie connue",
    Equipement: "un équipement connu",
}
# Small words a label or a header may or may not carry: « local d'activité », « local activité ».
STOPWORDS = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "l", "la", "le", "les", "un", "une"}
    | {"the", "of"}
)


def _without_stopwords(key: str) -> str:
    return " ".join(word for word in key.split() if word not in STOPWORDS)


@dataclass(frozen=True)
class _AliasIndex:
    exact: dict[str, str]
    loose: dict[str, str]  # without stopwords; a loose key two values share is left out

    def find(self, text: str) -> str | None:
        key = fold(text)
        return self.exact.get(key) or self.loose.get(_without_stopwords(key))


@cache
def _alias_index(vocabulary: type[StrEnum]) -> _AliasIndex:
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    shared: set[str] = set()
    for member in vocabulary:
        label = VALUE_LABELS.get(member.value)
        spellings = (member.value, member.name, *_ALIASES[member].split("|"))
        for alias in (*spellings, *([label] if label else [])):
            key = fold(alias)
            if exact.setdefault(key, member.value) != member.value:
                raise RuntimeError(f"alias {alias!r} ambigu dans {vocabulary.__name__}")
            if loose.setdefault(_without_stopwords(key), member.value) != member.value:
                shared.add(_without_stopwords(key))
    return _AliasIndex(exact, {key: value for key, value in loose.items() if key not in shared})


def choice_labels(vocabulary: type[StrEnum]) -> list[str]:
    """The French labels of a closed list, in its order."""
    return [_ALIASES[member].split("|")[0] for member in vocabulary]


def parse_choice(cell: Any, vocabulary: type[StrEnum]) -> str | None:
    """A value of a closed list, recognised by its French or English label."""
    if is_empty(cell):
        return None
    text = parse_text(cell) or ""
    found = _alias_index(vocabulary).find(text)
    if found is None:
        allowed = ", ".join(choice_labels(vocabulary))
        raise CellError(
            f"{quote(text)} n'est pas {_WHAT[vocabulary]} : valeurs permises : {allowed}."
        )
    return found


# ---- Lists and identifiers ----------------------------------------------------------------

_LIST_SEPARATORS = re.compile(r"\s*(?:[,;/|+&\n]|\bet\b|\band\b)\s*", re.IGNORECASE)


def parse_list(cell: Any, item: Callable[[Any], T | None]) -> list[T] | None:
    """Items split on , ; / | or « et » / « and », each parsed; every bad item is reported."""
    if is_empty(cell):
        return None
    parts: Sequence[Any] = cell if isinstance(cell, list | tuple) else _split_items(cell)
    items: list[T] = []
    problems: list[str] = []
    for part in parts:
        try:
            value = item(part)
        except CellError as error:
            problems.append(str(error))
            continue
        if value is not None and value not in items:
            items.append(value)
    if problems:
        raise CellError(" ".join(problems))
    return items or None


def _split_items(cell: Any) -> list[str]:
    return _LIST_SEPARATORS.split(parse_text(cell) or "")


def parse_siren(cell: Any) -> str | None:
    return _identifier(cell, digits=9, name="SIREN")


def parse_siret(cell: Any) -> str | None:
    return _identifier(cell, digits=14, name="SIRET")


def _identifier(cell: Any, digits: int, name: str) -> str | None:
    text = parse_text(cell)
    if text is None:
        return None
    compact = re.sub(r"[\s.-]", "", text)
    if not re.fullmatch(rf"[0-9]{{{digits}}}", compact):
        raise CellError(f"{quote(text)} n'est pas un numéro {name} : {digits} chiffres attendus.")
    return compact


def parse_phone(cell: Any) -> str | None:
    """A phone number as text; a number typed in XLSX gets back the leading zero it lost."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        digits = str(int(cell))
        return f"0{digits}" if len(digits) == 9 else digits
    return parse_text(cell)

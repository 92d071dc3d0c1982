"""A database rule a write broke, told in French: never PostgreSQL's own text.

The schemas check every value before a write; these rules are the store's backstop, so their
messages name the rule in the users' words and the full error goes to the log.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from foncier.errors import Conflict, FoncierError, InvalidInput

UNIQUE, CHECK, FOREIGN_KEY, NOT_NULL = "23505", "23514", "23503", "23502"
DATA_EXCEPTION_CLASS = "22"  # a value out of range, too long, or of the wrong kind

# Check constraints by name (``ck_<table>_<name>`` in the store), in the users' words.
RULES: dict[str, str] = {
    "surface_positive": "la surface doit être positive",
    "lot_min": "le lot minimal ne peut pas dépasser la surface",
    "loyer_positif": "le loyer ne peut pas être négatif",
    "prix_positif": "le prix ne peut pas être négatif",
    "charges_positives": "les charges ne peuvent pas être négatives",
    "dates": "la date de fin ne peut pas précéder la date de début",
    "siren_format": "le SIREN compte 9 chiffres",
    "siret_format": "le SIRET compte 14 chiffres",
    "effectif_positif": "l'effectif ne peut pas être négatif",
    "emplois_positifs": "les emplois ne peuvent pas être négatifs",
    "surface_min_positive": "la surface minimale doit être positive",
    "surface_min_max": "la surface maximale ne peut pas être inférieure à la minimale",
    "budget_positif": "le budget ne peut pas être négatif",
    "budget_achat_positif": "le budget d'achat ne peut pas être négatif",
    "distance_positive": "la distance ne peut pas être négative",
    "types_non_vides": "au moins un type de local est requis",
    "un_plafond": "un plafond de loyer ou une part du marché est requis",
}


def sqlstate(error: DBAPIError) -> str:
    return str(getattr(error.orig, "sqlstate", "") or "")


def is_unique_violation(error: DBAPIError) -> bool:
    return sqlstate(error) == UNIQUE


def rule_broken(error: DBAPIError, what: str) -> FoncierError:
    """The error to show for a write of ``what`` ("Ce local") that broke a database rule."""
    state = sqlstate(error)
    diag = getattr(error.orig, "diag", None)
    constraint = str(getattr(diag, "constraint_name", "") or "")
    if state == UNIQUE:
        return Conflict(f"{what} existe déjà : sa référence est prise.", detail=str(error))
    if state == CHECK:
        rule = next((text for name, text in RULES.items() if constraint.endswith(name)), None)
        shown = rule or "une valeur sort des règles de cohérence"
        return InvalidInput(f"{what} n'a pas été enregistré : {shown}.", detail=str(error))
    if state == FOREIGN_KEY:
        return InvalidInput(
            f"{what} n'a pas été enregistré : il désigne une fiche qui n'existe pas.",
            detail=str(error),
        )
    if state == NOT_NULL:
        column = str(getattr(diag, "column_name", "") or "")
        return InvalidInput(
            f"{what} n'a pas été enregistré : un champ obligatoire manque ({column}).",
            detail=str(error),
        )
    return InvalidInput(
        f"{what} n'a pas été enregistré : une valeur est hors des limites permises.",
        detail=str(error),
    )

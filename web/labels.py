"""French labels of fields and values, for lists, detail pages and forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from foncier.accounts.roles import ROLE_LABELS
from foncier.accounts.rules import Paris
from foncier.vocabulary import FIELD_LABELS as FIELDS
from foncier.vocabulary import VALUE_LABELS as VALUES

# On a page, a linked record shows by its name, not its number as in the exports' headers.
PAGE_LABELS = {
    "acteur_id": "Acteur",
    "parent_id": "Site ou bâtiment parent",
}


def field_label(name: str) -> str:
    return PAGE_LABELS.get(name) or FIELDS.get(name, name.replace("_", " "))


# What a form's box says more than the field's name.
FORM_LABELS = {"ref": "Référence (vide : attribuée automatiquement)"}


def form_label(name: str) -> str:
    return FORM_LABELS.get(name, field_label(name))


def french_number(value: float | int | None, decimals: int = 0) -> str:
    """A number as French pages write it: 1 234,56 (narrow no-break space, decimal comma)."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def value_label(value: Any, lookup: dict[str, str] | None = None) -> str:
    """A value as a French reader expects it: oui/non, 1 234,5, lists joined; ``lookup``
    names the codes of a list kept in the database (sectors, legal forms, communes)."""
    if lookup and isinstance(value, str) and value in lookup:
        return lookup[value]
    if isinstance(value, list) and lookup:
        return ", ".join(value_label(v, lookup) for v in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", "\u202f").replace(".", ",")
    if isinstance(value, int):
        return french_number(value)
    if isinstance(value, list):
        return ", ".join(value_label(v) for v in value) or "—"
    if hasattr(value, "geom_type"):
        if value.geom_type != "Point":
            return str(value.geom_type)
        # Latitude ; longitude: the comma is the decimal mark, so a semicolon parts them.
        return f"{french_number(value.y, 5)} ; {french_number(value.x, 5)}"
    if isinstance(value, datetime):
        return paris_time(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    return VALUES.get(str(value), str(value))


SOURCES = {"demo": "jeu de démonstration", "saisie": "saisie dans l'application"}


def source_label(source: str | None) -> str:
    """Where a record comes from, said in words: « import du fichier locaux.csv »."""
    if not source:
        return "—"
    if source.startswith("import:"):
        return f"import du fichier {source.removeprefix('import:')}"
    return SOURCES.get(source, source)


def form_number(value: Any) -> Any:
    """A float as a French user types it back into a form box: 443988,2 (the schema reads
    the decimal comma); any other value as it is."""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    return value


def paris_time(moment: datetime | None) -> str:
    """A moment as the users live it, in Paris: stored in UTC, read as 30/11/2026 23:05."""
    if moment is None:
        return "—"
    local = moment.astimezone(Paris) if moment.tzinfo else moment
    return local.strftime("%d/%m/%Y %H:%M")


def author_label(author: str | None) -> str:
    """Who made a change, as a user reads it: an e-mail as is, the command line in words."""
    if not author:
        return "—"
    if author.startswith("cli:"):
        return f"ligne de commande ({author.removeprefix('cli:')})"
    if "@" in author:
        return author
    return f"traitement interne ({author})"  # a script or the database's own account


# The audit log's details, in words; roles by their labels.
DETAIL_LABELS = {
    "cible": "compte",
    "roles": "rôles",
    "avant": "rôles avant",
    "apres": "rôles après",
    "actif": "actif",
    "motif": "motif",
    "jeton": "jeton",
    "acteur": "acteur n°",
    "acteurs": "acteurs",
    "mois": "durée de conservation (mois)",
    "lignes_historique": "lignes d'historique effacées",
    "adresse_demandee": "adresse demandée",
}
ROLE_NAMES = {role.value: label for role, label in ROLE_LABELS.items()}


def audit_details(details: dict[str, Any]) -> str:
    """« rôles : Planificateur ; compte : x@y.fr », never the stored keys and lists."""
    return " ; ".join(
        f"{DETAIL_LABELS.get(key, key.replace('_', ' '))} : {value_label(value, ROLE_NAMES)}"
        for key, value in details.items()
    )

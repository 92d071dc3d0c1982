"""Reference lists the forms and filters offer: sectors, legal forms, communes, actors."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.errors import InvalidInput
from foncier.french import fold, french_sorted
from foncier.models import Acteur, Commune, Filiere, FormeJuridiqueRef

Choices = list[tuple[str, str]]


def communes(session: Session) -> Choices:
    return french_sorted((c.code_insee, c.nom) for c in session.scalars(select(Commune)))


_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def name_key(text: str) -> str:
    """How a name typed by hand is compared: any case, accents, hyphens, "St" for "Saint"."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def name_index(lookup: dict[str, str]) -> dict[str, str]:
    """Each entry of a list (code → label) under the keys of its code and its label."""
    index = {name_key(label): code for code, label in lookup.items()}
    return index | {name_key(code): code for code in lookup}


def code_of(lookup: dict[str, str], text: str, index: dict[str, str] | None = None) -> str | None:
    """The code of a list's entry given by its code or its label, typed any way; ``index``
    (from :func:`name_index`) spares building it again for each of many values."""
    if text in lookup:
        return text
    return (index if index is not None else name_index(lookup)).get(name_key(text))


# Filters whose codes live in the database (the list of the same name holds them).
_LISTED_FILTERS = ("commune_insee", "filiere", "forme_juridique")


def resolved_filters(session: Session, filters: dict[str, Any]) -> dict[str, Any]:
    """Filters on a listed value given by its label, any case or accents ("bordeaux",
    "Culture"), turned into the code the store holds; an unknown one matches nothing."""
    given = {name: filters[name] for name in _LISTED_FILTERS if filters.get(name)}
    if not given:
        return filters
    lists = display_lists(session)
    found = {name: code_of(lists[name], value) or value for name, value in given.items()}
    return {**filters, **found}


def choices(session: Session, kind: str) -> dict[str, Choices]:
    """Lists of a kind's form; priority sectors are marked, as the ESS plan favours them."""
    if kind == "actors":
        return {
            "filiere": french_sorted(
                (f.code, f"{f.libelle}{' (prioritaire)' if f.prioritaire else ''}")
                for f in session.scalars(select(Filiere))
            ),
            "forme_juridique": french_sorted(
                (f.code, f.libelle) for f in session.scalars(select(FormeJuridiqueRef))
            ),
        }
    if kind == "needs":
        actors = session.execute(select(Acteur.id, Acteur.nom).where(Acteur.archive.is_(False)))
        return {
            "acteur_id": french_sorted((str(i), nom) for i, nom in actors),
            "communes_souhaitees": communes(session),
        }
    return {}


def display_lists(session: Session) -> dict[str, dict[str, str]]:
    """Code → label of the lists that live in the database, by the field that holds them:
    what a page shows instead of ``services_personne`` or ``33063``."""
    names = dict(communes(session))
    return {
        "filiere": {f.code: f.libelle for f in session.scalars(select(Filiere))},
        "forme_juridique": {f.code: f.libelle for f in session.scalars(select(FormeJuridiqueRef))},
        "commune_insee": names,
        "communes_souhaitees": names,
    }


CODE = re.compile(r"^[a-z0-9_]{2,32}$")


def set_sector(session: Session, code: str, label: str, priority: bool, user: str) -> Filiere:
    """Add or change a sector; the Métropole's priority ones weigh in the matching."""
    _check_code_and_label(code, label)
    with transaction(session, user):
        sector = session.get(Filiere, code) or Filiere(code=code)
        sector.libelle, sector.prioritaire = label.strip(), priority
        session.add(sector)
    return sector


def set_legal_form(session: Session, code: str, label: str, user: str) -> FormeJuridiqueRef:
    _check_code_and_label(code, label)
    with transaction(session, user):
        form = session.get(FormeJuridiqueRef, code) or FormeJuridiqueRef(code=code)
        form.libelle = label.strip()
        session.add(form)
    return form


def _check_code_and_label(code: str, label: str) -> None:
    errors: dict[str, list[str]] = {}
    if not CODE.match(code):
        errors["code"] = [f"« {code} » : de 2 à 32 caractères parmi a-z, 0-9 et _."]
    if not label.strip() or len(label) > 200:
        errors["libelle"] = [f"« {label} » : un libellé de 1 à 200 caractères."]
    if errors:
        raise InvalidInput.from_errors(errors)

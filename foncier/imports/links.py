"""Cells that name other records as agents write them: a commune by its name or INSEE code, an
actor by its reference, SIREN or SIRET."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.models import Acteur
from foncier.registry.kinds import Link
from foncier.registry.lists import code_of, communes, name_index

_SEPARATORS = re.compile(r"[\s.-]")


class Communes:
    """The Métropole's communes, read once per import (a file has thousands of rows)."""

    def __init__(self, session: Session) -> None:
        self.names = dict(communes(session))
        self.index = name_index(self.names)

    def codes(self, field: str, items: list[str]) -> list[str]:
        """INSEE codes of communes given by code or name ("Saint-Médard-en-Jalles",
        "st medard en jalles", "33449"); every unknown one is named."""
        found = {item: code_of(self.names, item, self.index) for item in items}
        unknown = [item for item, code in found.items() if code is None]
        if unknown:
            raise InvalidInput.from_errors({field: [_unknown_communes(unknown)]})
        return list(dict.fromkeys(code for code in found.values() if code))


def _unknown_communes(unknown: list[str]) -> str:
    quoted = ", ".join(f"« {item} »" for item in unknown)
    # The message does not open on a quote: the import would put the whole cell in its place.
    return (
        f"Commune inconnue : {quoted} n'est ni le nom ni le code INSEE d'une commune de "
        "Bordeaux Métropole (par exemple « Bordeaux » ou « 33063 »)."
    )


def linked_id(session: Session, link: Link, ref: str, source: str) -> int:
    """The linked record with this reference, preferably from the same source; an actor may
    also be named by its SIREN or its SIRET, as agents' spreadsheets do."""
    model: Any = link.model
    found = session.execute(select(model.id, model.source).where(model.ref == ref)).all()
    if found:
        same = [record_id for record_id, record_source in found if record_source == source]
        return int(same[0] if same else found[0][0])
    if model is Acteur:
        by_number = _actor_by_number(session, link, ref)
        if by_number is not None:
            return by_number
    what = "cette référence, ce SIREN ou ce SIRET" if model is Acteur else "cette référence"
    raise InvalidInput.from_errors(
        {
            link.ref_field: [
                f"« {ref} » : aucun {link.label} ne porte {what} ; "
                f"importez d'abord les {link.label}s."
            ]
        }
    )


def _actor_by_number(session: Session, link: Link, text: str) -> int | None:
    """A SIRET (14 digits) names one establishment, its first 9 digits the SIREN; a SIREN
    shared by several actors is ambiguous and said so."""
    digits = _SEPARATORS.sub("", text)
    if not (digits.isdigit() and len(digits) in (9, 14)):
        return None
    if len(digits) == 14:
        exact = session.scalars(select(Acteur.id).where(Acteur.siret == digits)).all()
        if len(exact) == 1:
            return int(exact[0])
    rows = session.execute(select(Acteur.id, Acteur.ref).where(Acteur.siren == digits[:9])).all()
    if len(rows) > 1:
        refs = ", ".join(sorted(ref for _, ref in rows))
        raise InvalidInput.from_errors(
            {
                link.ref_field: [
                    f"« {text} » : plusieurs acteurs portent ce SIREN ({refs}) ; "
                    "donnez leur référence ou leur SIRET."
                ]
            }
        )
    return int(rows[0][0]) if rows else None

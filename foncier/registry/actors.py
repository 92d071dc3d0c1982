"""The ESS actors registry: organisations, placed by their address, known by SIREN/SIRET."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from foncier.models import Acteur, Filiere, FormeJuridiqueRef
from foncier.registry import _store
from foncier.registry.kind import Errors, Kind, Values
from foncier.schemas.registry import ActeurSchema


def _rules(r: Values, errors: Errors) -> None:
    """The fields tied together, checked on the merged record."""
    siren, siret = r.get("siren"), r.get("siret")
    if siren and siret and not siret.startswith(siren):
        errors.setdefault("siret", []).append(
            f"« {siret} » : un SIRET commence par le SIREN de l'acteur ({siren})."
        )


def _references(session: Session, values: Values, errors: Errors) -> None:
    _store.known(session, Filiere.code, values.get("filiere"), "filiere", errors)
    forme = values.get("forme_juridique")
    _store.known(session, FormeJuridiqueRef.code, forme, "forme_juridique", errors)


def _filter(query: Select[Any], f: Values) -> Select[Any]:
    found = [
        getattr(Acteur, name) == f[name]
        for name in ("filiere", "stade", "forme_juridique")
        if f.get(name)
    ]
    if f.get("archive") is not None:
        found.append(Acteur.archive.is_(f["archive"]))
    return query.where(*found)


ACTORS = Kind(
    name="actors",
    label="acteur",
    model=Acteur,
    schema=ActeurSchema,
    ref_prefix="A",
    withdrawn=("archive", True),
    segment="acteurs",
    title="Acteurs ESS",
    check_rules=_rules,
    check_references=_references,
    filter=_filter,
    identity=("siret", "siren"),
)

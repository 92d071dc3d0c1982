"""Create, read, update and withdraw premises, actors and needs.

Each use case validates (fields, then the rules between fields, then references and
location), writes in one transaction, and returns the record as plain values. Nothing is
half-written: any error rolls the whole use case back.
"""

from __future__ import annotations

from typing import Any

from shapely import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from foncier.accounts.privacy import redact
from foncier.db import transaction
from foncier.db.violations import is_unique_violation, rule_broken
from foncier.errors import Conflict, InvalidInput, NotFound
from foncier.geocoding import AddressLocator, GeocodingUnavailable
from foncier.models import Historique
from foncier.registry import _store
from foncier.registry.filters import Page, apply_filters
from foncier.registry.kind import Kind
from foncier.registry.lists import resolved_filters
from foncier.registry.ordering import ordered
from foncier.schemas.fields import MAX_INTEGER, load
from foncier.vocabulary import DEMO_SOURCE, Geocodage


def create(
    session: Session,
    kind: Kind,
    payload: Any,
    user: str,
    geocoder: AddressLocator | None = None,
) -> dict[str, Any]:
    with transaction(session, user):
        return create_in(session, kind, payload, geocoder)


def create_in(
    session: Session, kind: Kind, payload: Any, geocoder: AddressLocator | None
) -> dict[str, Any]:
    """Create inside the caller's transaction (imports run many in one)."""
    values = load(kind.schema(), payload)
    values.pop("version", None)
    if values.get("source") == DEMO_SOURCE:
        raise InvalidInput.from_errors(
            {
                "source": [
                    f"« {DEMO_SOURCE} » est réservée au jeu de démonstration (foncier demo clear "
                    "supprime ses fiches) : choisissez une autre source."
                ]
            }
        )
    _locate(session, kind, values, values, geocoder)
    _validate(session, kind, values)
    record = kind.model()
    if not values.get("ref"):
        values["ref"] = _store.new_ref(kind)
    _store.assign(record, values)
    session.add(record)
    _flush(session, kind, values)
    session.refresh(record)
    return _store.values_of(record)


def get(session: Session, kind: Kind, record_id: int) -> dict[str, Any]:
    return _store.values_of(_fetch(session, kind, record_id))


def get_many(session: Session, kind: Kind, record_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Several records in one query, by id (those that exist)."""
    model: Any = kind.model
    found = session.scalars(select(model).where(model.id.in_(record_ids)))
    return {int(record.id): _store.values_of(record) for record in found}


def update(
    session: Session,
    kind: Kind,
    record_id: int,
    payload: Any,
    user: str,
    geocoder: AddressLocator | None = None,
) -> dict[str, Any]:
    """Apply the changed fields; ``version`` must be the one the user read (else 409)."""
    with transaction(session, user):
        record = _fetch(session, kind, record_id, lock=True)
        return update_in(session, kind, record, payload, geocoder)


def update_in(
    session: Session, kind: Kind, record: Any, payload: Any, geocoder: AddressLocator | None
) -> dict[str, Any]:
    """Update inside the caller's transaction; returns the record, unchanged if nothing was."""
    loaded = load(kind.schema(), payload, partial=True)
    # Only what the user sent: a PATCH must not reset the other fields to their defaults.
    changes = {k: v for k, v in loaded.items() if isinstance(payload, dict) and k in payload}
    _check_version(kind, record, changes.pop("version", None))
    current = _store.values_of(record)
    _check_editable(kind, current, changes)
    if "geometry" in changes and not _differs(changes["geometry"], current["geometry"]):
        del changes["geometry"]  # the form sends the point back unchanged: keep how it was found
    if "geometry" not in changes and _moves(kind, changes, current):
        current["geometry"] = None  # placed again: new address, new wished zone or new actor
    merged = {**current, **changes}
    _locate(session, kind, merged, changes, geocoder)
    _check_transition(kind, current, merged)
    _validate(session, kind, merged)
    _store.assign(record, {k: v for k, v in merged.items() if _differs(v, current.get(k))})
    _flush(session, kind, merged)
    session.refresh(record)
    return _store.values_of(record)


def _moves(kind: Kind, changes: dict[str, Any], current: dict[str, Any]) -> bool:
    """Whether a change moves what the point is derived from."""
    return any(k in changes and _differs(changes[k], current.get(k)) for k in kind.point_sources)


def _differs(new: Any, old: Any) -> bool:
    """Geometries come back from Lambert-93 with float noise: 1e-7° (1 cm) is the same point."""
    if isinstance(new, BaseGeometry) and isinstance(old, BaseGeometry):
        return not new.equals_exact(old, 1e-7)
    return bool(new != old)


def withdraw(
    session: Session, kind: Kind, record_id: int, version: int | None, user: str
) -> dict[str, Any]:
    """The soft delete: premises are withdrawn, needs abandoned, actors archived."""
    field, value = kind.withdrawn
    return update(session, kind, record_id, {field: value, "version": version}, user)


def search(
    session: Session, kind: Kind, filters: dict[str, Any], page: Page
) -> tuple[int, list[dict[str, Any]]]:
    filters = resolved_filters(session, filters)
    query = apply_filters(kind, select(kind.model), filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = ordered(session, kind, query, filters.get("tri"))
    rows = session.scalars(query.offset(page.offset).limit(page.size))
    return total, _store.values_of_many(list(rows))


def history(session: Session, kind: Kind, record_id: int) -> list[dict[str, Any]]:
    """Who changed what and when, oldest first, with the changed fields only."""
    _fetch(session, kind, record_id)
    entries = session.scalars(
        select(Historique)
        .where(Historique.table_name == kind.model.__tablename__)
        .where(Historique.record_id == str(record_id))
        .order_by(Historique.id)
    )
    return [_change(session, entry) for entry in entries]


def _change(session: Session, entry: Historique) -> dict[str, Any]:
    before = redact(session, entry.table_name, entry.avant or {})
    after = redact(session, entry.table_name, entry.apres or {})
    changed = sorted(
        k for k in {*before, *after} - {"updated_at", "version"} if before.get(k) != after.get(k)
    )
    return {
        "action": entry.action,
        "utilisateur": entry.utilisateur,
        "horodatage": entry.horodatage,
        "champs": {k: {"avant": before.get(k), "apres": after.get(k)} for k in changed},
    }


def _fetch(session: Session, kind: Kind, record_id: int, lock: bool = False) -> Any:
    in_range = 0 < record_id <= MAX_INTEGER
    record = session.get(kind.model, record_id, with_for_update=lock) if in_range else None
    if record is None:
        raise NotFound(f"Aucun {kind.label} ne porte le numéro « {record_id} ».")
    return record


def _check_version(kind: Kind, record: Any, version: int | None) -> None:
    if version is None:
        raise InvalidInput.from_errors(
            {"version": ["Obligatoire pour modifier : la version de la fiche que vous avez lue."]}
        )
    if version != record.version:
        raise Conflict(
            f"Ce {kind.label} a été modifié entre-temps (version {record.version}, vous aviez "
            f"la version {version}) : rechargez-le ; rien n'a été enregistré."
        )


def _check_editable(kind: Kind, current: dict[str, Any], changes: dict[str, Any]) -> None:
    """Changes that used to pass silently: editing a withdrawn record, erasing a point."""
    field, value = kind.withdrawn
    stays_withdrawn = current.get(field) == value and changes.get(field, value) == value
    if stays_withdrawn and any(_differs(v, current.get(k)) for k, v in changes.items()):
        raise Conflict(
            f"Ce {kind.label} est retiré ({field} : {value}) : rétablissez-le d'abord en"
            f" changeant « {field} » ; rien n'a été enregistré."
        )
    if "geometry" in changes and changes["geometry"] is None and current.get("geometry"):
        raise InvalidInput.from_errors(
            {
                "geometry": [
                    f"« null » effacerait la localisation de ce {kind.label} sans la remplacer :"
                    " donnez un autre point, ou omettez « geometry » pour garder celui-ci."
                ]
            }
        )


def _check_transition(kind: Kind, current: dict[str, Any], merged: dict[str, Any]) -> None:
    if kind.transitions is None or merged.get("statut") == current.get("statut"):
        return
    allowed = kind.transitions[current["statut"]]
    if merged["statut"] not in allowed:
        names = ", ".join(sorted(str(s) for s in allowed))
        raise InvalidInput.from_errors(
            {
                "statut": [
                    f"« {merged['statut']} » : depuis « {current['statut']} », un {kind.label} "
                    f"peut passer à : {names}."
                ]
            }
        )


def _locate(
    session: Session,
    kind: Kind,
    values: dict[str, Any],
    changes: dict[str, Any],
    geocoder: AddressLocator | None,
) -> None:
    """The point: typed or placed by the user, else geocoded from the address, else (for a
    need) the centre of its wished zone or its actor's point."""
    if changes.get("geometry") is not None:
        values.update(geocodage=Geocodage.SAISI, geocodage_label=None, geocodage_score=None)
    elif values.get("geometry") is not None:
        return
    elif not kind.geocoded:
        kind.place(session, values)
    elif values.get("adresse"):
        _geocode(values, geocoder)


def _geocode(values: dict[str, Any], geocoder: AddressLocator | None) -> None:
    """A geocoder outage never blocks saving: the record waits as "à géocoder"."""
    values.update(geocodage=Geocodage.A_GEOCODER, geocodage_label=None, geocodage_score=None)
    if geocoder is None:
        return
    try:
        found = geocoder.geocode(values["adresse"])
    except GeocodingUnavailable:
        return
    except InvalidInput:  # an address the BAN would refuse: a user places the point
        values["geocodage"] = Geocodage.A_CONFIRMER
        return
    if found is None:
        values["geocodage"] = Geocodage.A_CONFIRMER
        return
    values.update(
        geometry=Point(found.lon, found.lat),
        geocodage=Geocodage.A_CONFIRMER if found.needs_confirmation else Geocodage.BAN,
        geocodage_label=found.label,
        geocodage_score=found.score,
    )


def _validate(session: Session, kind: Kind, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    kind.check_rules(values, errors)
    kind.check_references(session, values, errors)
    _store.check_location(session, values, errors)
    if errors:
        raise InvalidInput.from_errors(errors)


def _flush(session: Session, kind: Kind, values: dict[str, Any]) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"Ce {kind.label} a été modifié entre-temps : rechargez-le ; rien n'a été enregistré."
        ) from None
    except (IntegrityError, DataError) as error:
        if is_unique_violation(error):
            raise Conflict(
                f"La référence « {values.get('ref')} » existe déjà pour la source "
                f"« {values.get('source')} » : un {kind.label} la porte déjà."
            ) from None
        raise rule_broken(error, f"Ce {kind.label}") from None

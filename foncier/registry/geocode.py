"""Retry the records a geocoder outage left "à géocoder"."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.errors import FoncierError
from foncier.geocoding import Geocoder
from foncier.registry.kinds import KINDS, Kind
from foncier.registry.service import update_in
from foncier.vocabulary import Geocodage


@dataclass
class PendingReport:
    geocoded: int = 0
    to_confirm: int = 0
    failed: list[str] = field(default_factory=list)
    stopped: bool = False  # the geocoder is still down: the rest waits for the next run


def geocode_pending(session: Session, geocoder: Geocoder, user: str) -> PendingReport:
    """Each record in its own transaction, so that what succeeded stays done."""
    report = PendingReport()
    for kind in (kind for kind in KINDS.values() if kind.geocoded):
        model = kind.model
        ids = list(
            session.scalars(
                select(model.id)  # type: ignore[attr-defined]
                .where(model.geocodage == Geocodage.A_GEOCODER)  # type: ignore[attr-defined]
                .where(model.adresse.isnot(None))  # type: ignore[attr-defined]
                .order_by(model.id)  # type: ignore[attr-defined]
            )
        )
        for record_id in ids:
            if not _retry(session, kind, record_id, geocoder, user, report):
                report.stopped = True
                return report
    return report


def _retry(
    session: Session,
    kind: Kind,
    record_id: int,
    geocoder: Geocoder,
    user: str,
    report: PendingReport,
) -> bool:
    """False when the geocoder is still unreachable."""
    try:
        with transaction(session, user):
            record = session.get(kind.model, record_id)
            payload = {"adresse": record.adresse, "version": record.version}  # type: ignore[union-attr]
            values = update_in(session, kind, record, payload, geocoder)
    except FoncierError as error:
        report.failed.append(f"{kind.label} n°{record_id} : {error.message}")
        return True
    if values["geocodage"] == Geocodage.A_GEOCODER:
        return False
    if values["geocodage"] == Geocodage.A_CONFIRMER:
        report.to_confirm += 1
    else:
        report.geocoded += 1
    return True

"""The matching settings in force: the newest saved row, else the documented defaults."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.errors import InvalidInput
from foncier.models import ReglagesAppariement
from matching.settings import CRITERIA, Settings

SETTABLE = {f.name for f in fields(Settings)}


def current_settings(session: Session) -> Settings:
    row = session.scalars(
        select(ReglagesAppariement).order_by(ReglagesAppariement.id.desc()).limit(1)
    ).first()
    return Settings() if row is None else settings_from(row.reglages)


def settings_from(values: dict[str, Any]) -> Settings:
    """Settings from stored or typed values; unknown names and bad weights are refused."""
    unknown = sorted(set(values) - SETTABLE)
    errors: dict[str, list[str]] = {}
    if unknown:
        errors["reglages"] = [
            f"Réglages inconnus : {', '.join(unknown)} ; connus : {', '.join(sorted(SETTABLE))}."
        ]
    weights = values.get("weights", {})
    bad = {k: v for k, v in weights.items() if k not in CRITERIA or not _non_negative(v)}
    if bad:
        errors["weights"] = [
            f"« {k} = {v} » : critères permis : {', '.join(CRITERIA)}, poids positifs ou nuls."
            for k, v in bad.items()
        ]
    if errors:
        raise InvalidInput.from_errors(errors)
    defaults = Settings()
    merged = {**defaults.as_dict(), **values, "weights": {**defaults.weights, **weights}}
    settings = Settings(**merged)
    try:
        settings.normalised_weights()
    except ValueError as error:
        raise InvalidInput.from_errors({"weights": [str(error)]}) from None
    return settings


def save_settings(session: Session, values: dict[str, Any], user: str) -> Settings:
    """Add a settings row (never overwrite one): past runs stay explainable."""
    with transaction(session, user):
        settings = settings_from({**current_settings(session).as_dict(), **values})
        session.add(ReglagesAppariement(utilisateur=user, reglages=settings.as_dict()))
    return settings


def _non_negative(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0

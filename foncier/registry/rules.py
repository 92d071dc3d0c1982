"""Rules shared by the registries' own checks of fields tied together."""

from __future__ import annotations

from foncier.registry.kind import Errors, Values


def dates_in_order(r: Values, start: str, end: str, errors: Errors) -> None:
    """The end date, when given, does not come before the start date."""
    first, last = r.get(start), r.get(end)
    if first is not None and last is not None and last < first:
        errors.setdefault(end, []).append(
            f"« {last.isoformat()} » : doit suivre le {first.isoformat()} ({start})."
        )

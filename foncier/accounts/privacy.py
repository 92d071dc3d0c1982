"""Personal data: which fields hold it, and hiding them from a reader not allowed to see them.

The web layer marks the request's database session once it knows who reads; the use cases
that turn records into values (lists, records, history, exports) then leave the contacts
out. A session no one marked shows them: the command line runs as the machine's operator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

# Table → the columns that hold personal data. Premises have no owner contact yet: a new
# column with an owner's name, e-mail or phone must be added here.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "acteurs": ("contact_nom", "contact_email", "contact_telephone"),
}
_KEY = "foncier.donnees_personnelles"


def hide_personal_data(session: Session, hidden: bool = True) -> None:
    session.info[_KEY] = not hidden


def shows_personal_data(session: Session | None) -> bool:
    return session is None or bool(session.info.get(_KEY, True))


def redact(session: Session | None, table: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values without their personal fields when the session's reader may not see them."""
    if shows_personal_data(session):
        return values
    hidden = PERSONAL_FIELDS.get(table, ())
    return {k: v for k, v in values.items() if k not in hidden}


def has_personal_fields(table: str) -> bool:
    return table in PERSONAL_FIELDS

"""A database rule broken by a write is told in French, never in PostgreSQL's words."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from foncier.db.violations import is_unique_violation, rule_broken
from foncier.errors import Conflict, InvalidInput

POSTGRES_WORDS = ("violates", "constraint", "ERROR", "DETAIL", "ck_", "uq_", "SQL")


def broken(session: Session, statement: str) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught, session.begin_nested():
        session.execute(text(statement))
    return caught.value


def test_a_check_violation_names_the_rule_in_french(session: Session) -> None:
    error = broken(
        session, "UPDATE locaux SET surface_m2 = -1 WHERE id = (SELECT min(id) FROM locaux)"
    )
    shown = rule_broken(error, "Ce local")
    assert isinstance(shown, InvalidInput)
    assert shown.message == "Ce local n'a pas été enregistré : la surface doit être positive."
    assert "ck_locaux_surface_positive" in shown.detail  # the log keeps the whole story


def test_a_duplicate_is_a_conflict_found_by_its_sql_state(session: Session) -> None:
    error = broken(session, "INSERT INTO acteurs SELECT * FROM acteurs LIMIT 1")
    assert is_unique_violation(error)
    assert isinstance(rule_broken(error, "Cet acteur"), Conflict)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE locaux SET surface_m2 = 1e400 WHERE id = (SELECT min(id) FROM locaux)",
        "UPDATE besoins SET acteur_id = -5 WHERE id = (SELECT min(id) FROM besoins)",
        "UPDATE locaux SET commune_insee = repeat('9', 50) WHERE id = (SELECT min(id) FROM locaux)",
    ],
)
def test_no_postgresql_text_reaches_the_user(session: Session, statement: str) -> None:
    message = rule_broken(broken(session, statement), "Ce local").message
    assert message.startswith("Ce local n'a pas été enregistré : ")
    assert not any(word in message for word in POSTGRES_WORDS)

"""Accounts, tokens, the audit log, and the persons' rights on contacts (RGPD)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from foncier import registry
from foncier.accounts.audit import AuditFilter, search_events
from foncier.accounts.models import Compte
from foncier.accounts.privacy import hide_personal_data
from foncier.accounts.rgpd import apply_retention, erase_contact, export_contact
from foncier.accounts.service import (
    add_account,
    authenticate,
    issue_token,
    revoke_token,
    set_active,
    token_identity,
)
from foncier.cli import main
from foncier.db import migrate, transaction
from foncier.errors import Conflict, InvalidInput
from foncier.models import Acteur, Besoin, Historique
from foncier.registry import kind_named
from foncier.vocabulary import DEMO_SOURCE
from tests.databases import create_database, drop_database

PASSWORD = "un mot de passe assez long"


def test_bad_accounts_are_refused_in_french_and_nothing_is_written(session: Session) -> None:
    with pytest.raises(InvalidInput, match="« pas-une-adresse » n'est pas une adresse"):
        add_account(session, "pas-une-adresse", ["agent"], PASSWORD, "tests")
    with pytest.raises(InvalidInput, match="« chef » : rôles permis : administrateur, agent"):
        add_account(session, "a@tests.invalid", ["agent", "chef"], PASSWORD, "tests")
    with pytest.raises(InvalidInput, match=r"a 5 caractère\(s\) : il en faut au moins 12"):
        add_account(session, "a@tests.invalid", ["agent"], "court", "tests")
    assert session.scalar(select(Compte).where(Compte.email == "a@tests.invalid")) is None
    add_account(session, "A@Tests.invalid", ["agent", "comite"], PASSWORD, "tests")
    with pytest.raises(Conflict, match=r"« a@tests\.invalid » existe déjà"):
        add_account(session, "a@tests.invalid ", ["agent"], PASSWORD, "tests")


def test_passwords_are_hashed_and_logins_audited(session: Session) -> None:
    account = add_account(session, "hache@tests.invalid", ["agent"], PASSWORD, "tests")
    assert account.mot_de_passe.startswith("$argon2id$") and PASSWORD not in account.mot_de_passe
    assert authenticate(session, "HACHE@tests.invalid", PASSWORD, "10.0.0.1") is not None
    assert authenticate(session, "hache@tests.invalid", "faux", "10.0.0.1") is None
    assert authenticate(session, "inconnu@tests.invalid", "faux", "10.0.0.1") is None
    set_active(session, "hache@tests.invalid", False, "admin@tests.invalid")
    assert authenticate(session, "hache@tests.invalid", PASSWORD, "10.0.0.1") is None
    _, events = search_events(session, AuditFilter(compte="hache@"))
    kinds = [(e.evenement, e.details.get("motif")) for e in reversed(events)]
    assert kinds == [
        ("connexion", None),
        ("echec_connexion", "mot de passe erroné"),
        ("echec_connexion", "compte désactivé"),
    ]


def test_tokens_are_stored_hashed_and_revocable(session: Session) -> None:
    add_account(session, "script@tests.invalid", ["agent", "planificateur"], PASSWORD, "tests")
    row, token = issue_token(session, "script@tests.invalid", "nuit", "tests", ["planificateur"])
    assert token not in row.empreinte and len(row.empreinte) == 64
    found = token_identity(session, token, None)
    assert found is not None and found.roles == {"planificateur"}
    assert found.author == "script@tests.invalid (jeton nuit)"
    with pytest.raises(InvalidInput, match="administrateur : le compte n'a pas ce rôle"):
        issue_token(session, "script@tests.invalid", "x", "tests", ["administrateur"])
    with pytest.raises(Conflict, match="« nuit »"):
        issue_token(session, "script@tests.invalid", "nuit", "tests")
    revoke_token(session, "nuit", "tests")
    assert token_identity(session, token, None) is None
    assert token_identity(session, "fs_inconnu", None) is None


def test_a_token_s_use_is_recorded_once_a_minute_and_each_refusal_always(
    session: Session,
) -> None:
    add_account(session, "robot@tests.invalid", ["agent"], PASSWORD, "tests")
    _, token = issue_token(session, "robot@tests.invalid", "robot", "tests")

    def recorded(event: str) -> int:
        return int(
            session.scalar(
                text(
                    "SELECT count(*) FROM journal_audit "
                    "WHERE compte = 'robot@tests.invalid' AND evenement = :e"
                ),
                {"e": event},
            )
        )

    for _ in range(3):
        assert token_identity(session, token, None) is not None
    assert recorded("jeton_utilise") == 1
    with transaction(session, "tests"):  # a minute later
        session.execute(text("UPDATE jetons_api SET dernier_usage = now() - interval '61 seconds'"))
    assert token_identity(session, token, None) is not None
    assert recorded("jeton_utilise") == 2
    revoke_token(session, "robot", "tests")
    for _ in range(2):
        assert token_identity(session, token, None) is None
    assert recorded("jeton_refuse") == 2


def test_the_audit_log_is_append_only(session: Session) -> None:
    add_account(session, "journal@tests.invalid", ["agent"], PASSWORD, "tests")
    for statement in ("UPDATE journal_audit SET compte = 'x'", "DELETE FROM journal_audit"):
        with pytest.raises(DBAPIError, match="en ajout seul"), session.begin_nested():
            session.execute(text(statement))


def _actor_with_history(session: Session) -> Acteur:
    actor = session.scalars(
        select(Acteur).where(Acteur.source == DEMO_SOURCE, Acteur.contact_email.is_not(None))
    ).first()
    assert actor is not None
    kind = kind_named("actors")
    registry.update(
        session, kind, actor.id, {"version": actor.version, "effectif": 7}, "agent@tests"
    )
    return actor


def test_erasure_removes_the_contact_everywhere_and_keeps_the_rest(session: Session) -> None:
    actor = _actor_with_history(session)
    email, needs = actor.contact_email, len(actor.besoins)
    lines = session.scalar(
        select(Historique.id).where(Historique.record_id == str(actor.id)).limit(1)
    )
    assert export_contact(session, actor.id, "admin@tests")["contact"]["contact_email"] == email
    erased = erase_contact(session, actor.id, "admin@tests")
    assert erased >= 2
    session.refresh(actor)
    assert (actor.contact_nom, actor.contact_email, actor.contact_telephone) == (None, None, None)
    assert len(actor.besoins) == needs
    left = session.execute(
        text(
            "SELECT count(*) FROM historique WHERE record_id = :id AND table_name = 'acteurs' "
            "AND (avant::text LIKE :e OR apres::text LIKE :e)"
        ),
        {"id": str(actor.id), "e": f"%{email}%"},
    ).scalar()
    assert left == 0 and lines is not None
    history = registry.history(session, kind_named("actors"), actor.id)
    assert history[1]["champs"]["effectif"]["apres"] == 7  # what changed stays told
    assert not any("contact_email" in entry["champs"] for entry in history)


def test_the_history_refuses_any_other_update(session: Session) -> None:
    session.execute(text("SELECT set_config('foncier.effacement_contact', 'on', true)"))
    for statement in (
        "UPDATE historique SET utilisateur = 'x' WHERE table_name = 'acteurs'",
        "UPDATE historique SET apres = apres - 'nom' WHERE table_name = 'acteurs'",
        "UPDATE historique SET apres = apres - 'contact_nom' WHERE table_name = 'locaux'",
    ):
        with pytest.raises(DBAPIError, match="en ajout seul"), session.begin_nested():
            session.execute(text(statement))


def test_retention_erases_contacts_of_long_closed_needs_only(session: Session) -> None:
    rows = session.execute(
        select(Besoin.acteur_id).where(Besoin.source == DEMO_SOURCE).distinct().limit(2)
    ).all()
    old, recent = rows[0][0], rows[1][0]
    session.execute(
        text("UPDATE besoins SET statut = 'abandonne' WHERE acteur_id IN (:a, :b)"),
        {"a": old, "b": recent},
    )
    session.execute(
        text("UPDATE besoins SET updated_at = now() - interval '40 months' WHERE acteur_id = :a"),
        {"a": old},
    )
    refs = apply_retention(session, "cron", dry_run=True)
    old_ref = session.get(Acteur, old).ref  # type: ignore[union-attr]
    assert old_ref in refs and session.get(Acteur, old).contact_email is not None  # type: ignore[union-attr]
    assert old_ref in apply_retention(session, "cron")
    assert session.get(Acteur, old).contact_email is None  # type: ignore[union-attr]
    assert session.get(Acteur, recent).contact_email is not None  # type: ignore[union-attr]
    assert apply_retention(session, "cron") == []


def test_a_hidden_session_reads_no_contact(session: Session) -> None:
    actor = _actor_with_history(session)
    kind = kind_named("actors")
    hide_personal_data(session)
    assert "contact_email" not in registry.get(session, kind, actor.id)
    assert all(
        not set(entry["champs"]) & {"contact_email", "contact_telephone", "contact_nom"}
        for entry in registry.history(session, kind, actor.id)
    )
    hide_personal_data(session, False)
    assert registry.get(session, kind, actor.id)["contact_email"] == actor.contact_email


def run(*args: str, url: str, stdin: str | None = None, state: Path | None = None) -> str:
    env = {"DATABASE_URL": url}
    if state is not None:
        env["FONCIER_STATE_DIR"] = str(state)
    result = CliRunner().invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def cli_db(server_url: str) -> Iterator[str]:
    """A database of its own: the commands' accounts stay out of the shared one."""
    url = create_database(server_url, prefix="foncier_comptes")
    migrate.upgrade(url)
    yield url
    drop_database(url)


def test_the_users_commands(cli_db: str) -> None:
    added = run(
        "users",
        "add",
        "cli@tests.invalid",
        "--role",
        "agent",
        "--role",
        "comite",
        "--password-stdin",
        url=cli_db,
        stdin=PASSWORD + "\n",
    )
    assert "Compte créé : cli@tests.invalid (agent, comite)" in added
    token = run("users", "token", "cli@tests.invalid", "--name", "cli", url=cli_db)
    assert token.strip().splitlines()[-1].startswith("fs_")
    listed = run("users", "list", url=cli_db)
    assert "cli@tests.invalid\tagent,comite\tactif" in listed and "jeton cli" in listed
    assert "Jeton révoqué : cli" in run("users", "revoke", "cli", url=cli_db)
    roles = run("users", "roles", "cli@tests.invalid", "--role", "planificateur", url=cli_db)
    assert "Rôles de cli@tests.invalid : planificateur." in roles
    reset = run(
        "users",
        "password",
        "cli@tests.invalid",
        "--password-stdin",
        url=cli_db,
        stdin="un autre mot de passe\n",
    )
    assert "réinitialisé" in reset
    assert "Compte désactivé" in run("users", "disable", "cli@tests.invalid", url=cli_db)
    assert "désactivé" in run("users", "list", url=cli_db)
    bad = CliRunner().invoke(
        main,
        ["users", "add", "x@tests.invalid", "--role", "roi", "--password-stdin"],
        env={"DATABASE_URL": cli_db},
        input=PASSWORD,
    )
    assert bad.exit_code == 1 and "« roi » : rôles permis" in bad.output


def test_the_demo_accounts(cli_db: str) -> None:
    printed = run("users", "demo", url=cli_db)
    password = printed.strip().rsplit(" ", 1)[-1]
    assert "planificateur@demo.foncier.invalid" in printed and len(password) >= 12
    assert "comite@demo.foncier.invalid" in printed

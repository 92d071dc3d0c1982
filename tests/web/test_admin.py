"""The administrator's pages: accounts and roles, the audit log, an actor's contact (RGPD)."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from foncier.accounts.demo import create_demo_accounts
from foncier.db import make_sessionmaker
from foncier.models import Acteur, Compte
from foncier.vocabulary import DEMO_SOURCE
from tests.factories import csrf_token, sign_in_form


def test_an_administrator_creates_an_account_and_changes_its_roles(
    admin: FlaskClient, loaded: Engine
) -> None:
    token = csrf_token(admin, "/comptes/")
    bad = admin.post(
        "/comptes/",
        data={
            "email": "nouveau@tests.invalid",
            "roles": ["roi"],
            "password": "x" * 12,
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422 and "« roi » : rôles permis" in bad.get_data(as_text=True)
    made = admin.post(
        "/comptes/",
        data={
            "email": "nouveau@tests.invalid",
            "roles": ["comite"],
            "password": "x" * 12,
            "csrf_token": token,
        },
    )
    assert made.status_code == 303
    with loaded.connect() as conn:
        account_id = conn.scalar(select(Compte.id).where(Compte.email == "nouveau@tests.invalid"))
    changed = admin.post(
        f"/comptes/{account_id}",
        data={"action": "roles", "roles": ["planificateur"], "csrf_token": token},
    )
    assert changed.status_code == 303
    page = admin.get("/comptes/journal?evenement=roles_modifies&compte=administrateur")
    text = page.get_data(as_text=True)
    assert "Rôles modifiés" in text and "nouveau@tests.invalid" in text
    assert "rôles après : Planificateur" in text  # the role's label, not its code
    reset = admin.post(
        f"/comptes/{account_id}",
        data={"action": "mot_de_passe", "password": "y" * 12, "csrf_token": token},
    )
    assert reset.status_code == 303
    assert (
        sign_in_form(
            admin.application.test_client(role=None), "nouveau@tests.invalid", "y" * 12
        ).status_code
        == 303
    )


def test_the_journal_filters_and_refuses_a_bad_date(admin: FlaskClient) -> None:
    page = admin.get("/comptes/journal?evenement=connexion")
    assert page.status_code == 200
    assert all(
        c == "Connexion"
        for c in re.findall(r"<td>(Connexion|Échec de connexion)</td>", page.get_data(as_text=True))
    )
    assert admin.get("/comptes/journal?du=01/11/2026&au=2026-12-31").status_code == 200
    bad = admin.get("/comptes/journal?du=31/02/2026")
    assert bad.status_code == 422
    assert "« 31/02/2026 » n'est pas une date" in html.unescape(bad.get_data(True))


def test_an_actor_contact_is_exported_then_erased(admin: FlaskClient, loaded: Engine) -> None:
    with loaded.connect() as conn:
        actor_id, email = conn.execute(
            select(Acteur.id, Acteur.contact_email)
            .where(Acteur.source == DEMO_SOURCE, Acteur.contact_email.is_not(None))
            .order_by(Acteur.id.desc())
            .limit(1)
        ).one()
    exported = admin.get(f"/rgpd/acteurs/{actor_id}/contact.json")
    assert exported.status_code == 200 and exported.get_json()["contact"]["contact_email"] == email
    assert "attachment" in exported.headers["Content-Disposition"]
    erased = admin.post(
        f"/rgpd/acteurs/{actor_id}/effacer", data={"csrf_token": csrf_token(admin, "/comptes/")}
    )
    assert erased.status_code == 303 and email
    assert email not in admin.get(f"/api/v1/actors/{actor_id}/history").get_data(True)
    assert admin.get(f"/api/v1/actors/{actor_id}").get_json()["contact_email"] is None


def test_the_login_page_names_the_demo_accounts_only_on_the_demo(
    app: Flask, loaded: Engine
) -> None:
    anonymous = app.test_client(role=None)
    assert "demo.foncier.invalid" not in anonymous.get("/connexion").get_data(as_text=True)
    with make_sessionmaker(loaded)() as session:
        password = create_demo_accounts(session, "tests")
    page = anonymous.get("/connexion").get_data(as_text=True)
    assert "agent@demo.foncier.invalid" in page and "Planificateur" in page
    assert password not in page  # printed by make demo, never shown on a page
    assert sign_in_form(anonymous, "comite@demo.foncier.invalid", password).status_code == 303

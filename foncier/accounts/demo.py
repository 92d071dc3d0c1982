"""One demo account per role, with a password generated for this database."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.accounts.audit import Evenement, record_event
from foncier.accounts.models import Compte
from foncier.accounts.passwords import hash_password, new_password
from foncier.accounts.roles import ROLE_LABELS, Role
from foncier.db import transaction

# `.invalid` (RFC 2606): these addresses can never reach anyone.
DEMO_ACCOUNTS = {
    f"{role.value}@demo.foncier.invalid": role
    for role in (Role.ADMINISTRATEUR, Role.AGENT, Role.COMITE, Role.PLANIFICATEUR)
}


def create_demo_accounts(session: Session, by: str) -> str:
    """Create the demo accounts, or give them a new password; returns that password."""
    password = new_password()
    hashed = hash_password(password)
    with transaction(session, by):
        for email, role in DEMO_ACCOUNTS.items():
            account = session.scalar(select(Compte).where(Compte.email == email))
            if account is None:
                account = Compte(email=email, roles=[role.value], actif=True)
                session.add(account)
                record_event(session, Evenement.COMPTE_CREE, by, cible=email, roles=[role.value])
            account.mot_de_passe = hashed
            account.jeton_session = secrets.token_hex(16)
            account.actif = True
    return password


def demo_accounts(session: Session) -> list[tuple[str, str]]:
    """The demo accounts of this database (none outside the demo), with their role's name."""
    found = session.scalars(
        select(Compte.email).where(Compte.email.in_(DEMO_ACCOUNTS), Compte.actif)
    )
    return sorted((email, ROLE_LABELS[DEMO_ACCOUNTS[email]]) for email in found)

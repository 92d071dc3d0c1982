"""Use cases of the accounts: each owns its transaction and records itself in the audit log."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from foncier.accounts.audit import Evenement, record_event
from foncier.accounts.models import Compte, JetonApi
from foncier.accounts.passwords import (
    hash_password,
    needs_rehash,
    new_token,
    token_digest,
    verify_password,
)
from foncier.accounts.roles import Role, sees_personal_data
from foncier.db import transaction
from foncier.errors import Conflict, InvalidInput, NotFound

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# A token's use is recorded (its last use, an audit event) once per step, not per call: a
# write and its commit on every API read would double the read's cost.
TOKEN_USE_STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class Identity:
    """Who makes a request: an account signed in, or a script with one of its tokens."""

    account_id: int
    email: str
    roles: frozenset[Role]
    token_name: str | None = None

    @property
    def author(self) -> str:
        """The name history records for this caller's writes."""
        return f"{self.email} (jeton {self.token_name})" if self.token_name else self.email

    @property
    def sees_personal_data(self) -> bool:
        return sees_personal_data(self.roles)


def normalise_email(email: str) -> str:
    cleaned = (email or "").strip().lower()
    if not EMAIL.match(cleaned) or len(cleaned) > 320:
        raise InvalidInput.from_errors(
            {"email": [f"« {email} » n'est pas une adresse électronique (nom@domaine.fr)."]}
        )
    return cleaned


def parse_roles(values: Iterable[str]) -> list[Role]:
    given = [v.strip() for v in values if v.strip()]
    allowed = ", ".join(r.value for r in Role)
    bad = [v for v in given if v not in Role.__members__.values()]
    if bad or not given:
        shown = ", ".join(f"« {v} »" for v in bad) or "aucun rôle"
        raise InvalidInput.from_errors({"roles": [f"{shown} : rôles permis : {allowed}."]})
    return sorted({Role(v) for v in given})


def add_account(
    session: Session, email: str, roles: Iterable[str], password: str, by: str
) -> Compte:
    address, wanted = normalise_email(email), parse_roles(roles)
    with transaction(session, by):
        if session.scalar(select(Compte.id).where(Compte.email == address)) is not None:
            raise Conflict(f"Le compte « {address} » existe déjà.")
        account = Compte(
            email=address,
            mot_de_passe=hash_password(password),
            roles=[r.value for r in wanted],
            actif=True,
            jeton_session=secrets.token_hex(16),
        )
        session.add(account)
        record_event(session, Evenement.COMPTE_CREE, by, cible=address, roles=account.roles)
        session.flush()
        return account


def list_accounts(session: Session) -> list[Compte]:
    return list(session.scalars(select(Compte).order_by(Compte.email)))


def find_account(session: Session, email: str) -> Compte:
    account = session.scalar(select(Compte).where(Compte.email == (email or "").strip().lower()))
    if account is None:
        raise NotFound(f"Aucun compte ne porte l'adresse « {email} ».")
    return account


def set_roles(session: Session, email: str, roles: Iterable[str], by: str) -> Compte:
    wanted = [r.value for r in parse_roles(roles)]
    with transaction(session, by):
        account = find_account(session, email)
        before = list(account.roles)
        account.roles = wanted
        record_event(
            session, Evenement.ROLES_MODIFIES, by, cible=account.email, avant=before, apres=wanted
        )
        return account


def set_active(session: Session, email: str, active: bool, by: str) -> Compte:
    """Disabling ends the account's sessions and makes its tokens refused."""
    with transaction(session, by):
        account = find_account(session, email)
        account.actif = active
        account.jeton_session = secrets.token_hex(16)
        record_event(session, Evenement.COMPTE_DESACTIVE, by, cible=account.email, actif=active)
        return account


def set_password(session: Session, email: str, password: str, by: str) -> Compte:
    """An administrator's reset: the account's other sessions end."""
    with transaction(session, by):
        account = find_account(session, email)
        account.mot_de_passe = hash_password(password)
        account.jeton_session = secrets.token_hex(16)
        record_event(session, Evenement.MOT_DE_PASSE, by, cible=account.email)
        return account


def change_own_password(session: Session, account_id: int, current: str, new: str) -> Compte:
    account = session.get(Compte, account_id)
    if account is None or not verify_password(account.mot_de_passe, current):
        raise InvalidInput.from_errors({"current": ["Le mot de passe actuel n'est pas le bon."]})
    return set_password(session, account.email, new, account.email)


def authenticate(session: Session, email: str, password: str, address: str | None) -> Compte | None:
    """The account if the e-mail and password match an active one; records the attempt."""
    cleaned = (email or "").strip().lower()[:320]
    with transaction(session, cleaned or "anonyme"):
        account = session.scalar(select(Compte).where(Compte.email == cleaned))
        valid = verify_password(account.mot_de_passe if account else None, password or "")
        if account is None or not valid or not account.actif:
            reason = (
                "compte inconnu"
                if account is None
                else ("compte désactivé" if valid else "mot de passe erroné")
            )
            record_event(session, Evenement.ECHEC_CONNEXION, cleaned, address, motif=reason)
            return None
        if needs_rehash(account.mot_de_passe):
            account.mot_de_passe = hash_password(password)
        record_event(session, Evenement.CONNEXION, account.email, address)
        return account


def session_identity(session: Session, user_id: str) -> Identity | None:
    """The identity a session cookie names (``id:jeton_session``), if still valid."""
    number, _, stamp = (user_id or "").partition(":")
    if not number.isdigit():
        return None
    # Columns, not the entity: read on every request, nothing to track.
    account = session.execute(
        select(Compte.email, Compte.roles, Compte.jeton_session).where(
            Compte.id == int(number), Compte.actif
        )
    ).one_or_none()
    if account is None or not secrets.compare_digest(account.jeton_session, stamp):
        return None
    return Identity(int(number), account.email, frozenset(Role(r) for r in account.roles))


def issue_token(
    session: Session, email: str, name: str | None, by: str, roles: Iterable[str] = ()
) -> tuple[JetonApi, str]:
    """A new token, shown once; its roles are the account's unless fewer are asked for."""
    token = new_token()
    with transaction(session, by):
        account = find_account(session, email)
        wanted = [r.value for r in parse_roles(roles)] if roles else list(account.roles)
        extra = sorted(set(wanted) - set(account.roles))
        if extra:
            raise InvalidInput.from_errors(
                {"roles": [f"{', '.join(extra)} : le compte n'a pas ce rôle."]}
            )
        label = (name or "").strip() or f"{account.email}-{secrets.token_hex(3)}"
        if session.scalar(select(JetonApi.id).where(JetonApi.nom == label)) is not None:
            raise Conflict(f"Un jeton s'appelle déjà « {label} » : choisissez un autre nom.")
        row = JetonApi(compte=account, nom=label, empreinte=token_digest(token), roles=wanted)
        session.add(row)
        record_event(session, Evenement.JETON_CREE, by, cible=account.email, jeton=label)
        return row, token


def revoke_token(session: Session, name: str, by: str) -> JetonApi:
    with transaction(session, by):
        row = session.scalar(select(JetonApi).where(JetonApi.nom == name))
        if row is None:
            raise NotFound(f"Aucun jeton ne s'appelle « {name} ».")
        row.revoque_le = row.revoque_le or datetime.now(UTC)
        record_event(session, Evenement.JETON_REVOQUE, by, jeton=name)
        return row


def token_identity(session: Session, token: str, address: str | None) -> Identity | None:
    """The identity of a token that is known, not revoked, and whose account is active.

    Read first, outside a transaction: most calls write nothing. A refusal is recorded, and
    a use once per step."""
    row = session.scalar(
        select(JetonApi)
        .options(joinedload(JetonApi.compte))  # one round trip per API call, not two
        .where(JetonApi.empreinte == token_digest(token))
    )
    if row is None or row.revoque_le is not None or not row.compte.actif:
        with transaction(session, "jeton"):
            record_event(
                session,
                Evenement.JETON_REFUSE,
                row.compte.email if row else None,
                address,
                jeton=row.nom if row else None,
            )
        return None
    if row.dernier_usage is None or row.dernier_usage < datetime.now(UTC) - TOKEN_USE_STEP:
        with transaction(session, "jeton"):
            row.dernier_usage = func.now()
            record_event(session, Evenement.JETON_UTILISE, row.compte.email, address, jeton=row.nom)
    roles = frozenset(Role(r) for r in row.roles) & frozenset(Role(r) for r in row.compte.roles)
    return Identity(row.compte.id, row.compte.email, roles, token_name=row.nom)

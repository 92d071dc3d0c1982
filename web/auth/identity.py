"""Who makes the request: a signed-in account (cookie session) or a script (Bearer token)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, request
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy.orm import Session

from foncier.accounts.models import Compte
from foncier.accounts.service import Identity, session_identity, token_identity
from web import store

login_manager = LoginManager()


class SignedIn(UserMixin):
    """The Flask-Login user: its id carries the account's session stamp, so that a password
    change or a disabled account ends every session opened before."""

    def __init__(self, identity: Identity, stamp: str) -> None:
        self.identity = identity
        self.id = f"{identity.account_id}:{stamp}"


def signed_in(account: Compte) -> SignedIn:
    identity = Identity(account.id, account.email, frozenset(account.roles))  # type: ignore[arg-type]
    return SignedIn(identity, account.jeton_session)


@contextmanager
def side_session() -> Iterator[Session]:
    """A session apart from the request's, for sign-in and audit work that commits."""
    with current_app.extensions["foncier.store"].factory()() as session:
        yield session


@login_manager.user_loader
def _load(user_id: str) -> SignedIn | None:
    # The request's own session: one connection per request, the account read in one statement.
    identity = session_identity(store.session(), user_id)
    return SignedIn(identity, user_id.partition(":")[2]) if identity else None


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header; '' when the header is malformed."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def identify() -> Identity | None:
    """The caller: the API takes a token when one is given (never the cookie then), pages
    and the rest take the session."""
    token = bearer_token() if request.path.startswith("/api/") else None
    if token is not None:
        g.via_token = True
        if not token:
            return None
        return token_identity(store.session(), token, request.remote_addr)
    g.via_token = False
    user = current_user
    return user.identity if user.is_authenticated else None

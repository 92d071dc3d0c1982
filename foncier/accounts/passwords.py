"""Password hashes (argon2id) and API token digests."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from foncier.errors import InvalidInput

MIN_LENGTH = 12
_HASHER = PasswordHasher()  # argon2id with the library's recommended cost
# Checked against when the e-mail is unknown, so that a wrong e-mail costs as much as a wrong
# password and the answer's timing does not tell which accounts exist.
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput.from_errors(
            {
                "password": [
                    f"Le mot de passe a {len(password)} caractère(s) : il en faut au moins "
                    f"{MIN_LENGTH}."
                ]
            }
        )


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def new_token() -> str:
    """256 random bits: a fast digest is enough to store them, unlike a password."""
    return "fs_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    return secrets.token_urlsafe(12)

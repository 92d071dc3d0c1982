"""One error hierarchy for the whole product.

Each class carries the HTTP status it maps to and the ``slug`` of its problem type (the
``type`` of an API problem names it); ``message`` is the French text shown to the user,
``detail`` what goes to the log.
"""

from __future__ import annotations


class FoncierError(Exception):
    """Base class: a failure the product explains to its user."""

    status = 500
    title = "Erreur interne"
    slug = "erreur-interne"

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message


class InvalidInput(FoncierError):
    """A value given by the user is not allowed; the message names it and what is allowed.

    ``errors`` maps each bad field to its messages, so that forms and the API can show
    every problem at once.
    """

    status = 422
    title = "Donnée invalide"
    slug = "donnee-invalide"

    def __init__(
        self,
        message: str,
        *,
        detail: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, detail=detail)
        self.errors = errors or {}

    @classmethod
    def from_errors(cls, errors: dict[str, list[str]]) -> InvalidInput:
        summary = " ; ".join(f"{field} : {' '.join(msgs)}" for field, msgs in errors.items())
        return cls(f"Données invalides — {summary}", errors=errors)


class Forbidden(FoncierError):
    """The caller's role allows the page, but not this record (a committee member and a
    session they do not sit on)."""

    status = 403
    title = "Accès refusé"
    slug = "interdit"


class NotFound(FoncierError):
    status = 404
    title = "Introuvable"
    slug = "introuvable"


class Conflict(FoncierError):
    status = 409
    title = "Conflit"
    slug = "conflit"


class EnvironmentProblem(FoncierError):
    """The machine lacks something the product needs (a server, a package, a permission)."""

    status = 503
    title = "Service indisponible"
    slug = "service-indisponible"


class TooLarge(InvalidInput):
    """An input beyond the bounds of ``foncier.limits``: refused before any heavy work."""

    status = 413
    title = "Donnée trop volumineuse"
    slug = "trop-volumineux"

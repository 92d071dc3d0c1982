"""What a request knows about its caller and the outside services it may use."""

from __future__ import annotations

from flask import current_app, g

from foncier.geocoding import Geocoder, configured_geocoder


def acting_user(channel: str) -> str:
    """The account history names as the author: its e-mail (and token, for scripts).

    ``channel`` is kept for the callers; the matrix lets no anonymous caller write."""
    identity = g.get("identity")
    if identity is None:
        raise RuntimeError(f"a write through {channel} without an account")
    author: str = identity.author
    return author


def geocoder() -> Geocoder | None:
    config = current_app.config
    return configured_geocoder(config.get("GEOCODER_URL"), float(config.get("GEOCODER_TIMEOUT", 5)))

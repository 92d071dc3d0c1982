"""What a request knows about its caller and the outside services it may use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g

from foncier.files.isolated import parse_apart
from foncier.geocoding import Geocoder, configured_geocoder

T = TypeVar("T")


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


def parsed_apart(function: Callable[..., T], *args: Any, name: str) -> T:
    """An uploaded file parsed in a parser process, within the app's memory and time bounds:
    a costly file stalls no other request and cannot take the server's memory."""
    config = current_app.config
    return parse_apart(
        function,
        *args,
        name=name,
        budget=int(config["PARSE_MEMORY_BYTES"]),
        timeout_s=float(config["PARSE_TIMEOUT_S"]),
    )

"""What a request knows about its caller and the outside services it may use."""

from __future__ import annotations

from flask import current_app, request

from foncier.geocoding import Geocoder, configured_geocoder


def acting_user(channel: str) -> str:
    """Until accounts exist, history names the channel and the caller's address."""
    return f"{channel}:{request.remote_addr or 'local'}"


def geocoder() -> Geocoder | None:
    config = current_app.config
    return configured_geocoder(config.get("GEOCODER_URL"), float(config.get("GEOCODER_TIMEOUT", 5)))

"""Security headers on every answer: a Content-Security-Policy with a nonce per request for
the inline scripts of our templates and of Folium's maps, and the usual hardening headers."""

from __future__ import annotations

import re
import secrets

from flask import current_app, g
from werkzeug.wrappers import Response

_SCRIPT_TAG = re.compile(r"<script(?![^>]*\bnonce=)")


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce


def with_nonce(trusted_html: str) -> str:
    """Folium's own header with our nonce on its scripts. Only for HTML the server generated
    itself: a nonce added to anything a user typed would defeat the policy."""
    return _SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', trusted_html)


def policy(nonce: str, tiles_origin: str = "") -> str:
    """``tiles_origin``: a configured tile server on plain http (an intranet's), allowed by
    name; every https server is allowed anyway."""
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # Leaflet and Folium position and colour elements with style attributes.
            "style-src 'self' 'unsafe-inline'",
            # Base-map tiles come from the configured tile server (https), markers are inline.
            f"img-src 'self' data: https:{tiles_origin}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def _tiles_origin() -> str:
    tiles = str(current_app.config.get("TILES") or "")
    found = re.match(r"http://[^/{}]+", tiles)
    return f" {found[0]}" if found else ""


def add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", policy(csp_nonce(), _tiles_origin()))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"  # pages show data: keep them out of caches
    return response

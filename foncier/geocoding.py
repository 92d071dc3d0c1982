"""Addresses to WGS84 points through the Base Adresse Nationale (BAN), via geopy.

The BAN is a public service that can be down or slow: every failure to get an answer becomes
one ``GeocodingUnavailable``, so that callers keep the record « à géocoder » and move on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import GeopyError
from geopy.geocoders import BANFrance
from geopy.location import Location

from foncier.errors import EnvironmentProblem, InvalidInput

DEFAULT_BASE_URL = "https://api-adresse.data.gouv.fr"

# Below this score the BAN has matched only part of the address (another street, the commune
# alone): the point may be hundreds of metres off, so the user confirms it or places it on the
# map before it counts in a matching.
LOW_SCORE = 0.6

# The BAN answers 400 outside these bounds; checking them here reports a bad address as such,
# not as an outage.
MIN_QUERY_CHARS = 3
MAX_QUERY_CHARS = 200

UNAVAILABLE_MESSAGE = (
    "Le géocodeur de la Base Adresse Nationale est injoignable : la fiche est enregistrée "
    "« à géocoder » et sera reprise par `foncier geocode pending`."
)

# A reply that parses but is not the BAN format surfaces from geopy as one of these.
_MALFORMED = (LookupError, TypeError, ValueError, AttributeError)


class GeocodingUnavailable(EnvironmentProblem):
    """The BAN gave no usable answer (down, too slow, 5xx, garbage); retry later."""

    def __init__(self, detail: str) -> None:
        super().__init__(UNAVAILABLE_MESSAGE, detail=detail)


@dataclass(frozen=True)
class GeocodeResult:
    """The BAN's best match for an address, with its confidence."""

    label: str
    score: float  # 0..1, BAN's confidence in the match
    lon: float  # WGS84
    lat: float  # WGS84
    citycode: str | None  # INSEE code of the commune
    kind: str | None  # BAN type: housenumber, street, locality, municipality

    @property
    def needs_confirmation(self) -> bool:
        """True when the match is too loose to use without the user's say-so."""
        return self.score < LOW_SCORE


class AddressLocator(Protocol):
    """What the use cases need of a geocoder (the BAN one, or a wrapper around it)."""

    def geocode(self, address: str) -> GeocodeResult | None: ...


class Geocoder:
    """A BAN client; ``base_url`` points elsewhere for a mirror or a test server."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 5.0,
        user_agent: str = "foncier-solidaire",
    ) -> None:
        scheme, domain = _split_base_url(base_url)
        # urllib rather than requests: no dependency beyond geopy, and no pooled socket
        # outliving a call.
        self._ban = BANFrance(
            domain=domain,
            scheme=scheme,
            timeout=timeout,
            user_agent=user_agent,
            adapter_factory=URLLibAdapter,
        )

    def geocode(self, address: str) -> GeocodeResult | None:
        """The best match for ``address``, or None when the BAN knows nothing like it."""
        query = _checked_query(address)
        try:
            location = self._ban.geocode(query, exactly_one=True, limit=1)
            return None if location is None else _result(location)
        except GeopyError as error:
            raise GeocodingUnavailable(f"{type(error).__name__}: {error}") from error
        except _MALFORMED as error:
            raise GeocodingUnavailable(f"réponse BAN illisible : {error!r}") from error


def _split_base_url(base_url: str) -> tuple[str, str]:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(
            f"Adresse du géocodeur invalide : « {base_url} » ; attendu une URL http:// ou "
            "https://, par exemple « https://api-adresse.data.gouv.fr »."
        )
    # geopy appends /search to the domain, so a path prefix rides along with it.
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def _checked_query(address: str) -> str:
    query = " ".join(address.split())
    if not query:
        raise InvalidInput(
            f"Adresse vide : « {address} » ; saisissez un numéro, une voie et une commune."
        )
    if not MIN_QUERY_CHARS <= len(query) <= MAX_QUERY_CHARS or not query[0].isalnum():
        raise InvalidInput(
            f"Adresse non géocodable : « {address} » ; elle doit compter entre {MIN_QUERY_CHARS} "
            f"et {MAX_QUERY_CHARS} caractères et commencer par une lettre ou un chiffre."
        )
    return query


def _result(location: Location) -> GeocodeResult:
    properties: dict[str, Any] = location.raw["properties"]
    score = float(properties["score"])
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score hors de 0..1 : {score}")
    return GeocodeResult(
        label=str(properties["label"]),
        score=score,
        lon=float(location.longitude),
        lat=float(location.latitude),
        citycode=properties.get("citycode"),
        kind=properties.get("type"),
    )


def configured_geocoder(url: str | None, timeout: float = 5.0) -> Geocoder | None:
    """The geocoder a setting names; "aucun" (or nothing) keeps addresses "à géocoder"."""
    if not url or url == "aucun":
        return None
    return Geocoder(base_url=url, timeout=timeout)

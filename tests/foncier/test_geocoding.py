"""Geocoding through geopy's real HTTP client, against a local server speaking the BAN format."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pyproj import Geod

from foncier.errors import EnvironmentProblem, InvalidInput
from foncier.geocoding import LOW_SCORE, Geocoder, GeocodeResult, GeocodingUnavailable
from tests.ban_server import (
    COMEDIE,
    METROPOLE,
    VAGUE,
    BanServer,
    Mode,
    ban_server,
    closed_url,
)

GEOD = Geod(ellps="WGS84")
FAST_TIMEOUT = 0.3  # seconds; the "slow" server waits far longer


@pytest.fixture
def ban() -> Iterator[BanServer]:
    with ban_server() as server:
        yield server


@pytest.fixture
def geocoder(ban: BanServer) -> Geocoder:
    return Geocoder(base_url=ban.url, timeout=FAST_TIMEOUT)


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def test_a_precise_address_gives_its_label_score_point_and_commune(geocoder: Geocoder) -> None:
    result = geocoder.geocode("1 Esplanade Charles de Gaulle 33000 Bordeaux")

    assert result is not None
    assert result.label == METROPOLE.label
    assert result.score == pytest.approx(0.9683)
    assert metres_between(result.lon, result.lat, -0.5799, 44.8376) < 5
    assert result.citycode == "33063"
    assert result.kind == "housenumber"
    assert not result.needs_confirmation


def test_a_street_match_keeps_its_kind(geocoder: Geocoder) -> None:
    result = geocoder.geocode("  place de la   COMEDIE 33000 Bordeaux ")

    assert result == GeocodeResult(
        label=COMEDIE.label,
        score=COMEDIE.score,
        lon=COMEDIE.lon,
        lat=COMEDIE.lat,
        citycode="33063",
        kind="street",
    )


def test_the_client_asks_for_one_match_under_its_own_name(ban: BanServer) -> None:
    Geocoder(base_url=ban.url, user_agent="foncier-test").geocode("rue Victor Hugo")

    [request] = ban.behaviour.requests
    assert request.path.rstrip("/") == "/search"
    assert request.params == {"q": ["rue Victor Hugo"], "limit": ["1"]}
    assert request.user_agent == "foncier-test"


def test_a_low_score_asks_the_user_to_confirm(geocoder: Geocoder) -> None:
    result = geocoder.geocode("rue Victor Hugo")

    assert result is not None
    assert result.label == VAGUE.label
    assert result.score == pytest.approx(0.35) and result.score < LOW_SCORE
    assert result.needs_confirmation


@pytest.mark.parametrize(("score", "flagged"), [(0.59, True), (0.6, False), (0.61, False)])
def test_the_confirmation_threshold_is_low_score(score: float, flagged: bool) -> None:
    result = GeocodeResult("x", score, -0.57, 44.84, "33063", "street")

    assert result.needs_confirmation is flagged


def test_an_unknown_address_gives_none(geocoder: Geocoder) -> None:
    assert geocoder.geocode("12 allée des Introuvables 99999 Nullepart") is None


def test_a_503_is_an_outage_explained_in_french(ban: BanServer, geocoder: Geocoder) -> None:
    ban.behaviour.mode = "unavailable"

    with pytest.raises(GeocodingUnavailable) as caught:
        geocoder.geocode("Place de la Comédie 33000 Bordeaux")

    assert isinstance(caught.value, EnvironmentProblem)
    assert caught.value.status == 503
    assert "injoignable" in caught.value.message
    assert "« à géocoder »" in caught.value.message
    assert "foncier geocode pending" in caught.value.message
    assert "503" in caught.value.detail


def test_a_timeout_is_an_outage(ban: BanServer, geocoder: Geocoder) -> None:
    ban.behaviour.mode = "slow"
    started = time.monotonic()

    with pytest.raises(GeocodingUnavailable) as caught:
        geocoder.geocode("Place de la Comédie 33000 Bordeaux")

    assert time.monotonic() - started < ban.behaviour.delay
    assert "GeocoderTimedOut" in caught.value.detail


def test_a_closed_port_is_an_outage() -> None:
    geocoder = Geocoder(base_url=closed_url(), timeout=FAST_TIMEOUT)

    with pytest.raises(GeocodingUnavailable) as caught:
        geocoder.geocode("Place de la Comédie 33000 Bordeaux")

    assert "refused" in caught.value.detail.lower()


@pytest.mark.parametrize("mode", ["garbage", "malformed"])
def test_an_answer_out_of_the_ban_format_is_an_outage(
    ban: BanServer, geocoder: Geocoder, mode: Mode
) -> None:
    ban.behaviour.mode = mode

    with pytest.raises(GeocodingUnavailable) as caught:
        geocoder.geocode("Place de la Comédie 33000 Bordeaux")

    assert caught.value.message.startswith("Le géocodeur de la Base Adresse Nationale")
    assert caught.value.detail != caught.value.message


@pytest.mark.parametrize("address", ["", "   ", "\t\n"])
def test_a_blank_address_is_refused_before_any_request(
    ban: BanServer, geocoder: Geocoder, address: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        geocoder.geocode(address)

    assert f"« {address} »" in caught.value.message
    assert caught.value.message.startswith("Adresse vide")
    assert ban.behaviour.requests == []


@pytest.mark.parametrize("address", ["33", "-- rue Sainte-Catherine", "x" * 201])
def test_an_address_the_ban_would_reject_is_refused(
    ban: BanServer, geocoder: Geocoder, address: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        geocoder.geocode(address)

    assert f"« {address} »" in caught.value.message
    assert "entre 3 et 200 caractères" in caught.value.message
    assert ban.behaviour.requests == []


@pytest.mark.parametrize("base_url", ["api-adresse.data.gouv.fr", "ftp://example.org", ""])
def test_a_base_url_without_http_scheme_is_refused(base_url: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Geocoder(base_url=base_url)

    assert f"« {base_url} »" in caught.value.message


def test_a_base_url_path_prefix_is_kept(ban: BanServer) -> None:
    geocoder = Geocoder(base_url=f"{ban.url}/geocodage/", timeout=FAST_TIMEOUT)

    result = geocoder.geocode("Place de la Comédie 33000 Bordeaux")

    assert result is not None and result.label == COMEDIE.label
    assert [r.path for r in ban.behaviour.requests] == ["/geocodage/search"]

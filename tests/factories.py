"""Test data that several test modules build: generated pairs frames and allocation instances
for the pure core, records and files for the store, and a form's CSRF token for the pages."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import yaml
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from geoalchemy2.shape import from_shape
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from shapely import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foncier.cli import main
from foncier.geo import STORE_SRID, to_store
from foncier.models import Local
from foncier.vocabulary import OrigineLocal, TypeLocal
from matching.pairs import PAIR_COLUMNS

# --- pairs frames (matching.pairs' contract) -------------------------------------------------

NAN = math.nan
NAT = pd.NaT
BASE = pd.Timestamp("2025-01-01")
STAGES = ["emergence", "developpement", "changement_echelle", None]
# Hypothesis settings of the properties over pairs frames.
PROPERTIES = hypothesis_settings(max_examples=50, deadline=None)


def _days(n: int) -> pd.Timedelta:
    return pd.Timedelta(days=n)


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any], missing: Any) -> Any:
    return missing if draw(st.booleans()) else draw(strategy)


def _amount(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def pair_rows(draw: st.DrawFn, premises_id: int) -> dict[str, Any]:
    """One pair as the contract of ``matching.pairs`` allows it, missing values included."""
    need_min = draw(_amount(0, 400))
    area = draw(_amount(1, 1000))
    divisible = draw(st.booleans())
    in_zone = draw(st.booleans())
    available = BASE + _days(draw(st.integers(-400, 600)))
    earliest = BASE + _days(draw(st.integers(-200, 200)))
    until = st.integers(0, 720).map(lambda d: available + _days(d))
    latest = st.integers(0, 365).map(lambda d: earliest + _days(d))
    wanted = draw(st.integers(0, 5))
    return {
        "need_id": draw(st.integers(1, 4)),
        "premises_id": premises_id,
        "distance_m": 0.0 if in_zone else _maybe(draw, _amount(0, 20_000), NAN),
        "in_zone": in_zone,
        "max_distance_m": _maybe(draw, _amount(0, 10_000), NAN),
        "area_m2": area,
        "divisible": divisible,
        "lot_min_m2": _maybe(draw, _amount(1, area), NAN) if divisible else NAN,
        "shared": draw(st.booleans()),
        "need_min_m2": need_min,
        "need_max_m2": need_min + draw(_amount(0, 400)),
        "rent_m2_year": _maybe(draw, _amount(0, 400), NAN),
        "charges_m2_year": _maybe(draw, _amount(0, 80), NAN),
        "budget_m2_year": _maybe(draw, _amount(0, 400), NAN),
        "sale_price_m2": _maybe(draw, _amount(0, 6000), NAN),
        "budget_purchase_m2": _maybe(draw, _amount(0, 6000), NAN),
        "need_rents": draw(st.booleans()),
        "need_buys": draw(st.booleans()),
        "available_from": available,
        "available_until": _maybe(draw, until, NAT),
        "move_in_earliest": earliest,
        "move_in_latest": _maybe(draw, latest, NAT),
        "features_wanted": wanted,
        "features_met": draw(st.integers(0, wanted)),
        "must_have_missing": draw(st.sampled_from([0, 0, 0, 1, 2])),
        "step_free": draw(st.booleans()),
        "ground_floor": draw(st.booleans()),
        "priority_sector": draw(st.booleans()),
        "stage": draw(st.sampled_from(STAGES)),
        "premises_in_qpv": draw(st.booleans()),
        "kind_accepted": draw(st.sampled_from([True, True, True, False])),
        "tenure_accepted": draw(st.sampled_from([True, True, True, False])),
    }


@st.composite
def pairs_frames(draw: st.DrawFn, max_rows: int = 8) -> pd.DataFrame:
    """A valid pairs frame of 1 to ``max_rows`` pairs, one premises per row."""
    count = draw(st.integers(1, max_rows))
    rows = [draw(pair_rows(premises_id)) for premises_id in range(count)]
    columns = {c: pd.Series([row[c] for row in rows], dtype=d) for c, d in PAIR_COLUMNS.items()}
    return pd.DataFrame(columns)


# --- allocation instances ----------------------------------------------------------------------


def make_pairs(rows: Sequence[tuple[int, int, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["need_id", "premises_id", "score", "take_m2"])


def make_premises(rows: Sequence[tuple[int, float, int, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["premises_id", "capacity_m2", "places", "multi"])


class Pair(NamedTuple):
    need_id: int
    premises_id: int
    score: float
    take_m2: float


class Spec(NamedTuple):
    multi: bool
    places: int
    capacity_m2: float


@dataclass(frozen=True)
class Instance:
    rows: list[Pair]
    specs: dict[int, Spec]
    needs: list[int]

    @property
    def pairs(self) -> pd.DataFrame:
        return make_pairs(self.rows)

    @property
    def premises(self) -> pd.DataFrame:
        return make_premises([(p, s.capacity_m2, s.places, s.multi) for p, s in self.specs.items()])


scores = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0))


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    """≤ 6 needs and ≤ 4 premises with shuffled ids, so that id tie-breaks matter."""
    need_ids = draw(st.lists(st.integers(1, 40), min_size=0, max_size=6, unique=True))
    premises_ids = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4, unique=True))
    specs = {
        p: Spec(draw(st.booleans()), draw(st.integers(1, 4)), float(draw(st.integers(1, 400))))
        for p in premises_ids
    }
    rows = [
        Pair(n, p, draw(scores), float(draw(st.integers(1, 300))))
        for n in need_ids
        for p in premises_ids
        if draw(st.booleans())
    ]
    extra = draw(st.lists(st.integers(41, 50), max_size=2, unique=True))  # no candidate
    return Instance(rows, specs, sorted(need_ids + extra))


# --- store records and files -------------------------------------------------------------------

COMEDIE = (-0.575500, 44.842700)  # Place de la Comédie, Bordeaux (lon, lat)


def a_local(ref: str, lon: float, lat: float) -> Local:
    return Local(
        ref=ref,
        source="test",
        nom="Local de test",
        type_local=TypeLocal.BUREAU,
        origine=OrigineLocal.PARTENAIRE,
        surface_m2=100,
        disponible_le=date(2026, 1, 1),
        geom=from_shape(to_store(Point(lon, lat)), srid=STORE_SRID),
    )


def premises(**overrides: Any) -> dict[str, Any]:
    return {
        "nom": "Bureaux rue Sainte-Catherine",
        "type_local": "bureau",
        "origine": "mandat_gestion",
        "surface_m2": 120,
        "loyer_m2_an": 150,
        "disponible_le": "2026-12-01",
        "geometry": {"type": "Point", "coordinates": list(COMEDIE)},
        **overrides,
    }


def count_premises(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Local)) or 0


# A spreadsheet as an AIS agent keeps it: French headers, decimal commas, a blank line and
# three bad rows (IMP-2, IMP-3, IMP-4).
MESSY = (
    "Référence;Nom;Type de local;Surface (m²);Loyer HT HC (€/m²/an);Disponible à partir du;"
    "Longitude;Latitude;Origine;Accessible PMR\n"
    "IMP-1;Bureaux Chartrons;Bureaux;120,5;180;01/03/2027;-0,5700;44,8550;Partenaire;oui\n"
    "IMP-2;Atelier Bastide;atelier;cent;60;01/03/2027;-0,5560;44,8420;Foncière;non\n"
    "\n"
    "IMP-3;Boutique Saint-Michel;commerce;80;-5;01/03/2027;-0,5680;44,8340;mandat;non\n"
    "IMP-4;Entrepôt Bègles;stockage;400;45;31/02/2027;-0,5480;44,8060;partenaire;oui\n"
    "IMP-5;Tiers-lieu Lormont;tiers-lieu;600;90;15/04/2027;-0,5220;44,8790;partenaire;oui\n"
)


# --- pages --------------------------------------------------------------------------------------


WRITES = ("POST", "PUT", "PATCH", "DELETE")
PROBLEM = "application/problem+json"
API_PREMISES = {
    "nom": "Atelier des Capucins",
    "type_local": "activite",
    "origine": "fonciere",
    "surface_m2": 240,
    "loyer_m2_an": 70,
    "disponible_le": "2027-01-15",
    "geometry": {"type": "Point", "coordinates": [-0.5679, 44.8312]},
    "ref": "API-1",
    "source": "tests-api",
}
EXAMPLE_SCENARIO = Path(__file__).parents[1] / "data" / "scenario-exemple.yaml"


def csrf_token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"the form carries a CSRF token: {page[:500]}"
    return found.group(1)


def sign_in_form(
    client: FlaskClient, email: str, password: str, address: str = "127.0.0.1", **extra: str
) -> Any:
    """Post the sign-in form as a browser would, from ``address``."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/connexion")}
    return client.post(
        "/connexion", data={**data, **extra}, environ_overrides={"REMOTE_ADDR": address}
    )


def api_client(app: Flask) -> FlaskClient:
    return app.test_client()


def created_premises(app: Flask, **overrides: Any) -> dict[str, Any]:
    """Premises created through the API (``API_PREMISES`` with ``overrides``)."""
    response = api_client(app).post("/api/v1/premises", json={**API_PREMISES, **overrides})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def example_scenario() -> dict[str, Any]:
    """The documented example scenario, as the JSON API takes it."""
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_SCENARIO.read_text(encoding="utf-8"))
    data["available_from"] = data["available_from"].isoformat()
    return data


# --- command line ------------------------------------------------------------------------------


def foncier_cli(*args: str, url: str, state: Path | None = None, geocoder: str = "aucun") -> Result:
    """Run the ``foncier`` command on the database at ``url``."""
    env = {"DATABASE_URL": url, "FONCIER_GEOCODER_URL": geocoder}
    if state is not None:
        env["FONCIER_STATE_DIR"] = str(state)
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

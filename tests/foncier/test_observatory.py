"""Each observatory figure against a direct count of the demo data."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput, NotFound
from foncier.matching.candidates import Scope, candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Acteur, Besoin, Local
from foncier.observatory import TABLES, observatory, observatory_table
from foncier.observatory.demand import AREA_BANDS, demand_by, demand_summary
from foncier.observatory.export import table_file
from foncier.observatory.priced_out import priced_out
from foncier.observatory.served import served_per_month
from foncier.vocabulary import OPEN_NEEDS, StatutBesoin
from matching.constraints import check_constraints
from matching.explain import near_misses

PARIS = ZoneInfo("Europe/Paris")


def open_needs(session: Session) -> pd.DataFrame:
    rows = session.execute(
        select(
            Besoin.id,
            Besoin.surface_min_m2,
            Besoin.types_acceptes,
            Besoin.commune_insee,
            Besoin.created_at,
            Acteur.filiere,
            Acteur.stade,
        )
        .join(Acteur)
        .where(Besoin.statut.in_(OPEN_NEEDS))
    ).all()
    frame = pd.DataFrame([r._asdict() for r in rows])
    frame["stade"] = frame["stade"].map(lambda s: s.value)
    return frame


def by_key(table_rows: tuple[dict[str, Any], ...]) -> dict[str, tuple[int, float]]:
    return {str(r["key"]): (int(r["needs"]), float(r["area_m2"])) for r in table_rows}


def direct(frame: pd.DataFrame, column: str) -> dict[str, tuple[int, float]]:
    grouped = frame.groupby(column)["surface_min_m2"].agg(["size", "sum"])
    return {str(k): (int(n), float(a)) for k, (n, a) in grouped.iterrows()}


def test_summary_counts_the_open_needs_and_their_area(session: Session) -> None:
    frame = open_needs(session)
    summary = demand_summary(session)
    assert summary.needs == len(frame) > 100
    assert summary.area_m2 == pytest.approx(frame["surface_min_m2"].sum())


@pytest.mark.parametrize("dimension,column", [("filieres", "filiere"), ("stades", "stade")])
def test_demand_by_sector_and_stage(session: Session, dimension: str, column: str) -> None:
    assert by_key(demand_by(session, dimension).rows) == direct(open_needs(session), column)


def test_demand_by_commune(session: Session) -> None:
    frame = open_needs(session).assign(commune=lambda f: f["commune_insee"].fillna(""))
    table = demand_by(session, "communes")
    assert by_key(table.rows) == direct(frame, "commune")
    names: dict[str, str] = {
        code: nom for code, nom in session.execute(text("SELECT code_insee, nom FROM communes"))
    }
    assert {r["label"] for r in table.rows} <= {*names.values(), "Non localisé"}


def test_a_need_counts_under_each_kind_it_accepts(session: Session) -> None:
    frame = open_needs(session).explode("types_acceptes")
    table = demand_by(session, "types")
    assert by_key(table.rows) == direct(frame, "types_acceptes")
    assert sum(r["needs"] for r in table.rows) > len(open_needs(session))


def test_demand_by_area_band(session: Session) -> None:
    frame = open_needs(session)
    frame["band"] = np.searchsorted(np.asarray(AREA_BANDS), frame["surface_min_m2"], side="right")
    table = demand_by(session, "surfaces")
    assert by_key(table.rows) == direct(frame, "band")
    assert [int(str(r["key"])) for r in table.rows] == sorted(
        int(str(r["key"])) for r in table.rows
    )
    assert table.rows[0]["label"] == "moins de 50 m²"


def test_waiting_times_are_the_median_and_90th_percentile(session: Session) -> None:
    # Registrations spread over a year, so that the percentiles mean something.
    session.execute(
        text(
            "UPDATE besoins SET created_at = now() - (id % 365) * interval '1 day' "
            "- interval '1 hour'"
        )
    )
    today = datetime.now(PARIS).date()
    frame = open_needs(session)
    waits = np.array([(today - c.astimezone(PARIS).date()).days for c in frame["created_at"]])
    summary = demand_summary(session, today)
    assert summary.wait_median_days == pytest.approx(np.percentile(waits, 50))
    assert summary.wait_p90_days == pytest.approx(np.percentile(waits, 90))
    assert summary.wait_p90_days and summary.wait_median_days
    assert summary.wait_p90_days > summary.wait_median_days > 0
    frame["wait"] = waits
    for row in demand_by(session, "filieres", today).rows:
        mine = frame.loc[frame["filiere"] == row["key"], "wait"]
        assert row["wait_median_days"] == pytest.approx(np.percentile(mine, 50))
        assert row["wait_p90_days"] == pytest.approx(np.percentile(mine, 90))


def test_served_per_month_counts_each_move_into_satisfait(session: Session) -> None:
    satisfied = (
        session.scalar(
            select(func.count()).select_from(Besoin).where(Besoin.statut == StatutBesoin.SATISFAIT)
        )
        or 0
    )
    before = served_per_month(session)
    assert sum(r["needs"] for r in before.rows) == satisfied > 0
    three = select(Besoin.id).where(Besoin.statut == StatutBesoin.OUVERT).limit(3).scalar_subquery()
    session.execute(
        update(Besoin).where(Besoin.id.in_(three)).values(statut=StatutBesoin.SATISFAIT)
    )
    session.execute(update(Besoin).where(Besoin.id.in_(three)).values(intitule="modifié"))
    after = served_per_month(session)
    month = datetime.now(PARIS).strftime("%m/%Y")
    gained = {r["month"]: r["needs"] for r in after.rows}
    counted = {r["month"]: r["needs"] for r in before.rows}
    assert gained[month] == counted.get(month, 0) + 3  # an edit afterwards is no new service


def _direct_priced_out(session: Session) -> dict[str, float]:
    """Need by need, the way a need's page finds its candidates and near misses."""
    settings = current_settings(session)
    found = {}
    for need_id, ref in session.execute(
        select(Besoin.id, Besoin.ref).where(Besoin.statut.in_(OPEN_NEEDS))
    ):
        if not candidate_pairs(session, settings, Scope(need_id)).empty:
            continue
        relaxed = candidate_pairs(
            session, settings, Scope(need_id, strict=False, margin_m=settings.near_miss_distance_m)
        )
        misses = near_misses(relaxed, settings)
        checks = check_constraints(relaxed, settings).loc[misses.index]
        if misses.empty:
            continue
        only_rent = ~checks["ok_budget"] & checks[["ok_area", "ok_timing", "ok_location"]].all(
            axis=1
        )
        if only_rent.all():
            found[ref] = round(float(checks["gap_budget_m2_year"].min()), 2)
    return found


def test_priced_out_needs_are_those_whose_near_misses_fail_on_rent_alone(session: Session) -> None:
    table = priced_out(session)
    assert {r["ref"]: r["gap_m2_year"] for r in table.rows} == _direct_priced_out(session)
    assert table.rows, "the demo has needs a rent cap would serve"
    gaps = [r["gap_m2_year"] for r in table.rows]
    assert gaps == sorted(gaps)


def test_map_sums_unmet_and_available_area_by_commune(session: Session) -> None:
    layers = observatory(session).map
    frame = open_needs(session)
    assert layers.communes["unmet_m2"].sum() == pytest.approx(
        frame.loc[frame["commune_insee"].notna(), "surface_min_m2"].sum()
    )
    assert len(layers.communes) == 28 and len(layers.qpv) == 23
    available = session.scalar(
        select(func.count())
        .select_from(Local)
        .where(
            Local.statut == "disponible", Local.nature.in_(["local", "lot"]), Local.geom.isnot(None)
        )
    )
    assert len(layers.premises) == available == layers.communes["premises"].sum()
    assert layers.communes.crs.to_epsg() == 4326


def test_the_page_carries_no_personal_data(session: Session) -> None:
    contacts = [
        v
        for (v,) in session.execute(
            select(Acteur.contact_email).where(Acteur.contact_email.isnot(None))
        )
    ]
    names = [
        v
        for (v,) in session.execute(
            select(Acteur.contact_nom).where(Acteur.contact_nom.isnot(None))
        )
    ]
    page = observatory(session)
    dumped = repr([t.rows for t in page.tables().values()])
    assert contacts and names
    assert not any(c in dumped for c in contacts + names if c)


@pytest.mark.parametrize("name", TABLES)
def test_each_table_exports_to_csv_and_xlsx(session: Session, name: str) -> None:
    table = observatory_table(session, name)
    rows = list(
        csv.reader(io.StringIO(table_file(table, "csv").decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == [c.label for c in table.columns]
    assert len(rows) == len(table.rows) + 1
    sheet = openpyxl.load_workbook(io.BytesIO(table_file(table, "xlsx"))).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [c.label for c in table.columns]
    for row, cells in zip(table.rows, values[1:], strict=True):
        assert [row[c.key] for c in table.columns] == list(cells)


def test_decimals_are_french_in_csv(session: Session) -> None:
    table = observatory_table(session, "trop_chers")
    gap = next(r["gap_m2_year"] for r in table.rows if r["gap_m2_year"] % 1)
    assert str(gap).replace(".", ",") in table_file(table, "csv").decode("utf-8-sig")


def test_unknown_table_and_format_are_refused_in_french(session: Session) -> None:
    with pytest.raises(NotFound, match="« nimporte » ; tableaux : filieres"):
        observatory_table(session, "nimporte")
    with pytest.raises(InvalidInput, match="« pdf » ; formats permis : csv, xlsx"):
        table_file(observatory_table(session, "stades"), "pdf")


def test_today_defaults_to_the_current_day(session: Session) -> None:
    assert demand_summary(session) == demand_summary(session, date.today())

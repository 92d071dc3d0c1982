"""Geometries: WGS84 in, Lambert-93 stored with GiST indexes, WGS84 out."""

from __future__ import annotations

from pyproj import Geod
from shapely import Point
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from foncier.geo import STORE_SRID, WGS84_SRID, to_wgs84
from foncier.models import Local
from tests.factories import COMEDIE, a_local

GEOD = Geod(ellps="WGS84")


def test_round_trip_wgs84_lambert93_wgs84_within_a_metre(session: Session) -> None:
    session.add(a_local("RT-1", *COMEDIE))
    session.flush()
    srid, x, y, lon, lat = session.execute(
        select(
            func.ST_SRID(Local.geom),
            func.ST_X(Local.geom),
            func.ST_Y(Local.geom),
            func.ST_X(func.ST_Transform(Local.geom, WGS84_SRID)),
            func.ST_Y(func.ST_Transform(Local.geom, WGS84_SRID)),
        ).where(Local.ref == "RT-1")
    ).one()
    assert srid == STORE_SRID
    # Lambert-93 coordinates of central Bordeaux: about 417 km east, 6 423 km north.
    assert 410_000 < x < 425_000 and 6_415_000 < y < 6_430_000
    _, _, error_m = GEOD.inv(COMEDIE[0], COMEDIE[1], lon, lat)
    assert error_m < 1.0
    back = to_wgs84(Point(x, y))
    assert GEOD.inv(COMEDIE[0], COMEDIE[1], back.x, back.y)[2] < 1.0


def test_every_geometry_column_has_a_gist_index(session: Session) -> None:
    columns = session.execute(
        text(
            "SELECT f_table_name, f_geometry_column, srid FROM geometry_columns "
            "WHERE f_table_schema = 'public'"
        )
    ).all()
    indexes = session.execute(
        text("SELECT tablename, indexdef FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'")
    ).all()
    assert {(t, c) for t, c, _ in columns} >= {
        ("communes", "geom"),
        ("qpv", "geom"),
        ("friches", "geom"),
        ("locaux", "geom"),
        ("acteurs", "geom"),
        ("besoins", "geom"),
        ("besoins", "zone_souhaitee"),
    }
    for table, column, srid in columns:
        assert srid == STORE_SRID, (table, column)
        # A multicolumn GiST index serves a condition on any of its columns (locaux: kind, geom).
        assert any(t == table and column in _indexed(d) for t, d in indexes), (table, column)


def _indexed(indexdef: str) -> list[str]:
    """The columns of an index definition: "... USING gist (type_local, geom)"."""
    return [c.strip() for c in indexdef.rsplit("(", 1)[1].rstrip(")").split(",")]

"""Coordinate reference systems: Lambert-93 in the store, WGS84 (lon/lat) at the edges."""

from __future__ import annotations

from functools import cache

from pyproj import Transformer
from shapely import Geometry
from shapely.ops import transform

STORE_SRID = 2154  # RGF93 / Lambert-93: metres, so distances and areas are exact enough.
WGS84_SRID = 4326


@cache
def _transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_store(geom: Geometry) -> Geometry:
    """WGS84 lon/lat geometry to Lambert-93."""
    return transform(_transformer(WGS84_SRID, STORE_SRID).transform, geom)


def to_wgs84(geom: Geometry) -> Geometry:
    """Lambert-93 geometry to WGS84 lon/lat."""
    return transform(_transformer(STORE_SRID, WGS84_SRID).transform, geom)

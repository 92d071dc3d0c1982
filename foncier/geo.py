"""Coordinate reference systems: Lambert-93 in the store, WGS84 (lon/lat) at the edges."""

from __future__ import annotations

from functools import cache
from typing import TypeVar, cast

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

STORE_SRID = 2154  # RGF93 / Lambert-93: metres, so distances and areas are exact enough.
WGS84_SRID = 4326
G = TypeVar("G", bound=BaseGeometry)


@cache
def _transformer(source: int, target: int) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def _apply(geom: G, source: int, target: int) -> G:
    transformer = _transformer(source, target)

    def project(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))

    return cast(G, shapely.transform(geom, project))


def to_store(geom: G) -> G:
    """WGS84 lon/lat geometry to Lambert-93."""
    return _apply(geom, WGS84_SRID, STORE_SRID)


def to_wgs84(geom: G) -> G:
    """Lambert-93 geometry to WGS84 lon/lat."""
    return _apply(geom, STORE_SRID, WGS84_SRID)


def many_to_wgs84(geoms: list[BaseGeometry]) -> list[BaseGeometry]:
    """Lambert-93 geometries to WGS84 in one call to pyproj: a list of thousands of records
    pays one transformation, not one per record."""
    if not geoms:
        return []
    transformer = _transformer(STORE_SRID, WGS84_SRID)

    def project(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))

    return list(shapely.transform(np.asarray(geoms, dtype=object), project))

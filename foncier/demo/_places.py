"""Where demo records go: inside real communes, on land, near where activity is."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
from shapely import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from foncier.demo._catalogue import (
    CENTRE_BORDEAUX,
    CENTRE_EURATLANTIQUE,
    RAYON_CENTRE_M,
    RAYON_EURATLANTIQUE_M,
)
from foncier.geo import to_store

# The Garonne where it runs inside Bordeaux (between the left bank and La Bastide), where no
# commune boundary follows it. Hand-drawn from the bridges (WGS84), within about 150 m.
GARONNE_DANS_BORDEAUX = LineString(
    [
        (-0.515, 44.790),
        (-0.522, 44.804),
        (-0.530, 44.816),
        (-0.538, 44.823),
        (-0.547, 44.828),
        (-0.556, 44.832),
        (-0.5636, 44.8386),
        (-0.5665, 44.845),
        (-0.5655, 44.852),
        (-0.561, 44.858),
        (-0.5525, 44.8605),
        (-0.545, 44.866),
        (-0.539, 44.874),
        (-0.5365, 44.881),
        (-0.5375, 44.889),
    ]
)
DEMI_LARGEUR_GARONNE_M = 400
# Elsewhere the rivers are commune boundaries: keep this far inside every commune, and
# farther where the Garonne and the Dordogne widen into the estuary.
RETRAIT_M = 300
RETRAIT_ESTUAIRE_M = 700
BORDEAUX = "33063"
COMMUNES_ESTUAIRE = {"33004", "33434", "33487", "33312", "33056", "33032"}


def river_mask() -> BaseGeometry:
    return to_store(GARONNE_DANS_BORDEAUX).buffer(DEMI_LARGEUR_GARONNE_M)


class Places:
    """Draw points in communes (Lambert-93) from a seeded generator."""

    def __init__(self, communes: gpd.GeoDataFrame, friches: gpd.GeoDataFrame) -> None:
        mask = river_mask()
        self.codes: list[str] = list(communes["code_insee"])
        self.shapes: dict[str, BaseGeometry] = dict(zip(self.codes, communes.geometry, strict=True))
        self.allowed = {
            code: geom.buffer(
                -(RETRAIT_ESTUAIRE_M if code in COMMUNES_ESTUAIRE else RETRAIT_M)
            ).difference(mask)
            for code, geom in self.shapes.items()
        }
        population = communes["population"].to_numpy(dtype=float)
        self.weights = population / population.sum()
        self.anchors = {
            code: [
                p
                for p, c in zip(friches.geometry, friches["commune_insee"], strict=True)
                if c == code
            ]
            for code in self.codes
        }
        self.metropole = unary_union(list(self.shapes.values()))
        self.centre = to_store(Point(CENTRE_BORDEAUX))
        self.euratlantique = to_store(Point(CENTRE_EURATLANTIQUE))

    def commune(self, rng: np.random.Generator) -> str:
        return str(rng.choice(self.codes, p=self.weights))

    def point_in(self, rng: np.random.Generator, code: str) -> Point:
        """Mostly around the commune's heart, some near its brownfields, some anywhere."""
        area = self.allowed[code]
        minx, miny, maxx, maxy = area.bounds
        heart = area.representative_point()
        spread = math.sqrt(area.area) / 5
        anchors = self.anchors[code]
        for _ in range(500):
            draw = rng.random()
            if draw < 0.55:
                x, y = rng.normal(heart.x, spread), rng.normal(heart.y, spread)
            elif draw < 0.8 and anchors:
                anchor = anchors[int(rng.integers(len(anchors)))]
                x, y = rng.normal(anchor.x, 400), rng.normal(anchor.y, 400)
            else:
                x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            candidate = Point(round(x, 1), round(y, 1))
            if area.contains(candidate):
                return candidate
        return heart

    def office_district(self, rng: np.random.Generator) -> tuple[str, Point]:
        """A point in Bordeaux's central business districts (centre or Euratlantique)."""
        hub = self.centre if rng.random() < 0.6 else self.euratlantique
        area = self.allowed[BORDEAUX]
        for _ in range(500):
            candidate = Point(round(rng.normal(hub.x, 1000), 1), round(rng.normal(hub.y, 1000), 1))
            if area.contains(candidate):
                return BORDEAUX, candidate
        return BORDEAUX, area.representative_point()

    def neighbours(self, code: str) -> list[str]:
        shape = self.shapes[code].buffer(50)
        return [c for c in self.codes if c != code and shape.intersects(self.shapes[c])]

    def market_zone(self, point: Point) -> str:
        if point.distance(self.euratlantique) <= RAYON_EURATLANTIQUE_M:
            return "euratlantique"
        if point.distance(self.centre) <= RAYON_CENTRE_M:
            return "centre"
        return "peripherie"

    def drawn_zone(self, rng: np.random.Generator, centre: Point) -> MultiPolygon:
        """A hand-drawn-looking search area of 1–3 km around ``centre``, inside the Métropole."""
        radius = rng.uniform(1000, 3000)
        angles = np.sort(rng.uniform(0, 2 * math.pi, 9))
        ring = [
            (
                centre.x + radius * rng.uniform(0.7, 1.3) * math.cos(a),
                centre.y + radius * rng.uniform(0.7, 1.3) * math.sin(a),
            )
            for a in angles
        ]
        zone = Polygon(ring).buffer(0).intersection(self.metropole)
        if isinstance(zone, Polygon):
            return MultiPolygon([zone])
        polygons = [g for g in getattr(zone, "geoms", []) if isinstance(g, Polygon)]
        return MultiPolygon(polygons)

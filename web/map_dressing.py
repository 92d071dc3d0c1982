"""What every Folium map of the product carries: the call to ``habillerCarte`` (static
``habillage-carte.js``, the same code as the maps drawn by our own scripts), which adds a
metric scale, the legend, the communes' outlines and the base tiles once the page has loaded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template


@dataclass(frozen=True)
class Sign:
    """One line of a legend: a colour, its French label, and how it is drawn."""

    colour: str
    label: str
    shape: str = "point"  # point, ligne, surface, contour

    def as_json(self) -> dict[str, str]:
        return {"couleur": self.colour, "libelle": self.label, "forme": self.shape}


COMMUNE_OUTLINE = Sign("#404040", "Limite de commune", "contour")


class Dressing(MacroElement):
    """Calls ``habillerCarte(map, options)`` once the map exists."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "habillerCarte({{ this._parent.get_name() }}, {{ this.options_json }});"
        "{% endmacro %}"
    )

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "Habillage"
        # The options sit in a <script>: a text must not close it early.
        self.options_json = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")


def dress(
    fmap: folium.Map,
    legend: list[Sign],
    communes: str | dict[str, Any] | None,
    tiles: tuple[str, str] | None,
) -> None:
    """Scale, legend, communes' outlines (a URL or GeoJSON; None when the map draws its own)
    and base tiles (URL template and attribution; None for no base map)."""
    options: dict[str, Any] = {"legende": [sign.as_json() for sign in legend]}
    if communes is not None:
        options["communes"] = communes
        options["legende"].append(COMMUNE_OUTLINE.as_json())
    if tiles is not None:
        options["tuiles"] = {"url": tiles[0], "attribution": tiles[1]}
    Dressing(options).add_to(fmap)

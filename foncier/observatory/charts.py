"""The observatory's charts, for the page (SVG) and the notebook (figures).

matplotlib's object API (``Figure``, no pyplot), as ``foncier.scenarios.charts``: no global
state, safe in a web server.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from foncier.observatory.table import Table
from foncier.scenarios.charts import svg

_BLUE, _GREEN, _RED = "#2166ac", "#2c6e49", "#b5442c"


def _french(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def demand_bars(table: Table, title: str) -> Figure:
    """Open needs and their m² along one dimension (horizontal bars, largest first)."""
    frame = table.frame()
    height = 1.2 + 0.32 * max(len(frame), 1)
    figure = Figure(figsize=(7.5, height), layout="constrained")
    needs_axes, area_axes = figure.subplots(1, 2, sharey=True)
    labels = frame["label"].astype(str).tolist()
    needs_axes.barh(labels, frame["needs"], color=_BLUE)
    area_axes.barh(labels, frame["area_m2"], color=_GREEN)
    needs_axes.invert_yaxis()
    needs_axes.set_xlabel("besoins ouverts")
    area_axes.set_xlabel("m² demandés (surface minimale)")
    for axes in (needs_axes, area_axes):
        axes.grid(axis="x", alpha=0.3)
    figure.suptitle(title)
    return figure


def served_bars(table: Table) -> Figure:
    """Needs served, month by month."""
    frame = table.frame()
    figure = Figure(figsize=(7.5, 3.0), layout="constrained")
    axes = figure.subplots()
    axes.bar(frame["month"].astype(str), frame["needs"], color=_GREEN)
    axes.set_ylabel("besoins servis")
    axes.set_title("Besoins servis par mois")
    axes.tick_params(axis="x", labelrotation=45)
    axes.grid(axis="y", alpha=0.3)
    return figure


def gap_histogram(table: Table) -> Figure:
    """How far the priced-out needs are from an affordable rent (€/m²/year)."""
    gaps = table.frame()["gap_m2_year"].astype(float).to_numpy()
    figure = Figure(figsize=(7.5, 3.0), layout="constrained")
    axes = figure.subplots()
    if len(gaps):
        bins = np.arange(0.0, max(float(gaps.max()), 10.0) + 10.0, 10.0).tolist()
        axes.hist(gaps, bins=bins, color=_RED, edgecolor="white")
    axes.set_xlabel("€/m²/an qui manquent (loyer et charges au-delà du budget toléré)")
    axes.set_ylabel("besoins")
    axes.set_title("Besoins écartés par le seul loyer, selon l'écart")
    axes.grid(axis="y", alpha=0.3)
    return figure


def sector_commune_heatmap(table: Table, top_communes: int = 15) -> Figure:
    """Open needs by sector (rows) and commune (columns), the busiest communes only."""
    frame = table.frame()
    grid = frame.pivot_table(
        index="sector", columns="commune", values="needs", aggfunc="sum", fill_value=0
    )
    busiest = grid.sum(axis=0).sort_values(ascending=False).index[:top_communes]
    grid = grid.loc[:, busiest] if len(busiest) else grid
    figure = Figure(figsize=(9.0, 1.6 + 0.35 * max(len(grid), 1)), layout="constrained")
    axes = figure.subplots()
    values = grid.to_numpy(float) if grid.size else np.zeros((1, 1))
    mesh = axes.imshow(values, cmap="Blues", aspect="auto")
    axes.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=60, ha="right")
    axes.set_yticks(range(grid.shape[0]), [str(s) for s in grid.index])
    for (i, j), value in np.ndenumerate(values):
        if value:
            axes.text(j, i, _french(value), ha="center", va="center", fontsize=7)
    figure.colorbar(mesh, ax=axes, label="besoins ouverts")
    axes.set_title("Besoins ouverts par filière et par commune")
    return figure


def svg_text(figure: Figure) -> str:
    """The figure as SVG with its text kept as text, not drawn glyph by glyph: half the size
    and faster to write, for a page that draws seven charts."""
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return svg(figure)

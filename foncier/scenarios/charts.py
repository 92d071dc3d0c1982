"""The planners' charts, drawn once for the page (SVG) and the notebook (figures).

matplotlib's object API (``Figure``, no pyplot): no global state, safe in a web server.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

_MILLIONS = FuncFormatter(lambda v, _: f"{v / 1e6:.1f}".replace(".", ",") + " M€")
# Thousands grouped with a narrow no-break space, as the French pages write them: 1 500.
_FRENCH = FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", "\u202f").replace("-", "−"))


def balance_heatmap(grid: Sequence[dict[str, Any]], break_even: Sequence[dict[str, Any]]) -> Figure:
    """The public developer's balance over cap × ESS share, with the break-even line."""
    frame = pd.DataFrame(grid)
    table = frame.pivot(index="share", columns="cap", values="balance_after_eur")
    values = table.to_numpy(float)
    figure = Figure(figsize=(7.5, 4.8), layout="constrained")
    axes = figure.subplots()
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    norm = TwoSlopeNorm(vcenter=0.0, vmin=min(low, -1.0), vmax=max(high, 1.0))
    mesh = axes.pcolormesh(
        table.columns.to_numpy(float),
        table.index.to_numpy(float),
        values,
        cmap="RdYlGn",
        norm=norm,
        shading="nearest",
    )
    colorbar = figure.colorbar(mesh, ax=axes, format=_MILLIONS)
    colorbar.set_label("Bilan de l'aménageur après la clause")
    line = [(p["cap"], p["share"]) for p in break_even if p["share"] is not None]
    if line:
        caps, shares = zip(*line, strict=True)
        axes.plot(caps, shares, color="black", linewidth=2, label="Équilibre (bilan nul)")
        axes.legend(loc="upper left")
    axes.set_xlabel("Plafond (part du prix ou du loyer de marché)")
    axes.set_ylabel("Part ESS de chaque lot")
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol="\u202f%"))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol="\u202f%"))
    axes.set_title("Bilan de l'aménageur selon le plafond et la part ESS")
    return figure


def cap_curves_figure(curves: Sequence[dict[str, Any]]) -> Figure:
    """Cost per ESS m² and needs served, against the cap."""
    frame = pd.DataFrame(curves).sort_values("cap")
    figure = Figure(figsize=(7.5, 3.6), layout="constrained")
    cost_axes, needs_axes = figure.subplots(1, 2)
    cost_axes.plot(frame["cap"], frame["cost_per_ess_m2_eur"], marker="o", color="#b5442c")
    cost_axes.set_title("Coût pour l'aménageur par m² ESS")
    cost_axes.set_ylabel("€ par m² de SDP ESS")
    cost_axes.yaxis.set_major_formatter(_FRENCH)
    needs_axes.plot(frame["cap"], frame["needs_served"], marker="o", color="#2c6e49")
    needs_axes.set_title("Besoins ESS servis")
    needs_axes.set_ylabel("besoins")
    for axes in (cost_axes, needs_axes):
        axes.set_xlabel("Plafond (part du marché)")
        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol="\u202f%"))
        axes.grid(alpha=0.3)
    return figure


WHO_PAYS_LABELS = {
    "public_developer_eur": "Aménageur (recettes foncières en moins)",
    "metropole_contribution_eur": "Métropole (contribution à l'équilibre)",
    "developer_margin_eur": "Promoteur (marge en euros en moins)",
    "tenants_savings_pv_eur": "Locataires ESS (économies actualisées)",
}


def who_pays_figure(who_pays: dict[str, float]) -> Figure:
    """Who bears the clause, and what the ESS tenants save."""
    labels = [WHO_PAYS_LABELS[k] for k in WHO_PAYS_LABELS]
    values = [who_pays[k] for k in WHO_PAYS_LABELS]
    colours = ["#b5442c", "#d08c2c", "#7a5c99", "#2c6e49"]
    figure = Figure(figsize=(7.5, 2.8), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels, values, color=colours)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(_MILLIONS)
    axes.set_title("Qui paie la clause, et ce que gagnent les locataires")
    axes.grid(axis="x", alpha=0.3)
    return figure


def svg(figure: Figure) -> str:
    """The figure as inline SVG text (no file, no external font)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg") :]

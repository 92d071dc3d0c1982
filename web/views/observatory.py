"""The demand observatory's page and the downloads of its tables."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template
from matplotlib.figure import Figure

from foncier.observatory import Observatory, observatory, observatory_table, priced_out_page
from foncier.observatory.charts import demand_bars, gap_histogram, served_bars, svg_text
from foncier.observatory.export import check_format, table_file
from web import store
from web.auth.headers import with_nonce
from web.maps import MapAssets
from web.observatory_map import demand_map_view
from web.views.home import map_assets, raw_map_parts

bp = Blueprint("observatoire", __name__, url_prefix="/observatoire")
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class _Drawn:
    """The page's charts and map, drawn from one set of figures."""

    page: Observatory
    assets: MapAssets
    charts: dict[str, str]
    legend: list[tuple[str, str]]
    map_parts: dict[str, str]  # the map's header without this request's nonce


@bp.get("/")
def index() -> str:
    # The figures come back as the same object while the data is unchanged (the
    # observatory's cache): the application keeps their drawings beside them, so that a
    # repeated view draws nothing.
    page, assets = observatory(store.session()), map_assets()
    kept: list[_Drawn] = current_app.extensions.setdefault("observatoire.dessins", [])
    drawn = next((d for d in kept if d.page is page and d.assets == assets), None)
    if drawn is None:
        drawn = _draw(page, assets)
        kept[:] = [drawn]
    parts = drawn.map_parts | {"map_header": with_nonce(drawn.map_parts["map_header"])}
    return render_template(
        "observatoire.html", page=page, charts=drawn.charts, legend=drawn.legend, **parts
    )


def _draw(page: Observatory, assets: MapAssets) -> _Drawn:
    fmap, legend = demand_map_view(page.map, assets)
    charts = {
        name: _data_uri(demand_bars(table, table.title)) for name, table in page.demand.items()
    }
    charts["servis"] = _data_uri(served_bars(page.served))
    return _Drawn(page, assets, charts, list(legend), raw_map_parts(fmap))


@bp.get("/trop-chers")
def priced_out() -> str:
    table = priced_out_page(store.session())
    kept: list[tuple[object, str]] = current_app.extensions.setdefault("observatoire.ecarts", [])
    chart = next((c for t, c in kept if t is table), None)  # the same figures: same chart
    if chart is None:
        chart = _data_uri(gap_histogram(table))
        kept[:] = [(table, chart)]
    return render_template("observatoire_trop_chers.html", table=table, chart=chart)


@bp.get("/<name>.<extension>")
def download(name: str, extension: str) -> Response:
    check_format(extension)
    content = table_file(observatory_table(store.session(), name), extension)
    return Response(
        content,
        mimetype=TYPES.get(extension, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="observatoire-{name}.{extension}"'},
    )


def _data_uri(figure: Figure) -> str:
    """A chart as an image the page embeds (its text stays out of the page's own text)."""
    encoded = base64.b64encode(svg_text(figure).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"

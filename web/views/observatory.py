"""The demand observatory's page and the downloads of its tables."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, render_template
from matplotlib.figure import Figure

from foncier.observatory import observatory, observatory_table, priced_out_page
from foncier.observatory.charts import demand_bars, gap_histogram, served_bars, svg_text
from foncier.observatory.export import check_format, table_file
from web import store
from web.observatory_map import demand_map_view
from web.views.home import map_assets, map_parts

bp = Blueprint("observatoire", __name__, url_prefix="/observatoire")
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/")
def index() -> str:
    page = observatory(store.session())
    fmap, legend = demand_map_view(page.map, map_assets())
    charts = {
        name: _data_uri(demand_bars(table, table.title)) for name, table in page.demand.items()
    }
    charts["servis"] = _data_uri(served_bars(page.served))
    return render_template(
        "observatoire.html", page=page, charts=charts, legend=legend, **map_parts(fmap)
    )


@bp.get("/trop-chers")
def priced_out() -> str:
    table = priced_out_page(store.session())
    chart = _data_uri(gap_histogram(table))
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

"""A session's documents: the self-contained dossier (one HTML file that works offline, every
script, style and layer inlined, no tile) and the minutes in HTML and PDF.

The PDF is printed by headless Chromium (``--print-to-pdf``), the browser the tests already
drive: no second layout engine to keep in step with the HTML minutes."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, cast

from branca.element import Figure
from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import Session
from xstatic.pkg import leaflet, leaflet_markercluster

from foncier.committee.map_layers import dossier_layers
from foncier.committee.vocabulary import LABELS
from foncier.errors import EnvironmentProblem
from web.dossier_map import dossier_map, rank_colour
from web.maps import MapAssets

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
STATIC = Path(__file__).resolve().parent / "static"
_ASSETS = (
    (leaflet.BASE_DIR, "leaflet.js", "leaflet.css"),
    (leaflet_markercluster.BASE_DIR, "leaflet.markercluster.js", "MarkerCluster.css"),
    (leaflet_markercluster.BASE_DIR, None, "MarkerCluster.Default.css"),
)


def _inlined() -> tuple[str, str]:
    """Leaflet and its clustering plugin, their scripts and styles as text."""
    scripts, styles = [], []
    for folder, script, style in _ASSETS:
        if script:
            scripts.append(Path(folder, script).read_text(encoding="utf-8"))
        styles.append(Path(folder, style).read_text(encoding="utf-8"))
    # Our own map dressing (scale, legend), as on the app's pages.
    scripts.append((STATIC / "habillage-carte.js").read_text(encoding="utf-8"))
    styles.append((STATIC / "habillage-carte.css").read_text(encoding="utf-8"))
    # A script's text must not close its own element early.
    return "\n".join(s.replace("</script", "<\\/script") for s in scripts), "\n".join(styles)


def dossier_html(session: Session, view: dict[str, Any]) -> str:
    fmap = dossier_map(dossier_layers(session, view), MapAssets("", "", "aucun"))
    fmap.default_js, fmap.default_css = [], []
    root = cast(Figure, fmap.get_root())
    root.render()
    script, style = _inlined()
    return render_template(
        "comite_dossier.html",
        v=view,
        labels=LABELS,
        rank_colour=rank_colour,
        leaflet_js=Markup(script),
        leaflet_css=Markup(style),
        map_header=Markup(root.header.render()),
        map_html=Markup(root.html.render()),
        map_script=Markup(root.script.render()),
    )


def minutes_html(view: dict[str, Any]) -> str:
    return render_template("comite_pv.html", v=view, labels=LABELS)


def minutes_pdf(page: str) -> bytes:
    """Print the HTML minutes to PDF with headless Chromium."""
    browser = next((found for b in BROWSERS if (found := shutil.which(b))), None)
    if browser is None:
        raise EnvironmentProblem(
            "Le procès-verbal en PDF demande Chromium : installez-le (apt-get install chromium)."
        )
    with tempfile.TemporaryDirectory(prefix="foncier-pv-") as folder:
        source, target = Path(folder, "pv.html"), Path(folder, "pv.pdf")
        source.write_text(page, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profil",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, timeout=120, check=False)
        if not target.exists():
            raise EnvironmentProblem(
                "Chromium n'a pas produit le PDF du procès-verbal.",
                detail=done.stderr.decode(errors="replace")[-2000:],
            )
        return target.read_bytes()

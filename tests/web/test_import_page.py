"""The upload page: the mapping found, a dry run, corrections, then the import."""

from __future__ import annotations

import html
import io
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import MESSY, csrf_token


def upload(client: FlaskClient) -> tuple[str, str]:
    response = client.post(
        "/import/",
        data={
            "csrf_token": csrf_token(client, "/import/"),
            "kind": "premises",
            "source": "tests-web-import",
            "fichier": (io.BytesIO(MESSY.encode("cp1252")), "locaux agence.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    found = re.search(r'action="/import/([^"]+)"', page)
    assert found
    return found.group(1), page


def run(client: FlaskClient, deposit: str, mode: str, **fixes: str) -> str:
    data = {"csrf_token": csrf_token(client, "/import/"), "mode": mode}
    data.update({f"map:{header}": field for header, field in fixes.items()})
    response = client.post(f"/import/{deposit}", data=data)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_upload_shows_mapping_and_dry_run(app: Flask) -> None:
    client = app.test_client()
    _, page = upload(client)
    assert "Essai à blanc : rien n'est écrit. 2 à créer" in " ".join(page.split())
    assert re.search(
        r'name="map:Surface \(m²\)">.*?<option value="surface_m2" selected', page, re.S
    )
    assert "« cent »" in page and "« 31/02/2027 »" in page


def test_all_or_nothing_then_valid_rows_with_rejects(app: Flask) -> None:
    client = app.test_client()
    deposit, _ = upload(client)
    refused = run(client, deposit, "tout")
    assert "Rien n'a été importé : 3 ligne(s) rejetée(s)" in " ".join(refused.split())
    done = run(client, deposit, "valides")
    assert "Import terminé : 2 créé(s)" in " ".join(done.split())
    rejects = client.get(f"/import/{deposit}/rejets")
    assert rejects.status_code == 200 and "IMP-2" in rejects.get_data(as_text=True)
    rejects.close()
    again = run(client, deposit, "valides")
    assert "Import terminé : 0 créé(s), 0 mis à jour, 2 inchangé(s)" in " ".join(again.split())


def test_a_corrected_mapping_is_applied(app: Flask) -> None:
    client = app.test_client()
    deposit, _ = upload(client)
    page = run(client, deposit, "essai", **{"Surface (m²)": ""})
    assert re.search(r'name="map:Surface \(m²\)">\s*<option value="" selected', page)
    assert "surface_m2 : Champ obligatoire." in page  # without its column, no row has an area


def test_unknown_deposit_is_a_french_404(app: Flask) -> None:
    response = app.test_client().get("/import/inconnu/rejets")
    assert response.status_code == 404
    assert "Aucun dépôt « inconnu »" in html.unescape(response.get_data(as_text=True))


def test_old_deposits_are_purged_at_the_next_upload(app: Flask) -> None:
    import os
    from pathlib import Path

    client = app.test_client()
    old, _ = upload(client)
    folder = Path(app.config["UPLOAD_DIR"]) / old
    two_days_ago = folder.stat().st_mtime - 2 * 86400
    os.utime(folder, (two_days_ago, two_days_ago))
    upload(client)
    assert not folder.exists()

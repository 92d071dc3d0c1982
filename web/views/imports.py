"""The upload page: a file in, the column mapping found, a dry run, then the import."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, render_template, request, send_file
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from foncier.errors import InvalidInput, NotFound
from foncier.french import french_sorted
from foncier.imports.columns import fields as importable_fields
from foncier.imports.parse import parse_table
from foncier.imports.reading import ALLOWED_FORMATS
from foncier.imports.service import import_file, source_of
from foncier.registry import KINDS, kind_named
from foncier.registry.lists import choices
from web import store
from web.context import acting_user, geocoder, parsed_apart
from web.forms import missing_required
from web.labels import field_label
from web.ratelimits import uploads

bp = Blueprint("imports", __name__, url_prefix="/import")
MODES = {"essai": "Essai à blanc", "tout": "Tout ou rien", "valides": "Lignes valides seulement"}


def _deposits() -> Path:
    """Uploaded files wait here between the dry run and the import."""
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


def _folder(token: str) -> Path:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise NotFound(f"Aucun dépôt « {token} ».")
    folder = _deposits() / token
    if not (folder / "depot.json").exists():
        raise NotFound(f"Aucun dépôt « {token} » : déposez le fichier à nouveau.")
    return folder


@bp.get("/")
def form() -> str:
    titles = {name: kind.title for name, kind in KINDS.items()}
    return render_template("import_depot.html", titles=titles, formats=ALLOWED_FORMATS)


@bp.post("/")
@uploads
def upload() -> str:
    upload = request.files.get("fichier")
    kind = request.form.get("kind", "")
    if upload is None or not upload.filename:
        raise InvalidInput("Choisissez un fichier à importer.")
    kind_named(kind)
    _purge_old_deposits()
    token = secrets.token_urlsafe(12)
    folder = _deposits() / token
    folder.mkdir(parents=True)
    name = secure_filename(upload.filename) or "fichier"
    upload.save(folder / name)
    source = request.form.get("source", "").strip() or source_of(Path(upload.filename))
    (folder / "depot.json").write_text(json.dumps({"kind": kind, "file": name, "source": source}))
    return _run(token, "essai", {})


KEEP_DEPOSITS = timedelta(days=1)  # time to correct a mapping or fetch the rejects file


def _purge_old_deposits() -> None:
    """Uploaded spreadsheets hold personal data: they do not outlive their import by long."""
    root = _deposits()
    if not root.exists():
        return
    limit = time.time() - KEEP_DEPOSITS.total_seconds()
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


@bp.post("/<token>")
@uploads
def run(token: str) -> str:
    fixes = {
        key[4:]: (value or None) for key, value in request.form.items() if key.startswith("map:")
    }
    # A value given once for the whole file, for a required field no column gives.
    defaults = {
        key[4:]: value.strip()
        for key, value in request.form.items()
        if key.startswith("set:") and value.strip()
    }
    mode = request.form.get("mode", "essai")
    return _run(token, mode if mode in MODES else "essai", fixes, defaults)


@bp.get("/<token>/rejets")
def rejects(token: str) -> Response:
    folder = _folder(token)
    found = sorted(folder.glob("*.rejets.csv"))
    if not found:
        raise NotFound("Aucune ligne rejetée pour ce dépôt.")
    return send_file(found[0], as_attachment=True, download_name=found[0].name)


def _run(
    token: str, mode: str, fixes: dict[str, str | None], defaults: dict[str, str] | None = None
) -> str:
    folder = _folder(token)
    meta: dict[str, Any] = json.loads((folder / "depot.json").read_text())
    kind = kind_named(meta["kind"])
    report = import_file(
        store.session(),
        kind,
        folder / meta["file"],
        acting_user("web"),
        source=meta["source"],
        dry_run=mode == "essai",
        skip_invalid=mode == "valides",
        mapping_fix=fixes or None,
        geocoder=geocoder(),
        defaults=defaults or None,
        parse=partial(parsed_apart, parse_table, name=meta["file"]),
    )
    session = store.session()
    mapped = {target for target in report.mapping.values() if target}
    asked = missing_required(kind, mapped, choices(session, kind.name))
    fields_ = importable_fields(kind.name)  # type: ignore[arg-type]
    options = [("", "(ignorer)"), *french_sorted((n, f"{field_label(n)} ({n})") for n in fields_)]
    return render_template(
        "import_apercu.html",
        token=token,
        meta=meta,
        kind=kind,
        title=kind.title,
        report=report,
        options=options,
        mode=mode,
        modes=MODES,
        asked=asked,
        defaults=defaults or {},
        counts=report.counts(),
    )

"""Where the product finds its database and its local state. Read at run time, never at import."""

from __future__ import annotations

import os
from pathlib import Path

from foncier.db.cluster import APP_USER, Cluster

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR_NAME = "data"

# Per account, over every worker process (issue 13), in the syntax of the `limits` library.
# FONCIER_RUNS_PER_ACCOUNT and FONCIER_UPLOADS_PER_ACCOUNT override them, as every FONCIER_*
# variable overrides the app's setting of the same name.
RUNS_PER_ACCOUNT = "10 per minute"  # matching runs, committee proposals, scenario calculations
UPLOADS_PER_ACCOUNT = "20 per minute"  # imports, scenario files and perimeters


def project_root() -> Path:
    """The checkout holding this package (editable install), else the working folder."""
    checkout = PACKAGE_DIR.parent
    return checkout if (checkout / "setup.cfg").exists() else Path.cwd()


def state_dir() -> Path:
    return Path(os.environ.get("FONCIER_STATE_DIR") or project_root() / ".foncier")


def reference_data_dir() -> Path:
    return project_root() / DATA_DIR_NAME


def embedded_cluster() -> Cluster:
    return Cluster(state_dir())


def sqlalchemy_url(url: str) -> str:
    """Accept the usual ``postgres://`` and ``postgresql://`` forms; we drive psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def configured_url() -> str | None:
    """``DATABASE_URL`` if set: then the product uses that server and starts nothing."""
    configured = os.environ.get("DATABASE_URL")
    return sqlalchemy_url(configured) if configured else None


def application_role() -> str | None:
    """The role the web app connects as, granted its rights by ``foncier db upgrade``:
    ``FONCIER_APP_ROLE`` with ``DATABASE_URL``, ``foncier_app`` in the embedded cluster."""
    if configured_url():
        return os.environ.get("FONCIER_APP_ROLE") or None
    return APP_USER


def application_url() -> str:
    """Where the web app connects: ``FONCIER_APP_URL`` (or ``DATABASE_URL``) when set, else the
    embedded cluster's application role (it owns nothing, so it cannot alter the history)."""
    if os.environ.get("FONCIER_APP_URL"):
        return sqlalchemy_url(os.environ["FONCIER_APP_URL"])
    return configured_url() or embedded_cluster().up().app_url()


def database_url() -> str:
    """``DATABASE_URL`` when set; otherwise the embedded cluster, started if need be."""
    return configured_url() or embedded_cluster().up().url()

"""Back up and restore the database with PostgreSQL's own tools (pg_dump's custom format).

The custom format keeps everything the product needs to come back: records, the whole
``historique`` table with its append-only trigger, stored runs and scenarios, reference layers.
The password goes through the environment, never on a command line others can read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from sqlalchemy import make_url

from foncier.db import _pgserver, conninfo
from foncier.errors import EnvironmentProblem, InvalidInput

TIMEOUT_S = 3600


def backup(url: str, path: Path) -> None:
    """Write the database of ``url`` to ``path`` (custom format, compressed)."""
    if path.exists() and path.is_dir():
        raise InvalidInput(f"« {path} » est un dossier ; attendu : un nom de fichier.")
    partial = path.with_name(path.name + ".partiel")
    _run("pg_dump", url, ["--format=custom", "--no-owner", f"--file={partial}"])
    partial.replace(path)  # a dump cut short never takes the name of a good one


def restore(url: str, path: Path, *, replace: bool) -> None:
    """Load ``path`` into the database of ``url``; with ``replace``, over what it holds."""
    if not path.is_file():
        raise InvalidInput(f"« {path} » : fichier introuvable.")
    with path.open("rb") as handle:
        if handle.read(5) != b"PGDMP":
            raise InvalidInput(
                f"« {path.name} » n'est pas une sauvegarde de `foncier db backup`"
                " (format personnalisé de pg_dump)."
            )
    options = ["--no-owner", "--exit-on-error", "--single-transaction"]
    if replace:
        options += ["--clean", "--if-exists"]
    elif _holds_tables(url):
        raise InvalidInput(
            f"La base {make_url(url).database} contient déjà des tables : restaurez dans une"
            " base vide, ou ajoutez --remplacer pour écraser son contenu."
        )
    _run("pg_restore", url, [*options, str(path)], dbname_option=True)
    _move_version_on(url)


# The restored data's version jumps to the clock (in ms), past any number a running server
# may have kept pages under for this database before (foncier.db.kept): a kept page is
# never taken for the restored data's.
_PAST_EVERY_KEPT_PAGE = """
DO $$ BEGIN
  IF to_regclass('public.version_donnees') IS NOT NULL THEN
    UPDATE version_donnees SET numero =
      greatest(numero + 1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
  END IF;
END $$"""


def _move_version_on(url: str) -> None:
    with psycopg.connect(conninfo(url), connect_timeout=10) as conn:
        conn.execute(_PAST_EVERY_KEPT_PAGE)


def _holds_tables(url: str) -> bool:
    with psycopg.connect(conninfo(url), connect_timeout=10) as conn:
        found = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'spatial_ref_sys'"
        ).fetchone()
    return bool(found and found[0])


def _run(tool: str, url: str, options: list[str], *, dbname_option: bool = False) -> None:
    parsed = make_url(url)
    env = {
        **os.environ,
        "PGHOST": parsed.host or "127.0.0.1",
        "PGPORT": str(parsed.port or 5432),
        "PGUSER": parsed.username or "",
        "PGPASSWORD": parsed.password or "",
        "PGDATABASE": parsed.database or "",
        "PGCONNECT_TIMEOUT": "10",
    }
    command = [_tool(tool), *options]
    if dbname_option:
        command.append(f"--dbname={parsed.database}")
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        raise EnvironmentProblem(
            f"{tool} a échoué (code {done.returncode}) : {done.stderr.strip()[-500:]}",
            detail=done.stderr,
        )


def _tool(name: str) -> str:
    """The tool of the installed server (same major version as the embedded cluster)."""
    bindir = _pgserver.server_bindir()
    found = bindir / name if bindir and (bindir / name).exists() else shutil.which(name)
    if not found:
        raise EnvironmentProblem(
            f"{name} est introuvable : installez le client PostgreSQL (postgresql-client)."
        )
    return str(found)

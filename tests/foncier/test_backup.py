"""`foncier db backup` and `foncier db restore`: every record and the whole history come back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from foncier.db import conninfo
from tests.databases import create_database, drop_database
from tests.factories import foncier_cli

TABLES = ("locaux", "acteurs", "besoins", "historique", "communes", "appariements")


def _contents(url: str) -> dict[str, object]:
    """Row counts, and the history itself (not only its size)."""
    with psycopg.connect(conninfo(url)) as conn:
        found: dict[str, object] = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone() for table in TABLES
        }
        found["history"] = conn.execute(
            "SELECT table_name, record_id, action, utilisateur, avant, apres"
            " FROM historique ORDER BY id"
        ).fetchall()
        found["premises"] = conn.execute(
            "SELECT ref, nom, ST_AsText(geom) FROM locaux ORDER BY id"
        ).fetchall()
    return found


def _version(url: str) -> int:
    with psycopg.connect(conninfo(url)) as conn:
        found = conn.execute("SELECT numero FROM version_donnees").fetchone()
    assert found is not None
    return int(found[0])


@pytest.fixture
def two_databases(server_url: str) -> Iterator[tuple[str, str]]:
    source = create_database(server_url, prefix="foncier_sauve")
    target = create_database(server_url, prefix="foncier_restaure")
    yield source, target
    drop_database(source)
    drop_database(target)


def test_a_backup_restores_into_a_fresh_database(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = two_databases
    for command in (("db", "upgrade"), ("reference", "load"), ("demo", "load")):
        assert foncier_cli(*command, url=source).exit_code == 0
    assert foncier_cli("match", "--top", "2", url=source).exit_code == 0
    with psycopg.connect(conninfo(source)) as conn:  # some history beyond the creations
        conn.execute("SELECT set_config('foncier.utilisateur', 'tests', false)")
        conn.execute("UPDATE locaux SET nom = nom || ' (renommé)' WHERE id <= 5")
        conn.execute("UPDATE besoins SET statut = 'abandonne' WHERE id <= 3")
    before = _contents(source)

    dump = tmp_path / "foncier.dump"
    saved = foncier_cli("db", "backup", str(dump), url=source)
    assert saved.exit_code == 0 and "Base sauvegardée" in saved.output
    assert dump.read_bytes().startswith(b"PGDMP")
    restored = foncier_cli("db", "restore", str(dump), url=target)
    assert restored.exit_code == 0, restored.output
    assert _contents(target) == before
    # Past every version pages were kept under, for the source and for any earlier target.
    assert _version(target) > _version(source)

    with psycopg.connect(conninfo(target)) as conn, pytest.raises(psycopg.Error):
        conn.execute("DELETE FROM historique")  # the append-only trigger came back too


def test_restore_never_overwrites_without_being_asked(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = two_databases
    assert foncier_cli("db", "upgrade", url=source).exit_code == 0
    assert foncier_cli("db", "upgrade", url=target).exit_code == 0
    dump = tmp_path / "foncier.dump"
    assert foncier_cli("db", "backup", str(dump), url=source).exit_code == 0
    refused = foncier_cli("db", "restore", str(dump), url=target)
    assert refused.exit_code == 1 and "--remplacer" in refused.output
    assert foncier_cli("db", "restore", "--remplacer", str(dump), url=target).exit_code == 0
    not_a_dump = tmp_path / "notes.txt"
    not_a_dump.write_text("bonjour")
    wrong = foncier_cli("db", "restore", str(not_a_dump), url=target)
    assert wrong.exit_code == 1 and "n'est pas une sauvegarde" in wrong.output

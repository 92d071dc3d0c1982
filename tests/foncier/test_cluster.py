"""The embedded PostGIS: idempotent up, down then up, recovery from a crash, loopback only."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from foncier.db.cluster import FALLBACK_ROOT, Cluster, ClusterState


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("etat") / ".foncier")
    yield cluster
    cluster.down()
    state = cluster.load_state()
    if state is not None:
        shutil.rmtree(Path(state.data_dir).parent, ignore_errors=True)


def query(state: ClusterState, sql: str) -> object:
    with psycopg.connect(state.conninfo(state.database)) as conn:
        row = conn.execute(sql).fetchone()
        assert row is not None
        return row[0]


def test_up_twice_reuses_the_running_cluster(cluster: Cluster) -> None:
    first = cluster.up()
    second = cluster.up()
    assert (second.port, second.data_dir, second.password) == (
        first.port,
        first.data_dir,
        first.password,
    )
    assert cluster.is_running()
    assert str(query(second, "SELECT postgis_version()")).startswith("3.")


def test_listens_on_loopback_only(cluster: Cluster) -> None:
    state = cluster.up()
    assert query(state, "SHOW listen_addresses") == "127.0.0.1"
    assert query(state, "SHOW unix_socket_directories") == ""


def test_data_folder_is_reachable_by_the_server_user(cluster: Cluster) -> None:
    state = cluster.up()
    data_dir = Path(state.data_dir)
    if os.geteuid() == 0:
        # pytest's temporary folders are root-only (0700): the data go to the fallback.
        assert data_dir.is_relative_to(FALLBACK_ROOT)
        assert data_dir.stat().st_uid != 0
    else:
        assert data_dir.is_relative_to(cluster.state_dir)
    assert (cluster.state_dir / "cluster.json").stat().st_mode & 0o077 == 0


def test_down_then_up_keeps_the_data(cluster: Cluster) -> None:
    state = cluster.up()
    with psycopg.connect(state.conninfo(state.database), autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS temoin (n int)")
        conn.execute("INSERT INTO temoin VALUES (42)")
    assert cluster.down() is True
    assert not cluster.is_running()
    assert cluster.down() is False
    state = cluster.up()
    assert query(state, "SELECT max(n) FROM temoin") == 42


def test_up_recovers_from_a_crash_that_left_a_stale_pid_file(cluster: Cluster) -> None:
    state = cluster.up()
    pidfile = Path(state.data_dir) / "postmaster.pid"
    pid = int(pidfile.read_text().split("\n", 1)[0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pidfile.exists(), "a killed server leaves its pid file behind"
    state = cluster.up()
    assert cluster.is_running()
    assert query(state, "SELECT 1") == 1


@pytest.mark.slow
def test_a_data_folder_without_its_state_is_kept_aside(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / ".foncier")
    first = cluster.up()
    cluster.down()
    (cluster.state_dir / "cluster.json").unlink()  # e.g. a fresh clone at the same path
    try:
        second = cluster.up()
        assert second.data_dir == first.data_dir and second.password != first.password
        kept = list(Path(first.data_dir).parent.glob("data.orphelin-*"))
        assert len(kept) == 1 and (kept[0] / "PG_VERSION").exists()
    finally:
        cluster.down()
        shutil.rmtree(Path(first.data_dir).parent, ignore_errors=True)

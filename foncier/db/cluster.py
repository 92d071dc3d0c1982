"""The embedded default database: a private PostgreSQL + PostGIS cluster for this checkout.

Its state (data folder, port, password) lives in ``.foncier/cluster.json`` of the checkout.
The data folder is ``.foncier/pg/data`` unless we are root and the ``postgres`` user cannot reach
the checkout (a checkout under a root-only home): then it is
``/var/lib/foncier/<checkout hash>/data``, and ``db status`` says so.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from foncier.db import _pgserver, roles
from foncier.errors import EnvironmentProblem

DEFAULT_PORT = 54329
SUPERUSER = "foncier"  # owns the tables and runs the migrations
APP_USER = "foncier_app"  # what the web app connects as: rows only (foncier.db.roles)
DATABASE = "foncier"
FALLBACK_ROOT = Path("/var/lib/foncier")


@dataclass
class ClusterState:
    data_dir: str
    port: int
    password: str
    user: str = SUPERUSER
    database: str = DATABASE
    app_password: str = ""  # state files written before the role existed get one on `up`

    def url(self, database: str | None = None) -> str:
        db = database or self.database
        return f"postgresql+psycopg://{self.user}:{self.password}@127.0.0.1:{self.port}/{db}"

    def app_url(self) -> str:
        """The application role's URL: no DDL, append-only history."""
        return (
            f"postgresql+psycopg://{APP_USER}:{self.app_password}"
            f"@127.0.0.1:{self.port}/{self.database}"
        )

    def shown_url(self) -> str:
        """The URL with its password masked, to print (terminals and CI logs are kept)."""
        return self.url().replace(f":{self.password}@", ":***@")

    def conninfo(self, database: str) -> str:
        return (
            f"host=127.0.0.1 port={self.port} user={self.user} "
            f"password={self.password} dbname={database} connect_timeout=5"
        )


class Cluster:
    """The private cluster whose state is kept in ``state_dir``."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.state_file = state_dir / "cluster.json"
        self.notes: list[str] = []  # what ``up`` did beyond starting, for the user to read

    # -- state -------------------------------------------------------------------------
    def load_state(self) -> ClusterState | None:
        if not self.state_file.exists():
            return None
        return ClusterState(**json.loads(self.state_file.read_text()))

    def _save_state(self, state: ClusterState) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(asdict(state), indent=2))
        self.state_file.chmod(0o600)

    def _new_state(self) -> ClusterState:
        data_dir = self._choose_data_dir()
        if data_dir.exists():
            # Left by an earlier checkout at this path, or its state file was deleted: we do
            # not know its password. Keep it aside rather than destroy anyone's data, but
            # never while a server still runs on it.
            running = _live_postmaster(data_dir)
            if running is not None:
                raise EnvironmentProblem(
                    f"Le dossier {data_dir} est celui d'un serveur PostgreSQL en marche"
                    f" (processus {running}) mais {self.state_file} manque : arrêtez ce serveur"
                    f" (pg_ctl stop -D {data_dir}) puis relancez `foncier db up`."
                )
            aside = data_dir.with_name(f"data.orphelin-{int(time.time())}")
            data_dir.rename(aside)
            self.notes.append(
                f"Un ancien dossier de données sans son état a été mis de côté : {aside}."
            )
        return ClusterState(
            data_dir=str(data_dir),
            port=_free_port(DEFAULT_PORT),
            password=secrets.token_urlsafe(24),
        )

    def _choose_data_dir(self) -> Path:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if _pgserver.server_user_can_reach(self.state_dir):
            return self.state_dir / "pg" / "data"
        digest = hashlib.sha256(str(self.state_dir.resolve()).encode()).hexdigest()[:12]
        return FALLBACK_ROOT / digest / "data"

    # -- life cycle --------------------------------------------------------------------
    def up(self) -> ClusterState:
        """Start the cluster (creating it the first time) and return its state. Idempotent."""
        bindir = _pgserver.ensure_server()
        state = self.load_state() or self._new_state()
        data_dir = Path(state.data_dir)
        if not (data_dir / "PG_VERSION").exists():
            _initdb(bindir, data_dir, state)
        if not self.is_running(state):
            _remove_stale_pid(data_dir)
            if not _port_free(state.port):
                # Held by a listening socket of someone else (TIME_WAIT does not count): the
                # running apps will read the new port from the state file.
                old, state.port = state.port, _free_port(state.port + 1)
                self.notes.append(
                    f"Le port {old} est pris par un autre programme : port {state.port}."
                )
            _write_settings(data_dir, state.port)
            _start(bindir, data_dir)
        if not state.app_password:
            state.app_password = secrets.token_urlsafe(24)
        self._save_state(state)
        _ensure_database(state)
        roles.ensure_role(state.url(), APP_USER, state.app_password)
        return state

    def down(self) -> bool:
        """Stop the cluster; return whether it was running."""
        state = self.load_state()
        if state is None or not self.is_running(state):
            return False
        bindir = _pgserver.ensure_server(echo=False)
        _pgserver.run_server_tool(
            [str(bindir / "pg_ctl"), "stop", "-D", state.data_dir, "-m", "fast", "-w", "-t", "60"]
        )
        return True

    def is_running(self, state: ClusterState | None = None) -> bool:
        state = state or self.load_state()
        if state is None or not (Path(state.data_dir) / "PG_VERSION").exists():
            return False
        bindir = _pgserver.server_bindir()
        if bindir is None:
            return False
        done = _pgserver.run_server_tool(
            [str(bindir / "pg_ctl"), "status", "-D", state.data_dir], check=False
        )
        return done.returncode == 0


def _initdb(bindir: Path, data_dir: Path, state: ClusterState) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _pgserver.give_to_server_user(data_dir.parent)
    pwfile = data_dir.parent / "initdb.pw"
    pwfile.write_text(state.password + "\n")
    pwfile.chmod(0o600)
    _pgserver.give_to_server_user(pwfile)
    try:
        _pgserver.run_server_tool(
            [
                str(bindir / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                state.user,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            timeout=300,
        )
    finally:
        pwfile.unlink(missing_ok=True)


def _write_settings(data_dir: Path, port: int) -> None:
    """Loopback only, no Unix socket (its path could exceed the OS limit in deep checkouts)."""
    conf = data_dir / "postgresql.auto.conf"
    conf.write_text(
        "# Written by `foncier db up`.\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {port}\n"
        "unix_socket_directories = ''\n"
        "max_connections = 100\n"
        "jit = off\n"  # spatial queries look costly to the planner; JIT only slows them
    )
    _pgserver.give_to_server_user(conf)


def _start(bindir: Path, data_dir: Path) -> None:
    log = data_dir / "server.log"
    done = _pgserver.run_server_tool(
        [str(bindir / "pg_ctl"), "start", "-D", str(data_dir), "-l", str(log), "-w", "-t", "60"],
        check=False,
    )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else done.stderr
        raise EnvironmentProblem(
            f"Le serveur PostgreSQL de {data_dir} n'a pas démarré.", detail=tail
        )


def _remove_stale_pid(data_dir: Path) -> None:
    """A postmaster.pid left by a crash names a dead process (or one that is not ours)."""
    pidfile = data_dir / "postmaster.pid"
    if pidfile.exists() and _live_postmaster(data_dir) is None:
        pidfile.unlink()


def _live_postmaster(data_dir: Path) -> int | None:
    """The pid of a PostgreSQL process running on ``data_dir``, if its pid file names one."""
    pidfile = data_dir / "postmaster.pid"
    try:
        first = pidfile.read_text().split("\n", 1)[0].strip()
        cmdline = Path(f"/proc/{first}/cmdline").read_bytes() if first.isdigit() else b""
    except OSError:
        return None
    return int(first) if b"postgres" in cmdline else None


def _ensure_database(state: ClusterState) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            admin = psycopg.connect(state.conninfo("postgres"), autocommit=True)
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (state.database,)
        ).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(state.database)))
    with psycopg.connect(state.conninfo(state.database), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _port_free(port: int) -> bool:
    """Whether a server could listen there. SO_REUSEADDR, as PostgreSQL binds: connections
    left in TIME_WAIT by a crash must not move the cluster to another port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port(start: int) -> int:
    for port in range(start, start + 200):
        if _port_free(port):
            return port
    raise EnvironmentProblem(f"Aucun port libre entre {start} et {start + 199} sur 127.0.0.1.")

"""Find, install and run the PostgreSQL + PostGIS server binaries of this machine."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from foncier.errors import EnvironmentProblem

SERVER_USER = "postgres"  # PostgreSQL refuses to run as root: root runs it as this user.
INSTALL_COMMAND = "apt-get update && apt-get install -y postgresql postgis"


def is_root() -> bool:
    return os.geteuid() == 0


def server_bindir() -> Path | None:
    """The bin folder of the newest installed server (Debian layout first, then PATH)."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return debian[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).resolve().parent if found else None


def postgis_installed(bindir: Path) -> bool:
    """Whether the server in ``bindir`` has the postgis extension files."""
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        sharedir = subprocess.run(
            [str(pg_config), "--sharedir"], capture_output=True, text=True, check=True
        ).stdout.strip()
    else:  # Debian ships pg_config in the client package; the layout is fixed.
        sharedir = f"/usr/share/postgresql/{bindir.parent.name}"
    return (Path(sharedir) / "extension" / "postgis.control").exists()


def ensure_server(*, echo: bool = True) -> Path:
    """Return the server bin folder, installing Debian's packages first if root may do so."""
    bindir = server_bindir()
    if bindir is not None and postgis_installed(bindir):
        return bindir
    if not (is_root() and shutil.which("apt-get")):
        raise EnvironmentProblem(
            "PostgreSQL et PostGIS sont nécessaires mais absents de cette machine. "
            f"Installez-les avec : sudo sh -c '{INSTALL_COMMAND}' "
            "ou définissez DATABASE_URL vers un serveur PostGIS existant."
        )
    if echo:
        print(f"Installation de PostgreSQL et PostGIS : {INSTALL_COMMAND}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "postgresql", "postgis"], check=True, env=env)
    bindir = server_bindir()
    if bindir is None or not postgis_installed(bindir):
        raise EnvironmentProblem("L'installation de PostgreSQL/PostGIS n'a pas abouti.")
    return bindir


def run_server_tool(
    args: Sequence[str], *, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a server tool as the server user when we are root, as ourselves otherwise."""
    kwargs: dict[str, object] = {}
    if is_root():
        kwargs = {"user": SERVER_USER, "group": SERVER_USER, "extra_groups": []}
    return subprocess.run(  # type: ignore[call-overload]
        list(args),
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
        cwd="/",
        **kwargs,
    )


def server_user_can_reach(folder: Path) -> bool:
    """Whether the server user can enter ``folder`` (not if it lies in a root-only home)."""
    if not is_root():
        return True
    return run_server_tool(["test", "-x", str(folder)], check=False).returncode == 0


def give_to_server_user(path: Path) -> None:
    if is_root():
        shutil.chown(path, SERVER_USER, SERVER_USER)

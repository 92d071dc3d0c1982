"""The `foncier` executable: the domain's commands, Flask's own, and ``serve``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask.cli import FlaskGroup

from foncier import cli, config
from web import create_app


class _Group(cli.FoncierGroup, FlaskGroup):
    """Flask's group (``routes``, ``shell``) that reports the product's errors plainly."""


@click.group(cls=_Group, create_app=create_app)
def main() -> None:
    """Foncière solidaire de Bordeaux Métropole : locaux, acteurs ESS et appariement."""


for _name, _command in cli.main.commands.items():
    main.add_command(_command, _name)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processus de service (défaut : un par cœur) ; 1 : un seul processus (waitress).",
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Sert l'application sur http://127.0.0.1:5000."""
    from web.serving import default_workers, serve_processes

    local = host in LOOPBACK
    secret = os.environ.get("SECRET_KEY")
    if not secret and not local:
        raise click.ClickException(
            f"SECRET_KEY est obligatoire pour servir sur {host} : définissez-le (par exemple "
            "avec `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    # Off the local machine, the session cookie travels only over HTTPS (a TLS proxy in front).
    # Every worker process gets the same key: a session signed by one is read by the others.
    settings = {"SECRET_KEY": secret or _local_secret(), "SESSION_COOKIE_SECURE": not local}
    count = workers or default_workers()
    config.database_url()  # start the embedded database now rather than on the first page
    click.echo(
        f"Foncière solidaire : http://{host}:{port}/  ({count} processus ; Ctrl+C pour arrêter)"
    )
    if count == 1:
        import waitress

        waitress.serve(create_app(settings), host=host, port=port, threads=8)
    else:
        serve_processes(lambda: create_app(settings), host, port, count)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _local_secret() -> str:
    """The demo's secret key: generated once, kept in the state folder (mode 600), so that
    sessions survive a restart."""
    path = config.state_dir() / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


@main.group("session")
def session_group() -> None:
    """Séances du comité d'engagement : dossier hors ligne et procès-verbal."""


@session_group.command("dossier")
@click.argument("ref")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def session_dossier(ref: str, target: str) -> None:
    """Écrit le dossier de la séance REF : un seul fichier HTML, lisible hors ligne."""
    from foncier.committee.reading import session_view
    from web import store
    from web.dossier import dossier_html

    session = store.session()
    Path(target).write_text(dossier_html(session, session_view(session, ref)), encoding="utf-8")
    click.echo(f"Dossier de la séance {ref} : {target}")


@session_group.command("minutes")
@click.argument("ref")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def session_minutes(ref: str, target: str) -> None:
    """Écrit le procès-verbal de la séance REF en PDF (ou en HTML si TARGET finit par .html)."""
    from foncier.committee.reading import session_view
    from web import store
    from web.dossier import minutes_html, minutes_pdf

    page = minutes_html(session_view(store.session(), ref))
    if target.lower().endswith((".html", ".htm")):
        Path(target).write_text(page, encoding="utf-8")
    else:
        Path(target).write_bytes(minutes_pdf(page))
    click.echo(f"Procès-verbal de la séance {ref} : {target}")

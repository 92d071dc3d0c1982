"""The `foncier` executable: the domain's commands, Flask's own, and ``serve``."""

from __future__ import annotations

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

    count = workers or default_workers()
    config.database_url()  # start the embedded database now rather than on the first page
    click.echo(
        f"Foncière solidaire : http://{host}:{port}/  ({count} processus ; Ctrl+C pour arrêter)"
    )
    if count == 1:
        import waitress

        waitress.serve(create_app(), host=host, port=port, threads=8)
    else:
        serve_processes(create_app, host, port, count)

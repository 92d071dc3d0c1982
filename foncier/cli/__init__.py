"""The `foncier` command line, built on Flask's click CLI."""

from __future__ import annotations

import getpass
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy.orm import Session

from foncier import migrate, settings
from foncier.db import make_engine, make_sessionmaker, transaction
from foncier.errors import FoncierError


def _create_app() -> Flask:
    from web import create_app  # the CLI is the one place that assembles web and domain

    return create_app()


class FoncierGroup(FlaskGroup):
    """Turn the product's own errors into a readable message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FoncierError as error:
            raise click.ClickException(error.message) from error


@click.group(cls=FoncierGroup, create_app=_create_app)
def main() -> None:
    """Foncière solidaire de Bordeaux Métropole : locaux, acteurs ESS et appariement."""


@contextmanager
def _session() -> Iterator[Session]:
    """A session whose use cases own their transactions."""
    engine = make_engine(settings.database_url())
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def _unit_of_work() -> Iterator[Session]:
    """A session inside one transaction, for the commands that are one use case."""
    with _session() as session, transaction(session, _user()):
        yield session


def _user() -> str:
    return f"cli:{getpass.getuser()}"


# -- db ---------------------------------------------------------------------------------------
@main.group(cls=click.Group)  # plain group: these commands need no app
def db() -> None:
    """La base de données (par défaut, un PostGIS privé dans ce dépôt)."""


@db.command("up")
def db_up() -> None:
    """Démarre le PostGIS embarqué (le crée la première fois) et affiche son URL."""
    if settings.configured_url():
        click.echo("DATABASE_URL est défini : aucune base locale n'est démarrée.")
        click.echo(settings.configured_url())
        return
    cluster = settings.embedded_cluster()
    state = cluster.up()
    click.echo(f"PostGIS embarqué en marche sur 127.0.0.1:{state.port} ({state.data_dir}).")
    click.echo(state.url())


@db.command("down")
def db_down() -> None:
    """Arrête le PostGIS embarqué."""
    stopped = settings.embedded_cluster().down()
    click.echo(
        "PostGIS embarqué arrêté." if stopped else "Le PostGIS embarqué n'était pas démarré."
    )


@db.command("status")
def db_status() -> None:
    """Dit quelle base est utilisée et si elle tourne."""
    if settings.configured_url():
        click.echo("Base externe (DATABASE_URL).")
        return
    cluster = settings.embedded_cluster()
    state = cluster.load_state()
    if state is None:
        click.echo("PostGIS embarqué : jamais créé (lancez `foncier db up`).")
        return
    running = "en marche" if cluster.is_running(state) else "arrêté"
    click.echo(f"PostGIS embarqué : {running}, port {state.port}, données dans {state.data_dir}.")


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Applique les migrations du schéma."""
    url = settings.database_url()
    migrate.upgrade(url, revision)
    click.echo(f"Schéma à jour (révision {migrate.current_revision(url)}).")


# -- reference data ---------------------------------------------------------------------------
@main.group(cls=click.Group)  # plain group: these commands need no app
def reference() -> None:
    """Les données de référence (communes, QPV, friches)."""


@reference.command("load")
def reference_load() -> None:
    """Charge ou met à jour communes, QPV et friches depuis data/."""
    from foncier.reference import load_reference

    with _unit_of_work() as session:
        counts = load_reference(session, settings.reference_data_dir())
    click.echo(
        f"{counts.communes} communes, {counts.qpv} QPV, {counts.friches} friches chargées ; "
        f"{counts.relocalises} fiche(s) relocalisée(s)."
    )


# -- demo -------------------------------------------------------------------------------------
@main.group(cls=click.Group)  # plain group: these commands need no app
def demo() -> None:
    """Le jeu de démonstration."""


@demo.command("load")
@click.option("--seed", default=None, type=int, help="Graine du générateur (défaut : 33).")
def demo_load(seed: int | None) -> None:
    """Crée les locaux, acteurs et besoins de démonstration (déterministe)."""
    from foncier.demo import DEFAULT_SEED, load_demo

    with _unit_of_work() as session:
        counts = load_demo(session, seed if seed is not None else DEFAULT_SEED)
    click.echo(
        f"Démo : {counts.locaux} locaux, {counts.acteurs} acteurs, {counts.besoins} besoins "
        "créés (les fiches déjà présentes sont gardées telles quelles)."
    )


@demo.command("clear")
def demo_clear() -> None:
    """Supprime les fiches de démonstration, et rien d'autre."""
    from foncier.demo import clear_demo

    with _unit_of_work() as session:
        counts = clear_demo(session)
    click.echo(
        f"Démo supprimée : {counts.locaux} locaux, {counts.acteurs} acteurs, "
        f"{counts.besoins} besoins."
    )


# -- serve ------------------------------------------------------------------------------------
@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Sert l'application sur http://127.0.0.1:5000."""
    import waitress

    from web import create_app

    local = host in LOOPBACK
    secret = os.environ.get("SECRET_KEY")
    if not secret and not local:
        raise click.ClickException(
            f"SECRET_KEY est obligatoire pour servir sur {host} : définissez-le (par exemple "
            "avec `python -c 'import secrets; print(secrets.token_hex(32))'`)."
        )
    # Off the local machine, the session cookie travels only over HTTPS (a TLS proxy in front).
    app = create_app({"SECRET_KEY": secret or _local_secret(), "SESSION_COOKIE_SECURE": not local})
    settings.database_url()  # start the embedded database now rather than on the first page
    click.echo(f"Foncière solidaire : http://{host}:{port}/  (Ctrl+C pour arrêter)")
    waitress.serve(app, host=host, port=port, threads=8)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _local_secret() -> str:
    """The demo's secret key: generated once, kept in the state folder (mode 600), so that
    sessions survive a restart."""
    path = settings.state_dir() / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


# The commands of the registries and of the matching register themselves on `main`.
from foncier.cli import match, records, scenario, users  # noqa: E402, F401

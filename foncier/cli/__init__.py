"""The `foncier` command line: the domain's commands, on a plain click group.

The executable is assembled in :mod:`web.cli`, which adds ``serve`` and Flask's own commands,
so that this package never imports ``web``."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from foncier import config
from foncier.db import make_engine, make_sessionmaker, migrate, transaction
from foncier.errors import FoncierError


class FoncierGroup(click.Group):
    """Turn the product's own errors into a readable message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FoncierError as error:
            raise click.ClickException(error.message) from error


@click.group(cls=FoncierGroup)
def main() -> None:
    """Foncière solidaire de Bordeaux Métropole : locaux, acteurs ESS et appariement."""


@contextmanager
def _session() -> Iterator[Session]:
    """A session whose use cases own their transactions."""
    engine = make_engine(config.database_url())
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
@main.group()
def db() -> None:
    """La base de données (par défaut, un PostGIS privé dans ce dépôt)."""


@db.command("up")
def db_up() -> None:
    """Démarre le PostGIS embarqué (le crée la première fois) et affiche son URL."""
    if config.configured_url():
        click.echo("DATABASE_URL est défini : aucune base locale n'est démarrée.")
        click.echo(make_url(config.configured_url() or "").render_as_string(hide_password=True))
        return
    cluster = config.embedded_cluster()
    state = cluster.up()
    for note in cluster.notes:
        click.echo(note)
    click.echo(f"PostGIS embarqué en marche sur 127.0.0.1:{state.port} ({state.data_dir}).")
    click.echo(f"{state.shown_url()}  (mot de passe dans {cluster.state_file})")


@db.command("down")
def db_down() -> None:
    """Arrête le PostGIS embarqué."""
    stopped = config.embedded_cluster().down()
    click.echo(
        "PostGIS embarqué arrêté." if stopped else "Le PostGIS embarqué n'était pas démarré."
    )


@db.command("status")
def db_status() -> None:
    """Dit quelle base est utilisée et si elle tourne."""
    if config.configured_url():
        click.echo("Base externe (DATABASE_URL).")
        return
    cluster = config.embedded_cluster()
    state = cluster.load_state()
    if state is None:
        click.echo("PostGIS embarqué : jamais créé (lancez `foncier db up`).")
        return
    running = "en marche" if cluster.is_running(state) else "arrêté"
    click.echo(f"PostGIS embarqué : {running}, port {state.port}, données dans {state.data_dir}.")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(file: Path) -> None:
    """Sauvegarde la base (fiches, historique, passages, scénarios) dans FILE (pg_dump)."""
    from foncier.db.backup import backup

    backup(config.database_url(), file)
    size = f"{file.stat().st_size / 1e6:.1f}".replace(".", ",")
    click.echo(f"Base sauvegardée dans {file} ({size} Mo).")


@db.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--remplacer", is_flag=True, help="Remplace le contenu actuel de la base (sinon : base vide)."
)
def db_restore(file: Path, remplacer: bool) -> None:
    """Restaure FILE (écrit par `foncier db backup`) dans la base."""
    from foncier.db.backup import restore

    restore(config.database_url(), file, replace=remplacer)
    click.echo(f"Base restaurée depuis {file}.")


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Applique les migrations du schéma."""
    url = config.database_url()
    migrate.upgrade(url, revision, app_role=config.application_role())
    click.echo(f"Schéma à jour (révision {migrate.current_revision(url)}).")


# -- reference data ---------------------------------------------------------------------------
@main.group()
def reference() -> None:
    """Les données de référence (communes, QPV, friches)."""


@reference.command("load")
def reference_load() -> None:
    """Charge ou met à jour communes, QPV et friches depuis data/."""
    from foncier.reference import load_reference

    with _unit_of_work() as session:
        counts = load_reference(session, config.reference_data_dir())
    click.echo(
        f"{counts.communes} communes, {counts.qpv} QPV, {counts.friches} friches chargées ; "
        f"{counts.relocalises} fiche(s) relocalisée(s)."
    )


# -- demo -------------------------------------------------------------------------------------
@main.group()
def demo() -> None:
    """Le jeu de démonstration."""


@demo.command("load")
@click.option("--seed", default=None, type=int, help="Graine du générateur (défaut : 33).")
def demo_load(seed: int | None) -> None:
    """Crée les locaux, acteurs et besoins de démonstration (déterministe)."""
    from foncier.committee.demo import load_demo_committee
    from foncier.demo import DEFAULT_SEED, load_demo

    with _unit_of_work() as session:
        counts = load_demo(session, seed if seed is not None else DEFAULT_SEED)
    click.echo(
        f"Démo : {counts.locaux} locaux, {counts.acteurs} acteurs, {counts.besoins} besoins "
        "créés (les fiches déjà présentes sont gardées telles quelles)."
    )
    with _session() as session:
        if load_demo_committee(session, _user()):
            click.echo("Comité : séance passée DEMO-0 (décisions) et séance DEMO-1 préparée.")


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


# The commands of the registries and of the matching register themselves on `main`.
from foncier.cli import learn, match, records, scenario, users  # noqa: E402, F401

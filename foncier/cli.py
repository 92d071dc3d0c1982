"""The `foncier` command line, built on Flask's click CLI."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy.orm import Session

from foncier import migrate, settings
from foncier.db import make_engine, make_sessionmaker, unit_of_work
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
def _unit_of_work() -> Iterator[Session]:
    engine = make_engine(settings.database_url())
    try:
        with unit_of_work(make_sessionmaker(engine), f"cli:{getpass.getuser()}") as session:
            yield session
    finally:
        engine.dispose()


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


# -- imports --------------------------------------------------------------------------------
KIND_CHOICE = click.Choice(["premises", "actors", "needs"])


@main.command("import", cls=click.Command)
@click.argument("kind", type=KIND_CHOICE)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Dit ce qui serait créé, mis à jour ou rejeté.")
@click.option("--skip-invalid", is_flag=True, help="Importe les lignes valides seulement.")
@click.option("--source", default="import", show_default=True, help="Source des références.")
@click.option(
    "--map",
    "fixes",
    multiple=True,
    metavar="COLONNE=CHAMP",
    help="Corrige la correspondance d'une colonne (CHAMP vide : l'ignorer).",
)
def import_command(
    kind: str, path: Path, dry_run: bool, skip_invalid: bool, source: str, fixes: tuple[str, ...]
) -> None:
    """Importe un fichier CSV, XLSX, GeoJSON ou GeoPackage de locaux, acteurs ou besoins."""
    from tqdm import tqdm

    from foncier.imports.service import import_file
    from foncier.registry import kind_named

    engine = make_engine(settings.database_url())
    try:
        with make_sessionmaker(engine)() as session:
            report = import_file(
                session,
                kind_named(kind),
                path,
                f"cli:{getpass.getuser()}",
                source=source,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                mapping_fix=_fixes(fixes),
                geocoder=_geocoder(),
                progress=lambda rows: tqdm(rows, desc="Import", unit="ligne"),
            )
    finally:
        engine.dispose()
    _print_report(report, dry_run)
    if report.rejected and not (skip_invalid or dry_run):
        raise SystemExit(1)


def _fixes(fixes: tuple[str, ...]) -> dict[str, str | None]:
    pairs = [fix.split("=", 1) for fix in fixes]
    bad = [fix for fix, pair in zip(fixes, pairs, strict=True) if len(pair) != 2]
    if bad:
        raise click.BadParameter(f"« {bad[0]} » : attendu COLONNE=CHAMP.", param_hint="--map")
    return {column.strip(): (target.strip() or None) for column, target in pairs}


def _geocoder() -> Any:
    import os

    from foncier.geocoding import DEFAULT_BASE_URL, Geocoder

    url = os.environ.get("FONCIER_GEOCODER_URL", DEFAULT_BASE_URL)
    return None if url == "aucun" else Geocoder(base_url=url)


def _print_report(report: Any, dry_run: bool) -> None:
    for header, target in report.mapping.items():
        click.echo(f"  colonne « {header} » → {target or '(ignorée)'}")
    for row in report.rows:
        detail = f" : {' ; '.join(row.errors)}" if row.errors else ""
        click.echo(f"ligne {row.line} [{row.ref}] {row.action}{detail}")
    counts = ", ".join(
        f"{report.count(a)} {a}" for a in ("créé", "mis à jour", "inchangé", "rejeté")
    )
    if dry_run:
        click.echo(f"Essai à blanc, rien n'est écrit : {counts}.")
    elif report.written:
        click.echo(f"Import terminé : {counts}.")
    else:
        click.echo(
            f"Rien n'a été importé : {len(report.rejected)} ligne(s) rejetée(s) "
            f"({counts}). Corrigez-les, ou relancez avec --skip-invalid."
        )
    if report.rejects_file:
        click.echo(f"Lignes rejetées, avec leurs raisons : {report.rejects_file}")


# -- serve ------------------------------------------------------------------------------------
@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Sert l'application sur http://127.0.0.1:5000."""
    import waitress

    app = _create_app()
    settings.database_url()  # start the embedded database now rather than on the first page
    click.echo(f"Foncière solidaire : http://{host}:{port}/  (Ctrl+C pour arrêter)")
    waitress.serve(app, host=host, port=port, threads=8)

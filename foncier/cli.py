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


# -- imports --------------------------------------------------------------------------------
KIND_CHOICE = click.Choice(["premises", "actors", "needs"])


@main.command("import", cls=click.Command)
@click.argument("kind", type=KIND_CHOICE)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Dit ce qui serait créé, mis à jour ou rejeté.")
@click.option("--skip-invalid", is_flag=True, help="Importe les lignes valides seulement.")
@click.option(
    "--source", default=None, help="Source des références (défaut : import:<nom du fichier>)."
)
@click.option(
    "--map",
    "fixes",
    multiple=True,
    metavar="COLONNE=CHAMP",
    help="Corrige la correspondance d'une colonne (CHAMP vide : l'ignorer).",
)
def import_command(
    kind: str,
    path: Path,
    dry_run: bool,
    skip_invalid: bool,
    source: str | None,
    fixes: tuple[str, ...],
) -> None:
    """Importe un fichier CSV, XLSX, GeoJSON ou GeoPackage de locaux, acteurs ou besoins."""
    from tqdm import tqdm

    from foncier.imports.service import import_file
    from foncier.registry import kind_named

    with _session() as session:
        report = import_file(
            session,
            kind_named(kind),
            path,
            _user(),
            source=source,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            mapping_fix=_fixes(fixes),
            geocoder=_geocoder(),
            progress=lambda rows: tqdm(rows, desc="Import", unit="ligne"),
        )
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


# -- exports --------------------------------------------------------------------------------
FILTER_OPTIONS = {
    "commune": "commune_insee",
    "type": "type_local",
    "statut": "statut",
    "filiere": "filiere",
    "stade": "stade",
    "surface_min": "surface_min",
    "surface_max": "surface_max",
    "loyer_max": "loyer_max",
    "source": "source",
    "qpv": "qpv",
}


@main.command("export", cls=click.Command)
@click.argument("kind", type=KIND_CHOICE)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--commune", help="Code INSEE.")
@click.option("--type", help="Type de local (locaux, besoins).")
@click.option("--statut")
@click.option("--filiere")
@click.option("--stade")
@click.option("--surface-min", "surface_min")
@click.option("--surface-max", "surface_max")
@click.option("--loyer-max", "loyer_max")
@click.option("--source")
@click.option("--qpv/--hors-qpv", default=None)
def export_command(kind: str, path: Path, **options: Any) -> None:
    """Exporte une liste filtrée : CSV, XLSX, GeoJSON ou GeoPackage selon l'extension."""
    from foncier.exports import export_records
    from foncier.registry import kind_named
    from foncier.schemas._fields import load
    from foncier.schemas.filters import FILTERS

    given = {FILTER_OPTIONS[k]: v for k, v in options.items() if v is not None}
    filters = load(FILTERS[kind](), given)
    with _session() as session:
        count = export_records(session, kind_named(kind), path, filters)
    click.echo(f"{count} fiche(s) exportée(s) dans {path}.")


# -- geocoding and reference lists ----------------------------------------------------------
@main.group(cls=click.Group)
def geocode() -> None:
    """Le géocodage des adresses (Base Adresse Nationale)."""


@geocode.command("pending")
def geocode_pending_command() -> None:
    """Reprend les fiches restées « à géocoder » pendant une panne du géocodeur."""
    from foncier.registry.geocode import geocode_pending

    geocoder = _geocoder()
    if geocoder is None:
        raise click.ClickException("Géocodeur désactivé (FONCIER_GEOCODER_URL=aucun).")
    with _session() as session:
        report = geocode_pending(session, geocoder, _user())
    click.echo(f"{report.geocoded} fiche(s) géocodée(s), {report.to_confirm} à confirmer.")
    for failure in report.failed:
        click.echo(f"  {failure}")
    if report.stopped:
        raise click.ClickException("Le géocodeur est encore injoignable : réessayez plus tard.")


@main.group(cls=click.Group)
def listes() -> None:
    """Les listes de référence : filières (et leur priorité), formes juridiques."""


@listes.command("filiere")
@click.argument("code")
@click.argument("libelle")
@click.option("--prioritaire/--non-prioritaire", default=False, show_default=True)
def listes_filiere(code: str, libelle: str, prioritaire: bool) -> None:
    """Ajoute ou modifie une filière."""
    from foncier.registry.lists import set_sector

    with _session() as session:
        set_sector(session, code, libelle, prioritaire, _user())
    rank = "prioritaire" if prioritaire else "non prioritaire"
    click.echo(f"Filière « {code} » enregistrée ({rank}).")


@listes.command("forme-juridique")
@click.argument("code")
@click.argument("libelle")
def listes_forme(code: str, libelle: str) -> None:
    """Ajoute ou modifie une forme juridique."""
    from foncier.registry.lists import set_legal_form

    with _session() as session:
        set_legal_form(session, code, libelle, _user())
    click.echo(f"Forme juridique « {code} » enregistrée.")


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

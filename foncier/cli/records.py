"""Commands of the registries: import, export, geocoding, reference lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from foncier.cli import _session, _user, main

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
@click.option(
    "--set",
    "values",
    multiple=True,
    metavar="CHAMP=VALEUR",
    help="Donne VALEUR à chaque ligne où le champ manque (ex. --set origine=partenaire).",
)
def import_command(
    kind: str,
    path: Path,
    dry_run: bool,
    skip_invalid: bool,
    source: str | None,
    fixes: tuple[str, ...],
    values: tuple[str, ...],
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
            defaults=_settings(values),
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


def _settings(values: tuple[str, ...]) -> dict[str, str]:
    pairs = [value.split("=", 1) for value in values]
    bad = [value for value, pair in zip(values, pairs, strict=True) if len(pair) != 2]
    if bad:
        raise click.BadParameter(f"« {bad[0]} » : attendu CHAMP=VALEUR.", param_hint="--set")
    return {name.strip(): value.strip() for name, value in pairs}


def _geocoder() -> Any:
    """The same setting as the web app's (FONCIER_GEOCODER_URL)."""
    import os

    from foncier.geocoding import DEFAULT_BASE_URL, configured_geocoder

    return configured_geocoder(os.environ.get("FONCIER_GEOCODER_URL", DEFAULT_BASE_URL))


def _print_report(report: Any, dry_run: bool) -> None:
    for header, target in report.mapping.items():
        click.echo(f"  colonne « {header} » → {target or '(ignorée)'}")
    for row in report.rows:
        detail = f" : {' ; '.join(row.errors)}" if row.errors else ""
        click.echo(f"ligne {row.line} [{row.ref}] {row.action}{detail}")
    counts = ", ".join(f"{count} {outcome}" for outcome, count in report.counts().items())
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
    "recherche": "q",
    "tri": "tri",
}


@main.command("export", cls=click.Command)
@click.argument("kind", type=KIND_CHOICE)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--commune", help="Code INSEE ou nom.")
@click.option("--type", help="Type de local (locaux, besoins).")
@click.option("--statut")
@click.option("--filiere")
@click.option("--stade")
@click.option("--surface-min", "surface_min")
@click.option("--surface-max", "surface_max")
@click.option("--loyer-max", "loyer_max")
@click.option("--source")
@click.option("--qpv/--hors-qpv", default=None)
@click.option("--recherche", help="Nom, adresse ou référence, sans casse ni accents.")
@click.option("--tri", help="Colonne de tri ; « -colonne » : ordre décroissant (-loyer_m2_an).")
def export_command(kind: str, path: Path, **options: Any) -> None:
    """Exporte une liste filtrée : CSV, XLSX, GeoJSON ou GeoPackage selon l'extension."""
    from foncier.exports import export_records
    from foncier.registry import kind_named
    from foncier.schemas.fields import load
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

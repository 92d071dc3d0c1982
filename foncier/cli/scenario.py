"""The `foncier scenario` commands: the planners' price-cap scenarios."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from foncier.cli import _session, _user, main
from foncier.french import read_number


@main.group("scenario", cls=click.Group)
def scenario() -> None:
    """Scénarios de plafonnement des prix de sortie d'une opération d'aménagement."""


_FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_PERIMETER = click.option(
    "--perimeter",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Périmètre qui remplace celui du fichier : GeoJSON, GeoPackage ou shapefile zippé.",
)


def _document(file: Path, perimeter: Path | None) -> dict[str, Any]:
    from foncier.scenarios.document import read_document, with_perimeter
    from foncier.scenarios.perimeter import perimeter_geojson

    document = read_document(file)
    return document if perimeter is None else with_perimeter(document, perimeter_geojson(perimeter))


@scenario.command("run")
@_FILE
@_PERIMETER
@click.option("--json", "as_json", is_flag=True, help="Résultat en JSON.")
def run_command(file: Path, perimeter: Path | None, as_json: bool) -> None:
    """Calcule le scénario de FILE (YAML ou JSON) : charges foncières, bilan, couverture."""
    from foncier.scenarios.service import run_scenario

    document = _document(file, perimeter)
    with _session() as session:
        result = run_scenario(session, document)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_run(result)


@scenario.command("sweep")
@_FILE
@_PERIMETER
@click.option("--caps", help="Plafonds en part du marché : « 0.5 0.7 1 » ou « 0,5;0,7;1 »")
@click.option("--shares", help="Parts ESS de chaque lot : « 0 0.1 0.2 » ou « 0;0,1;0,2 »")
@click.option("--json", "as_json", is_flag=True, help="Résultat en JSON.")
def sweep_command(
    file: Path, perimeter: Path | None, caps: str | None, shares: str | None, as_json: bool
) -> None:
    """Balaye plafond × part ESS : bilan de l'aménageur et ligne d'équilibre."""
    from foncier.scenarios.service import DEFAULT_CAPS, DEFAULT_SHARES, sweep_scenario

    result = sweep_scenario(
        _document(file, perimeter),
        _numbers(caps, "--caps") if caps else DEFAULT_CAPS,
        _numbers(shares, "--shares") if shares else DEFAULT_SHARES,
    )
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for point in result["break_even"]:
        where = (
            "le bilan ne change pas de signe dans la grille"
            if point["share"] is None
            else f"équilibre à une part ESS de {_pct(point['share'])}"
        )
        click.echo(f"Plafond à {_pct(point['cap'], 0)} du marché : {where}")


@scenario.command("save")
@_FILE
@_PERIMETER
@click.option("--operation", "operation_ref", help="Référence d'une opération enregistrée.")
def save_command(file: Path, perimeter: Path | None, operation_ref: str | None) -> None:
    """Enregistre le scénario de FILE (et son opération, si elle est nouvelle)."""
    from foncier.scenarios.store import save

    document = _document(file, perimeter)
    with _session() as session:
        saved = save(session, document, _user(), operation_ref=operation_ref)
        click.echo(
            f"Scénario {saved.ref} « {saved.name} » enregistré (opération {saved.operation_ref})."
        )


@scenario.command("list")
def list_command() -> None:
    """Les scénarios enregistrés, par opération."""
    from foncier.scenarios.store import list_scenarios

    with _session() as session:
        for saved in list_scenarios(session):
            mark = " (retenu)" if saved.adopted else ""
            click.echo(f"{saved.operation_ref}  {saved.ref}  {saved.name}{mark}")


@scenario.command("copy")
@click.argument("ref")
@click.argument("name")
def copy_command(ref: str, name: str) -> None:
    """Copie le scénario REF sous le nom NAME."""
    from foncier.scenarios.store import copy_scenario

    with _session() as session:
        saved = copy_scenario(session, ref, name, _user())
        click.echo(f"Scénario {saved.ref} « {saved.name} » créé d'après {ref}.")


@scenario.command("adopt")
@click.argument("ref")
def adopt_command(ref: str) -> None:
    """Retient le scénario REF : ses plafonds s'appliquent à l'appariement courant."""
    from foncier.scenarios.store import adopt

    with _session() as session:
        saved = adopt(session, ref, _user())
        click.echo(f"Scénario {saved.ref} retenu pour l'opération {saved.operation_ref}.")


@scenario.command("compare")
@click.argument("refs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Résultat en JSON.")
def compare_command(refs: tuple[str, ...], as_json: bool) -> None:
    """Compare côte à côte les scénarios REFS enregistrés."""
    from foncier.scenarios.service import compare_saved

    with _session() as session:
        table = compare_saved(session, list(refs))
    if as_json:
        click.echo(table.to_json(force_ascii=False, indent=2))
        return
    click.echo(table.map(lambda v: f"{v:,.0f}".replace(",", " ")).to_string())


def _numbers(raw: str, option: str) -> list[float]:
    """Values apart by spaces or semicolons, with a decimal point or comma: '0.5 0.7 1' or
    '0,5;0,7;1'. A comma is always decimal, so '0,1' is 0.1, never the list 0 and 1."""
    parts = raw.replace(";", " ").split()
    try:
        return [read_number(v) for v in parts]
    except ValueError:
        raise click.BadParameter(
            f"« {raw} » : attendu des nombres séparés par des espaces ou des points-virgules, "
            "ex. « 0.5 0.7 1 » ou « 0,5;0,7;1 »",
            param_hint=option,
        ) from None


def _print_run(result: dict[str, Any]) -> None:
    click.echo(f"Scénario « {result['name']} »")
    for lot in result["lots"]:
        click.echo(
            f"  {lot['ref']} ({lot['use']}) : charge foncière {_eur(lot['cfa_market_eur'])}, "
            f"part ESS {lot['ess_sdp_m2']:.0f} m² → {_eur(lot['cfa_ess_eur'])}, "
            f"perte {_eur(lot['revenue_loss_eur'])}"
        )
    click.echo(
        f"Bilan de l'aménageur : {_eur(result['balance_before_eur'])} avant, "
        f"{_eur(result['balance_after_eur'])} après ; contribution nécessaire "
        f"{_eur(result['contribution_needed_eur'])}."
    )
    cover = result["coverage"]
    click.echo(
        f"Couverture : {cover['needs_served']} besoin(s) servi(s) sur "
        f"{cover['premises_offered']} local(aux) ESS, {cover['area_served_m2']:.0f} m², "
        f"{cover['jobs_hosted']} emploi(s) ; {len(cover['unaffordable'])} besoin(s) trop cher(s)."
    )


def _eur(value: float) -> str:
    return f"{value:,.0f} €".replace(",", " ")


def _pct(share: float, decimals: int = 1) -> str:
    """French percentages: a decimal comma and a space before the sign."""
    return f"{share * 100:.{decimals}f}".replace(".", ",") + "\u202f%"

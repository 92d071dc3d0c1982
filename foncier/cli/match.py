"""The `foncier match` command."""

from __future__ import annotations

from typing import Any

import click

from foncier.cli import _session, _user, main


# -- matching -------------------------------------------------------------------------------
@main.group("match", invoke_without_command=True)
@click.option("--need", "need_ref", help="Référence d'un besoin : ses meilleurs locaux.")
@click.option("--premises", "premises_ref", help="Référence d'un local : ses meilleurs besoins.")
@click.option("--top", default=5, show_default=True, type=int, help="Candidats par besoin.")
@click.option("--allocate", type=click.Choice(["optimal", "stable"]), help="Attribution.")
@click.option("--json", "as_json", is_flag=True, help="Résultat en JSON.")
@click.pass_context
def match_command(
    ctx: click.Context,
    need_ref: str | None,
    premises_ref: str | None,
    top: int,
    allocate: str | None,
    as_json: bool,
) -> None:
    """Apparie les besoins ouverts et les locaux disponibles ; enregistre le passage.

    `foncier match learn` apprend les poids des décisions du comité."""
    import json

    if ctx.invoked_subcommand is not None:
        return

    from foncier.matching.runs import MatchRequest, run_matching

    request = MatchRequest(need_ref, premises_ref, top, allocate)
    with _session() as session:
        result = run_matching(session, request, _user())
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    _print_match(result)


def _print_match(result: dict[str, Any]) -> None:
    click.echo(
        f"Passage n°{result['run']} (algorithme {result['algorithm_version']}, "
        f"empreinte {result['fingerprint'][:12]}) : {len(result['pairs'])} proposition(s)."
    )
    for pair in result["pairs"]:
        click.echo(
            f"  {pair['need_ref']} ← {pair['premises_ref']} : n°{pair['rank']}, "
            f"score {pair['score']:.3f}, à {pair['distance_m']:.0f} m"
        )
    for reason in result.get("why_not", []):
        click.echo(f"  Pourquoi pas : {reason}")
    for miss in result.get("near_misses", []):
        click.echo(f"  Presque : {miss['premises_ref']} ({', '.join(miss['hints'])})")
    allocation = result.get("allocation")
    if allocation:
        click.echo(
            f"Attribution ({allocation['method']}) : {len(allocation['assignments'])} "
            f"besoin(s) servi(s), score total {allocation['total_score']:.3f}, écart à "
            f"la borne {allocation['gap']}, {len(allocation['unserved_needs'])} non "
            f"servi(s), {len(allocation['unused_premises'])} local(aux) inutilisé(s)."
        )

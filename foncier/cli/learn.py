"""The `foncier match learn` command: weights learned from the committee's decisions."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from foncier.cli import _session, _user
from foncier.cli.match import match_command
from foncier.committee.decided import committee_decisions
from foncier.matching.learned_weights import (
    LearnReport,
    decisions_file,
    learn_from_decisions,
)
from matching.settings import CRITERIA, CRITERIA_LABELS


@match_command.command("learn")
@click.option(
    "--decisions",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fichier CSV des décisions (au lieu de celles du comité).",
)
@click.option("--adopt", is_flag=True, help="Adopte les poids appris (nouvelle version).")
@click.option("--bootstrap", default=200, show_default=True, type=click.IntRange(0, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Résultat en JSON.")
def learn_command(path: Path | None, adopt: bool, bootstrap: int, as_json: bool) -> None:
    """Apprend les poids des critères des décisions favorables et défavorables."""
    read = decisions_file(path) if path else committee_decisions
    with _session() as session:
        report = learn_from_decisions(session, read, adopt=adopt, user=_user(), bootstrap=bootstrap)
    if as_json:
        click.echo(json.dumps(_json(report), ensure_ascii=False, indent=2))
        return
    _print(report)


def _json(report: LearnReport) -> dict[str, object]:
    learned = asdict(report.learned)
    learned["adoptable"] = report.learned.adoptable
    learned["adopted"] = report.adopted is not None
    return learned


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def _auc(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _print(report: LearnReport) -> None:
    learned = report.learned
    click.echo(
        f"{learned.decisions} décision(s), {learned.sessions} séance(s), "
        f"{learned.contests} local(aux) où le comité a préféré un candidat."
    )
    click.echo(f"{'critère':<28} {'actuel':>7} {'appris':>7}   intervalle (5–95 %)")
    for c in CRITERIA:
        click.echo(
            f"{CRITERIA_LABELS[c]:<28} {learned.current[c]:>7.3f} {learned.weights[c]:>7.3f}"
            f"   {learned.low[c]:.3f} – {learned.high[c]:.3f}"
        )
    click.echo(
        f"AUC validée par séance : {_auc(learned.auc)} (poids actuels : "
        f"{_auc(learned.auc_current)})."
    )
    click.echo(
        f"Candidat favorisé classé premier : {_pct(learned.first_current)} avec les poids "
        f"actuels, {_pct(learned.first_learned)} avec les poids appris."
    )
    for warning in learned.warnings:
        click.echo(f"Attention : {warning}")
    if report.adopted is not None:
        click.echo("Poids appris adoptés : nouvelle version des réglages enregistrée.")

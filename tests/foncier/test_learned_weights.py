"""Learning the weights from decisions, adopting them, and the next run recording them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from foncier.cli import main
from foncier.db import migrate
from foncier.errors import InvalidInput
from foncier.matching.learned_weights import learn_from_decisions, no_decisions
from foncier.matching.runs import MatchRequest, run_matching
from foncier.matching.stored_settings import current_settings
from foncier.models import Appariement, ReglagesAppariement
from matching.learning import FEATURES, example_decisions
from matching.settings import CRITERIA
from tests.conftest import create_database, drop_database

TRUTH = dict(zip(CRITERIA, np.linspace(0.2, 0.0222, 9).tolist(), strict=True))


def versions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ReglagesAppariement)) or 0


def test_adopted_weights_become_a_settings_version_the_next_run_records(
    session: Session,
) -> None:
    before = versions(session)
    decisions = example_decisions(TRUTH, 600, sharpness=30.0, seed=7)
    report = learn_from_decisions(
        session, lambda _: decisions, adopt=True, user="test", bootstrap=10
    )
    assert report.adopted is not None and versions(session) == before + 1
    assert current_settings(session).weights == pytest.approx(report.learned.weights, abs=1e-6)
    result = run_matching(session, MatchRequest(), "test")
    stored = session.get(Appariement, result["run"])
    assert stored is not None
    assert stored.reglages["weights"] == pytest.approx(report.learned.weights, abs=1e-6)


def test_ten_decisions_warn_and_write_nothing(session: Session) -> None:
    before = versions(session)
    decisions = example_decisions(TRUTH, 10, seed=7)
    with pytest.raises(InvalidInput, match="Poids appris non adoptés : Trop peu de décisions"):
        learn_from_decisions(session, lambda _: decisions, adopt=True, user="test", bootstrap=5)
    assert versions(session) == before
    shown = learn_from_decisions(session, lambda _: decisions, user="test", bootstrap=5)
    assert shown.adopted is None and not shown.learned.adoptable


def test_without_a_committee_there_is_nothing_to_learn(session: Session) -> None:
    report = learn_from_decisions(session, no_decisions, user="test", bootstrap=5)
    assert report.learned.decisions == 0 and not report.learned.adoptable


@pytest.fixture
def scratch_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_learn")
    migrate.upgrade(url)
    yield url
    drop_database(url)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": url}, catch_exceptions=False)


def test_the_command_learns_from_a_french_csv_and_adopts(scratch_db: str, tmp_path: Path) -> None:
    frame = example_decisions(TRUTH, 600, sharpness=30.0, seed=8)
    frame["favourable"] = frame["favourable"].map({True: "oui", False: "non"})
    path = tmp_path / "decisions.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    shown = run(scratch_db, "match", "learn", "--decisions", str(path), "--bootstrap", "10")
    assert shown.exit_code == 0, shown.output
    assert "AUC validée par séance : 0," in shown.output and "Attention" not in shown.output
    adopted = run(
        scratch_db, "match", "learn", "--decisions", str(path), "--bootstrap", "10", "--adopt"
    )
    assert "Poids appris adoptés" in adopted.output
    assert run(scratch_db, "match").exit_code == 0
    engine = create_engine(scratch_db)
    with engine.connect() as connection:
        saved = connection.scalar(select(ReglagesAppariement.reglages))
        recorded = connection.scalar(select(Appariement.reglages))
    engine.dispose()
    assert saved is not None and recorded is not None
    assert recorded["weights"] == saved["weights"]
    assert max(saved["weights"], key=saved["weights"].get) == "location"


def test_the_command_refuses_bad_files_in_french(scratch_db: str, tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    frame = example_decisions(TRUTH, 20).assign(favourable="peut-être")
    frame.to_csv(path, sep=";", decimal=",", index=False)
    refused = run(scratch_db, "match", "learn", "--decisions", str(path))
    assert refused.exit_code == 1
    assert "« favourable » : valeurs inconnues peut-être" in refused.output
    frame.drop(columns=[FEATURES[0], "favourable"]).to_csv(path, index=False)
    missing = run(scratch_db, "match", "learn", "--decisions", str(path))
    assert "colonnes manquantes dans les décisions : favourable, value_location" in missing.output

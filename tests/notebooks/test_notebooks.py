"""Every planners' notebook runs from top to bottom, so that none of them rots."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sqlalchemy import Engine

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(
    path: Path, loaded: Engine, empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The notebooks that read the store read the tests' demo database (the kernel inherits
    # the environment).
    monkeypatch.setenv("DATABASE_URL", empty_db)
    notebook = nbformat.read(path, as_version=4)
    # Executed in memory from the notebooks folder; the file in the repository stays as is.
    NotebookClient(
        notebook, timeout=300, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)  # the charts are drawn

"""Solvers' native output is kept off standard output, and standard output comes back."""

from __future__ import annotations

import os

import pytest

from matching._quiet import solver_output_to_stderr


def test_native_writes_go_to_stderr_while_solving(capfd: pytest.CaptureFixture[str]) -> None:
    os.write(1, b"before\n")
    with solver_output_to_stderr():
        os.write(1, b"solver\n")
        with solver_output_to_stderr():  # nested solves share one redirection
            os.write(1, b"inner\n")
        os.write(1, b"still solver\n")
    os.write(1, b"after\n")
    out, err = capfd.readouterr()
    assert out == "before\nafter\n"
    assert err == "solver\ninner\nstill solver\n"

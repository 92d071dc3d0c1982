"""Keep what solvers print natively off standard output.

Private to :mod:`matching.allocation`. HiGHS writes a few lines with C ``printf`` whatever its
options (``HighsMipSolverData::transformNewIntegerFeasibleSolution …``, when it repairs a
solution), straight to file descriptor 1, where ``foncier match --json`` writes its JSON. While
a solver runs, descriptor 1 points at standard error. The redirection is process-wide, so it is
counted: nested or concurrent solves share one, undone when the last ends.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

_lock = threading.Lock()
_depth = 0
_saved: int | None = None


def _flush_native() -> None:
    """Flush C stdio, whose buffer would otherwise reach the restored stdout later."""
    with suppress(OSError, AttributeError, TypeError):  # no C library to reach (not POSIX)
        ctypes.CDLL(None).fflush(None)


@contextmanager
def solver_output_to_stderr() -> Iterator[None]:
    """Within the block, anything written to file descriptor 1 goes to descriptor 2."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            sys.stdout.flush()
            _flush_native()
            try:
                _saved = os.dup(1)
                os.dup2(2, 1)
            except OSError:  # no descriptor 1 or 2 (a detached process): nothing to protect
                _saved = None
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                _flush_native()
                os.dup2(_saved, 1)
                os.close(_saved)
                _saved = None

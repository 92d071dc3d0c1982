"""Heavy parsing in a separate process, under a memory limit and a timeout.

An uploaded spreadsheet, GIS file or scenario document is read by Python and by C libraries
(openpyxl, GDAL, GEOS, PyYAML). In the serving process, a costly file held the processor and
the GIL for every other request of that process, and could take all the machine's memory.
Here it is read by a small pool of parser processes: each sets an address-space limit
(``resource.setrlimit``) above its own size once its libraries are loaded, and a parse that
outlasts its timeout has its process killed. Either way the caller gets a French 413, and the
pool is rebuilt for the next file.
"""

from __future__ import annotations

import importlib
import multiprocessing
import resource
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from foncier import limits
from foncier.errors import EnvironmentProblem, TooLarge

T = TypeVar("T")
PARSERS = 2  # per serving process: uploads are rare, and each parser may use the budget
TASKS_PER_PARSER = 50  # then a fresh process: a big file's memory is not kept forever
# A parser loads geopandas, GDAL and openpyxl when it starts: seconds on a loaded machine,
# which must not count against the file's own timeout.
STARTUP_TIMEOUT_S = 180
# Loaded before the limit is set, so that the budget is what one file may use.
_PRELOADED = ("yaml", "openpyxl", "pyogrio", "geopandas", "foncier.imports.parse")

_pools: dict[int, ProcessPoolExecutor] = {}
_lock = threading.Lock()
_busy = 0


def _limit_memory(budget: int) -> None:
    """Initializer of a parser process: its libraries, then its limit."""
    for name in _PRELOADED:
        importlib.import_module(name)
    with open("/proc/self/statm") as statm:
        own = int(statm.read().split()[0]) * resource.getpagesize()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = own + budget if hard == resource.RLIM_INFINITY else min(own + budget, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _ready() -> bool:
    return True


def _pool(budget: int) -> ProcessPoolExecutor:
    with _lock:
        if budget not in _pools:
            pool = ProcessPoolExecutor(
                max_workers=PARSERS,
                # Spawned, not forked: the serving process has threads and database sockets.
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_limit_memory,
                initargs=(budget,),
                max_tasks_per_child=TASKS_PER_PARSER,
            )
            try:
                pool.submit(_ready).result(timeout=STARTUP_TIMEOUT_S)
            except (FutureTimeout, BrokenProcessPool) as error:
                pool.shutdown(wait=False, cancel_futures=True)
                raise EnvironmentProblem(
                    "Les processus de lecture des fichiers ne démarrent pas : réessayez dans"
                    " un moment ; rien n'a été enregistré.",
                    detail=f"parser pool: {error!r}",
                ) from None
            _pools[budget] = pool
        return _pools[budget]


def _discard(budget: int, pool: ProcessPoolExecutor) -> None:
    """Kill the pool's processes (a parse past its timeout would run on) and forget it."""
    with _lock:
        if _pools.get(budget) is pool:
            del _pools[budget]
    # The executor offers no way to stop a running task but to end its process.
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def busy() -> int:
    """How many parses are under way in this process's pools."""
    return _busy


def parse_apart(
    function: Callable[..., T],
    *args: Any,
    name: str,
    budget: int = limits.MAX_PARSE_MEMORY_BYTES,
    timeout_s: float = limits.PARSE_TIMEOUT_S,
) -> T:
    """``function(*args)`` in a parser process (``function`` importable, arguments and result
    picklable); its own errors (``InvalidInput``…) come back as they are."""
    global _busy
    pool = _pool(budget)
    with _lock:
        _busy += 1
    try:
        future: Future[T] = pool.submit(function, *args)
        return future.result(timeout=timeout_s)
    except FutureTimeout:
        _discard(budget, pool)
        raise _too_costly(name, f"plus de {timeout_s:g} s de lecture".replace(".", ",")) from None
    except MemoryError:  # raised in the parser, which lives on: the failed parse is freed
        raise _too_costly(name, f"plus de {limits.format_bytes(budget)} de mémoire") from None
    except BrokenProcessPool:  # a parser died (killed by the kernel, or a C library aborted)
        _discard(budget, pool)
        raise _too_costly(name, f"plus de {limits.format_bytes(budget)} de mémoire") from None
    finally:
        with _lock:
            _busy -= 1


def _too_costly(name: str, cost: str) -> TooLarge:
    return TooLarge(
        f"« {limits.shortened(name)} » demande {cost} pour être lu : découpez-le, ou simplifiez"
        " ses géométries ; rien n'a été enregistré."
    )

"""Serve the app with several worker processes (gunicorn), sized to the machine's cores.

One process with threads saturates at 6–7 requests per second: Python computes one request
at a time per process (the GIL), so throughput grows with processes, not threads.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

THREADS_PER_WORKER = 4  # requests waiting on PostgreSQL overlap within a process
TIMEOUT_S = 120  # a matching run over every open need stays well under it


def default_workers() -> int:
    """One process per core the machine lets us use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class _Gunicorn(BaseApplication):
    """Gunicorn embedded: each worker builds its own app (its own database connections)."""

    def __init__(self, factory: Any, options: dict[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        app: Flask = self._factory()
        return app


def serve_processes(factory: Any, host: str, port: int, workers: int) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": THREADS_PER_WORKER,
        "worker_class": "gthread",
        "timeout": TIMEOUT_S,
        "graceful_timeout": 30,
        "accesslog": None,
        "preload_app": False,  # no connection pool is shared across a fork
        "control_socket_disable": True,  # one per user account: two servers would clash
    }
    _Gunicorn(factory, options).run()

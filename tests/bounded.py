"""Run hostile input in a child process under an address-space limit and a timeout.

A regression on a decompression or alias bomb must fail its test, not take the machine down:
the child cannot grow past ``MEMORY_LIMIT`` (its allocations fail) nor outlive ``TIMEOUT_S``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from typing import Any

MEMORY_LIMIT = 3 * 1024**3  # address space: the libraries alone map about 1.2 GB
TIMEOUT_S = 300  # only a hung child reaches it: the point is that the test ends


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(code: str, **env: str) -> dict[str, Any]:
    """Run ``code`` (which prints one JSON object last) in a limited child; return that object.

    A child that runs out of memory or time fails the calling test with what it printed.
    """
    child_env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **env}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_limit,
        env=child_env,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, (
        f"le processus borné a échoué (code {done.returncode}) : {done.stderr[-3000:]}"
    )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


# Child code: an app on the test database, one request, its status and reply printed as JSON.
APP_CLIENT = """
import json, os, resource
from tests.web.conftest import RoleClient
from web import create_app
app = create_app({
    "DATABASE_URL": os.environ["TEST_DATABASE_URL"], "TESTING": True,
    "WTF_CSRF_ENABLED": False, "GEOCODER_URL": "aucun",
    "UPLOAD_DIR": os.environ.get("TEST_UPLOAD_DIR"),
    "TEST_ACCOUNTS": json.loads(os.environ["TEST_ACCOUNTS"]),
})
app.test_client_class = RoleClient
client = app.test_client(role=os.environ["TEST_ROLE"])

def report(response):
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({
        "status": response.status_code,
        "body": response.get_data(as_text=True)[:20000],
        "length": len(response.get_data()),
        "peak_mb": peak_mb,
    }))
"""

"""Shared fixtures. Jupyter and matplotlib must never write to $HOME during tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_TMP_HOME = Path(tempfile.mkdtemp(prefix="rusinnspill-test-home-"))
for _var, _sub in (("IPYTHONDIR", "ipython"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                   ("MPLCONFIGDIR", "matplotlib")):
    if not os.environ.get(_var):
        os.environ[_var] = str(_TMP_HOME / _sub)
    Path(os.environ[_var]).mkdir(parents=True, exist_ok=True)

from helpers import config  # noqa: E402


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The five real documents beside the repository; tests that need them skip (with the reason) without."""
    if not (config.SHARED_CORPUS_DIR / "metadata.csv").is_file():
        pytest.skip(f"real corpus not found at {config.SHARED_CORPUS_DIR}")
    return config.SHARED_CORPUS_DIR


@pytest.fixture(scope="session")
def example_corpus() -> Path:
    return config.EXAMPLE_RAW_DIR


def run_cli(*args: str, timeout: float = 900, **kw) -> subprocess.CompletedProcess:
    """Run ``python -m helpers ...`` as a user would, from the repository root."""
    return subprocess.run([sys.executable, "-m", "helpers", *args], cwd=config.PROJ_ROOT, capture_output=True,
                          text=True, timeout=timeout, **kw)


@pytest.fixture(scope="session")
def example_pipeline(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One real run of the whole pipeline on the example corpus, shared by the tests that inspect it."""
    out = tmp_path_factory.mktemp("example-run")
    proc = run_cli("run", "--raw", str(config.EXAMPLE_RAW_DIR), "--out", str(out),
                   "--params", "notebooks/params/example.yaml")
    return proc, out

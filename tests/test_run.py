"""The runner: real papermill runs of the whole pipeline, failure reporting and the run lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers import config, run
from tests.conftest import run_cli

STEPS = [p.stem for p in run.list_notebooks()]


def _assert_full_run(proc: subprocess.CompletedProcess, out: Path) -> None:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    runs = sorted((out / "runs").iterdir())
    assert len(runs) == 1
    executed = sorted(p.stem for p in runs[0].glob("*.ipynb"))
    assert executed == STEPS
    for nb_path in runs[0].glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, f"{nb_path.name}: {errors}"
    assert (out / "data" / "processed" / "submissions.parquet").is_file()
    pngs = list((out / "figures").rglob("*.png"))
    assert pngs, "no figure written"
    assert (out / "figures" / "oversikt" / "01_innspill_per_organisasjonstype.png") in pngs
    assert f"Done: {len(STEPS)} notebook(s)" in proc.stdout
    for step in STEPS:
        assert step in proc.stdout


@pytest.mark.slow
def test_whole_pipeline_on_example_corpus(example_pipeline) -> None:
    proc, out = example_pipeline
    _assert_full_run(proc, out)


@pytest.mark.slow
def test_whole_pipeline_on_real_corpus(tmp_path: Path, shared_corpus: Path) -> None:
    proc = run_cli("run", "--raw", str(shared_corpus), "--out", str(tmp_path))
    _assert_full_run(proc, tmp_path)
    import pandas as pd

    subs = pd.read_parquet(tmp_path / "data" / "processed" / "submissions.parquet")
    assert len(subs) == 5 and set(subs["org_name"]) >= {"Norsk psykologforening", "Rådet for psykisk helse"}


def _write_nb(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(
        '# %% tags=["parameters"]\nraw_dir = "data/raw"\nprocessed_dir = "data/processed"\n'
        f'figures_dir = "figures"\nrandom_seed = 42\n\n# %%\nx = 1\n\n# %%\n{body}\n',
        encoding="utf-8",
    )


def test_failing_cell_names_notebook_and_cell(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    _write_nb(nbs, "10_fine", "y = x + 1")
    _write_nb(nbs, "20_broken", 'raise ValueError("planted failure")')
    _write_nb(nbs, "30_never", "z = 3")
    proc = run_cli("run", "--raw", str(config.EXAMPLE_RAW_DIR), "--out", str(tmp_path / "out"),
                   "--notebooks", str(nbs), "--params", "notebooks/params/example.yaml")
    assert proc.returncode != 0
    assert "20_broken.py failed in cell 3" in proc.stdout
    assert "ValueError: planted failure" in proc.stdout
    [run_dir] = (tmp_path / "out" / "runs").iterdir()
    assert not (run_dir / "30_never.ipynb").exists(), "the run must stop at the failing notebook"
    kept = nbformat.read(run_dir / "20_broken.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in kept.cells for o in c.get("outputs", []))
    assert not (tmp_path / "out" / run.LOCK_NAME).exists(), "a failed run must release its lock"


def test_parameters_layer_defaults_file_and_cli(tmp_path: Path) -> None:
    pfile = tmp_path / "p.yaml"
    pfile.write_text("random_seed: 7\nn_themes: 5\n", encoding="utf-8")
    plan = run.build_plan(raw=str(config.EXAMPLE_RAW_DIR), out=str(tmp_path), params_file=str(pfile),
                          overrides=[("n_themes", "9"), ("chapter", "alkohol")])
    assert plan.params["random_seed"] == 7          # file beats defaults
    assert plan.params["n_themes"] == 9             # -p beats file, typed as int
    assert plan.params["chapter"] == "alkohol"
    assert plan.params["processed_dir"] == str(tmp_path / "data" / "processed")
    with pytest.raises(run.RunError, match="no such notebook"):
        run.build_plan(only=["99_nothing"])


def test_second_concurrent_run_refuses_and_stale_lock_is_taken_over(tmp_path: Path) -> None:
    nbs = tmp_path / "nbs"
    _write_nb(nbs, "10_slow", "import time\ntime.sleep(30)")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "helpers", "run", "--raw", str(config.EXAMPLE_RAW_DIR), "--out", str(out),
            "--notebooks", str(nbs), "--params", "notebooks/params/example.yaml"]
    first = subprocess.Popen(args, cwd=config.PROJ_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        lock = out / run.LOCK_NAME
        for _ in range(300):
            if lock.exists():
                break
            time.sleep(0.1)
        assert lock.exists(), "first run never took the lock"
        second = run_cli("run", "--raw", str(config.EXAMPLE_RAW_DIR), "--out", str(out),
                         "--notebooks", str(nbs), "--params", "notebooks/params/example.yaml")
        assert second.returncode != 0
        assert "Another run is already writing" in second.stdout
        assert json.loads(lock.read_text())["pid"] == first.pid
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # a killed run leaves its lock behind
        first.wait()
    assert lock.exists()
    # The stale lock (its process is gone) must not block forever.
    _write_nb(nbs, "10_slow", "pass")
    third = run_cli("run", "--raw", str(config.EXAMPLE_RAW_DIR), "--out", str(out), "--notebooks", str(nbs),
                    "--params", "notebooks/params/example.yaml")
    assert third.returncode == 0, third.stdout + third.stderr
    assert "stale lock" in third.stdout
    assert not lock.exists()


def test_make_run_falls_back_to_example_corpus_and_says_so_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "empty_raw")
    plan = run.build_plan(out=str(tmp_path))
    assert plan.using_example and plan.raw_dir == config.EXAMPLE_RAW_DIR
    assert plan.params_file.name == "example.yaml"
    lines: list[str] = []

    class Args:
        raw = None
        out = str(tmp_path)
        params = None
        param: list = []
        only = ["10"]
        notebooks = None

    assert run.main(Args(), echo=lines.append) == 0
    assert lines[0].startswith("data/raw/ holds no submissions: running on the bundled example corpus")

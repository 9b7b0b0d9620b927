"""The pipeline runner: executes the numbered notebooks in order with papermill.

What runs is what is in git: each ``notebooks/NN_*.py`` (jupytext percent format) is read with jupytext and
handed to papermill as a NotebookNode. Parameters are layered: ``config/defaults.yaml``, then the params file,
then ``-p NAME VALUE`` pairs from the command line. Each notebook only receives the parameters its own
``parameters`` cell declares. Executed copies go to ``OUT/runs/<timestamp>/``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers import config

LOCK_NAME = ".run.lock"
STALE_LOCK_HOURS = 12.0


class RunError(RuntimeError):
    """A run that could not start or did not finish; the message is meant for the analyst."""


# --------------------------------------------------------------------------------------------------- lock
@dataclass
class RunLock:
    """A lock file in OUT so two runs never write the same outputs at once.

    A lock whose process is gone (same host) or that is older than ``STALE_LOCK_HOURS`` is stale: it is
    taken over with a warning instead of blocking forever.
    """

    path: Path
    stale_hours: float = STALE_LOCK_HOURS
    warnings: list[str] = field(default_factory=list)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": dt.datetime.now().isoformat()}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._read()
                reason = self._stale_reason(holder)
                if reason is None:
                    raise RunError(
                        f"Another run is already writing to {self.path.parent} "
                        f"(pid {holder.get('pid')} on {holder.get('host')}, "
                        f"started {holder.get('started')}). "
                        f"Wait for it to finish; if that run is dead, delete {self.path}."
                    ) from None
                self.warnings.append(f"Removed a stale lock {self.path} ({reason}).")
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(info, fh)
            return
        raise RunError(f"Could not take the lock {self.path}")

    def release(self) -> None:
        holder = self._read()
        if holder.get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)

    def _read(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _stale_reason(self, holder: dict[str, Any]) -> str | None:
        try:
            age_h = (time.time() - self.path.stat().st_mtime) / 3600
        except FileNotFoundError:
            return "already gone"
        if age_h > self.stale_hours:
            return f"{age_h:.1f} hours old"
        pid = holder.get("pid")
        if not isinstance(pid, int):
            return "unreadable lock file"
        if holder.get("host") == socket.gethostname() and not _pid_alive(pid):
            return f"process {pid} is no longer running"
        return None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------------------------- planning
@dataclass
class Plan:
    notebooks: list[Path]
    params: dict[str, Any]
    raw_dir: Path
    out_dir: Path
    runs_dir: Path
    using_example: bool
    params_file: Path | None


def list_notebooks(notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The pipeline's notebooks: ``NN_name.py`` in order of their number."""
    found = [p for p in notebooks_dir.glob("[0-9][0-9]_*.py") if p.is_file()]
    return sorted(found, key=lambda p: p.name)


def select_notebooks(all_nbs: list[Path], only: list[str] | None) -> list[Path]:
    if not only:
        return all_nbs
    chosen = []
    for name in only:
        hits = [p for p in all_nbs
                if p.stem == name or p.stem.startswith(name) or p.stem.split("_", 1)[-1] == name]
        if not hits:
            names = ", ".join(p.stem for p in all_nbs)
            raise RunError(f"--only {name}: no such notebook (have: {names})")
        chosen.extend(h for h in hits if h not in chosen)
    return sorted(chosen, key=lambda p: p.name)


def parse_value(text: str) -> Any:
    """A ``-p`` value is read as YAML so numbers, booleans and lists arrive typed (``-p n_themes 8``)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def build_plan(
    raw: str | None = None,
    out: str | None = None,
    params_file: str | None = None,
    overrides: list[tuple[str, str]] | None = None,
    only: list[str] | None = None,
    notebooks_dir: Path = config.NOTEBOOKS_DIR,
) -> Plan:
    """Decide what runs where, without running anything."""
    out_dir = config.resolve(out) if out else config.PROJ_ROOT
    if raw:
        raw_dir = config.resolve(raw)
        if not raw_dir.is_dir():
            raise RunError(f"--raw {raw}: folder {raw_dir} does not exist")
        using_example = False
    elif config.has_submissions(config.RAW_DIR):
        raw_dir, using_example = config.RAW_DIR, False
    else:
        raw_dir, using_example = config.EXAMPLE_RAW_DIR, True

    if params_file:
        pfile = config.resolve(params_file)
    else:
        pfile = config.PARAMS_DIR / ("example.yaml" if using_example else "default.yaml")
    if not pfile.is_file():
        raise RunError(f"--params {pfile}: file not found")
    file_params = config.load_yaml(pfile) or {}
    if not isinstance(file_params, dict):
        raise RunError(f"{pfile}: expected a mapping of parameter names to values")

    params: dict[str, Any] = dict(config.default_params())
    params.update(file_params)
    # Folders follow --raw/--out unless the user names them explicitly.
    params["raw_dir"] = str(raw_dir)
    if out or "processed_dir" not in file_params:
        params["processed_dir"] = str(out_dir / "data" / "processed")
    if out or "figures_dir" not in file_params:
        params["figures_dir"] = str(out_dir / "figures")
    for name, value in overrides or []:
        params[name] = parse_value(value)

    notebooks = select_notebooks(list_notebooks(notebooks_dir), only)
    if not notebooks:
        raise RunError(f"No notebooks found in {notebooks_dir}")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    runs_dir = out_dir / "runs" / stamp
    n = 1
    while runs_dir.exists():
        n += 1
        runs_dir = out_dir / "runs" / f"{stamp}-{n}"
    return Plan(notebooks, params, raw_dir, out_dir, runs_dir, using_example, pfile)


def notebook_parameters(nb: Any) -> list[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            names = []
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


# ---------------------------------------------------------------------------------------------- running
@dataclass
class StepResult:
    name: str
    seconds: float
    output: Path
    ok: bool
    error: str = ""


def execute(plan: Plan, echo=print) -> list[StepResult]:
    """Run the plan's notebooks in order; stop at the first failure and raise ``RunError`` naming it."""
    import jupytext
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    results: list[StepResult] = []
    plan.runs_dir.mkdir(parents=True, exist_ok=True)
    for path_key in ("processed_dir", "figures_dir"):
        Path(plan.params[path_key]).mkdir(parents=True, exist_ok=True)
    total = len(plan.notebooks)
    for i, nb_path in enumerate(plan.notebooks, 1):
        nb = jupytext.read(nb_path)
        declared = notebook_parameters(nb)
        if not declared:
            raise RunError(f"{nb_path.name}: no cell tagged 'parameters'")
        params = {k: v for k, v in plan.params.items() if k in declared}
        output = plan.runs_dir / f"{nb_path.stem}.ipynb"
        start = time.perf_counter()
        try:
            pm.execute_notebook(
                nb,
                str(output),
                parameters=params,
                kernel_name="python3",
                language="python",
                cwd=str(nb_path.parent),
                progress_bar=False,
                log_output=False,
                report_mode=False,
                # ipykernel warns on every start that loopback TCP is unencrypted; keep real errors only.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except PapermillExecutionError as err:
            secs = time.perf_counter() - start
            cell = _cell_label(output)
            msg = f"{err.ename}: {err.evalue}"
            results.append(StepResult(nb_path.stem, secs, output, False, msg))
            echo(f"[{i}/{total}] {nb_path.stem:<28} FAILED after {secs:6.1f} s")
            raise RunError(
                f"{nb_path.name} failed in cell {cell}: {msg}\n"
                f"The executed copy with the error is {output}"
            ) from None
        except Exception as err:  # kernel died, bad notebook file ...: still name the notebook
            secs = time.perf_counter() - start
            echo(f"[{i}/{total}] {nb_path.stem:<28} FAILED after {secs:6.1f} s")
            raise RunError(f"{nb_path.name} could not be executed: {type(err).__name__}: {err}") from err
        secs = time.perf_counter() - start
        results.append(StepResult(nb_path.stem, secs, output, True))
        echo(f"[{i}/{total}] {nb_path.stem:<28} ok     {secs:6.1f} s  -> {output}")
    return results


def _cell_label(executed: Path) -> str:
    """Number the failing cell as a reader of the notebook counts it: code cells from 1, the cell papermill
    injects with the parameters not counted; plus the first line of its source."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    code = [c for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    for n, cell in enumerate(code, 1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            return f"{n} (`{first[:60]}`)"
    return "unknown"


def main(args: Any, echo=print) -> int:
    nb_dir = config.resolve(args.notebooks) if getattr(args, "notebooks", None) else config.NOTEBOOKS_DIR
    try:
        plan = build_plan(args.raw, args.out, args.params, args.param, args.only, nb_dir)
    except RunError as err:
        echo(f"error: {err}")
        return 2
    if plan.using_example:
        echo(
            f"data/raw/ holds no submissions: running on the bundled example corpus ({plan.raw_dir}). "
            "Drop real submissions into data/raw/ to analyse them."
        )
    else:
        echo(f"Running on {plan.raw_dir}")
    echo(f"Parameters: {plan.params_file}; outputs under {plan.out_dir}")
    lock = RunLock(Path(plan.out_dir) / LOCK_NAME)
    t0 = time.perf_counter()
    try:
        with lock:
            for w in lock.warnings:
                echo(f"warning: {w}")
            results = execute(plan, echo=echo)
    except RunError as err:
        echo(f"error: {err}")
        return 1
    total = time.perf_counter() - t0
    echo(
        f"Done: {len(results)} notebook(s) in {total:.1f} s. Executed notebooks: {plan.runs_dir}; "
        f"tables: {plan.params['processed_dir']}; figures: {plan.params['figures_dir']}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: python -m helpers run")

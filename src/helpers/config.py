"""Every path the suite uses, derived from this file's location, and the notebook parameter defaults.

No notebook or module writes ``"../data"``: they ask this module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

PROJ_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJ_ROOT / "config"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
PARAMS_DIR = NOTEBOOKS_DIR / "params"
DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
ANNOTATIONS_DIR = DATA_DIR / "annotations"
EXAMPLE_DIR = DATA_DIR / "example"
EXAMPLE_RAW_DIR = EXAMPLE_DIR / "raw"
EXAMPLE_GOLD = EXAMPLE_DIR / "gold_positions.csv"
FIGURES_DIR = PROJ_ROOT / "figures"

# The real corpus and gold reading live beside the repository, never inside it.
SHARED_DIR = Path(os.environ.get("RUSINNSPILL_SHARED", PROJ_ROOT.parent / "shared"))
SHARED_CORPUS_DIR = SHARED_DIR / "corpus"
SHARED_GOLD_DIR = SHARED_DIR / "gold"
SHARED_BENCH_DIR = SHARED_DIR / "bench"

# Files in a raw folder that are not submissions.
NON_SUBMISSION_NAMES = frozenset({"metadata.csv", "README.md", ".gitkeep", ".DS_Store", "Thumbs.db"})


def load_yaml(path: Path) -> Any:
    """Read a YAML file; a parse error names the file, line and reason."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{path}{where}: invalid YAML: {getattr(err, 'problem', err)}") from err


def default_params() -> dict[str, Any]:
    """Notebook parameter defaults (``config/defaults.yaml``), the first layer the runner applies."""
    params = load_yaml(CONFIG_DIR / "defaults.yaml") or {}
    if not isinstance(params, dict):
        raise ValueError(f"{CONFIG_DIR / 'defaults.yaml'}: expected a mapping of parameter names to values")
    return params


def has_submissions(raw_dir: Path) -> bool:
    """True when ``raw_dir`` holds at least one file that could be a submission (any sub-folder)."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return False
    return any(p.is_file() and p.name not in NON_SUBMISSION_NAMES for p in raw_dir.rglob("*"))


def resolve(path: str | Path, base: Path = PROJ_ROOT) -> Path:
    """Resolve a parameter path: absolute paths stay, relative ones are taken from the repository root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else (base / path).resolve()

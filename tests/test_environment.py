"""pyproject.toml is the one dependency list; environment.yml must keep wrapping it."""

from __future__ import annotations

import tomllib

import yaml

from helpers import config


def test_environment_yml_wraps_pyproject() -> None:
    pyproject = tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((config.PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    pythons = [d for d in deps if isinstance(d, str) and d.startswith("python")]
    required = pyproject["project"]["requires-python"].lstrip(">=")
    assert pythons == [f"python={required}"], "environment.yml and requires-python disagree on Python"
    pip_blocks = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert pip_blocks == [["-e .[dev]"]], "environment.yml must install the package itself, nothing more"
    conda_pkgs = [d for d in deps if isinstance(d, str) and not d.startswith(("python", "pip"))]
    assert conda_pkgs == [], f"conda-only packages would drift from pyproject.toml: {conda_pkgs}"
    assert "dev" in pyproject["project"]["optional-dependencies"]


def test_dependencies_are_bounded() -> None:
    pyproject = tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    unbounded = [d for d in deps if not any(op in d for op in (">=", "==", "~="))]
    assert not unbounded, f"pin or lower-bound these: {unbounded}"

"""The general Norwegian stance vocabulary (``config/stance_lexicon.yaml``), validated and compiled.

Each category becomes one alternation regex (longest patterns first, so "går i feil retning" is tried
before "går"), bounded on word edges. The stance engine only ever sees compiled ``Lexicon`` objects.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from helpers import config
from helpers.positions.scanner import Scanner
from helpers.positions.yamlcheck import ConfigError, LineDict, LineList, bounded, compile_cue, load_with_lines

LEXICON_PATH = config.CONFIG_DIR / "stance_lexicon.yaml"

# category path -> (sign, weight); sign is +1/-1 for signed cues, 0 for structural ones.
SIGNED = {
    ("evaluation", "positive", "strong"): (1, 1.0),
    ("evaluation", "positive", "weak"): (1, 0.7),
    ("evaluation", "negative", "strong"): (-1, 1.0),
    ("evaluation", "negative", "weak"): (-1, 0.7),
    ("evaluation", "negative", "rejection"): (-1, 1.0),
    ("change", "increase"): (1, 1.0),
    ("change", "decrease"): (-1, 1.0),
    ("change", "deficit"): (-1, 0.85),
    ("change", "excess"): (1, 0.85),
    ("change", "problem_compound"): (-1, 0.85),
    ("change", "sufficient"): (1, 0.85),
    ("negation", "plain"): (-1, 1.0),
    ("negation", "wide"): (-1, 1.0),
    ("negation", "contrast"): (-1, 1.0),
}
PLAIN = [
    ("neutral_phrases",),
    ("hedges",),
    ("conditions",),
    ("boundaries", "strong"),
    ("boundaries", "weak"),
    ("boundaries", "fronted"),
    ("attribution", "subjects"),
    ("attribution", "speech_verbs"),
    ("attribution", "markers"),
    ("attribution", "concessions"),
    ("attribution", "noncommittal"),
    ("own_speaker",),
    ("anaphors",),
    ("not_subjects",),
    ("scope", "age_limited"),
    ("scope", "groups"),
    ("transparent",),
    ("resources",),
    ("comparison", "better"),
    ("comparison", "worse"),
]
TOP_KEYS = {
    "version",
    "evaluation",
    "change",
    "negation",
    "neutral_phrases",
    "hedges",
    "conditions",
    "boundaries",
    "attribution",
    "own_speaker",
    "anaphors",
    "not_subjects",
    "scope",
    "transparent",
    "resources",
    "comparison",
}


@dataclass(frozen=True)
class Lexicon:
    """Compiled cue regexes by category name (``"evaluation.positive.strong"`` ...) plus word sets."""

    regexes: dict[str, re.Pattern[str]]
    signs: dict[str, tuple[int, float]]
    transparent: frozenset[str]
    not_subjects: frozenset[str]
    path: Path
    scanner: Scanner  # every cue of every category, payload = category name

    def scan(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Matches per category (each cue on its own, so matches of one category may overlap)."""
        return _group(self.scanner.scan(text))

    def scan_many(self, texts: list[str]) -> list[dict[str, list[tuple[int, int]]]]:
        return [_group(h) for h in self.scanner.scan_many(texts)]


def _group(hits) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for start, end, cat in hits:
        out.setdefault(cat, []).append((start, end))
    return out

    def rx(self, name: str) -> re.Pattern[str]:
        return self.regexes[name]


def _get(tree: LineDict, keys: tuple[str, ...], path: Path) -> tuple[LineList, int]:
    node, line = tree, tree.line
    for key in keys:
        if not isinstance(node, LineDict) or key not in node:
            raise ConfigError(f"{path}:{line}: missing section {'.'.join(keys)!r}")
        line = node.line_of(key)
        node = node[key]
    if not isinstance(node, LineList):
        raise ConfigError(f"{path}:{line}: {'.'.join(keys)} must be a list of regexes")
    return node, line


def _alternation(items: LineList, path: Path, what: str) -> re.Pattern[str]:
    """Validate each entry on its own (for a precise line), then join them longest first."""
    for i, pattern in enumerate(items):
        compile_cue(pattern, path, items.line_of(i), what)
    if not items:
        return re.compile(r"(?!x)x")
    joined = "|".join(bounded(p) for p in sorted(items, key=len, reverse=True))
    return re.compile(joined, re.IGNORECASE)


def parse_lexicon(path: Path) -> Lexicon:
    tree = load_with_lines(path)
    if not isinstance(tree, LineDict):
        raise ConfigError(f"{path}:1: expected a mapping of sections")
    for key in tree:
        if key not in TOP_KEYS:
            raise ConfigError(
                f"{path}:{tree.line_of(key)}: unknown section {key!r} (allowed: {sorted(TOP_KEYS)})"
            )
    regexes, signs, cues = {}, {}, []
    for keys in [*SIGNED, *PLAIN]:
        items, _ = _get(tree, keys, path)
        name = ".".join(keys)
        regexes[name] = _alternation(items, path, name)
        if keys in SIGNED:
            signs[name] = SIGNED[keys]
        if keys not in (("transparent",), ("not_subjects",)):
            cues += [(re.compile(bounded(p), re.IGNORECASE), name) for p in items]
    transparent, _ = _get(tree, ("transparent",), path)
    not_subjects, _ = _get(tree, ("not_subjects",), path)
    return Lexicon(
        regexes,
        signs,
        frozenset(w.lower() for w in transparent),
        frozenset(w.lower() for w in not_subjects),
        path,
        Scanner(cues),
    )


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Lexicon:
    return parse_lexicon(Path(path))


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon at ``path`` (default ``config/stance_lexicon.yaml``), re-read when the file changes."""
    path = Path(path or LEXICON_PATH)
    if not path.is_file():
        raise ConfigError(f"{path}: stance lexicon not found")
    return _cached(str(path), path.stat().st_mtime)

"""The codebook (``config/positions.yaml``): one entry per position, validated on load.

A bad entry fails with ``file:line: reason`` (unknown key, bad regex, missing label, duplicate id, unknown
chapter), because analysts add positions by editing this file alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers import config
from helpers.positions.scanner import Scanner
from helpers.positions.yamlcheck import ConfigError, LineDict, LineList, compile_cue, load_with_lines

CODEBOOK_PATH = config.CONFIG_DIR / "positions.yaml"


def chapter_ids() -> frozenset[str]:
    """Chapters are defined once, in ``config/chapters.yaml``; the codebook only refers to them."""
    data = config.load_yaml(config.CONFIG_DIR / "chapters.yaml") or {}
    return frozenset(str(c["id"]) for c in data.get("chapters", []) if isinstance(c, dict) and "id" in c)


REQUIRED = ("id", "label", "description", "chapter", "topic")
CUE_LISTS = ("topic", "weak_topic", "pro", "con", "exclude", "context")
FLAGS = ("pro_con_need_topic", "salience")
ALLOWED = frozenset({*REQUIRED, *CUE_LISTS, *FLAGS})
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Position:
    id: str
    label: str
    description: str
    chapter: str
    topic: tuple[re.Pattern[str], ...]
    weak_topic: tuple[re.Pattern[str], ...] = ()
    pro: tuple[re.Pattern[str], ...] = ()
    con: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    context: tuple[re.Pattern[str], ...] = ()
    pro_con_need_topic: bool = False
    salience: bool = False
    any_rx: re.Pattern[str] = field(default=None, repr=False)  # every topic/pro/con cue in one regex


@dataclass(frozen=True)
class Codebook:
    positions: tuple[Position, ...]
    path: Path
    any_rx: re.Pattern[str] = field(default=None, repr=False)  # prefilter: does a sentence hit any position?
    scanner: Scanner = field(default=None, repr=False)  # payload (position_id, cue list name)

    def scan(self, text: str) -> dict[str, dict[str, list[tuple[int, int]]]]:
        """Matches per position and cue list: {position_id: {"topic": [(start, end), ...], ...}}."""
        return _group(self.scanner.scan(text))

    def scan_many(self, texts: list[str]) -> list[dict[str, dict[str, list[tuple[int, int]]]]]:
        return [_group(h) for h in self.scanner.scan_many(texts)]

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.positions]

    def get(self, position_id: str) -> Position:
        for p in self.positions:
            if p.id == position_id:
                return p
        raise KeyError(f"{self.path}: no position {position_id!r}")

    @property
    def by_id(self) -> dict[str, Position]:
        return {p.id: p for p in self.positions}

    def labels(self) -> dict[str, str]:
        return {p.id: p.label for p in self.positions}


def _group(hits) -> dict[str, dict[str, list[tuple[int, int]]]]:
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for start, end, (pid, key) in hits:
        out.setdefault(pid, {}).setdefault(key, []).append((start, end))
    return out


def _cues(entry: LineDict, key: str, path: Path, pid: str) -> tuple[list[str], tuple[re.Pattern[str], ...]]:
    raw = entry.get(key)
    if raw is None:
        return [], ()
    if not isinstance(raw, LineList):
        raise ConfigError(f"{path}:{entry.line_of(key)}: position {pid!r}: {key} must be a list of regexes")
    compiled = tuple(
        compile_cue(p, path, raw.line_of(i), f"position {pid!r} {key}") for i, p in enumerate(raw)
    )
    return list(raw), compiled


def _position(entry, path: Path, seen: dict[str, int]) -> Position:
    if not isinstance(entry, LineDict):
        raise ConfigError(f"{path}:{getattr(entry, 'line', '?')}: each position must be a mapping")
    pid = entry.get("id")
    for key in entry:
        if key not in ALLOWED:
            raise ConfigError(
                f"{path}:{entry.line_of(key)}: position {pid!r}: unknown key {key!r} "
                f"(allowed: {', '.join(sorted(ALLOWED))})"
            )
    for key in REQUIRED:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            raise ConfigError(f"{path}:{entry.line}: position {pid!r}: missing {key}")
    if not isinstance(pid, str) or not ID_RE.fullmatch(pid):
        raise ConfigError(
            f"{path}:{entry.line_of('id')}: bad id {pid!r} (lower case letters, digits, hyphens)"
        )
    if pid in seen:
        raise ConfigError(f"{path}:{entry.line_of('id')}: duplicate id {pid!r} (first at line {seen[pid]})")
    seen[pid] = entry.line_of("id")
    chapters = chapter_ids()
    if entry["chapter"] not in chapters:
        raise ConfigError(
            f"{path}:{entry.line_of('chapter')}: position {pid!r}: unknown chapter "
            f"{entry['chapter']!r} (chapters in config/chapters.yaml: {', '.join(sorted(chapters))})"
        )
    for flag in FLAGS:
        if not isinstance(entry.get(flag, False), bool):
            raise ConfigError(f"{path}:{entry.line_of(flag)}: position {pid!r}: {flag} must be true or false")
    raw, compiled = {}, {}
    for key in CUE_LISTS:
        raw[key], compiled[key] = _cues(entry, key, path, pid)
    joined = "|".join(f"(?:{p})" for k in ("topic", "weak_topic", "pro", "con") for p in raw[k])
    any_rx = re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)
    return Position(
        pid,
        str(entry["label"]).strip(),
        " ".join(str(entry["description"]).split()),
        entry["chapter"],
        compiled["topic"],
        compiled["weak_topic"],
        compiled["pro"],
        compiled["con"],
        compiled["exclude"],
        compiled["context"],
        entry.get("pro_con_need_topic", False),
        entry.get("salience", False),
        any_rx,
    )


def parse_codebook(path: Path) -> Codebook:
    tree = load_with_lines(path)
    if not isinstance(tree, LineDict) or "positions" not in tree:
        raise ConfigError(f"{path}:1: expected a top-level 'positions:' list")
    for key in tree:
        if key != "positions":
            raise ConfigError(f"{path}:{tree.line_of(key)}: unknown top-level key {key!r} (only 'positions')")
    entries = tree["positions"]
    if not isinstance(entries, LineList) or not entries:
        raise ConfigError(f"{path}:{tree.line_of('positions')}: 'positions' must be a non-empty list")
    seen: dict[str, int] = {}
    positions = tuple(_position(e, path, seen) for e in entries)
    joined = "|".join(f"(?:{p.any_rx.pattern})" for p in positions)
    cues = [(rx, (p.id, key)) for p in positions for key in CUE_LISTS for rx in getattr(p, key)]
    return Codebook(positions, path, re.compile(joined, re.IGNORECASE), Scanner(cues))


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Codebook:
    return parse_codebook(Path(path))


def load_codebook(path: str | Path | None = None) -> Codebook:
    """The codebook at ``path`` (default ``config/positions.yaml``), re-read when the file changes."""
    path = Path(path or CODEBOOK_PATH)
    if not path.is_file():
        raise ConfigError(f"{path}: codebook not found")
    return _cached(str(path), path.stat().st_mtime)

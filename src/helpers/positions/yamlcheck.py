"""YAML with line numbers, so a bad codebook or lexicon fails with ``file:line: reason``.

``yaml.safe_load`` forgets where a value came from. Analysts edit these files by hand, so every validation
error must point at the line to fix: we compose the node tree and keep each node's line beside its value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A configuration file is wrong; the message names the file, the line and the reason."""


class LineDict(dict):
    """A mapping that remembers the line of each key (``line_of``) and of itself (``line``)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that remembers the line of each item (``line_of``) and of itself (``line``)."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _convert(node: yaml.Node, path: Path) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path)
            if key in out:
                raise ConfigError(f"{path}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            out[key] = _convert(value_node, path)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LineList(_convert(n, path) for n in node.value)
        out.line, out.item_lines = line, [n.start_mark.line + 1 for n in node.value]
        return out
    return yaml.safe_load(yaml.serialize(node)) if node.tag != "tag:yaml.org,2002:str" else node.value


def load_with_lines(path: str | Path) -> Any:
    """Parse ``path``; a syntax error names the line. Returns LineDict/LineList/scalars."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(err, 'problem', err)}") from err
    return _convert(node, path) if node is not None else None


def compile_cue(pattern: Any, path: Path, line: int, what: str) -> re.Pattern[str]:
    """One cue as a word-bounded, case-insensitive regex; a bad one names the line and the regex error."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ConfigError(f"{path}:{line}: {what}: expected a non-empty regex string, got {pattern!r}")
    try:
        rx = re.compile(bounded(pattern), re.IGNORECASE)
    except re.error as err:
        raise ConfigError(f"{path}:{line}: {what}: bad regex {pattern!r}: {err}") from err
    if rx.search(""):
        raise ConfigError(f"{path}:{line}: {what}: regex {pattern!r} matches the empty string")
    return rx


def bounded(pattern: str) -> str:
    """Word boundaries (that also work around æøå) for word cues; punctuation cues (",", ";", " – ",
    "\\(") are left as they are, since a comma follows a word without a space."""
    if re.match(r"[\w(]|\\w", pattern):
        return rf"(?<!\w)(?:{pattern})(?!\w)"
    return f"(?:{pattern})"

"""Positions: who supports and who opposes each claim, with the sentence that says so.

Modules: ``codebook`` (config/positions.yaml), ``lexicon`` (config/stance_lexicon.yaml), ``stance`` (one
sentence), ``detect`` (documents), ``aggregate`` (submission x position, evidence check, output),
``review`` (analyst overrides, least certain calls, optional classifier), ``evaluate`` (against gold),
``tables`` (counts, matrices, quote tables for the report), ``pipeline`` (the whole step).
"""

from helpers.positions.aggregate import (
    CALLS,
    EvidenceError,
    calls_only,
    load_positions,
    verify_evidence,
    write_positions,
)
from helpers.positions.aggregate import aggregate as aggregate_positions
from helpers.positions.codebook import Codebook, Position, load_codebook
from helpers.positions.detect import classify_sentence
from helpers.positions.detect import detect as detect_sentences
from helpers.positions.lexicon import load_lexicon
from helpers.positions.pipeline import PositionsResult, run_positions
from helpers.positions.yamlcheck import ConfigError

# Functions are exported under names that do not shadow the submodules (``positions.detect`` stays the
# module, ``positions.detect_sentences`` is its main function).
__all__ = [
    "CALLS",
    "Codebook",
    "ConfigError",
    "EvidenceError",
    "Position",
    "PositionsResult",
    "aggregate_positions",
    "calls_only",
    "classify_sentence",
    "detect_sentences",
    "load_codebook",
    "load_lexicon",
    "load_positions",
    "run_positions",
    "verify_evidence",
    "write_positions",
]

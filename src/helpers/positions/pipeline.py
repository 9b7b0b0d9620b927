"""The whole positions step on a processed folder: detect, aggregate, verify, apply review, write.

It reads the processed ``submissions.parquet`` / ``segments.parquet`` and never re-ingests, so re-running
after a codebook or lexicon edit costs only the detection itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.positions import review as review_mod
from helpers.positions.aggregate import NOT_PUBLIC, aggregate, verify_evidence, write_positions
from helpers.positions.codebook import load_codebook
from helpers.positions.detect import detect
from helpers.positions.lexicon import load_lexicon


@dataclass
class PositionsResult:
    sentences: pd.DataFrame  # every sentence-level call (position_sentences.parquet)
    machine: pd.DataFrame  # aggregated machine calls, before review
    positions: pd.DataFrame  # after review (positions.csv)
    review: pd.DataFrame  # the review rows that were applied
    n_evidence_checked: int


def _masked(sentences: pd.DataFrame, submissions: pd.DataFrame) -> pd.DataFrame:
    """The sentence table as written to disk: text of non-public letters replaced (counted, never quoted)."""
    if "is_public" not in submissions.columns or sentences.empty:
        return sentences
    hidden = set(
        submissions.loc[
            submissions["is_public"].fillna(True).astype(bool) == False,  # noqa: E712
            "submission_id",
        ]
    )
    out = sentences.copy()
    out.loc[out["submission_id"].isin(hidden), "text"] = NOT_PUBLIC
    return out


def load_inputs(processed_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """submissions and segments of a processed folder (written by ``helpers.ingest``)."""
    processed_dir = Path(processed_dir)
    paths = [processed_dir / "submissions.parquet", processed_dir / "segments.parquet"]
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(f"{p}: not found - run the ingest step (notebook 10) first")
    return pd.read_parquet(paths[0]), pd.read_parquet(paths[1])


def run_positions(
    processed_dir: str | Path,
    review_file: str | Path | None = None,
    codebook_path: str | Path | None = None,
    lexicon_path: str | Path | None = None,
    write: bool = True,
    workers: int | None = None,
) -> PositionsResult:
    """Detect and aggregate positions for a processed folder; apply the review file; write the outputs.

    ``workers``: processes for detection (default: 2 from 1,000 submissions on, else 1).
    Raises ``EvidenceError`` if any evidence sentence is not found verbatim at its recorded offsets.
    """
    submissions, segments = load_inputs(processed_dir)
    codebook = load_codebook(codebook_path)
    lexicon = load_lexicon(lexicon_path)
    if workers is None:
        workers = 2 if len(submissions) >= 1000 else 1
    sentences = detect(submissions, segments, codebook, lexicon, workers=workers)
    machine = aggregate(sentences, submissions, codebook)
    checked = verify_evidence(machine, submissions)
    review = review_mod.load_review(review_file) if review_file else review_mod.empty_review()
    positions = review_mod.apply_review(machine, review, submissions, codebook)
    if write:
        write_positions(positions, processed_dir, _masked(sentences, submissions))
    return PositionsResult(sentences, machine, positions, review, checked)

"""From sentence calls to one row per (submission, position): support, oppose, mixed or mentions.

Decisions:
- Only sentences that take a stance count (never headings, never attributed text). A submission that
  names a subject without a stance on it gets ``mentions`` (not a call).
- Each side's weight is the sum of its sentence confidences; the call's confidence is a noisy-OR of the
  winning side's sentences (several sentences saying the same thing make it surer).
- ``mixed`` when both sides would be a call on their own, the weaker side has at least ``MIXED_RATIO`` of
  the stronger side's weight, and the split is real: a stance sentence names the reach (an age limit or a
  group: "help for adults, a criminal reaction for under-18s"), or each side has at least
  ``MIN_MIXED_SENTENCES`` sentences that could be a call on their own (confidence >= ``CALL_THRESHOLD``).
  Otherwise the stronger side wins and the minority lowers the confidence: on letters the detector had not
  seen, a single sentence against the grain was a misread far more often than a split position (measured on
  the held-out sets, see tests/data/heldout/README.md).
- A call needs confidence >= ``CALL_THRESHOLD``; below that it is reported as ``mentions``. It also
  needs at least one sentence that hits a real topic or phrase of the claim, not only a weak topic word
  (a letter that only mentions "TSB" while demanding a quality registry does not take a stance on where
  TSB belongs). When such sentences exist, sentences with only a weak topic word are left out.
- Evidence is every stance sentence verbatim, in document order, joined with " | ", with its location
  ("file p.N ¶M"), segment id and character span in ``submissions.text`` (``verify_evidence`` checks it).
- Submissions that are not public are counted, but their evidence reads "(ikke offentlig)".
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from helpers import io
from helpers.positions.codebook import Codebook, load_codebook

POSITION_COLUMNS = [
    "submission_id",
    "file",
    "org_name",
    "org_type",
    "position_id",
    "label",
    "stance",
    "confidence",
    "source",
    "reviewed",
    "evidence",
    "evidence_location",
    "evidence_segment_ids",
    "evidence_spans",
    "scope",
    "is_campaign",
    "campaign_id",
    "n_support",
    "n_oppose",
    "n_mentions",
    "note",
]
CALLS = ("support", "oppose", "mixed")
CALL_THRESHOLD = 0.5
MIXED_RATIO = 0.4
MIN_MIXED_SENTENCES = 2
SEP = " | "
NOT_PUBLIC = "(ikke offentlig)"


class EvidenceError(AssertionError):
    """An evidence string is not found verbatim at its recorded offsets."""


def _noisy_or(confs) -> float:
    p = 1.0
    for c in confs:
        p *= 1.0 - float(c)
    return 1.0 - p


def decide(support: list[float], oppose: list[float], scoped: bool = False) -> tuple[str, float, str]:
    """(stance, confidence, note) from the confidences of one pair's support and oppose sentences;
    ``scoped``: a stance sentence limits its reach to an age or a group."""
    w_pos, w_neg = sum(support), sum(oppose)
    if not w_pos and not w_neg:
        return "mentions", 0.0, ""
    p_pos, p_neg = _noisy_or(support), _noisy_or(oppose)
    if w_pos and w_neg:
        ratio = min(w_pos, w_neg) / max(w_pos, w_neg)
        callable_ = [sum(c >= CALL_THRESHOLD for c in side) for side in (support, oppose)]
        split = scoped or min(callable_) >= MIN_MIXED_SENTENCES
        if split and ratio >= MIXED_RATIO and min(p_pos, p_neg) >= CALL_THRESHOLD:
            return "mixed", round(min(p_pos, p_neg), 3), f"støtte {w_pos:.1f} mot {w_neg:.1f}"
        stance, conf = ("support", p_pos) if w_pos > w_neg else ("oppose", p_neg)
        conf *= 1.0 - ratio / 2
        note = f"også {len(oppose if stance == 'support' else support)} setning(er) med motsatt syn"
    else:
        stance, conf, note = ("support", p_pos, "") if w_pos else ("oppose", p_neg, "")
    if conf < CALL_THRESHOLD:
        return "mentions", round(conf, 3), f"for usikkert til å telle ({stance} {conf:.2f})"
    return stance, round(conf, 3), note


def _location(row: dict) -> str:
    return f"{row['file']} p.{int(row['page'])} ¶{int(row['paragraph'])}"


def aggregate(
    sentences: pd.DataFrame, submissions: pd.DataFrame, codebook: Codebook | None = None
) -> pd.DataFrame:
    """One row per (submission, position) that the submission addresses (see module docstring)."""
    codebook = codebook or load_codebook()
    labels = codebook.labels()
    order = {pid: i for i, pid in enumerate(codebook.ids)}
    if sentences.empty:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    info_cols = [
        c
        for c in ("submission_id", "file", "org_name", "org_type", "is_public", "is_campaign", "campaign_id")
        if c in submissions.columns
    ]
    info = {r["submission_id"]: r for r in submissions[info_cols].to_dict("records")}
    recs = sentences.sort_values(["submission_id", "position_id", "start"]).to_dict("records")
    rows = []
    for (sid, pid), group in itertools.groupby(recs, key=lambda r: (r["submission_id"], r["position_id"])):
        group = list(group)
        stance_rows = [r for r in group if r["stance"] in CALLS and not r["is_heading"]]
        if any(r.get("strong", True) for r in stance_rows):  # weak topic words only count on their own
            stance_rows = [r for r in stance_rows if r.get("strong", True)]
        support = [r["conf_support"] for r in stance_rows if r["conf_support"] > 0]
        oppose = [r["conf_oppose"] for r in stance_rows if r["conf_oppose"] > 0]
        stance, conf, note = decide(support, oppose, any(r.get("scope") for r in stance_rows))
        if stance in CALLS and not any(r.get("strong", True) for r in stance_rows):
            stance, note = "mentions", "bare svake treff (for eksempel bare «TSB» nevnt)"
        evidence_rows = stance_rows if stance in CALLS else group
        sub = info.get(sid, {})
        public = _flag(sub.get("is_public"), True)
        rows.append(
            {
                "submission_id": sid,
                "file": sub.get("file", group[0]["file"]),
                "org_name": sub.get("org_name", ""),
                "org_type": sub.get("org_type", ""),
                "position_id": pid,
                "label": labels.get(pid, pid),
                "stance": stance,
                "confidence": conf,
                "source": "machine",
                "reviewed": False,
                "evidence": SEP.join(r["text"] for r in evidence_rows) if public else NOT_PUBLIC,
                "evidence_location": SEP.join(_location(r) for r in evidence_rows),
                "evidence_segment_ids": SEP.join(r["segment_id"] for r in evidence_rows),
                "evidence_spans": SEP.join(f"{int(r['start'])}-{int(r['end'])}" for r in evidence_rows),
                "scope": "; ".join(dict.fromkeys(r["scope"] for r in stance_rows if r["scope"])),
                "is_campaign": _flag(sub.get("is_campaign"), False),
                "campaign_id": sub.get("campaign_id") if isinstance(sub.get("campaign_id"), str) else None,
                "n_support": len(support),
                "n_oppose": len(oppose),
                "n_mentions": sum(r["stance"] not in CALLS for r in group),
                "note": note,
            }
        )
    out = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    out["_o"] = out["position_id"].map(order).fillna(len(order))
    return out.sort_values(["file", "_o"]).drop(columns="_o").reset_index(drop=True)


def _flag(value, default: bool) -> bool:
    """A boolean column value that may be missing (None/NaN/pd.NA) in an older ingest."""
    try:
        return default if value is None or pd.isna(value) else bool(value)
    except (TypeError, ValueError):
        return bool(value)


def calls_only(positions: pd.DataFrame) -> pd.DataFrame:
    """The rows that count as a position taken (support/oppose/mixed), not mentions."""
    return positions[positions["stance"].isin(CALLS)]


def verify_evidence(positions: pd.DataFrame, submissions: pd.DataFrame) -> int:
    """Check that every evidence sentence is ``submissions.text[start:end]`` at its recorded span, and that
    the evidence column is exactly those sentences joined. Returns the number of sentences checked; raises
    ``EvidenceError`` listing every mismatch (file, position, span, what was expected and found)."""
    texts = dict(zip(submissions["submission_id"], submissions["text"], strict=False))
    problems, checked = [], 0
    for row in positions.itertuples():
        if not isinstance(row.evidence_spans, str) or not row.evidence_spans:
            continue
        text = texts.get(row.submission_id)
        if text is None:
            problems.append(f"{row.file} {row.position_id}: submission {row.submission_id} not found")
            continue
        spans = [tuple(int(x) for x in s.split("-")) for s in row.evidence_spans.split(SEP)]
        pieces = [text[a:b] for a, b in spans]
        checked += len(spans)
        if row.evidence == NOT_PUBLIC:
            continue
        if SEP.join(pieces) != row.evidence:
            for (a, b), piece in zip(spans, pieces, strict=False):
                if piece not in row.evidence:
                    problems.append(
                        f"{row.file} {row.position_id}: span {a}-{b} holds {piece[:60]!r}, "
                        "which is not in the evidence"
                    )
            if not any(p.startswith(f"{row.file} {row.position_id}") for p in problems):
                problems.append(f"{row.file} {row.position_id}: evidence differs from the text at its spans")
    if problems:
        raise EvidenceError(f"{len(problems)} evidence problem(s):\n" + "\n".join(problems))
    return checked


def write_positions(
    positions: pd.DataFrame, processed_dir: str | Path, sentences: pd.DataFrame | None = None
) -> dict[str, Path]:
    """``positions.csv`` (Excel-friendly) and ``position_sentences.parquet`` (every sentence call)."""
    processed_dir = Path(processed_dir)
    out = {"positions": io.write_csv(positions, processed_dir / "positions.csv")}
    if sentences is not None:
        out["sentences"] = io.write_parquet(sentences, processed_dir / "position_sentences.parquet")
    return out


def load_positions(path: str | Path) -> pd.DataFrame:
    """Read a positions.csv written by ``write_positions`` (a folder means ``<folder>/positions.csv``)."""
    path = Path(path)
    if path.is_dir():
        path = path / "positions.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: positions file not found (run the positions step first)")
    df = io.read_csv(
        path, dtype={"submission_id": str, "evidence_spans": str, "campaign_id": str}, keep_default_na=False
    )
    missing = [c for c in ("file", "position_id", "stance") if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    for col in ("reviewed", "is_campaign"):
        if col in df.columns:
            df[col] = df[col].astype(str).str.lower().isin(("true", "1", "yes"))
    if "confidence" in df.columns:
        df["confidence"] = pd.to_numeric(df["confidence"], errors="coerce").fillna(0.0)
    return df

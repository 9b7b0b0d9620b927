"""Score positions.csv against a gold reading (``../shared/gold/seed_positions.csv`` format).

Pairs are matched on (file, position_id). Only support/oppose/mixed count as calls; ``mentions`` does not.
Two scores: the PAIR (did we find that the submission takes the position at all) and the SIGN (did we
also get support/oppose/mixed right). Recall is also split by the gold ``strength`` (explicit/implicit).
Every miss, false call and wrong sign is listed with its evidence, so a writer can check each one.

Gold rows for files that the ingest report marks as exact duplicates are ignored (the duplicate is not a
submission of its own; its original is scored).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import config, io
from helpers.positions.aggregate import CALLS, load_positions

GOLD_COLUMNS = ("file", "position_id", "stance")
STANCES = frozenset({"support", "oppose", "mixed"})


@dataclass
class EvalReport:
    overall: pd.DataFrame  # rows: pair, sign; columns: tp, fp, fn, precision, recall, f1
    per_position: pd.DataFrame
    by_strength: pd.DataFrame
    misses: pd.DataFrame
    false_calls: pd.DataFrame
    wrong_signs: pd.DataFrame
    ignored_files: list[str]

    def metric(self, level: str, name: str) -> float:
        return float(self.overall.loc[level, name])

    def recall_by(self, strength: str) -> float:
        row = self.by_strength[self.by_strength["strength"] == strength]
        return float(row["recall"].iloc[0]) if len(row) else float("nan")


def load_gold(path: str | Path) -> pd.DataFrame:
    """Read and check a gold file; a bad one names the file, the line and the reason."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: gold file not found")
    gold = io.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {', '.join(missing)} (expected file,position_id,stance,...)"
        )
    if "strength" not in gold.columns:
        gold["strength"] = "explicit"
    for i, row in gold.iterrows():
        if row["stance"] not in STANCES:
            raise ValueError(f"{path}:{i + 2}: stance {row['stance']!r} is not one of {sorted(STANCES)}")
    dup = gold.duplicated(["file", "position_id"], keep=False)
    if dup.any():
        i = int(dup.idxmax())
        raise ValueError(
            f"{path}:{i + 2}: ({gold.loc[i, 'file']}, {gold.loc[i, 'position_id']}) appears twice"
        )
    return gold


def duplicate_files(report_path: str | Path | None) -> list[str]:
    """Files the ingest report lists as exact duplicates (status ``duplicate``)."""
    if not report_path or not Path(report_path).is_file():
        return []
    report = io.read_csv(report_path, dtype=str, keep_default_na=False)
    if "status" not in report.columns:
        return []
    return report.loc[report["status"] == "duplicate", "file"].tolist()


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(
    positions: pd.DataFrame, gold: pd.DataFrame, ignore_files: list[str] | None = None
) -> EvalReport:
    ignore = set(ignore_files or [])
    gold = gold[~gold["file"].isin(ignore)].copy()
    calls = positions[positions["stance"].isin(CALLS) & ~positions["file"].isin(ignore)].copy()
    cols = ["file", "position_id", "stance", "confidence", "evidence", "evidence_location"]
    for c in cols:
        if c not in calls.columns:
            calls[c] = ""
    merged = gold.merge(
        calls[cols], on=["file", "position_id"], how="outer", suffixes=("_gold", "_call"), indicator=True
    )
    both = merged[merged["_merge"] == "both"]
    misses = merged[merged["_merge"] == "left_only"]
    false_calls = merged[merged["_merge"] == "right_only"]
    wrong = both[both["stance_gold"] != both["stance_call"]]
    right_sign = len(both) - len(wrong)
    overall = pd.DataFrame(
        {
            "pair": _prf(len(both), len(false_calls), len(misses)),
            "sign": _prf(right_sign, len(false_calls) + len(wrong), len(misses) + len(wrong)),
        }
    ).T
    per_position = []
    for pid in sorted(set(gold["position_id"]) | set(calls["position_id"])):
        g = merged[merged["position_id"] == pid]
        tp = int((g["_merge"] == "both").sum())
        ok = int(((g["_merge"] == "both") & (g["stance_gold"] == g["stance_call"])).sum())
        per_position.append(
            {
                "position_id": pid,
                **_prf(tp, int((g["_merge"] == "right_only").sum()), int((g["_merge"] == "left_only").sum())),
                "sign_correct": ok,
                "wrong_sign": tp - ok,
            }
        )
    by_strength = []
    for strength, g in merged[merged["_merge"] != "right_only"].groupby("strength"):
        found = int((g["_merge"] == "both").sum())
        by_strength.append(
            {
                "strength": strength,
                "n": len(g),
                "found": found,
                "recall": round(found / len(g), 3) if len(g) else 1.0,
            }
        )
    machine = (
        positions.set_index(["file", "position_id"])["stance"] if len(positions) else pd.Series(dtype=str)
    )
    misses = misses.assign(
        machine=[
            machine.get((f, p), "—") for f, p in zip(misses["file"], misses["position_id"], strict=False)
        ]
    )
    keep_miss = ["file", "position_id", "stance_gold", "strength", "where", "machine"]
    keep_call = ["file", "position_id", "stance_call", "confidence", "evidence_location", "evidence"]
    return EvalReport(
        overall,
        pd.DataFrame(per_position),
        pd.DataFrame(by_strength, columns=["strength", "n", "found", "recall"]),
        misses.reindex(columns=keep_miss).reset_index(drop=True),
        false_calls.reindex(columns=keep_call).reset_index(drop=True),
        wrong.reindex(columns=["file", "position_id", "stance_gold", *keep_call[2:]]).reset_index(drop=True),
        sorted(ignore),
    )


def format_report(rep: EvalReport, evidence_chars: int = 300) -> str:
    lines = ["Positions against gold", ""]
    for level in ("pair", "sign"):
        r = rep.overall.loc[level]
        lines.append(
            f"{level:5s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  f1 {r['f1']:.3f}  "
            f"(tp {int(r['tp'])}, fp {int(r['fp'])}, fn {int(r['fn'])})"
        )
    for r in rep.by_strength.itertuples():
        lines.append(f"recall {r.strength}: {r.recall:.3f} ({r.found}/{r.n})")
    if rep.ignored_files:
        lines.append(f"ignored (exact duplicates): {', '.join(rep.ignored_files)}")
    lines += ["", "Per position:", rep.per_position.to_string(index=False), ""]
    lines.append(f"Misses ({len(rep.misses)}):")
    for r in rep.misses.itertuples():
        lines.append(
            f"  - {r.file} {r.position_id}: gold {r.stance_gold} ({r.strength}; {r.where}); "
            f"machine: {r.machine}"
        )
    lines.append(f"False calls ({len(rep.false_calls)}):")
    for r in rep.false_calls.itertuples():
        lines.append(
            f"  - {r.file} {r.position_id}: {r.stance_call} ({r.confidence}) at {r.evidence_location}"
        )
        lines.append(f"      «{str(r.evidence)[:evidence_chars]}»")
    lines.append(f"Wrong sign ({len(rep.wrong_signs)}):")
    for r in rep.wrong_signs.itertuples():
        lines.append(
            f"  - {r.file} {r.position_id}: gold {r.stance_gold}, machine {r.stance_call} "
            f"at {r.evidence_location}"
        )
        lines.append(f"      «{str(r.evidence)[:evidence_chars]}»")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    """Print the report; exit code 2 only for bad input (missing or malformed files), 0 otherwise."""
    positions_path = args.positions or config.PROCESSED_DIR / "positions.csv"
    try:
        gold = load_gold(args.gold)
        positions = load_positions(positions_path)
    except (FileNotFoundError, ValueError) as err:
        print(f"evaluate-positions: {err}", file=sys.stderr)
        return 2
    report_path = args.ingest_report or Path(positions_path).parent / "ingest_report.csv"
    rep = evaluate(positions, gold, duplicate_files(report_path))
    print(format_report(rep))
    return 0

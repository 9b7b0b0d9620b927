"""Opponent-heavy fictional letters (tests/data/heldout): a regression floor on the set the detector was tuned
on, and a printed, unasserted score on the untouched set so every CI log shows the honest estimate."""

from __future__ import annotations

from pathlib import Path

from helpers import ingest
from helpers.positions import evaluate, pipeline

HELDOUT = Path(__file__).parent / "data" / "heldout"


def _score(name: str, tmp_path: Path) -> evaluate.EvalReport:
    ingest.run_ingest(HELDOUT / name / "raw", tmp_path, progress=False)
    result = pipeline.run_positions(tmp_path)
    gold = evaluate.load_gold(HELDOUT / name / "gold.csv")
    return evaluate.evaluate(result.positions, gold)


def test_tuned_opponent_set_does_not_slip_back(tmp_path: Path) -> None:
    rep = _score("set1", tmp_path)
    assert rep.metric("pair", "recall") >= 0.95, evaluate.format_report(rep)
    assert rep.metric("pair", "precision") >= 0.9, evaluate.format_report(rep)
    assert rep.metric("sign", "recall") >= 0.9, evaluate.format_report(rep)
    assert len(rep.wrong_signs) <= 2, evaluate.format_report(rep)


def test_untouched_set_score_is_reported(tmp_path: Path, capsys) -> None:
    rep = _score("set2", tmp_path)
    with capsys.disabled():
        m = {f"{lvl} {k}": rep.metric(lvl, k) for lvl in ("pair", "sign") for k in ("precision", "recall")}
        print("\nheld-out set2: " + "; ".join(f"{k} {v:.2f}" for k, v in m.items()))
    # Not a target (the set is kept untuned on purpose); only that the detector finds most pairs at all.
    assert rep.metric("pair", "recall") >= 0.6

"""Opponent-heavy fictional letters (tests/data/heldout): regression floors on the sets the detector was tuned
on, and a printed score on the sets it was not tuned on, so every CI log shows the honest estimate."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ingest
from helpers.positions import evaluate, pipeline

HELDOUT = Path(__file__).parent / "data" / "heldout"

# Floors a little under the score after tuning (see tests/data/heldout/README.md): a fix that helps one set
# must not quietly undo another.
TUNED_FLOORS = {
    "set1": {"pair recall": 0.95, "pair precision": 0.9, "sign recall": 0.9, "wrong signs": 2},
    "set2": {"pair recall": 0.95, "pair precision": 0.9, "sign recall": 0.9, "wrong signs": 2},
    "set3": {"pair recall": 0.85, "pair precision": 0.85, "sign recall": 0.8, "wrong signs": 6},
    "set4": {"pair recall": 0.85, "pair precision": 0.85, "sign recall": 0.8, "wrong signs": 4},
    "set5": {"pair recall": 0.85, "pair precision": 0.85, "sign recall": 0.75, "wrong signs": 7},
}
# Not tuned on: set 6 only chose the aggregation rule for "mixed" (its sentences were never read), sets 7-8
# were never looked at. Their scores are printed, not targets.
UNTUNED = ("set6", "set7", "set8")


def _score(name: str, tmp_path: Path) -> evaluate.EvalReport:
    ingest.run_ingest(HELDOUT / name / "raw", tmp_path, progress=False)
    result = pipeline.run_positions(tmp_path)
    gold = evaluate.load_gold(HELDOUT / name / "gold.csv")
    return evaluate.evaluate(result.positions, gold)


@pytest.mark.parametrize("name", sorted(TUNED_FLOORS))
def test_tuned_opponent_sets_do_not_slip_back(name: str, tmp_path: Path) -> None:
    rep, floor = _score(name, tmp_path), TUNED_FLOORS[name]
    assert rep.metric("pair", "recall") >= floor["pair recall"], evaluate.format_report(rep)
    assert rep.metric("pair", "precision") >= floor["pair precision"], evaluate.format_report(rep)
    assert rep.metric("sign", "recall") >= floor["sign recall"], evaluate.format_report(rep)
    assert len(rep.wrong_signs) <= floor["wrong signs"], evaluate.format_report(rep)


@pytest.mark.parametrize("name", UNTUNED)
def test_untuned_set_score_is_reported(name: str, tmp_path: Path, capsys) -> None:
    rep = _score(name, tmp_path)
    with capsys.disabled():
        m = {f"{lvl} {k}": rep.metric(lvl, k) for lvl in ("pair", "sign") for k in ("precision", "recall")}
        print(f"\nheld-out {name} (not tuned on): " + "; ".join(f"{k} {v:.2f}" for k, v in m.items()))
    # Not a target (the sets are kept untuned on purpose); only that the detector finds most pairs at all.
    assert rep.metric("pair", "recall") >= 0.6

"""The analyst's review loop: overrides that survive re-runs, least certain calls first, optional classifier.

``data/annotations/positions_review.csv`` has one row per decision: submission_id, position_id, stance
(support / oppose / mixed / mentions / none), note, reviewer, date. It is keyed by ``submission_id``, which
is derived from the file's content, so a decision stays attached to the same letter across runs and
renamed files. ``none`` removes a machine call ("the letter does not take this position"). When the same
pair is reviewed twice, the later row (by date, then by file order) wins.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers import io
from helpers.positions.aggregate import CALL_THRESHOLD, CALLS, POSITION_COLUMNS, SEP
from helpers.positions.codebook import Codebook, load_codebook

REVIEW_COLUMNS = ["submission_id", "position_id", "stance", "note", "reviewer", "date"]
REVIEW_STANCES = frozenset({"support", "oppose", "mixed", "mentions", "none"})
MIN_CLASSIFIER_SENTENCES = 30


def empty_review() -> pd.DataFrame:
    return pd.DataFrame(columns=REVIEW_COLUMNS)


def write_review_template(path: str | Path) -> Path:
    """An empty review file with the header only (never overwrites an existing one)."""
    path = Path(path)
    if path.exists():
        return path
    return io.write_csv(empty_review(), path)


def load_review(path: str | Path, codebook: Codebook | None = None) -> pd.DataFrame:
    """Read and check the review file; a missing file is an empty review. Errors name the file and line."""
    path = Path(path)
    if not path.is_file():
        return empty_review()
    df = io.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("submission_id", "position_id", "stance") if c not in df.columns]
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {', '.join(missing)} (expected {','.join(REVIEW_COLUMNS)})"
        )
    for col in REVIEW_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    known = set((codebook or load_codebook()).ids)
    for i, row in df.iterrows():
        line = i + 2
        if not row["submission_id"].strip():
            raise ValueError(f"{path}:{line}: empty submission_id")
        if row["stance"].strip() not in REVIEW_STANCES:
            raise ValueError(
                f"{path}:{line}: stance {row['stance']!r} must be one of {sorted(REVIEW_STANCES)}"
            )
        if row["position_id"].strip() not in known:
            raise ValueError(
                f"{path}:{line}: unknown position_id {row['position_id']!r} (not in the codebook)"
            )
    df = df[REVIEW_COLUMNS].apply(lambda c: c.str.strip())
    df["_order"] = range(len(df))
    df = df.sort_values(["date", "_order"]).drop_duplicates(["submission_id", "position_id"], keep="last")
    return df.drop(columns="_order").reset_index(drop=True)


def apply_review(
    positions: pd.DataFrame,
    review: pd.DataFrame,
    submissions: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Positions with the review applied: reviewed rows get ``source=review``, ``reviewed=True`` and the
    reviewer's stance; ``none`` drops the row; a reviewed pair the machine missed is added (without
    evidence). Review rows for submissions that no longer exist are listed in ``attrs['review_orphans']``."""
    out = positions.copy()
    if review is None or review.empty:
        out.attrs["review_orphans"] = []
        return out
    labels = (codebook or load_codebook()).labels()
    subs = submissions.set_index("submission_id") if submissions is not None else None
    index = {
        (s, p): i for i, (s, p) in enumerate(zip(out["submission_id"], out["position_id"], strict=False))
    }
    drop, add, orphans = [], [], []
    for r in review.itertuples(index=False):
        key = (r.submission_id, r.position_id)
        note = f"gjennomgått av {r.reviewer or 'ukjent'} {r.date}".strip() + (f": {r.note}" if r.note else "")
        if key in index:
            i = out.index[index[key]]
            if r.stance == "none":
                drop.append(i)
                continue
            out.loc[i, ["stance", "source", "reviewed", "confidence", "note"]] = [
                r.stance,
                "review",
                True,
                1.0,
                note,
            ]
            continue
        if subs is not None and r.submission_id not in subs.index:
            orphans.append(r.submission_id)
            continue
        if r.stance == "none":
            continue
        sub = subs.loc[r.submission_id] if subs is not None else pd.Series(dtype=object)
        row = dict.fromkeys(POSITION_COLUMNS, "")
        row.update(
            submission_id=r.submission_id,
            file=sub.get("file", ""),
            org_name=sub.get("org_name", ""),
            org_type=sub.get("org_type", ""),
            position_id=r.position_id,
            label=labels.get(r.position_id, r.position_id),
            stance=r.stance,
            confidence=1.0,
            source="review",
            reviewed=True,
            is_campaign=bool(sub.get("is_campaign", False) or False),
            campaign_id=sub.get("campaign_id", None),
            n_support=0,
            n_oppose=0,
            n_mentions=0,
            note=note + " (lagt til ved gjennomgang)",
        )
        add.append(row)
    out = out.drop(index=drop)
    if add:
        out = pd.concat([out, pd.DataFrame(add, columns=POSITION_COLUMNS)], ignore_index=True)
    out = out.reset_index(drop=True)
    out["reviewed"] = out["reviewed"].astype(bool)
    out.attrs["review_orphans"] = sorted(set(orphans))
    return out


def least_certain(
    positions: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    submissions: pd.DataFrame | None = None,
    n: int = 20,
) -> pd.DataFrame:
    """Machine calls an analyst should check first, with the first evidence sentence in its context.

    Ranked by how close the confidence is to the call threshold (both just-called and just-not-called
    pairs), mixed calls and calls with evidence on both sides first among equals.
    """
    cand = positions[
        (~positions["reviewed"].astype(bool))
        & (positions["stance"].isin(CALLS) | (positions["confidence"].astype(float) > 0))
    ].copy()
    if cand.empty:
        return pd.DataFrame(
            columns=[
                "file",
                "org_name",
                "position_id",
                "stance",
                "confidence",
                "why",
                "before",
                "sentence",
                "after",
                "location",
            ]
        )
    conf = cand["confidence"].astype(float)
    both = (cand["n_support"].astype(int) > 0) & (cand["n_oppose"].astype(int) > 0)
    cand["_rank"] = (conf - CALL_THRESHOLD).abs() - 0.2 * (cand["stance"] == "mixed") - 0.1 * both
    cand = cand.sort_values("_rank").head(n)
    texts = (
        dict(zip(submissions["submission_id"], submissions["text"], strict=False))
        if submissions is not None
        else {}
    )
    public = (
        dict(zip(submissions["submission_id"], submissions.get("is_public", True), strict=False))
        if submissions is not None
        else {}
    )
    rows = []
    for r in cand.itertuples(index=False):
        seg_id = str(r.evidence_segment_ids).split(SEP)[0] if r.evidence_segment_ids else ""
        ctx = _context(segments, texts.get(r.submission_id), seg_id, bool(public.get(r.submission_id, True)))
        why = (
            "delt"
            if r.stance == "mixed"
            else ("begge sider" if (r.n_support and r.n_oppose) else "nær terskelen")
        )
        rows.append(
            {
                "file": r.file,
                "org_name": r.org_name,
                "position_id": r.position_id,
                "stance": r.stance,
                "confidence": float(r.confidence),
                "why": why,
                **ctx,
                "location": str(r.evidence_location).split(SEP)[0],
            }
        )
    return pd.DataFrame(rows)


def _context(segments: pd.DataFrame | None, text: str | None, segment_id: str, is_public: bool) -> dict:
    """before / sentence / after: from ingest's ``segment_context`` when available, else neighbours."""
    empty = {"before": "", "sentence": "", "after": ""}
    if segments is None or text is None or not segment_id:
        return empty
    try:
        from helpers.segments import segment_context
    except ImportError:  # an ingest without segment_context: neighbouring sentences by order
        segment_context = None
    if segment_context is not None:
        try:
            ctx = segment_context(segments, text, segment_id, before=1, after=1, is_public=is_public)
            return {"before": ctx["before"], "sentence": ctx["segment"], "after": ctx["after"]}
        except KeyError:
            return empty
    sents = segments[(segments["kind"] == "sentence")].sort_values("order")
    ids = list(sents["segment_id"])
    if segment_id not in ids:
        return empty
    i = ids.index(segment_id)
    get = lambda j: sents.iloc[j]["text"] if 0 <= j < len(ids) else ""  # noqa: E731
    out = {"before": get(i - 1), "sentence": get(i), "after": get(i + 1)}
    return out if is_public else {k: ("[ikke offentlig]" if v else "") for k, v in out.items()}


def reviewed_sentences(sentences: pd.DataFrame, review: pd.DataFrame) -> pd.DataFrame:
    """Stance sentences of reviewed support/oppose pairs, labelled with the reviewer's stance."""
    if review is None or review.empty or sentences.empty:
        return pd.DataFrame(columns=["text", "position_id", "label"])
    rev = review[review["stance"].isin(("support", "oppose"))][["submission_id", "position_id", "stance"]]
    s = sentences[sentences["stance"].isin(CALLS)].merge(
        rev, on=["submission_id", "position_id"], suffixes=("", "_review")
    )
    return s.assign(label=s["stance_review"])[["text", "position_id", "label"]]


def train_review_classifier(
    sentences: pd.DataFrame,
    review: pd.DataFrame,
    min_sentences: int = MIN_CLASSIFIER_SENTENCES,
    random_seed: int = 42,
) -> dict | None:
    """TF-IDF + logistic regression on reviewed sentences (text + position id), with honest k-fold
    cross-validated accuracy. Returns None when there are fewer than ``min_sentences`` labelled sentences or
    fewer than 5 of either label: too few to say anything."""
    data = reviewed_sentences(sentences, review)
    counts = data["label"].value_counts()
    if len(data) < min_sentences or len(counts) < 2 or counts.min() < 5:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline

    x = (data["position_id"] + " " + data["text"]).tolist()
    y = data["label"].to_numpy()
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
        LogisticRegression(max_iter=1000, class_weight="balanced", random_state=random_seed),
    )
    folds = StratifiedKFold(n_splits=min(5, int(counts.min())), shuffle=True, random_state=random_seed)
    scores = cross_val_score(model, x, y, cv=folds, scoring="accuracy")
    model.fit(x, y)
    majority = float(counts.max() / counts.sum())
    return {
        "model": model,
        "n": len(data),
        "cv_accuracy": float(np.mean(scores)),
        "cv_std": float(np.std(scores)),
        "majority_baseline": majority,
        "labels": counts.to_dict(),
    }


def classifier_votes(positions: pd.DataFrame, sentences: pd.DataFrame, trained: dict | None) -> pd.DataFrame:
    """Positions with a ``classifier_vote`` column (the model's majority label over each machine call's
    evidence sentences); empty when no classifier could be trained. The vote never overrides a call."""
    out = positions.copy()
    out["classifier_vote"] = ""
    if not trained or sentences.empty:
        return out
    stance_s = sentences[sentences["stance"].isin(CALLS)]
    if stance_s.empty:
        return out
    pred = trained["model"].predict((stance_s["position_id"] + " " + stance_s["text"]).tolist())
    votes = (
        stance_s.assign(vote=pred)
        .groupby(["submission_id", "position_id"])["vote"]
        .agg(lambda v: v.value_counts().index[0])
    )
    keys = list(zip(out["submission_id"], out["position_id"], strict=False))
    out["classifier_vote"] = [
        votes.get(k, "") if out.iloc[i]["source"] == "machine" else "" for i, k in enumerate(keys)
    ]
    return out

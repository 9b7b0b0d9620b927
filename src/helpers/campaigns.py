"""Campaigns: many letters that are copies of one template with small edits.

Decisions:
- Similarity is the Jaccard index of word 3-shingles (lower-cased words), so reordered or lightly edited
  copies still match and a shared paragraph in two otherwise different letters does not. The threshold is
  a parameter. Default 0.5: copies of one template that each add a section of their own score 0.55-0.6,
  while different letters on the same subject score below 0.05 (measured on the example corpus); 0.8
  only catches copies with a changed name and place line.
- Candidates come from MinHash signatures (computed once per file at read time and cached); beyond a few
  hundred letters banded LSH (42 bands of 3) finds them without an all-pairs comparison; every candidate
  pair is then checked with the exact Jaccard index. Groups are the connected components of the pairs at
  or above the threshold.
- The template of a group is the copy most similar to all others (ties: the earliest received, then the
  file name); ``campaign_id`` is derived from its submission id, so it is stable across runs.
- ``campaign_additions``: the sentences of a copy that are not in the template (compared lower-cased with
  whitespace collapsed), joined by newlines; empty for the template itself.
- Exact duplicates (same bytes) never get here: ingest reports them as duplicates first.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

NUM_PERM = 128
ROWS_PER_BAND = 3  # 42 bands of 3 rows: a pair at Jaccard 0.5 becomes a candidate with p = 0.996
BANDS = NUM_PERM // ROWS_PER_BAND
SHINGLE = 3
DEFAULT_THRESHOLD = 0.5
SMALL_POOL = 400  # up to this many letters every pair is compared on its signature (no banding)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_rng = np.random.default_rng(20260601)
_A = _rng.integers(1, np.iinfo(np.int64).max, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, np.iinfo(np.int64).max, NUM_PERM, dtype=np.uint64)
_WORD_RE = re.compile(r"\w+")
CAMPAIGN_COLUMNS = ["submission_id", "campaign_id", "is_campaign", "campaign_size", "campaign_additions"]


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Unique 64-bit hashes of the word k-shingles of ``text`` (deterministic across processes).

    Words are hashed once (crc32) and combined arithmetically per shingle, which is far cheaper than
    hashing joined strings and equally good for set similarity.
    """
    words = _WORD_RE.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    if len(h) < k:
        h = np.concatenate([h, np.zeros(k - len(h), dtype=np.uint64)])
    n = len(h) - k + 1
    with np.errstate(over="ignore"):
        grams = np.zeros(n, dtype=np.uint64)
        for i in range(k):
            grams = grams * _MIX + h[i:i + n]
    return np.unique(grams)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """A NUM_PERM MinHash signature (uint32) of a shingle-hash set; all-max for an empty set.

    Multiply-shift hashing (``(a*x + b) >> 32`` in 64-bit arithmetic) stands in for random permutations.
    """
    if hashes.size == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    with np.errstate(over="ignore"):
        vals = (_A[:, None] * hashes[None, :] + _B[:, None]) >> np.uint64(32)
    return vals.min(axis=1).astype(np.uint32)


def signature(text: str) -> bytes:
    """The MinHash signature of ``text`` as bytes (what the ingest cache stores)."""
    return minhash(shingles(text)).tobytes()


def _candidate_pairs(sigs: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    """Pairs whose estimated Jaccard (share of equal MinHash values) is near or above ``threshold``."""
    n = len(sigs)
    floor = max(0.0, threshold - 0.15)
    if n <= SMALL_POOL:
        est = np.zeros((n, n))
        for k in range(NUM_PERM):
            col = sigs[:, k]
            est += col[:, None] == col[None, :]
        est /= NUM_PERM
        i, j = np.nonzero(np.triu(est >= floor, k=1))
        return {(int(a), int(b)) for a, b in zip(i, j, strict=True)}
    rows = ROWS_PER_BAND
    pairs: set[tuple[int, int]] = set()
    for b in range(BANDS):
        band = np.ascontiguousarray(sigs[:, b * rows:(b + 1) * rows])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        shared = np.flatnonzero(counts[inverse] > 1)
        if shared.size == 0:
            continue
        shared = shared[np.argsort(inverse[shared], kind="stable")]
        cuts = np.flatnonzero(np.diff(inverse[shared])) + 1
        for members in np.split(shared, cuts):
            m = [int(x) for x in members]
            if len(m) > 50:  # a big bucket (a large campaign): a star and a chain connect it cheaply
                pairs.update((m[0], x) for x in m[1:])
                pairs.update(zip(m, m[1:], strict=False))
                continue
            pairs.update((m[i], m[j]) for i in range(len(m)) for j in range(i + 1, len(m)))
    if not pairs:
        return pairs
    arr = np.array(sorted(pairs))
    est = (sigs[arr[:, 0]] == sigs[arr[:, 1]]).mean(axis=1)
    return {(int(a), int(b)) for (a, b), e in zip(arr, est, strict=True) if e >= floor}


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 and b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def _norm_sentence(s: str) -> str:
    return " ".join(s.lower().split())


def find_campaigns(submissions: pd.DataFrame, segments: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD,
                   signatures: pd.Series | None = None) -> pd.DataFrame:
    """Campaign columns (:data:`CAMPAIGN_COLUMNS`) for every row of ``submissions``.

    ``submissions`` needs submission_id, text, file, received_date and (optionally) is_reference; reference
    documents never join a campaign. ``signatures`` (bytes per submission_id) saves recomputing MinHash.
    """
    out = pd.DataFrame({"submission_id": submissions["submission_id"].to_numpy(), "campaign_id": None,
                        "is_campaign": False, "campaign_size": 1, "campaign_additions": ""})
    if not 0 < threshold <= 1:
        raise ValueError(f"campaign threshold must be in (0, 1], got {threshold}")
    mask = ~submissions["is_reference"].fillna(False).astype(bool) if "is_reference" in submissions else \
        pd.Series(True, index=submissions.index)
    pool = submissions.loc[mask].reset_index(drop=True)
    if len(pool) < 2:
        return out
    sigs = np.vstack([
        np.frombuffer(signatures[sid], dtype=np.uint32) if signatures is not None and sid in signatures.index
        and signatures[sid] is not None else minhash(shingles(text))
        for sid, text in zip(pool["submission_id"], pool["text"], strict=True)
    ])
    cands = _candidate_pairs(sigs, threshold)
    shingle_cache: dict[int, np.ndarray] = {}

    def sh(i: int) -> np.ndarray:
        if i not in shingle_cache:
            shingle_cache[i] = shingles(pool.at[i, "text"])
        return shingle_cache[i]

    edges = [(i, j, jaccard(sh(i), sh(j))) for i, j in sorted(cands)]
    edges = [(i, j, s) for i, j, s in edges if s >= threshold]
    if not edges:
        return out
    n = len(pool)
    rows, cols, _ = zip(*edges, strict=True)
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sims: dict[tuple[int, int], float] = {(i, j): s for i, j, s in edges}
    linked = sorted({i for i, j, _ in edges} | {j for i, j, _ in edges})
    sentences = _sentences_by_submission(segments, set(pool.loc[linked, "submission_id"]))
    pos = {sid: k for k, sid in enumerate(out["submission_id"])}
    for label in np.unique(labels[linked]):
        members = [int(i) for i in np.flatnonzero(labels == label)]
        if len(members) < 2:
            continue
        template = _template(pool, members, sims, sh)
        t_sid = pool.at[template, "submission_id"]
        t_sents = {_norm_sentence(s) for s in sentences.get(t_sid, [])}
        for i in members:
            sid = pool.at[i, "submission_id"]
            extra = [] if i == template else [
                s for s in sentences.get(sid, []) if _norm_sentence(s) not in t_sents]
            k = pos[sid]
            out.at[k, "campaign_id"] = f"campaign-{t_sid}"
            out.at[k, "is_campaign"] = True
            out.at[k, "campaign_size"] = len(members)
            out.at[k, "campaign_additions"] = "\n".join(extra)
    return out


def _template(pool: pd.DataFrame, members: list[int], sims: dict, sh) -> int:
    def sim(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key not in sims:
            sims[key] = jaccard(sh(i), sh(j))
        return sims[key]

    def rank(i: int) -> tuple:
        total = sum(sim(i, j) for j in members if j != i)
        date = pool.at[i, "received_date"] if "received_date" in pool else None
        date_key = pd.Timestamp.max if date is None or pd.isna(date) else pd.Timestamp(date)
        return (-round(total, 9), date_key, pool.at[i, "file"])

    return min(members, key=rank)


def _sentences_by_submission(segments: pd.DataFrame, ids: set[str]) -> dict[str, list[str]]:
    if segments is None or segments.empty:
        return {}
    sel = segments[(segments["kind"] == "sentence") & segments["submission_id"].isin(ids)]
    sel = sel.sort_values(["submission_id", "order"])
    return {sid: grp["text"].tolist() for sid, grp in sel.groupby("submission_id", sort=False)}

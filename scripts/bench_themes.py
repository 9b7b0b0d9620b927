"""Benchmark of the theme pipeline on real Norwegian prose (NoReC, unpacked at benchmark time).

    .venv/bin/python scripts/bench_themes.py                       # 10k, 100k, 1M paragraphs, k = 20
    .venv/bin/python scripts/bench_themes.py --sizes 10000 100000 --bertopic /tmp/bt/bin/python

For each size it builds that many paragraphs (one "submission" per review, the reviews' own paragraphs;
beyond the corpus's ~520 000 paragraphs the reviews are cycled, each copy a new submission) and runs
``themes.fit_themes`` end to end with a fixed k, printing the time and peak memory (RSS of this process and
its workers, sampled every 20 ms) of each stage: units, tokenise+lemma, vectorise, factorise, label, quality.
It also times the search index and a few queries, and at the smallest size the ``auto`` choice of k.

BERTopic (optional, ``--bertopic PYTHON``: the interpreter of a separate throwaway venv with bertopic
installed; never the project's venv) gets the same representation: the same documents (the analyzer's tokens)
and, as embeddings, the 100-dimensional SVD of the same TF-IDF; no model is downloaded. Its topics' coherence
is measured with the same NPMI over the same paragraphs.

The corpus is CC BY-NC (benchmarks only): it is unpacked into a temporary folder and deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

SOURCES = {"0": "p3", "1": "vg", "2": "dinside", "3": "dagbladet", "4": "aftenposten", "5": "bt", "6": "fvn",
           "7": "sa"}


# ------------------------------------------------------------------------------------------- memory
class RssSampler:
    """Samples the resident memory of this process plus its children every ``interval`` seconds."""

    def __init__(self, interval: float = 0.02) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        """This process's RSS plus each worker's unique memory (USS): a forked worker shares its parent's
        pages, and counting them twice would report memory that is not used."""
        total = self.proc.memory_info().rss
        for child in self.proc.children(recursive=True):
            try:
                total += child.memory_full_info().uss
            except Exception:  # a worker that just exited
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), self._rss()))
            time.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float, end: float) -> int:
        inside = [rss for t, rss in self.samples if start <= t <= end]
        return max(inside) if inside else self._rss()


# --------------------------------------------------------------------------------------------- data
def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive, "r:xz") as tar:
        tar.extractall(into, filter="data")
    return into


def read_reviews(root: Path) -> list[tuple[str, str, list[str]]]:
    """(review id, language, paragraphs) for every review, in file-name order."""
    from helpers import text

    out = []
    for path in sorted(root.rglob("*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        if paras:
            out.append((path.stem, text.detect_language(" ".join(paras)[:2000]), paras))
    return out


def build_tables(reviews: list[tuple[str, str, list[str]]], n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Submissions and paragraph segments with exactly ``n`` paragraphs (reviews cycled when needed)."""
    subs, segs, total, copy = [], [], 0, 0
    while total < n:
        for rid, lang, paras in reviews:
            take = paras[: n - total]
            sid = f"s{rid}-{copy}"
            body, pos = [], 0
            for j, para in enumerate(take):
                segs.append((sid, f"{sid}-b{j:04d}", None, "paragraph", 1, j, pos, pos + len(para), para))
                body.append(para)
                pos += len(para) + 2
            source = SOURCES.get(rid[0], "ukjent")
            subs.append((sid, f"{rid}.txt", source, source, "innspill", True, lang, "\n\n".join(body)))
            total += len(take)
            if total >= n:
                break
        copy += 1
    submissions = pd.DataFrame(subs, columns=["submission_id", "file", "org_name", "org_type", "doc_kind",
                                              "is_public", "language", "text"])
    submissions["received_date"] = pd.NaT
    segments = pd.DataFrame(segs, columns=["submission_id", "segment_id", "parent_id", "kind", "page",
                                           "order", "start", "end", "text"])
    return submissions, segments


# ------------------------------------------------------------------------------------------- one run
def run_size(submissions: pd.DataFrame, segments: pd.DataFrame, n: int, k: int, n_jobs: int,
             search_too: bool) -> tuple[dict, object]:
    from helpers import search, themes

    log: list[tuple[str, float, float]] = []
    params = themes.ThemeParams(n_themes=k, n_jobs=n_jobs, random_seed=42)
    with RssSampler() as mem:
        base = mem._rss()
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = themes.fit_themes(submissions, segments, params, control={}, stage_log=log)
        t1 = time.perf_counter()
        row = {"n_segments": n, "n_submissions": len(submissions), "k": k, "total_s": t1 - t0,
               "peak_rss_mb": mem.peak(t0, t1) / 2**20, "base_rss_mb": base / 2**20}
        for name, start, end in log:
            row[f"{name}_s"] = end - start
            row[f"{name}_peak_mb"] = mem.peak(start, end) / 2**20
        if search_too:
            s0 = time.perf_counter()
            index = search.build_index(submissions, segments, result.segment_themes)
            s1 = time.perf_counter()
            queries = ["film", "skuespiller", "musikk god", '"god stemning"', "spill"]
            for q in queries:
                search.search(index, q, limit=500)
            s2 = time.perf_counter()
            row.update(search_index_s=s1 - s0, search_query_ms=1000 * (s2 - s1) / len(queries),
                       search_peak_mb=mem.peak(s0, s2) / 2**20)
    row.update({f"q_{key}": val for key, val in result.quality.items() if key in ("npmi_mean", "ari_seeds",
                                                                                   "ari_kmeans", "n_terms")})
    return row, result


def auto_k(reviews, n: int) -> dict:
    from helpers import themes

    submissions, segments = build_tables(reviews, n)
    log: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = themes.fit_themes(submissions, segments, themes.ThemeParams(n_themes="auto"), control={},
                                   stage_log=log)
    choose = next(end - start for name, start, end in log if name == "choose k")
    return {"n_segments": n, "auto_k": result.quality["k"], "choose_k_s": choose,
            "k_table": result.k_table.round(3).to_dict("records")}


# ------------------------------------------------------------------------------------------ BERTopic
def bertopic_inputs(result, folder: Path, dims: int = 100) -> tuple[Path, float]:
    """Write the documents (analyzer tokens) and the SVD embeddings of the same TF-IDF for the worker."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    from helpers import themes

    t0 = time.perf_counter()
    X = themes.transform(result.vectors, result.tokens)
    emb = normalize(TruncatedSVD(n_components=dims, random_state=42).fit_transform(X)).astype(np.float32)
    svd_s = time.perf_counter() - t0
    path = folder / "bertopic_input.npz"
    docs = np.asarray([" ".join(t) for t in result.tokens], dtype=object)
    np.savez(path, embeddings=emb, docs=docs)
    return path, svd_s


def bertopic_worker(inp: str, out: str, min_cluster_size: int) -> None:
    """Runs inside the BERTopic venv: fit on the given embeddings; write time, topics and top words."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    data = np.load(inp, allow_pickle=True)
    emb, docs = data["embeddings"], data["docs"].tolist()
    t0 = time.perf_counter()
    model = BERTopic(
        embedding_model=None,
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
        hdbscan_model=HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean", prediction_data=False),
        vectorizer_model=CountVectorizer(token_pattern=r"\S+", lowercase=False, min_df=2),
        calculate_probabilities=False,
    )
    topics, _ = model.fit_transform(docs, embeddings=emb)
    seconds = time.perf_counter() - t0
    words = {int(t): [w for w, _ in model.get_topic(t)[:10]] for t in set(topics) if t != -1}
    Path(out).write_text(json.dumps({"seconds": seconds, "n_topics": len(words),
                                     "outliers": int(sum(t == -1 for t in topics)), "words": words}),
                         encoding="utf-8")


def run_bertopic(python: str, result, folder: Path, ours: dict) -> dict:
    from helpers import themes

    inp, svd_s = bertopic_inputs(result, folder)
    out = folder / "bertopic_output.json"
    n = len(result.tokens)
    min_cluster = max(10, n // 400)
    t0 = time.perf_counter()
    proc = subprocess.run([python, __file__, "--bertopic-worker", str(inp), str(out), str(min_cluster)],
                          capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"bertopic_error": proc.stderr[-2000:]}
    got = json.loads(out.read_text(encoding="utf-8"))
    index = {t: i for i, t in enumerate(result.vectors.terms)}
    tops = [np.asarray([index[w] for w in words if w in index]) for words in got["words"].values()]
    binary = (themes.transform(result.vectors, result.tokens) > 0).astype(np.float32).tocsr()
    npmi = themes.npmi_coherence(binary, tops)
    ours_model_s = ours["factorise_s"] + ours["label_s"]
    # End to end = everything but our quality measurement (refits for stability; BERTopic has none):
    # BERTopic also needs our tokens, vectors and the SVD for its input.
    ours_total = ours["total_s"] - ours.get("quality_s", 0.0)
    return {"svd_s": svd_s, "bertopic_fit_s": got["seconds"], "bertopic_wall_s": wall,
            "bertopic_topics": got["n_topics"], "bertopic_outliers": got["outliers"],
            "bertopic_npmi": float(np.nanmean(npmi)) if len(npmi) else float("nan"),
            "ours_npmi": ours["q_npmi_mean"], "ours_factorise_label_s": ours_model_s,
            "speedup_model": got["seconds"] / ours_model_s,
            "speedup_end_to_end": (got["seconds"] + ours_total + svd_s - ours_model_s) / ours_total}


# --------------------------------------------------------------------------------------------- main
def fmt_row(row: dict) -> str:
    stages = ["units", "tokenise+lemma", "vectorise", "factorise", "label", "quality"]
    parts = [f"{row['n_segments']:>9,} segments ({row['n_submissions']:,} docs)  "
             f"total {row['total_s']:7.1f} s  peak {row['peak_rss_mb']:7.0f} MB "
             f"(start {row['base_rss_mb']:.0f} MB)"]
    for st in stages:
        if f"{st}_s" in row:
            parts.append(f"    {st:<15} {row[f'{st}_s']:8.2f} s   peak {row[f'{st}_peak_mb']:7.0f} MB")
    if "search_index_s" in row:
        parts.append(f"    {'search index':<15} {row['search_index_s']:8.2f} s   "
                     f"query {row['search_query_ms']:.1f} ms   peak {row['search_peak_mb']:.0f} MB")
    parts.append(f"    quality: NPMI {row['q_npmi_mean']:.3f}  ARI(seeds) {row['q_ari_seeds']:.3f}  "
                 f"ARI(KMeans) {row['q_ari_kmeans']:.3f}  terms {row['q_n_terms']:,}")
    return "\n".join(parts)


def child(args: argparse.Namespace) -> int:
    """One size in a fresh process: cold analyzer caches, and memory that belongs to this size alone."""
    import gc
    import pickle

    with open(args.reviews, "rb") as fh:
        reviews = pickle.load(fh)
    out: dict = {}
    if args.one_size == -1:
        out["auto_k"] = auto_k(reviews, args.auto_size)
    else:
        n = args.one_size
        submissions, segments = build_tables(reviews, n)
        del reviews
        gc.collect()
        row, result = run_size(submissions, segments, n, args.k, args.jobs, search_too=n <= 100_000)
        out["run"] = row
        if args.bertopic:
            bt = run_bertopic(args.bertopic, result, Path(args.reviews).parent, row)
            bt["n_segments"] = n
            out["bertopic"] = bt
    Path(args.child_out).write_text(json.dumps(out, default=float), encoding="utf-8")
    return 0


def in_child(args: argparse.Namespace, reviews_path: Path, size: int, bertopic: str = "") -> dict:
    out = reviews_path.parent / f"result_{size}.json"
    cmd = [sys.executable, __file__, "--one-size", str(size), "--reviews", str(reviews_path),
           "--k", str(args.k), "--jobs", str(args.jobs), "--child-out", str(out),
           "--auto-size", str(min(args.sizes))]
    if bertopic:
        cmd += ["--bertopic", bertopic]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark of {size} segments failed:\n{proc.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--k", type=int, default=20, help="number of themes (fixed, so sizes compare)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="processes for tokenise+lemma (on this 2-core machine 1 is faster: see the report)")
    ap.add_argument("--bertopic", default="", help="python of a venv with bertopic (e.g. /tmp/bt/bin/python)")
    ap.add_argument("--bertopic-sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--no-auto", action="store_true", help="skip timing the automatic choice of k")
    ap.add_argument("--json", default="", help="also write the results to this JSON file")
    ap.add_argument("--bertopic-worker", nargs=3, help=argparse.SUPPRESS)
    for hidden in ("--one-size", "--auto-size"):
        ap.add_argument(hidden, type=int, help=argparse.SUPPRESS)
    for hidden in ("--reviews", "--child-out"):
        ap.add_argument(hidden, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bertopic_worker:
        bertopic_worker(args.bertopic_worker[0], args.bertopic_worker[1], int(args.bertopic_worker[2]))
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if args.one_size is not None:
        return child(args)

    import pickle

    from helpers import config

    archive = config.SHARED_BENCH_DIR / "norec-2.1-texts.tar.xz"
    if not archive.is_file():
        print(f"{archive}: benchmark corpus not found", file=sys.stderr)
        return 2
    results: dict = {"runs": [], "bertopic": [], "auto_k": None}
    with tempfile.TemporaryDirectory(prefix="norec-") as tmp:
        t0 = time.perf_counter()
        unpack(archive, Path(tmp))
        reviews = read_reviews(Path(tmp))
        n_paras = sum(len(p) for _, _, p in reviews)
        reviews_path = Path(tmp) / "reviews.pkl"
        with open(reviews_path, "wb") as fh:
            pickle.dump(reviews, fh)
        del reviews
        print(f"NoReC unpacked and read in {time.perf_counter() - t0:.1f} s: {n_paras:,} paragraphs "
              "(language detected once per review, as ingest does per submission). Each size runs in a fresh "
              "process (cold caches).", flush=True)
        if not args.no_auto:
            results["auto_k"] = a = in_child(args, reviews_path, -1)["auto_k"]
            print(f"auto k on {a['n_segments']:,} segments: k = {a['auto_k']} chosen in "
                  f"{a['choose_k_s']:.1f} s", flush=True)
        for n in sorted(args.sizes):
            got = in_child(args, reviews_path, n, args.bertopic if n in args.bertopic_sizes else "")
            row = got["run"]
            results["runs"].append(row)
            print(fmt_row(row), flush=True)
            bt = got.get("bertopic")
            if bt is None:
                continue
            results["bertopic"].append(bt)
            if "bertopic_error" in bt:
                print(f"    BERTopic failed: {bt['bertopic_error'][-400:]}")
            else:
                print(f"    BERTopic (same SVD embeddings): fit {bt['bertopic_fit_s']:.1f} s, "
                      f"{bt['bertopic_topics']} topics, {bt['bertopic_outliers']:,} outliers, "
                      f"NPMI {bt['bertopic_npmi']:.3f}  |  NMF factorise+label "
                      f"{bt['ours_factorise_label_s']:.1f} s, "
                      f"NPMI {bt['ours_npmi']:.3f}  |  speed-up {bt['speedup_model']:.1f}x (model), "
                      f"{bt['speedup_end_to_end']:.1f}x (end to end)", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Ingest: every file in the raw folder in, accounted for, cleaned, masked, segmented, with provenance.

``run_ingest(raw_dir, processed_dir)`` does it all and writes ``submissions.parquet``, ``segments.parquet``
and ``ingest_report.csv``; ``ingest_folder`` + ``write_outputs`` are the same in two steps.

Decisions:
- Every file under the raw folder (any depth) gets a report row, except ``metadata.csv`` itself; files
  listed in ``metadata.csv`` that are not there get a row with status ``missing``. Exact duplicates (same
  sha256) are not read: the copy listed in metadata.csv (else the first path) is kept, the others point to it.
- One bad file never stops a run: every reader error becomes ``failed`` with its reason, and a crashed
  worker process is retried file by file so only the file that crashes it fails.
- Reading is cached per file content under ``<processed_dir>/cache/`` keyed by sha256 and READER_VERSION
  (bump it whenever readers, cleaning or masking change). During a long read, results are saved every
  CHECKPOINT_SECONDS, so an interrupted run keeps most of its work; at the end the cache is compacted into
  two parquet files (atomically, through helpers.io). What is inferred from a text is cached with a version
  of the inference rules and recomputed when config/org_types.yaml or config/ingest.yaml change; metadata.csv
  and campaigns are applied afresh each run, so editing them or the campaign threshold never re-reads files.
- Uncached files are read on ``workers`` processes (default 2, this machine's cores) with a tqdm progress
  bar over files. Raw files are only ever opened for reading; outputs are written atomically (helpers.io).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import campaigns, config, io, metadata, readers, segments

# Bump when readers/cleaning/masking/segmentation change: cached files are then read again.
READER_VERSION = "1"

SUBMISSION_COLUMNS = [
    "submission_id", "file", "sha256", "org_name", "org_type", "received_date", "doc_kind", "addressee",
    "title", "is_public", "n_pages", "n_chars", "language", "text",
    "is_reference", "inferred_fields", "campaign_id", "is_campaign", "campaign_size", "campaign_additions",
    "reader", "n_masked",
]
SEGMENT_COLUMNS = [
    "submission_id", "segment_id", "parent_id", "kind", "page", "order", "start", "end", "text",
]
REPORT_COLUMNS = [
    "file", "status", "reason", "sha256", "duplicate_of", "submission_id", "metadata",
    "reader", "n_pages", "pages_failed", "from_cache",
]
REFERENCE_KINDS = frozenset({"mandat"})
STATUSES = ("ok", "duplicate", "skipped", "failed", "missing")
DEFAULT_CAMPAIGN_THRESHOLD = campaigns.DEFAULT_THRESHOLD
_KIND_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".md": "md", ".markdown": "md",
                   ".html": "html", ".htm": "html"}
_DOC_FIELDS = ["key", "status", "reason", "reader", "n_pages", "pages_failed", "text", "n_masked", "language",
               "title_hint", "signature", "inferred", "infer_version"]
CHECKPOINT_SECONDS = 30.0
LANGUAGE_SAMPLE = 6000  # characters of a text the language is decided on (a letter does not switch language)


@dataclass
class IngestResult:
    submissions: pd.DataFrame
    segments: pd.DataFrame
    report: pd.DataFrame
    stats: dict = field(default_factory=dict)


def submission_id_for(sha256: str) -> str:
    """Stable across runs and machines: derived from the file's content hash."""
    return f"s{sha256[:12]}"


def read_metadata(raw_dir: str | Path) -> pd.DataFrame:
    """``metadata.csv`` of a raw folder with schema column names (empty table when there is none)."""
    return metadata.read_metadata(raw_dir)[0]


# ---------------------------------------------------------------------------------------------- reading
def _language_detector() -> Callable[[str], str] | None:
    from helpers import text as text_module

    return getattr(text_module, "detect_language", None)


def _cache_version() -> str:
    """The cache folder name: READER_VERSION plus whether language detection was available."""
    return f"reader-v{READER_VERSION}" + ("" if _language_detector() else "-nolang")


def read_one(path: str, key: str, submission_id: str) -> dict:
    """Read, clean, mask and segment one file (runs in a worker process). Never raises."""
    base = {"key": key, "status": "failed", "reason": "", "reader": "", "n_pages": 0, "pages_failed": "",
            "text": "", "n_masked": 0, "language": "", "title_hint": "", "signature": None, "inferred": "",
            "infer_version": "", "segments": None}
    try:
        ext = readers.read_file(path)
    except readers.UnsupportedType as err:
        return {**base, "status": "skipped", "reason": str(err)}
    except readers.ReadError as err:
        return {**base, "reason": str(err)}
    except MemoryError:
        return {**base, "reason": "too large to read (out of memory)"}
    except Exception as err:  # a reader bug must cost one file, not the run
        return {**base, "reason": f"reader error: {type(err).__name__}: {err}"}
    try:
        text, cols, n_masked = segments.assemble(submission_id, ext.blocks)
        detect = _language_detector()
        language = detect(text[:LANGUAGE_SAMPLE]) if detect and text else ""
        signature = campaigns.signature(text)
        inferred = json.dumps(metadata.infer_fields(text, ext.title_hint), ensure_ascii=False)
    except Exception as err:
        return {**base, "reason": f"segmentation error: {type(err).__name__}: {err}"}
    return {**base, "status": "ok", "reason": "; ".join(ext.notes), "reader": ext.reader,
            "n_pages": ext.n_pages, "pages_failed": ",".join(map(str, ext.pages_failed)), "text": text,
            "n_masked": n_masked, "language": language, "title_hint": ext.title_hint, "signature": signature,
            "inferred": inferred, "infer_version": metadata.inference_version(),
            "segments": {"submission_id": [submission_id] * len(cols["segment_id"]), **cols}}


def _read_batch(tasks: list[tuple[str, str, str]]) -> list[dict]:
    return [read_one(*t) for t in tasks]


def _batches(tasks: list[tuple[str, str, str]], sizes: dict[str, int], workers: int) -> list[list]:
    """Batches small enough for a smooth progress bar and balanced cores, big enough to be cheap to send."""
    target = max(1, min(32, len(tasks) // (workers * 8) or 1))
    out, cur, cur_bytes = [], [], 0
    for t in tasks:
        cur.append(t)
        cur_bytes += sizes.get(t[0], 0)
        if len(cur) >= target or cur_bytes > 4 << 20:
            out.append(cur)
            cur, cur_bytes = [], 0
    if cur:
        out.append(cur)
    return out


def _mp_context() -> multiprocessing.context.BaseContext:
    """fork is fastest; inside a Jupyter kernel (threads running) forkserver is the safe choice."""
    in_kernel = "ipykernel" in sys.modules
    methods = multiprocessing.get_all_start_methods()
    if in_kernel and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def read_files(tasks: list[tuple[str, str, str]], workers: int = 2, progress: bool = True,
               on_result: Callable[[dict], None] | None = None, parallel_from: int = 16) -> list[dict]:
    """Read ``(path, key, submission_id)`` tasks on ``workers`` processes; results in any order.

    Fewer than ``parallel_from`` files are read in this process: starting workers costs more than it saves.
    """
    from tqdm.auto import tqdm

    results: list[dict] = []

    def take(res: dict) -> None:
        results.append(res)
        if on_result:
            on_result(res)

    sizes = {}
    for path, _, _ in tasks:
        try:
            sizes[path] = os.path.getsize(path)
        except OSError:
            sizes[path] = 0
    workers = max(1, min(workers, os.cpu_count() or 1, len(tasks)))
    bar = tqdm(total=len(tasks), desc="Innlesing", unit="fil", disable=not progress or not tasks,
               file=sys.stdout)
    try:
        if workers == 1 or len(tasks) < max(2, parallel_from):
            for t in tasks:
                take(read_one(*t))
                bar.update(1)
            return results
        retry: list[tuple[str, str, str]] = []
        with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()) as pool:
            futures = {pool.submit(_read_batch, b): b for b in _batches(tasks, sizes, workers)}
            for fut in as_completed(futures):
                try:
                    for res in fut.result():
                        take(res)
                except (BrokenProcessPool, OSError, pickle.PicklingError):
                    retry.extend(futures[fut])
                bar.update(len(futures[fut]))
        for t in retry:
            take(_read_isolated(t))
        return results
    finally:
        bar.close()


def _read_isolated(task: tuple[str, str, str]) -> dict:
    """Read one file in its own process, so a crash (e.g. in a PDF library) fails only this file."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_mp_context()) as pool:
            return pool.submit(read_one, *task).result()
    except BrokenProcessPool:
        return {"key": task[1], "status": "failed", "reason": "reader crashed (worker process died)",
                "reader": "", "n_pages": 0, "pages_failed": "", "text": "", "n_masked": 0, "language": "",
                "title_hint": "", "signature": None, "inferred": "", "infer_version": "", "segments": None}


# ------------------------------------------------------------------------------------------------ cache
def cache_dir(processed_dir: str | Path) -> Path:
    return Path(processed_dir) / "cache" / _cache_version()


def results_to_frames(results: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-file results -> (documents table, segments table with a ``key`` column), built column-wise."""
    docs = pd.DataFrame([{k: r.get(k) for k in _DOC_FIELDS} for r in results], columns=_DOC_FIELDS)
    cols: dict[str, list] = {"key": [], **{c: [] for c in SEGMENT_COLUMNS}}
    for r in results:
        seg = r.get("segments")
        if not seg:
            continue
        cols["key"].extend([r["key"]] * len(seg["segment_id"]))
        for c in SEGMENT_COLUMNS:
            cols[c].extend(seg[c])
    return docs, pd.DataFrame(cols)


def load_cache(cdir: Path) -> tuple[dict[str, dict], pd.DataFrame]:
    """Cached per-file results (key -> fields) and their segments (with a ``key`` column).

    Reads the compacted tables and any checkpoint parts an interrupted run left behind; anything
    unreadable is ignored (the files are then simply read again).
    """
    pairs = [(cdir / "documents.parquet", cdir / "segments.parquet")]
    pending = cdir / "pending"
    if pending.is_dir():
        pairs += [(p, p.with_name(p.name.replace("-documents", "-segments")))
                  for p in sorted(pending.glob("*-documents.parquet"))]
    docs: dict[str, dict] = {}
    seg_frames = []
    for docs_path, segs_path in pairs:
        if not (docs_path.is_file() and segs_path.is_file()):
            continue
        try:
            table, segs = pd.read_parquet(docs_path), pd.read_parquet(segs_path)
        except Exception:
            continue
        docs.update((row["key"], row) for row in table.to_dict("records"))
        seg_frames.append(segs)
    segs = pd.concat(seg_frames, ignore_index=True) if seg_frames else pd.DataFrame(
        columns=["key", *SEGMENT_COLUMNS])
    return docs, segs.drop_duplicates(["key", "segment_id"], keep="last") if len(seg_frames) > 1 else segs


def write_cache_checkpoint(cdir: Path, results: list[dict]) -> None:
    """Save results read so far (an interrupted run then keeps them): two parquet parts under pending/."""
    if not results:
        return
    docs, segs = results_to_frames(results)
    stem = f"part-{time.time_ns()}"
    io.write_parquet(segs, cdir / "pending" / f"{stem}-segments.parquet")
    io.write_parquet(docs, cdir / "pending" / f"{stem}-documents.parquet")


def write_cache(cdir: Path, docs: pd.DataFrame, segs: pd.DataFrame) -> None:
    """Compact the cache to this run's entries (two parquet files) and drop the checkpoint parts."""
    io.write_parquet(docs[_DOC_FIELDS].reset_index(drop=True), cdir / "documents.parquet")
    io.write_parquet(segs.reset_index(drop=True), cdir / "segments.parquet")
    pending = cdir / "pending"
    if pending.is_dir():
        for part in pending.glob("part-*.parquet"):
            part.unlink(missing_ok=True)


class _Checkpointer:
    """Collects fresh results and saves them every CHECKPOINT_SECONDS while a long read runs."""

    def __init__(self, cdir: Path | None) -> None:
        self.cdir, self.pending, self.last = cdir, [], time.monotonic()

    def __call__(self, result: dict) -> None:
        if self.cdir is None:
            return
        self.pending.append(result)
        if time.monotonic() - self.last > CHECKPOINT_SECONDS:
            write_cache_checkpoint(self.cdir, self.pending)
            self.pending, self.last = [], time.monotonic()


# -------------------------------------------------------------------------------------------- the folder
def list_raw_files(raw_dir: Path, exclude: Iterable[Path] = ()) -> list[str]:
    """Every file under ``raw_dir`` (relative, forward slashes, sorted) except the top-level metadata.csv."""
    root = raw_dir.resolve()
    excluded = [ex for ex in (Path(p).resolve() for p in exclude) if ex == root or root in ex.parents]
    out = []
    for path in raw_dir.rglob("*"):
        if not path.is_file() or (excluded and any(ex in path.resolve().parents for ex in excluded)):
            continue
        rel = path.relative_to(raw_dir).as_posix()
        if rel != "metadata.csv":
            out.append(rel)
    return sorted(out)


def _inventory(raw_dir: Path, files: list[str], listed: dict[str, str]) -> list[dict]:
    """Hash every file and decide what happens to it: read, duplicate, skipped or failed right away."""
    rows, first_by_sha = [], {}
    entries = []
    for rel in files:
        path = raw_dir / rel
        size = path.stat().st_size
        sha = io.sha256_file(path)
        entries.append({"file": rel, "sha256": sha, "size": size, "path": str(path),
                        "kind": _KIND_BY_SUFFIX.get(path.suffix.lower())})
    # The copy listed in metadata.csv is the original; otherwise the first in path order.
    for e in sorted(entries, key=lambda e: (e["file"] not in listed, e["file"])):
        if e["size"] and e["kind"] and e["sha256"] not in first_by_sha:
            first_by_sha[e["sha256"]] = e["file"]
    for e in entries:
        row = {"file": e["file"], "sha256": e["sha256"], "status": "", "reason": "", "duplicate_of": "",
               "path": e["path"], "kind": e["kind"]}
        name = Path(e["file"]).name
        if name in config.NON_SUBMISSION_NAMES:
            row.update(status="skipped", reason=f"not a submission ({name})")
        elif name.startswith("~$"):
            row.update(status="skipped", reason="Office lock file (the document is open in Word)")
        elif e["kind"] is None:
            suffix = Path(name).suffix.lower()
            row.update(status="skipped", reason=f"unsupported type {suffix}" if suffix else
                       "unsupported type (no file extension)")
        elif e["size"] == 0:
            row.update(status="failed", reason="empty file")
        elif first_by_sha[e["sha256"]] != e["file"]:
            row.update(status="duplicate", reason=f"same content (sha256) as {first_by_sha[e['sha256']]}",
                       duplicate_of=first_by_sha[e["sha256"]])
        rows.append(row)
    return rows


def ingest_folder(raw_dir: str | Path, processed_dir: str | Path | None = None, *,
                  campaign_threshold: float = DEFAULT_CAMPAIGN_THRESHOLD, progress: bool = False,
                  workers: int = 2, use_cache: bool = True, parallel_from: int = 16) -> IngestResult:
    """Read a raw folder into submissions, segments and a report (nothing written but the cache).

    With ``processed_dir`` the per-file cache under ``<processed_dir>/cache/`` is used and updated.
    """
    t0 = time.perf_counter()
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist")
    exclude = [Path(processed_dir)] if processed_dir else []
    files = list_raw_files(raw_dir, exclude)
    meta, meta_problems = metadata.read_metadata(raw_dir)
    match = metadata.match_metadata(meta, files)
    inventory = _inventory(raw_dir, files, match)
    t_hash = time.perf_counter()

    cdir = cache_dir(processed_dir) if processed_dir and use_cache else None
    empty_segs = pd.DataFrame(columns=["key", *SEGMENT_COLUMNS])
    cached_docs, cached_segs = load_cache(cdir) if cdir else ({}, empty_segs)
    wanted: dict[str, tuple[str, str, str]] = {}
    for row in inventory:
        if not row["status"]:
            key = f"{row['sha256']}-{row['kind']}"
            row["key"] = key
            wanted.setdefault(key, (row["path"], key, submission_id_for(row["sha256"])))
    todo = [t for k, t in wanted.items() if k not in cached_docs]
    fresh_list = read_files(todo, workers=workers, progress=progress, on_result=_Checkpointer(cdir),
                            parallel_from=parallel_from)
    fresh = {r["key"]: r for r in fresh_list}
    t_read = time.perf_counter()

    _, fresh_segs = results_to_frames(fresh_list)
    docs = {k: (fresh[k] if k in fresh else cached_docs[k]) for k in wanted}
    stale = _refresh_inference(docs)
    reuse = set(wanted) - set(fresh)
    old_segs = cached_segs[cached_segs["key"].isin(reuse)] if len(cached_segs) else cached_segs
    all_segs = pd.concat([old_segs, fresh_segs], ignore_index=True) if len(fresh_segs) else old_segs
    all_segs = _in_file_order(all_segs, {k: i for i, k in enumerate(wanted)})
    if cdir and (fresh or stale or set(cached_docs) != set(wanted)):
        table = pd.DataFrame([{k: d.get(k) for k in _DOC_FIELDS} for d in docs.values()], columns=_DOC_FIELDS)
        write_cache(cdir, table, all_segs)

    meta_by_file = meta.set_index("file").to_dict("index") if len(meta) else {}
    subs_rows, report_rows = [], []
    for row in inventory:
        listed = row["file"] in match
        rep = {"file": row["file"], "status": row["status"], "reason": row["reason"], "sha256": row["sha256"],
               "duplicate_of": row["duplicate_of"], "submission_id": "",
               "metadata": "listed" if listed else "not listed", "reader": "", "n_pages": 0,
               "pages_failed": "", "from_cache": False}
        if not row["status"]:
            doc = docs[row["key"]]
            rep.update(status=doc["status"], reason=doc["reason"] or "", reader=doc["reader"] or "",
                       n_pages=int(doc["n_pages"] or 0), pages_failed=doc["pages_failed"] or "",
                       from_cache=row["key"] not in fresh)
            if doc["status"] == "ok":
                sid = submission_id_for(row["sha256"])
                rep["submission_id"] = sid
                meta_row = meta_by_file.get(match[row["file"]]) if listed else None
                fields, inferred = metadata.resolve_fields(meta_row, json.loads(doc["inferred"]))
                problems = _metadata_problems(meta_row)
                if problems:
                    rep["reason"] = "; ".join(p for p in [rep["reason"], *problems] if p)
                subs_rows.append({
                    "submission_id": sid, "file": row["file"], "sha256": row["sha256"], **fields,
                    "n_pages": int(doc["n_pages"]), "n_chars": len(doc["text"]),
                    "language": doc["language"] or "",
                    "text": doc["text"], "is_reference": fields["doc_kind"] in REFERENCE_KINDS,
                    "inferred_fields": ",".join(inferred), "reader": doc["reader"],
                    "n_masked": int(doc["n_masked"] or 0),
                })
        elif row["status"] == "duplicate":
            rep["submission_id"] = submission_id_for(row["sha256"])
        report_rows.append(rep)
    for entry in sorted(set(meta["file"]) - set(match.values())) if len(meta) else []:
        report_rows.append({"file": entry, "status": "missing",
                            "reason": "listed in metadata.csv but no such file",
                            "sha256": "", "duplicate_of": "", "submission_id": "",
                            "metadata": "listed but missing", "reader": "", "n_pages": 0, "pages_failed": "",
                            "from_cache": False})

    submissions = _submissions_frame(subs_rows)
    seg_table = _segments_frame(all_segs)
    camp = campaigns.find_campaigns(
        submissions, seg_table, campaign_threshold,
        signatures=pd.Series({submission_id_for(k.split("-")[0]): d["signature"] for k, d in docs.items()
                              if d["status"] == "ok"}, dtype=object),
    )
    submissions = _with_campaigns(submissions, camp)
    report = pd.DataFrame(report_rows, columns=REPORT_COLUMNS)
    known = set(submissions["submission_id"])
    dangling = (report["status"] == "duplicate") & ~report["submission_id"].isin(known)
    report.loc[dangling, "submission_id"] = ""  # a copy of a file that could not be read
    t_end = time.perf_counter()
    stats = {
        "n_files": len(files), "n_read": len(fresh), "n_cached": len(wanted) - len(fresh),
        "seconds": round(t_end - t0, 3), "seconds_hash": round(t_hash - t0, 3),
        "seconds_read": round(t_read - t_hash, 3), "seconds_assemble": round(t_end - t_read, 3),
        "metadata_problems": meta_problems, "campaign_threshold": campaign_threshold,
        "has_metadata": (raw_dir / "metadata.csv").is_file(),
    }
    return IngestResult(submissions, seg_table, report, stats)


def _refresh_inference(docs: dict[str, dict]) -> int:
    """Recompute cached inferences made with other rules (config/org_types.yaml or ingest.yaml edited)."""
    version, n = metadata.inference_version(), 0
    for doc in docs.values():
        if doc["status"] == "ok" and doc.get("infer_version") != version:
            doc["inferred"] = json.dumps(metadata.infer_fields(doc["text"], doc.get("title_hint") or ""),
                                         ensure_ascii=False)
            doc["infer_version"] = version
            n += 1
    return n


def _metadata_problems(meta_row: dict | None) -> list[str]:
    if not meta_row:
        return []
    out = []
    _, ok = metadata.parse_date(meta_row.get("received_date", ""))
    if not ok:
        out.append(f"metadata.csv: date {meta_row.get('received_date')!r} is not a date (ignored)")
    if meta_row.get("is_public") and metadata.parse_bool(meta_row["is_public"]) is None:
        out.append(f"metadata.csv: is_public {meta_row['is_public']!r} is not ja/nei/true/false "
                   "(taken as true)")
    return out


_STRING_COLUMNS = ("submission_id", "file", "sha256", "org_name", "org_type", "doc_kind", "addressee",
                   "title", "language", "text", "inferred_fields", "campaign_id", "campaign_additions",
                   "reader", "segment_id", "parent_id", "kind")


def _string_columns(df: pd.DataFrame) -> pd.DataFrame:
    """One string dtype for text columns (missing stays missing), so a table built now equals the same
    table read back from parquet or from the cache."""
    for col in _STRING_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("str")
    return df


def _submissions_frame(rows: list[dict]) -> pd.DataFrame:
    columns = [c for c in SUBMISSION_COLUMNS if c not in campaigns.CAMPAIGN_COLUMNS[1:]]
    subs = pd.DataFrame(rows, columns=columns)
    subs["received_date"] = pd.to_datetime(subs["received_date"], errors="coerce").astype("datetime64[ns]")
    for col in ("is_public", "is_reference"):
        subs[col] = subs[col].astype(bool)
    for col in ("n_pages", "n_chars", "n_masked"):
        subs[col] = subs[col].astype("int64")
    return subs


def _with_campaigns(subs: pd.DataFrame, camp: pd.DataFrame) -> pd.DataFrame:
    merged = subs.merge(camp, on="submission_id", how="left")
    merged["is_campaign"] = merged["is_campaign"].fillna(False).astype(bool)
    merged["campaign_size"] = merged["campaign_size"].fillna(1).astype("int64")
    merged["campaign_additions"] = merged["campaign_additions"].fillna("").astype(str)
    return _string_columns(merged[SUBMISSION_COLUMNS].reset_index(drop=True))


def _in_file_order(segs: pd.DataFrame, key_rank: dict[str, int]) -> pd.DataFrame:
    """Segments ordered by file (the raw folder's order) and position; a no-op when already so (the cache
    is stored in this order, so an unchanged corpus skips the sort)."""
    if segs.empty:
        return segs
    rank = segs["key"].map(key_rank).to_numpy(dtype="int64") * (1 << 32)
    rank += segs["order"].to_numpy(dtype="int64")
    if (rank[1:] >= rank[:-1]).all():
        return segs
    return segs.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


def _segments_frame(all_segs: pd.DataFrame) -> pd.DataFrame:
    """The segments table (only readable files have segments, so nothing needs filtering)."""
    if all_segs.empty:
        return _string_columns(pd.DataFrame(columns=SEGMENT_COLUMNS))
    out = all_segs[SEGMENT_COLUMNS].reset_index(drop=True)
    for col in ("page", "order", "start", "end"):
        if out[col].dtype != "int64":
            out[col] = out[col].astype("int64")
    return _string_columns(out)


# ----------------------------------------------------------------------------------------------- output
def write_outputs(result: IngestResult, processed_dir: str | Path) -> None:
    processed_dir = Path(processed_dir)
    io.write_parquet(result.submissions, processed_dir / "submissions.parquet")
    io.write_parquet(result.segments, processed_dir / "segments.parquet")
    io.write_csv(result.report, processed_dir / "ingest_report.csv")


def format_summary(result: IngestResult) -> str:
    """Counts per status, cache use, and every failed or missing file with its reason."""
    rep = result.report
    counts = rep["status"].value_counts()
    parts = [f"{counts.get(s, 0)} {s}" for s in STATUSES if counts.get(s, 0)]
    st = result.stats
    lines = [f"Innlesing: {len(rep)} filer i rapporten: " + ", ".join(parts) + ".",
             f"Lest nå: {st.get('n_read', 0)}, fra cache: {st.get('n_cached', 0)}; "
             f"{st.get('seconds', 0):.1f} s."]
    subs = result.submissions
    if len(subs):
        n_ref = int(subs["is_reference"].sum())
        n_camp = subs.loc[subs["is_campaign"], "campaign_id"].nunique()
        lines.append(f"{len(subs) - n_ref} innspill, {n_ref} referansedokument(er), {n_camp} kampanje(r), "
                     f"{int(subs['n_masked'].sum())} personopplysninger maskert.")
    for _, row in rep[rep["status"].isin(["failed", "missing"])].iterrows():
        lines.append(f"  {row['status'].upper()}: {row['file']}: {row['reason']}")
    not_listed = rep[(rep["metadata"] == "not listed") & (rep["status"] == "ok")]
    if not st.get("has_metadata", True):
        lines.append("  Ingen metadata.csv: organisasjon, tittel og dato er utledet fra dokumentene.")
    elif len(not_listed):
        lines.append(f"  Ikke i metadata.csv ({len(not_listed)}): " + ", ".join(not_listed["file"].head(10)))
    for problem in st.get("metadata_problems", []):
        lines.append(f"  METADATA: {problem}")
    return "\n".join(lines)


def run_ingest(raw_dir: str | Path, processed_dir: str | Path, *,
               campaign_threshold: float = DEFAULT_CAMPAIGN_THRESHOLD, progress: bool = True,
               workers: int = 2) -> IngestResult:
    """Ingest ``raw_dir`` with the cache in ``processed_dir``, write the three outputs, print a summary."""
    result = ingest_folder(raw_dir, processed_dir, campaign_threshold=campaign_threshold, progress=progress,
                           workers=workers)
    write_outputs(result, processed_dir)
    print(format_summary(result))
    return result


def load_submissions(processed_dir: str | Path) -> pd.DataFrame:
    return pd.read_parquet(Path(processed_dir) / "submissions.parquet")


def load_segments(processed_dir: str | Path) -> pd.DataFrame:
    return pd.read_parquet(Path(processed_dir) / "segments.parquet")


def load_report(processed_dir: str | Path) -> pd.DataFrame:
    return io.read_csv(Path(processed_dir) / "ingest_report.csv", keep_default_na=False)


def segment_context(segments_table: pd.DataFrame, text: str, segment_id: str, before: int = 1, after: int = 1,
                    is_public: bool = True) -> dict:
    """See :func:`helpers.segments.segment_context` (re-exported here beside the tables it reads)."""
    return segments.segment_context(segments_table, text, segment_id, before, after, is_public)

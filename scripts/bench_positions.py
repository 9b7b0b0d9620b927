"""Benchmark: positions for 10,000 synthetic submissions (target < 60 s), and a re-run after a codebook edit.

The submissions are built at benchmark time in a temporary folder: paragraphs of sentences sampled from the
example corpus and the real corpus (so there are many stance sentences) mixed with NoReC review prose
(unpacked from /work/shared/bench/norec-2.1-texts.tar.xz into the temporary folder; never copied into the
repository). They are written as a processed folder (submissions.parquet + segments.parquet in the ingest
schema), so the timing is the positions step alone: detection, aggregation, evidence check and writing.
The second run uses an edited copy of the codebook (one extra position) and reuses the same segments.

    .venv/bin/python scripts/bench_positions.py [--n 10000] [--seed 42] [--norec-files 4000]
"""

from __future__ import annotations

import argparse
import random
import tarfile
import tempfile
import time
from pathlib import Path

import pandas as pd

from helpers import config, ingest, io, text
from helpers.positions.pipeline import run_positions

EXTRA_POSITION = """
  - id: bench-ekstra
    label: Ekstra posisjon lagt til i benchmark
    description: Finnes bare for å måle en ny kjøring etter en endring i kodeboken.
    chapter: grupper
    topic:
      - "eldre"
      - "pensjonist\\\\w*"
"""


def corpus_sentences(raw_dirs: list[Path], tmp: Path) -> list[str]:
    """Sentences of the example and real corpora, via the real ingest (so cleaning matches production)."""
    out: list[str] = []
    for i, raw in enumerate(raw_dirs):
        if not raw.is_dir():
            continue
        res = ingest.ingest_folder(raw, tmp / f"ingest{i}", progress=False)
        subs = res.submissions
        keep = set(
            subs.loc[
                ~subs.get("is_reference", pd.Series(False, index=subs.index)).astype(bool), "submission_id"
            ]
        )
        segs = res.segments
        out += segs.loc[(segs["kind"] == "sentence") & segs["submission_id"].isin(keep), "text"].tolist()
    return [s for s in out if len(s) > 20]


def norec_sentences(tmp: Path, n_files: int, rng: random.Random) -> list[str]:
    """Sentences (one a line in NoReC) of about ``n_files`` review files, unpacked into ``tmp``.

    The archive is read once as a stream (random access into an .xz tar re-decompresses it for every
    member), keeping each file with the probability that yields about ``n_files`` of the 43,437."""
    archive = config.SHARED_BENCH_DIR / "norec-2.1-texts.tar.xz"
    if not archive.is_file():
        print(f"(NoReC not found at {archive}; using corpus sentences only)")
        return []
    target = tmp / "norec"
    target.mkdir(parents=True, exist_ok=True)
    keep = min(1.0, n_files / 43_437)
    out: list[str] = []
    with tarfile.open(archive, mode="r|xz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".txt") or rng.random() > keep:
                continue
            data = tar.extractfile(member).read()
            path = target / Path(member.name).name
            path.write_bytes(data)
            out += [line.strip() for line in data.decode("utf-8").splitlines() if len(line.strip()) > 20]
    return out


def build(
    n: int, stance_pool: list[str], prose_pool: list[str], rng: random.Random
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n submissions of 6-14 paragraphs, each paragraph 2-6 sentences (about a third from letters)."""
    subs, segs = [], []
    for k in range(n):
        sid = f"sbench{k:07d}"
        parts, rows, order, pos = [], [], 0, 0
        for p in range(rng.randint(6, 14)):
            sents = [
                rng.choice(stance_pool)
                if (stance_pool and rng.random() < 0.35) or not prose_pool
                else rng.choice(prose_pool)
                for _ in range(rng.randint(2, 6))
            ]
            para = " ".join(sents)
            start = pos
            pid = f"{sid}-b{p:04d}"
            rows.append(
                dict(
                    submission_id=sid,
                    segment_id=pid,
                    parent_id=None,
                    kind="paragraph",
                    page=1,
                    order=order,
                    start=start,
                    end=start + len(para),
                    text=para,
                )
            )
            order += 1
            for j, (a, b) in enumerate(text.split_sentences(para)):
                rows.append(
                    dict(
                        submission_id=sid,
                        segment_id=f"{pid}-s{j:03d}",
                        parent_id=pid,
                        kind="sentence",
                        page=1,
                        order=order,
                        start=start + a,
                        end=start + b,
                        text=para[a:b],
                    )
                )
                order += 1
            parts.append(para)
            pos += len(para) + 2
        body = "\n\n".join(parts)
        subs.append(
            dict(
                submission_id=sid,
                file=f"bench/{sid}.txt",
                sha256=sid,
                org_name=f"Organisasjon {k}",
                org_type=rng.choice(
                    ["kommune", "helseforetak", "profesjonsforening", "bruker- og interesseorganisasjon"]
                ),
                received_date=pd.NaT,
                doc_kind="innspill",
                addressee="",
                title="",
                is_public=True,
                n_pages=1,
                n_chars=len(body),
                language="nb",
                text=body,
                is_reference=False,
                inferred_fields="",
                campaign_id=None,
                is_campaign=False,
                campaign_size=0,
                campaign_additions="",
                reader="bench",
                n_masked=0,
            )
        )
        segs += rows
    return pd.DataFrame(subs), pd.DataFrame(segs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--norec-files", type=int, default=4000)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-positions-") as tmpdir:
        tmp = Path(tmpdir)
        t0 = time.perf_counter()
        stance_pool = corpus_sentences([config.EXAMPLE_RAW_DIR, config.SHARED_CORPUS_DIR], tmp)
        prose_pool = norec_sentences(tmp, args.norec_files, rng)
        subs, segs = build(args.n, stance_pool, prose_pool, rng)
        processed = tmp / "processed"
        io.write_parquet(subs, processed / "submissions.parquet")
        io.write_parquet(segs, processed / "segments.parquet")
        n_sent = int((segs["kind"] == "sentence").sum())
        print(
            f"built {len(subs):,} submissions, {n_sent:,} sentences "
            f"({len(stance_pool):,} letter sentences, {len(prose_pool):,} NoReC sentences in the pools) "
            f"in {time.perf_counter() - t0:.1f} s"
        )

        t1 = time.perf_counter()
        res = run_positions(processed)
        t_first = time.perf_counter() - t1
        calls = res.positions["stance"].isin(("support", "oppose", "mixed")).sum()
        print(
            f"positions for {len(subs):,} submissions: {t_first:.1f} s "
            f"({len(res.sentences):,} sentence calls, {calls:,} submission-position calls, "
            f"{res.n_evidence_checked:,} evidence sentences verified) -> target < 60 s: "
            f"{'OK' if t_first < 60 else 'TOO SLOW'}"
        )

        edited = tmp / "positions_edited.yaml"
        edited.write_text(
            (config.CONFIG_DIR / "positions.yaml").read_text(encoding="utf-8") + EXTRA_POSITION,
            encoding="utf-8",
        )
        t2 = time.perf_counter()
        res2 = run_positions(processed, codebook_path=edited)
        t_second = time.perf_counter() - t2
        n_extra = int((res2.positions["position_id"] == "bench-ekstra").sum())
        print(
            f"re-run after a codebook edit (segments reused, no ingest): {t_second:.1f} s "
            f"({n_extra:,} rows for the new position)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingest throughput on real Norwegian text (NoReC reviews from ../shared/bench), built at benchmark time.

    .venv/bin/python scripts/bench_ingest.py [--pdf-pages 2000] [--text-files 10000] [--workers 2]

Builds, in a temporary folder that is deleted afterwards:
- PDFs of 10 A4 pages each (reportlab, Helvetica, running header and "Side n av N" footer on every page,
  one footnote per file) holding review text, until at least ``--pdf-pages`` pages;
- ``--text-files`` .txt files, one review each (as distributed: one sentence a line, blank line between
  paragraphs).
Then runs the ingest step (read, clean, mask, segment, campaigns, write outputs) on both folders with
``--workers`` processes, and again on the unchanged folders (everything from the cache).

Prints PDF pages per second, MB of text per second, and re-ingest seconds per 1,000 files. Targets on the
2-core machine: >= 150 PDF pages/s, re-ingest < 1 s per 1,000 files. The corpus is CC BY-NC: it is only
unpacked into the temporary folder, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import tarfile
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

from helpers import config, ingest, io

PAGES_PER_PDF = 10
LINES_PER_PAGE = 46
LINE_WIDTH = 92


def norec_texts(archive: Path) -> Iterator[str]:
    """Review texts from the NoReC archive, streamed (the archive is read once, in order)."""
    with tarfile.open(archive, "r:xz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt"):
                fh = tar.extractfile(member)
                if fh is not None:
                    yield fh.read().decode("utf-8", "replace")


def _pdf_lines(texts: Iterator[str], n_lines: int) -> list[str]:
    """Wrapped lines of review text (paragraphs separated by an empty line), Helvetica-encodable only."""
    lines: list[str] = []
    while len(lines) < n_lines:
        text = next(texts).encode("cp1252", "ignore").decode("cp1252")
        for para in text.split("\n\n"):
            para = " ".join(para.split())
            if para:
                lines.extend(textwrap.wrap(para, LINE_WIDTH))
                lines.append("")
    return lines[:n_lines]


def build_pdfs(folder: Path, texts: Iterator[str], min_pages: int) -> tuple[int, int]:
    """Write PDFs of PAGES_PER_PDF pages until ``min_pages``; returns (files, pages)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    n_files = -(-min_pages // PAGES_PER_PDF)
    for f in range(n_files):
        lines = _pdf_lines(texts, PAGES_PER_PDF * LINES_PER_PAGE)
        c = canvas.Canvas(str(folder / f"innspill_{f:04d}.pdf"), pagesize=A4)
        c.setTitle(f"Benchmark-innspill {f}")
        for p in range(PAGES_PER_PDF):
            c.setFont("Helvetica", 8)
            c.drawString(56, 810, f"Benchmark-innspill nr. {f} – til Rusbehandlingsutvalget")
            c.setFont("Helvetica", 10)
            y = 780
            for line in lines[p * LINES_PER_PAGE:(p + 1) * LINES_PER_PAGE]:
                if line:
                    c.drawString(56, y, line)
                y -= 15
            if p == 0:
                c.setFont("Helvetica", 7)
                c.drawString(56, 60, "¹ https://www.example.org/kilde-til-benchmark")
            c.setFont("Helvetica", 8)
            c.drawString(280, 30, f"Side {p + 1} av {PAGES_PER_PDF}")
            c.showPage()
        c.save()
    return n_files, n_files * PAGES_PER_PDF


def build_texts(folder: Path, texts: Iterator[str], n_files: int) -> int:
    """Write ``n_files`` .txt files (one review each, in sub-folders of 1,000); returns total bytes."""
    total = 0
    for i in range(n_files):
        sub = folder / f"del_{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = next(texts).encode("utf-8")
        (sub / f"innspill_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def timed_ingest(raw: Path, processed: Path, workers: int) -> tuple[float, ingest.IngestResult]:
    start = time.perf_counter()
    result = ingest.ingest_folder(raw, processed, workers=workers, progress=False)
    ingest.write_outputs(result, processed)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pdf-pages", type=int, default=2000)
    parser.add_argument("--text-files", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--archive", type=Path, default=config.SHARED_BENCH_DIR / "norec-2.1-texts.tar.xz")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if not args.archive.is_file():
        raise SystemExit(f"{args.archive}: benchmark corpus not found (expected ../shared/bench)")

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp_path = Path(tmp)
        texts = norec_texts(args.archive)
        t0 = time.perf_counter()
        n_pdf, n_pages = build_pdfs(tmp_path / "raw_pdf", texts, args.pdf_pages)
        n_bytes = build_texts(tmp_path / "raw_txt", texts, args.text_files)
        print(f"Built {n_pdf} PDFs ({n_pages} pages) and {args.text_files} text files "
              f"({n_bytes / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")

        t_pdf, res_pdf = timed_ingest(tmp_path / "raw_pdf", tmp_path / "out_pdf", args.workers)
        pages_read = int(res_pdf.report["n_pages"].sum())
        assert (res_pdf.report["status"] == "ok").all(), res_pdf.report["status"].value_counts()
        t_txt, res_txt = timed_ingest(tmp_path / "raw_txt", tmp_path / "out_txt", args.workers)
        assert (res_txt.report["status"] == "ok").all(), res_txt.report["status"].value_counts()
        t_pdf2, again_pdf = timed_ingest(tmp_path / "raw_pdf", tmp_path / "out_pdf", args.workers)
        t_txt2, again_txt = timed_ingest(tmp_path / "raw_txt", tmp_path / "out_txt", args.workers)
        assert again_pdf.stats["n_read"] == 0 and again_txt.stats["n_read"] == 0

        pdf_text_mb = res_pdf.submissions["text"].str.len().sum() / 1e6
        figures = {
            "workers": args.workers,
            "pdf_files": n_pdf, "pdf_pages": pages_read, "pdf_seconds": round(t_pdf, 2),
            "pdf_pages_per_s": round(pages_read / t_pdf, 1),
            "pdf_text_mb_per_s": round(pdf_text_mb / t_pdf, 2),
            "text_files": args.text_files, "text_mb": round(n_bytes / 1e6, 2),
            "text_seconds": round(t_txt, 2),
            "text_mb_per_s": round(n_bytes / 1e6 / t_txt, 2),
            "text_files_per_s": round(args.text_files / t_txt, 1),
            "segments": int(len(res_txt.segments) + len(res_pdf.segments)),
            "reingest_pdf_s_per_1000_files": round(t_pdf2 / n_pdf * 1000, 2),
            "reingest_text_s_per_1000_files": round(t_txt2 / args.text_files * 1000, 2),
            "reingest_text_seconds": round(t_txt2, 2),
            "reingest_all_s_per_1000_files": round((t_pdf2 + t_txt2) / (n_pdf + args.text_files) * 1000, 2),
        }
    print(f"PDF:       {figures['pdf_pages']} pages in {t_pdf:.1f} s = {figures['pdf_pages_per_s']} pages/s "
          f"({figures['pdf_text_mb_per_s']} MB text/s)   target >= 150 pages/s")
    print(f"Text:      {figures['text_files']} files, {figures['text_mb']} MB in {t_txt:.1f} s = "
          f"{figures['text_mb_per_s']} MB/s ({figures['text_files_per_s']} files/s)")
    print(f"Re-ingest: {figures['reingest_all_s_per_1000_files']} s per 1,000 files of the unchanged "
          "corpus "
          f"({n_pdf + args.text_files} files; text {figures['reingest_text_s_per_1000_files']}, "
          f"PDF {figures['reingest_pdf_s_per_1000_files']} s per 1,000)   target < 1 s per 1,000 files")
    if args.json:
        io.write_text(args.json, json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

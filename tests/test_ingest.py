"""The whole ingest step on real folders: every file accounted for, offsets exact, cache, real corpus."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import cleaning, ingest, io
from tests import ingest_files as files

SUPERSCRIPTS = cleaning.SUPERSCRIPT_DIGITS


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): io.sha256_file(p) for p in folder.rglob("*") if p.is_file()}


def _assert_offsets_exact(result: ingest.IngestResult) -> None:
    texts = dict(zip(result.submissions["submission_id"], result.submissions["text"], strict=True))
    segs = result.segments
    assert set(segs["submission_id"]) <= set(texts)
    cols = (segs["submission_id"], segs["start"], segs["end"], segs["text"])
    for sid, start, end, text in zip(*cols, strict=True):
        assert texts[sid][start:end] == text
    # every block has sentence children, and together they cover the block's non-blank characters
    blocks = segs[segs["kind"] != "sentence"]
    kids = segs[segs["kind"] == "sentence"].groupby("parent_id")
    for row in blocks.itertuples():
        children = kids.get_group(row.segment_id)
        covered = set()
        for s, e in zip(children["start"], children["end"], strict=True):
            assert row.start <= s < e <= row.end
            covered.update(range(s, e))
        full = texts[row.submission_id]
        assert all(i in covered for i in range(row.start, row.end) if not full[i].isspace())


@pytest.fixture
def messy_raw(tmp_path: Path) -> Path:
    """One raw folder with every kind of bad input next to good ones, and a metadata.csv with a gap."""
    raw = tmp_path / "raw"
    (raw / "post").mkdir(parents=True)
    good_pdf = files.make_pdf(raw / "nordvik_innspill.pdf")
    files.make_docx(raw / "vestvik_horingssvar.docx")
    (raw / "tom.txt").write_bytes(b"")
    files.make_truncated_pdf(raw / "avkuttet.pdf", good_pdf)
    files.make_encrypted_pdf(raw / "passord.pdf")
    files.make_image_pdf(raw / "skannet.pdf")
    (raw / "windows.txt").write_bytes(
        "Høringssvar fra Sørbygd kommune\n\nKommunen støtter økt satsing på ettervern – «nå».\n"
        .encode("cp1252"))
    shutil.copy(good_pdf, raw / "post" / "kopi av innspill.pdf")
    (raw / "vedlegg.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    (raw / "post" / "Innspill fra Ærøy – åpent brev.txt").write_text(
        "Innspill fra Ærøy pårørendeforening\n\nVi ønsker flere døgnplasser i Ærøy.\n\n"
        "Kontakt: leder@aeroy.example, tlf. 99 88 77 66.\n", encoding="utf-8")
    (raw / "metadata.csv").write_text(
        "file,organisation,org_type,date,doc_kind,addressee,title,is_public\n"
        "nordvik_innspill.pdf,Testforeningen Nordvik,bruker- og interesseorganisasjon,2026-03-01,innspill,,,"
        "true\n"
        "vestvik_horingssvar.docx,Testforbundet Vestvik,fagforening,03.02.2026,høringssvar,,,nei\n"
        "borte.pdf,Forsvunnet forening,annen,,innspill,,,\n", encoding="utf-8")
    return raw


def test_messy_folder_every_file_reported_with_reason(messy_raw: Path, tmp_path: Path) -> None:
    before = _hashes(messy_raw)
    processed = tmp_path / "processed"
    result = ingest.run_ingest(messy_raw, processed, progress=False)
    assert _hashes(messy_raw) == before, "raw files must never be modified"

    rep = result.report.set_index("file")
    expected = {
        "nordvik_innspill.pdf": ("ok", ""),
        "vestvik_horingssvar.docx": ("ok", ""),
        "tom.txt": ("failed", "empty file"),
        "avkuttet.pdf": ("failed", "corrupt PDF"),
        "passord.pdf": ("failed", "encrypted (password protected)"),
        "skannet.pdf": ("failed", "no text layer - needs OCR"),
        "windows.txt": ("ok", "cp1252"),
        "post/kopi av innspill.pdf": ("duplicate", "nordvik_innspill.pdf"),
        "vedlegg.jpg": ("skipped", "unsupported type .jpg"),
        "post/Innspill fra Ærøy – åpent brev.txt": ("ok", ""),
        "borte.pdf": ("missing", "listed in metadata.csv but no such file"),
    }
    assert set(rep.index) == set(expected)
    for file, (status, reason) in expected.items():
        assert rep.at[file, "status"] == status, file
        assert reason in rep.at[file, "reason"], (file, rep.at[file, "reason"])
    assert rep.at["post/kopi av innspill.pdf", "duplicate_of"] == "nordvik_innspill.pdf"
    assert rep.at["borte.pdf", "metadata"] == "listed but missing"
    assert rep.at["windows.txt", "metadata"] == "not listed"
    assert rep.at["nordvik_innspill.pdf", "n_pages"] == 3

    subs = result.submissions.set_index("file")
    assert len(subs) == 4
    assert subs.at["nordvik_innspill.pdf", "org_name"] == "Testforeningen Nordvik"
    assert subs.at["vestvik_horingssvar.docx", "received_date"] == pd.Timestamp("2026-02-03")
    assert not subs.at["vestvik_horingssvar.docx", "is_public"]
    aeroy = subs.loc["post/Innspill fra Ærøy – åpent brev.txt"]
    assert "org_name" in aeroy["inferred_fields"] and "Ærøy" in aeroy["org_name"]
    assert "leder@aeroy.example" not in aeroy["text"] and "99 88 77 66" not in aeroy["text"]
    assert aeroy["n_masked"] == 2
    assert subs.at["windows.txt", "text"].count("«nå»") == 1

    # outputs on disk, readable, identical to what was returned
    on_disk = ingest.load_report(processed)
    assert set(on_disk["file"]) == set(expected)
    pd.testing.assert_frame_equal(ingest.load_submissions(processed), result.submissions)
    _assert_offsets_exact(result)
    summary = ingest.format_summary(result)
    for file in ("tom.txt", "avkuttet.pdf", "passord.pdf", "skannet.pdf", "borte.pdf"):
        assert file in summary


def test_second_run_reads_nothing_and_one_new_file_is_the_only_read(messy_raw: Path, tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    first = ingest.run_ingest(messy_raw, processed, progress=False)
    assert first.stats["n_read"] == 7 and first.stats["n_cached"] == 0
    second = ingest.run_ingest(messy_raw, processed, progress=False)
    assert second.stats["n_read"] == 0
    rep = second.report
    read = rep[rep["status"].isin(["ok", "failed"]) & (rep["reason"] != "empty file")]
    assert read["from_cache"].all()
    pd.testing.assert_frame_equal(first.submissions, second.submissions)
    pd.testing.assert_frame_equal(first.segments, second.segments)

    (messy_raw / "ny.md").write_text("# Innspill fra Nyby\n\nVi vil ha *flere* plasser.\n", encoding="utf-8")
    third = ingest.run_ingest(messy_raw, processed, progress=False)
    assert third.stats["n_read"] == 1
    new = third.report.set_index("file").loc["ny.md"]
    assert new["status"] == "ok" and not new["from_cache"]
    old_subs = first.submissions.set_index("submission_id")
    new_subs = third.submissions.set_index("submission_id").loc[old_subs.index]
    pd.testing.assert_frame_equal(old_subs, new_subs)
    old_segs = first.segments.set_index("segment_id")
    pd.testing.assert_frame_equal(old_segs, third.segments.set_index("segment_id").loc[old_segs.index])


def test_two_workers_give_the_same_result_as_one(messy_raw: Path) -> None:
    one = ingest.ingest_folder(messy_raw, workers=1)
    two = ingest.ingest_folder(messy_raw, workers=2, parallel_from=1)
    pd.testing.assert_frame_equal(one.submissions, two.submissions)
    pd.testing.assert_frame_equal(one.segments, two.segments)


def test_segment_context_neighbours_and_not_public(messy_raw: Path) -> None:
    result = ingest.ingest_folder(messy_raw)
    sub = result.submissions.set_index("file").loc["nordvik_innspill.pdf"]
    segs = result.segments[result.segments["submission_id"] == sub["submission_id"]]
    sentences = segs[segs["kind"] == "sentence"].sort_values("order")
    target = sentences.iloc[2]
    ctx = ingest.segment_context(result.segments, sub["text"], target["segment_id"])
    assert ctx["segment"] == target["text"]
    assert ctx["before"].startswith(sentences.iloc[1]["text"])
    assert ctx["after"].endswith(sentences.iloc[3]["text"])
    assert (ctx["before"] + ctx["segment"] + ctx["after"]) in sub["text"]
    assert target["text"] in ctx["parent_text"]
    hidden = ingest.segment_context(result.segments, sub["text"], target["segment_id"], is_public=False)
    assert hidden["segment"] == "[ikke offentlig]" and target["text"] not in str(hidden)
    # a sentence that starts on page 2 of the PDF is cited with page 2
    page2 = sentences[sentences["text"].str.startswith("Vi ser også at ventetiden")]
    assert page2["page"].tolist() == [2]


def test_real_corpus(shared_corpus: Path) -> None:
    result = ingest.ingest_folder(shared_corpus)
    subs = result.submissions.set_index("file")
    assert len(subs) == 5
    mandate = subs[subs["doc_kind"] == "mandat"]
    assert len(mandate) == 1 and mandate.index[0].startswith("004_") and mandate["is_reference"].all()
    assert subs.loc[subs.index.str.startswith("004_") == False, "is_reference"].sum() == 0  # noqa: E712
    _assert_offsets_exact(result)

    segs = result.segments
    for sid, text in zip(result.submissions["submission_id"], result.submissions["text"], strict=True):
        # footnote markers never glued to a word
        assert not re.search(rf"[^\W\d_{SUPERSCRIPTS}][{SUPERSCRIPTS}]", text), sid
        # no sentence is cut between two blocks: a body block that does not end a sentence is never
        # followed by a block that starts in lower case (a wrapped line, text after a footnote or page break)
        body = segs[(segs["submission_id"] == sid) & segs["kind"].isin(["paragraph", "list_item"])]
        body = body.sort_values("order")
        for prev, nxt in zip(body["text"].tolist(), body["text"].tolist()[1:], strict=False):
            ends = prev.rstrip(")]»”\"' " + SUPERSCRIPTS)[-1:] in ".!?:;…"
            assert ends or not nxt[:1].islower(), (sid, prev[-60:], nxt[:60])
    first = subs.loc[subs.index.str.startswith("000_")].iloc[0]
    foot = segs[(segs["submission_id"] == first["submission_id"]) & (segs["kind"] == "footnote")]
    assert len(foot) >= 5 and foot["text"].str.match(rf"[{SUPERSCRIPTS}]+ https?://").all()
    assert "@" not in first["text"]
    # the double-spaced file (a blank line after every wrapped line) becomes a few long paragraphs
    double = subs.loc[subs.index.str.startswith("003_")].iloc[0]
    raw_text = (shared_corpus / double.name).read_text(encoding="utf-8")
    raw_lines = [ln for ln in raw_text.splitlines() if ln.strip()]
    paras = segs[(segs["submission_id"] == double["submission_id"]) & (segs["kind"] == "paragraph")]
    assert len(paras) < len(raw_lines) / 3
    assert paras["text"].str.len().median() > 300


def test_example_corpus(example_corpus: Path) -> None:
    if not (example_corpus / "metadata.csv").is_file():
        pytest.skip("example corpus not present")
    result = ingest.ingest_folder(example_corpus)
    rep = result.report
    assert (rep["status"] == "duplicate").sum() >= 1
    assert rep[rep["status"] == "duplicate"]["duplicate_of"].isin(rep["file"]).all()
    subs = result.submissions
    camp = subs[subs["file"].str.startswith("kampanje/")]
    assert camp["is_campaign"].all() and camp["campaign_id"].nunique() == 1
    assert (camp["campaign_size"] == 3).all()
    assert (camp["campaign_additions"] == "").sum() == 1  # the template adds nothing to itself
    assert not subs.loc[~subs["file"].str.startswith("kampanje/"), "is_campaign"].any()
    not_listed = rep[(rep["status"] == "ok") & (rep["metadata"] == "not listed")]["file"]
    for file in not_listed:
        row = subs.set_index("file").loc[file]
        assert row["org_name"] != "ukjent" and "org_name" in row["inferred_fields"]
    assert set(subs["language"]) <= {"nb", "nn", "en"}
    _assert_offsets_exact(result)


def test_side_by_side_view_escapes_and_hides_non_public(messy_raw: Path) -> None:
    from helpers import segments

    result = ingest.ingest_folder(messy_raw)
    sub = result.submissions.set_index("file").loc["vestvik_horingssvar.docx"]
    segs = result.segments[result.segments["submission_id"] == sub["submission_id"]]
    shown = segments.side_by_side_html(sub["text"], segs)
    assert "Region | Plasser 2024 | Plasser 2025" in shown
    assert shown.count("<tr>") == 2 + (segs["kind"] != "sentence").sum()  # layout row + header + blocks
    hidden = segments.side_by_side_html(sub["text"], segs, is_public=False)
    assert "døgnplassene" not in hidden and "[ikke offentlig" in hidden

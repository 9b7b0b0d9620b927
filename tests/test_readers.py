"""Readers on real files built here: PDF (reportlab), DOCX (python-docx), HTML, text in several encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import readers
from tests import ingest_files as files


def _text(ex: readers.Extraction) -> str:
    return "\n".join(b.text for b in ex.blocks)


def test_pdf_three_pages_header_footer_hyphen_footnote_bullets(tmp_path: Path) -> None:
    ex = readers.read_file(files.make_pdf(tmp_path / "brev.pdf"))
    text = _text(ex)
    assert ex.reader == "pypdfium2" and ex.n_pages == 3 and ex.pages_failed == []
    assert files.HEADER not in text and "Side 1 av 3" not in text and "Side 3" not in text
    assert "antall døgnplasser i regionen" in text and "døgn-" not in text
    assert "rus- og psykiske lidelser" in text
    assert "plager ¹ venter" in text
    assert "Ærlig" in text and "Sørøy" in text
    kinds = [b.kind for b in ex.blocks]
    assert kinds.count("list_item") == 3 and kinds.count("footnote") == 1
    footnote = next(b for b in ex.blocks if b.kind == "footnote")
    assert footnote.text == f"¹ {files.FOOTNOTE_URL}" and footnote.page == 1
    # The sentence that runs from page 1 onto page 2 is one paragraph that records where page 2 starts.
    para = next(b for b in ex.blocks if "bo for seg selv." in b.text)
    assert para.page == 1 and para.page_starts and para.page_starts[0][1] == 2
    assert para.text[para.page_starts[0][0]:].startswith("selv.")
    headings = [b.text for b in ex.blocks if b.kind == "heading"]
    assert headings == ["Innspill fra Testforeningen Nordvik", "Våre krav", "Økonomi og ansvar"]
    assert next(b for b in ex.blocks if b.text == "Økonomi og ansvar").page == 3


def test_pdf_page_without_unicode_map_is_reported(tmp_path: Path) -> None:
    ex = readers.read_file(files.make_garbled_pdf(tmp_path / "garbled.pdf"))
    assert ex.pages_failed == [2]
    assert any("page" in n.lower() and "2" in n for n in ex.notes)
    assert "lesbar tekst" in _text(ex)
    assert "\x01" not in _text(ex)


@pytest.mark.parametrize("maker, reason", [
    (files.make_encrypted_pdf, "encrypted (password protected)"),
    (files.make_image_pdf, "no text layer - needs OCR"),
])
def test_unreadable_pdfs_fail_with_reason(tmp_path: Path, maker, reason: str) -> None:
    with pytest.raises(readers.ReadError) as err:
        readers.read_file(maker(tmp_path / "x.pdf"))
    assert str(err.value) == reason


def test_truncated_and_fake_pdf_are_corrupt(tmp_path: Path) -> None:
    good = files.make_pdf(tmp_path / "good.pdf")
    with pytest.raises(readers.ReadError, match=r"^corrupt PDF: "):
        readers.read_file(files.make_truncated_pdf(tmp_path / "half.pdf", good))
    (tmp_path / "fake.pdf").write_text("not a pdf at all", encoding="utf-8")
    with pytest.raises(readers.ReadError, match="no %PDF header"):
        readers.read_file(tmp_path / "fake.pdf")


def test_docx_heading_list_table_footnote(tmp_path: Path) -> None:
    ex = readers.read_file(files.make_docx(tmp_path / "svar.docx"))
    by_kind: dict[str, list[str]] = {}
    for b in ex.blocks:
        by_kind.setdefault(b.kind, []).append(b.text)
    assert by_kind["heading"] == ["Høringssvar fra Testforbundet Vestvik", "Våre forslag"]
    assert by_kind["list_item"] == ["Flere plasser for ungdom", "Bedre ettervern i kommunene"]
    assert "Region | Plasser 2024 | Plasser 2025" in by_kind["paragraph"]
    assert "Vestvik | 64 | 48" in by_kind["paragraph"]
    assert by_kind["footnote"] == [f"¹ {files.DOCX_FOOTNOTE}"]
    assert any(t.startswith("Vi mener at døgnplassene i Vestvik må økes ¹.") for t in by_kind["paragraph"])


def test_docx_that_is_not_a_zip_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(readers.ReadError, match="corrupt DOCX"):
        readers.read_file(tmp_path / "x.docx")


def test_html_blocks_without_script_and_nav(tmp_path: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>Skjema</title><style>p{color:red}</style></head><body>
    <nav><a href="/">Til forsiden</a></nav><script>var x = "ikke tekst";</script>
    <h1>Innspill fra Elvebyen</h1><p>Vi mener at <b>ettervernet</b> må styrkes<sup>1</sup>.</p>
    <ul><li>Flere boliger</li><li>Faste kontaktpersoner</li></ul>
    <table><tr><th>År</th><th>Plasser</th></tr><tr><td>2025</td><td>12</td></tr></table>
    <section class="footnotes"><ol><li>Kilde: kommunens årsrapport.</li></ol></section></body></html>"""
    (tmp_path / "skjema.html").write_text(html, encoding="utf-8")
    ex = readers.read_file(tmp_path / "skjema.html")
    got = [(b.kind, b.text) for b in ex.blocks]
    assert got == [("heading", "Innspill fra Elvebyen"),
                   ("paragraph", "Vi mener at ettervernet må styrkes ¹."),
                   ("list_item", "Flere boliger"), ("list_item", "Faste kontaktpersoner"),
                   ("paragraph", "År | Plasser"), ("paragraph", "2025 | 12"),
                   ("footnote", "Kilde: kommunens årsrapport.")]
    assert ex.title_hint == "Skjema"


@pytest.mark.parametrize("encoding, note", [
    ("cp1252", "cp1252"), ("latin-1", "latin-1"), ("utf-8-sig", "BOM"), ("utf-8", None),
])
def test_text_encodings_are_detected_and_recorded(tmp_path: Path, encoding: str, note: str | None) -> None:
    body = "Høringssvar – «Bedre rusbehandling» fra Ærøy\n\nVi støtter forslaget om økt kapasitet.\n"
    if encoding == "latin-1":
        body = body.replace("–", "-").replace("«", '"').replace("»", '"')
    (tmp_path / "brev.txt").write_bytes(body.encode(encoding))
    ex = readers.read_file(tmp_path / "brev.txt")
    assert "Ærøy" in _text(ex) and "økt kapasitet" in _text(ex)
    if note:
        assert any(note in n for n in ex.notes)
    else:
        assert ex.notes == []


def test_binary_text_file_and_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(readers.ReadError, match="unreadable encoding"):
        readers.read_file(tmp_path / "data.txt")
    (tmp_path / "bilde.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    with pytest.raises(readers.UnsupportedType, match=r"unsupported type \.jpg"):
        readers.read_file(tmp_path / "bilde.jpg")

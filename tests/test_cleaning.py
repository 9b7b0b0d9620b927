"""Cleaning of extracted lines: characters, hyphenation, running lines, line numbers, joining, footnotes."""

from __future__ import annotations

from helpers import cleaning
from helpers.cleaning import Line


def _blocks(text: str, **kw) -> list[cleaning.Block]:
    return cleaning.pages_to_blocks(cleaning.text_to_lines(text), **kw)[0]


def test_characters_ligatures_controls_bullets_and_superscripts() -> None:
    raw = "\uf0b7 ﬁnne ﬂere\u00a0tiltak\x07 for\u200b å hjelpe¹ i 2024²"
    out = cleaning.normalize_chars(raw)
    assert out == "• finne flere tiltak for å hjelpe¹ i 2024²"


def test_pdfium_hyphen_marker_joins_words_but_keeps_suspended_compounds() -> None:
    assert cleaning.fix_hyphen_markers("å avkrimina\ufffelisere bruk") == "å avkriminalisere bruk"
    assert cleaning.fix_hyphen_markers("både politi\ufffeog helse") == "både politi- og helse"
    assert cleaning.fix_hyphen_markers("flere ROP\ufffepasienter") == "flere ROP-pasienter"


def test_line_end_hyphenation_and_footnote_markers() -> None:
    text = ("Vi ber om flere døgn-\nplasser for personer med rus-\nog psykiske lidelser og flere ROP-\n"
            "pasienter i arbeid¹, på 40 m² bolig.\n\n¹ https://example.org/a-b_c?x=1")
    blocks = _blocks(text)
    assert [b.kind for b in blocks] == ["paragraph", "footnote"]
    body = blocks[0].text
    assert "døgnplasser" in body and "rus- og psykiske" in body and "ROP-pasienter" in body
    assert "arbeid ¹," in body and "40 m² bolig" in body
    assert blocks[1].text == "¹ https://example.org/a-b_c?x=1"


def test_running_headers_footers_and_page_numbers_are_removed() -> None:
    pages = []
    bodies = [["Kommunen har lange avstander.", "Tilbudet er spredt."],
              ["Ventetiden er for lang.", "Det haster."],
              ["Ettervern mangler ofte.", "Boliger trengs."], ["Vi ber om flere plasser.", "Takk for oss."]]
    for p, body in enumerate(bodies, start=1):
        lines = [f"Høringssvar fra Eksempelforeningen – side {p}", *body, f"Side {p} av 4"]
        pages.append([Line(t, p) for t in lines])
    kept, removed = cleaning.remove_running_lines(pages)
    texts = [ln.text for page in kept for ln in page]
    assert removed == 8
    assert not any("Eksempelforeningen" in t or t.startswith("Side ") for t in texts)
    assert len(texts) == 8


def test_margin_line_numbers_of_a_draft_are_stripped() -> None:
    lines = [Line(f"{n} " + t) for n, t in enumerate(
        ["Utvalget skal levere", "sin innstilling innen", "utgangen av året og", "skal vurdere alle",
         "sider ved saken før", "det gir sitt råd."], start=12)]
    out, n = cleaning.strip_line_numbers(lines)
    assert n == 6 and out[0].text == "Utvalget skal levere"
    items = ["1. Første punkt", "Tekst uten tall", "2. Andre punkt", "Mer tekst"] * 2
    numbered_list = [Line(t) for t in items]
    assert cleaning.strip_line_numbers(numbered_list)[1] == 0


def test_double_spaced_wrapped_lines_join_into_paragraphs_and_headings_stay() -> None:
    wrapped = [
        "Kommunen mener at tilbudet til personer med rusproblemer må styrkes i hele regionen, og at",
        "det må skje i tett samarbeid med spesialisthelsetjenesten og brukerorganisasjonene. Vi har",
        "gode erfaringer med oppsøkende team og ønsker at disse videreføres.",
    ]
    text = "\n\n".join(["Oppsøkende team", *wrapped, " ", "Bolig", *wrapped]) + "\n"
    blocks = _blocks(text)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "heading", "paragraph"]
    assert blocks[1].text == " ".join(wrapped)


def test_paragraph_interrupted_by_footnote_lines_continues_after_them() -> None:
    text = ("Vi viser til rapporten fra 2021 om tjenester der over 40 prosent av\n\n"
            "¹ <https://example.org/rapport>\n\n² <https://example.org/annen>\n\n"
            "behandlerne svarte at de manglet kompetanse. Dette er alvorlig.\n\nNeste avsnitt starter her.")
    blocks = _blocks(text)
    kinds = [b.kind for b in blocks]
    assert kinds == ["paragraph", "footnote", "footnote", "paragraph"]
    assert "over 40 prosent av behandlerne svarte" in blocks[0].text
    assert blocks[1].text == "¹ https://example.org/rapport"


def test_signature_lines_stay_separate_and_markdown_is_stripped() -> None:
    text = ("Vi **må** handle nå, se [rapporten](https://example.org/r) og *særlig* punkt 2.\n\n"
            "Med vennlig hilsen\nEksempelforeningen\nKari Nordmann\ndaglig leder\n")
    blocks = _blocks(text)
    assert blocks[0].text == "Vi må handle nå, se rapporten og særlig punkt 2."
    assert [b.text for b in blocks[1:]] == ["Med vennlig hilsen", "Eksempelforeningen", "Kari Nordmann",
                                          "daglig leder"]
    assert all(b.kind == "paragraph" for b in blocks[1:])


def test_garbled_text_is_detected() -> None:
    assert cleaning.is_garbled("\x01 \x04\x05\x06 \x07\x08\t \x01 \x04\x05\x06 " * 5)
    assert cleaning.is_garbled("(cid:12)(cid:7)(cid:9) (cid:3)(cid:4) " * 5)
    assert cleaning.is_garbled("\ue001\ue002\ue003 \ue004\ue005 " * 5)
    assert not cleaning.is_garbled("Æ, ø og å – «sitat» §3 (2024): 40 % færre døgnplasser … ¹")

"""Readers: one file in, an :class:`Extraction` (clean blocks + what happened) out, or a :class:`ReadError`.

Every reader returns blocks (heading / paragraph / list_item / footnote) whose text is already cleaned; the
reason in a ReadError is what the ingest report shows, so it names the problem in words an analyst can act on
("encrypted (password protected)", "no text layer - needs OCR").

Decisions:
- PDF: pypdfium2 (Apache/BSD, fast) reads each page's text layer and, per line, the position and font size of
  its first letter: extra vertical space marks a paragraph break, a smaller font at the page foot a footnote.
  A page whose text is mostly not Latin script (a font without a Unicode map) is read again with pdfminer.six;
  when that fails too the page is listed in ``pages_failed``. A file is refused when it cannot be opened
  (encrypted, corrupt) or has no text at all (a scan).
- DOCX: the body is walked in order (paragraphs, tables, content controls); heading styles (any language,
  also outline levels) give headings, numbering or a list style gives list items, each table row becomes one
  paragraph with its cells joined by `` | ``, footnotes come from ``word/footnotes.xml`` with their markers
  written into the text as superscript digits. Word's last rendered page breaks give page numbers.
- TXT/MD: a BOM decides; otherwise strict UTF-8; otherwise cp1252 when bytes 0x80-0x9F occur (they are
  printable only there) and latin-1 when not. The choice is recorded in the notes, never silent.
- HTML: lxml through BeautifulSoup, without script/style/nav; h1-h6, li, p, table rows become blocks.
"""

from __future__ import annotations

import re
import statistics
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from helpers import cleaning
from helpers.cleaning import Block, Line

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm")


class ReadError(Exception):
    """A file that cannot be read; ``str(err)`` is the reason shown in the ingest report."""


class UnsupportedType(ReadError):
    """A file type the suite has no reader for (reported as ``skipped``)."""


@dataclass
class Extraction:
    blocks: list[Block]
    n_pages: int
    reader: str
    notes: list[str] = field(default_factory=list)
    pages_failed: list[int] = field(default_factory=list)
    title_hint: str = ""


def read_file(path: str | Path) -> Extraction:
    """Read any supported file; raises :class:`ReadError` (or :class:`UnsupportedType`) with the reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedType(f"unsupported type {suffix}" if suffix else
                              "unsupported type (no file extension)")
    if path.stat().st_size == 0:
        raise ReadError("empty file")
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix == ".docx":
        return read_docx(path)
    if suffix in (".html", ".htm"):
        return read_html(path)
    return read_text(path, markdown=suffix in (".md", ".markdown"))


def _clean_block_text(text: str) -> str:
    return cleaning.collapse_spaces(cleaning.detach_footnote_markers(cleaning.normalize_chars(text)))


# ------------------------------------------------------------------------------------------------- text
def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding name). Raises ReadError when it is not text."""
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as err:
                raise ReadError(f"unreadable encoding (has a {enc} byte order mark but is not valid "
                                f"{enc}: {err.reason})") from None
    if b"\x00" in data:
        raise ReadError("unreadable encoding (binary data: NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", data):
        try:
            text, enc = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, enc = _charset_normalizer_guess(data)
    else:
        text, enc = data.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise ReadError("unreadable encoding (control characters: not a text file)")
    return text, enc


def _charset_normalizer_guess(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("unreadable encoding (not UTF-8, cp1252 or latin-1, and no other encoding fits)")
    return str(best), best.encoding


def read_text(path: Path, markdown: bool = False) -> Extraction:
    text, enc = decode_text(path.read_bytes())
    notes = [] if enc in ("utf-8", "utf-8-sig") else [f"encoding {enc} (not UTF-8)"]
    if enc == "utf-8-sig":
        notes.append("encoding utf-8 with BOM")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = cleaning.text_to_lines(text)
    blocks, _ = cleaning.pages_to_blocks(pages, markdown=markdown)
    if not blocks:
        raise ReadError("no text (the file holds only whitespace)")
    return Extraction(blocks, len(pages), "markdown" if markdown else "text", notes)


# -------------------------------------------------------------------------------------------------- pdf
def read_pdf(path: Path) -> Extraction:
    import pypdfium2 as pdfium

    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise ReadError("corrupt PDF: no %PDF header (not a PDF file)")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        msg = str(err)
        if getattr(err, "err_code", None) == 4 or "password" in msg.lower():
            raise ReadError("encrypted (password protected)") from None
        raise ReadError(f"corrupt PDF: {msg.removeprefix('Failed to load document ')}") from None
    try:
        return _read_pdf_pages(path, pdf)
    finally:
        pdf.close()


def _read_pdf_pages(path: Path, pdf) -> Extraction:
    import pypdfium2.raw as pdfium_c

    raw_pages: list[list[tuple[str, float, float, float]]] = []
    notes: list[str] = []
    failed: list[int] = []
    no_text: list[int] = []
    n_pages = len(pdf)
    for i in range(n_pages):
        try:
            page = pdf[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if cleaning.is_garbled(text):
                alt = _pdfminer_page(path, i)
                if alt is not None and alt.strip() and not cleaning.is_garbled(alt):
                    notes.append(f"page {i + 1}: font without Unicode map, read with pdfminer")
                    nan = float("nan")
                    raw_pages.append([(ln, nan, nan, nan) for ln in alt.split("\n")])
                else:
                    failed.append(i + 1)
                    raw_pages.append([])
            elif not text.strip():
                if any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                    no_text.append(i + 1)
                raw_pages.append([])
            else:
                raw_pages.append(_pdf_page_lines(textpage, text))
            textpage.close()
            page.close()
        except Exception as err:  # one broken page does not lose the others
            failed.append(i + 1)
            notes.append(f"page {i + 1}: {type(err).__name__}: {err}")
            raw_pages.append([])
    if not any(raw_pages):
        if failed and len(failed) + len(no_text) >= n_pages:
            raise ReadError("unreadable text on every page (fonts without Unicode map) - needs OCR")
        raise ReadError("no text layer - needs OCR")
    if failed:
        notes.append(f"unreadable pages (font without Unicode map, also in pdfminer): {_ranges(failed)}")
    if no_text:
        notes.append(f"pages without a text layer (scanned?) - need OCR: {_ranges(no_text)}")
    pages = _pdf_lines_to_pages(raw_pages)
    blocks, stats = cleaning.pages_to_blocks(pages, markdown=False, markdown_inline=False, pdf=True)
    if stats["line_numbers"]:
        notes.append(f"margin line numbers removed: {stats['line_numbers']}")
    return Extraction(blocks, n_pages, "pypdfium2", notes, sorted(failed + no_text))


_LINE_RE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|$)")


def _pdf_page_lines(textpage, text: str) -> list[tuple[str, float, float, float]]:
    """(line text, bottom y of its first letter, font height, bottom y of its last letter) per line.

    pypdfium2 may return several visual lines as one (it joins a word hyphenated at a line end), so the
    first and last letters can sit on different lines. Geometry is NaN when char indices cannot be mapped.
    """
    geometry = len(text) == textpage.count_chars()
    nan = float("nan")
    out = []
    for m in _LINE_RE.finditer(text):
        if m.start() == len(text):
            break
        line = m.group(1)
        bottom = height = last_bottom = nan
        if geometry and line.strip():
            idx = next((m.start() + k for k, ch in enumerate(line) if ch.isalnum()), None)
            if idx is not None:
                _, bottom, _, top = textpage.get_charbox(idx, loose=True)
                height = top - bottom
                end = m.start() + len(line.rstrip()) - 1
                last_bottom = textpage.get_charbox(end, loose=True)[1] if end > idx else bottom
        out.append((line, bottom, height, last_bottom))
    return out


def _pdf_lines_to_pages(raw_pages: list[list[tuple[str, float, float, float]]]) -> list[list[Line]]:
    """Turn geometry into ``gap`` (paragraph spacing) and ``size`` (relative font size) per line."""
    heights = [h for page in raw_pages for t, _, h, _ in page if t.strip() and h == h and h > 0]
    body = statistics.median(heights) if heights else float("nan")
    pitches = []
    for page in raw_pages:
        prev = None
        for t, bottom, _, last in page:
            if not t.strip() or bottom != bottom:
                continue
            if prev is not None and 0 < prev - bottom < 4 * body:
                pitches.append(prev - bottom)
            prev = last
    pitch = statistics.median(pitches) if pitches else float("nan")
    pages = []
    for page_no, page in enumerate(raw_pages, start=1):
        lines, prev, blank = [], None, 0
        for t, bottom, height, last in page:
            if not t.strip():
                blank += 1
                continue
            gap = blank
            if bottom == bottom and prev is not None and pitch == pitch:
                step = prev - bottom
                if step < 0 or step > 1.45 * pitch:
                    gap = max(gap, 1)
            size = height / body if height == height and body == body and body > 0 else 1.0
            lines.append(Line(t, page_no, gap, round(size, 2)))
            prev, blank = (last if last == last else prev), 0
        pages.append(lines)
    return pages


def _pdfminer_page(path: Path, index: int) -> str | None:
    try:
        from pdfminer.high_level import extract_text

        return extract_text(str(path), page_numbers=[index])
    except Exception:
        return None


def _ranges(pages: list[int]) -> str:
    pages = sorted(set(pages))
    out, start = [], None
    for i, p in enumerate(pages):
        if start is None:
            start = p
        if i + 1 == len(pages) or pages[i + 1] != p + 1:
            out.append(str(start) if start == p else f"{start}-{p}")
            start = None
    return ", ".join(out)


# ------------------------------------------------------------------------------------------------- docx
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE_RE = re.compile(r"^(heading|overskrift|rubrik|titel|title|tittel|subtitle|undertittel)\b",
                               re.I)
_LIST_STYLE_RE = re.compile(r"\b(list|liste|punkt|bullet|nummer)", re.I)
_SUPERSCRIPT = str.maketrans("0123456789", cleaning.SUPERSCRIPT_DIGITS)


def read_docx(path: Path) -> Extraction:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ReadError("encrypted (password protected)")
        raise ReadError("old Word 97-2003 format saved as .docx - open it in Word and save as .docx")
    if not zipfile.is_zipfile(path):
        raise ReadError("corrupt DOCX: not a zip archive")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as err:
        raise ReadError(f"corrupt DOCX: {type(err).__name__}: {err}") from None
    styles = {}
    for style in document.styles:
        try:
            styles[style.style_id] = style.name or ""
        except Exception:  # malformed style entries must not stop the file
            continue
    state = {"page": 1}
    blocks: list[Block] = []
    for child in document.element.body.iterchildren():
        blocks.extend(_docx_element(child, styles, state))
    blocks.extend(_docx_footnotes(document))
    blocks = [b for b in blocks if b.text]
    if not blocks:
        raise ReadError("no text (the document is empty)")
    n_pages = max(state["page"], _docx_app_pages(path))
    title = ""
    try:
        title = document.core_properties.title or ""
    except Exception:
        title = ""
    return Extraction(blocks, n_pages, "python-docx", [], [], title)


def _docx_element(el, styles: dict[str, str], state: dict) -> list[Block]:
    tag = el.tag
    if tag == f"{_W}p":
        block = _docx_paragraph(el, styles, state)
        return [block] if block else []
    if tag == f"{_W}tbl":
        out = []
        for row in el.iter(f"{_W}tr"):
            cells, seen = [], set()
            for tc in row.iterchildren(f"{_W}tc"):
                text = " ".join(_docx_runs_text(p, state)[0] for p in tc.iter(f"{_W}p")).strip()
                if text and id(tc) not in seen:
                    cells.append(text)
                    seen.add(id(tc))
            text = _clean_block_text(" | ".join(cells))
            if text:
                out.append(Block("paragraph", text, state["page"]))
        return out
    if tag == f"{_W}sdt":
        content = el.find(f"{_W}sdtContent")
        return [b for c in (content.iterchildren() if content is not None else []) for b in
                _docx_element(c, styles, state)]
    return []


def _docx_runs_text(p, state: dict) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    length = 0
    page_starts: list[tuple[int, int]] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}footnoteReference",
                       f"{_W}noBreakHyphen", f"{_W}lastRenderedPageBreak"):
        tag = node.tag
        if tag == f"{_W}t":
            piece = node.text or ""
        elif tag == f"{_W}footnoteReference":
            piece = (node.get(f"{_W}id") or "").translate(_SUPERSCRIPT)
        elif tag == f"{_W}noBreakHyphen":
            piece = "-"
        elif tag == f"{_W}lastRenderedPageBreak" or (tag == f"{_W}br" and node.get(f"{_W}type") == "page"):
            state["page"] += 1
            if length:
                page_starts.append((length, state["page"]))
            piece = " " if tag == f"{_W}br" else ""
        else:
            piece = " "
        parts.append(piece)
        length += len(piece)
    return "".join(parts), page_starts


def _docx_paragraph(p, styles: dict[str, str], state: dict) -> Block | None:
    start_page = state["page"]
    raw, page_starts = _docx_runs_text(p, state)
    if page_starts and not raw[: page_starts[0][0]].strip():
        start_page = page_starts.pop(0)[1]
    text = _clean_block_text(raw)
    if not text:
        return None
    if page_starts:
        scale = len(text) / max(1, len(raw))
        page_starts = [(min(len(text), round(off * scale)), pg) for off, pg in page_starts]
    ppr = p.find(f"{_W}pPr")
    style_name = ""
    is_list = False
    outline = False
    if ppr is not None:
        pstyle = ppr.find(f"{_W}pStyle")
        if pstyle is not None:
            style_id = pstyle.get(f"{_W}val") or ""
            style_name = styles.get(style_id, style_id)
        is_list = ppr.find(f"{_W}numPr") is not None
        outline = ppr.find(f"{_W}outlineLvl") is not None
    if _HEADING_STYLE_RE.match(style_name) or (outline and len(text) < 200):
        kind = "heading"
    elif is_list or _LIST_STYLE_RE.search(style_name):
        kind = "list_item"
    else:
        kind = "paragraph"
    return Block(kind, text, start_page, "- " if kind == "list_item" else "", page_starts)


def _docx_footnotes(document) -> list[Block]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == RT.FOOTNOTES and not rel.is_external), None)
    if part is None:
        return []
    root = etree.fromstring(part.blob)
    out = []
    for fn in root.iter(f"{_W}footnote"):
        if fn.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        fid = fn.get(f"{_W}id") or ""
        texts = []
        for p in fn.iter(f"{_W}p"):
            t, _ = _docx_runs_text(p, {"page": 1})
            texts.append(t)
        body = _clean_block_text(" ".join(texts))
        body = re.sub(rf"^[{cleaning.SUPERSCRIPT_DIGITS}]+\s*", "", body)  # Word repeats the marker
        if body:
            out.append(Block("footnote", f"{fid.translate(_SUPERSCRIPT)} {body}", 1))
    return out


def _docx_app_pages(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return 1
    m = re.search(r"<(?:\w+:)?Pages>(\d+)</", xml)
    return int(m.group(1)) if m else 1


# ------------------------------------------------------------------------------------------------- html
_HTML_DROP = ("script", "style", "nav", "noscript", "template", "svg", "iframe", "button", "select", "head")
_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HTML_BLOCKS = _HTML_HEADINGS | {
    "p", "li", "tr", "pre", "blockquote", "dt", "dd", "caption", "figcaption", "address", "div", "section",
    "article", "main", "header", "footer", "aside", "form", "table", "thead", "tbody", "tfoot", "ul", "ol",
    "dl", "fieldset", "legend", "figure", "body", "html", "details", "summary", "hr",
}
_FOOTNOTE_ATTR_RE = re.compile(r"foot|fotnote|endnote|sluttnote", re.I)


def read_html(path: Path) -> Extraction:
    from bs4 import BeautifulSoup, Comment

    data = path.read_bytes()
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as err:
        raise ReadError(f"corrupt HTML: {type(err).__name__}: {err}") from None
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for name in _HTML_DROP:
        for tag in soup.find_all(name):
            tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for sup in soup.find_all("sup"):
        digits = sup.get_text("", strip=True)
        if digits.isdigit():
            sup.replace_with(digits.translate(_SUPERSCRIPT))
    blocks: list[Block] = []
    _html_walk(soup, blocks, in_footnotes=False)
    blocks = [b for b in blocks if b.text]
    if not blocks:
        raise ReadError("no text (the HTML page has no visible text)")
    enc = getattr(soup, "original_encoding", None)
    notes = [f"encoding {enc} (not UTF-8)"] if enc and enc.lower() not in ("utf-8", "ascii") else []
    return Extraction(blocks, 1, "beautifulsoup-lxml", notes, [], title)


def _html_kind(name: str, in_footnotes: bool) -> str:
    if name in _HTML_HEADINGS:
        return "heading"
    if name in ("li", "dt", "dd"):
        return "footnote" if in_footnotes else "list_item"
    return "footnote" if in_footnotes and name == "p" else "paragraph"


def _html_walk(el, blocks: list[Block], in_footnotes: bool) -> None:
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    attrs = " ".join([*(el.get("class") or []), el.get("id") or ""]) if isinstance(el, Tag) else ""
    in_footnotes = in_footnotes or bool(attrs and _FOOTNOTE_ATTR_RE.search(attrs))
    buf: list[str] = []

    def flush() -> None:
        text = _clean_block_text(" ".join("".join(buf).split()))
        buf.clear()
        if text:
            kind = _html_kind(el.name, in_footnotes)
            blocks.append(Block(kind, text, 1, "- " if kind == "list_item" else ""))

    for child in el.children:
        if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            buf.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            buf.append(" ")
        elif child.name == "tr":
            flush()
            cells = [c.get_text(" ", strip=True) for c in child.find_all(["td", "th"])]
            text = _clean_block_text(" | ".join(c for c in cells if c))
            if text:
                blocks.append(Block("paragraph", text, 1))
        elif child.name in _HTML_BLOCKS or child.find(_HTML_BLOCKS) is not None:
            flush()
            _html_walk(child, blocks, in_footnotes)
        else:
            buf.append(child.get_text(""))
    flush()

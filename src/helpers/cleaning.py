"""Cleaning of extracted lines into blocks (headings, paragraphs, list items, footnotes).

Input is what a PDF page or a PDF-derived .txt gives: lines per page, with the number of blank lines (or extra
vertical space) before each line and, for PDFs, the font size relative to the body text. Output is a list of
:class:`Block` whose text is clean, one block per paragraph, with the page each part came from.

Decisions:
- Characters first: NFKC (ligatures, non-breaking spaces, full-width forms) but never on superscript digits,
  which are footnote markers and must stay recognisable; control characters and zero-width characters go;
  private-use bullet glyphs from Symbol/Wingdings fonts become ``•``. pypdfium2's line-end hyphen marker
  U+FFFE joins the word halves (``avkrimina|lisere``) unless the next word is a conjunction (``politi- og``)
  or the first half ends in a capital or digit (``ROP-pasienter``).
- Running headers and footers are lines that recur (digits normalised) among the first/last three lines of
  most pages; page numbers (``3``, ``- 3 -``, ``Side 3 av 9``) are dropped there too.
- Margin line numbers of drafts: when most lines of a page start with a number and the numbers climb in a
  constant step, the numbers are stripped.
- Joining lines: a line continues into the next when it does not end a sentence and the next starts in lower
  case (this also bridges page breaks and footnote lines that interrupt a paragraph), or when the document
  is wrapped at a typical width (90th percentile of line lengths, when that is short) and the line reaches
  close to that width. Documents with a blank line after every wrapped line ("double spaced") only break a
  paragraph on two or more blank lines. A short line without final punctuation ends its block: a heading.
- Footnote lines (starting with superscript digits, or a number followed by a URL, or a small-font numbered
  line in a PDF page's lower half) become footnote blocks placed after the paragraph they interrupted.
- After a closing formula ("Med vennlig hilsen") each line is its own block: names and titles are never
  joined into a sentence or taken for headings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from helpers import config

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_PUA = {ord(ch): 0xF5F0 + i for i, ch in enumerate(SUPERSCRIPT_DIGITS)}
_PUA_TO_SUP = {v: k for k, v in _SUP_TO_PUA.items()}
# Symbol/Wingdings private-use glyphs that fonts use for bullets.
_PUA_BULLETS = "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06e\uf0a8\uf02d\uf0a1\uf0e0\uf0d2\uf097"
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_PUA_RE = re.compile("[\ue000-\uf8ff]")
_SUPERSCRIPT_RE = re.compile(f"[{SUPERSCRIPT_DIGITS}]")
HYPHEN_MARKERS = "\ufffe\u00ad"
BULLET_CHARS = "-•–*●▪■◦‣⁃○□➢►✓·"
_CLOSERS = ")]»”\"'’" + SUPERSCRIPT_DIGITS
_FINAL = ".!?:;…"

_BULLET_RE = re.compile(rf"^([{re.escape(BULLET_CHARS)}])\s+(?=\S)")
_NUMBERED_RE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zæøå][.)]|\([a-zæøå0-9ivx]{1,4}\))\s+(?=\S)")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+")
_MD_RULE_RE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FOOTNOTE_SUP_RE = re.compile(rf"^[{SUPERSCRIPT_DIGITS}]+\s*(?=\S)")
_FOOTNOTE_URL_RE = re.compile(r"^\d{1,3}\s+(?=<?(?:https?://|www\.))")
_FOOTNOTE_NUM_RE = re.compile(r"^\d{1,3}\s+(?=\S)")
_PAGE_NUMBER_RE = re.compile(
    r"^[-–—\s]*(?:(?:side|sida|page|s\.)\s*)?\d{1,4}\s*(?:(?:av|of|/|frå|fra)\s*\d{1,4})?[-–—\s]*$", re.I
)
_LINE_NUMBER_RE = re.compile(r"^\s*(\d{1,4})(?:\s+(?=\S)|\s*$)")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHEN_MARKER_RE = re.compile(r"(\w)[\ufffe\u00ad]\s*(\w+)")
_FOOTNOTE_MARK_RE = re.compile(rf"(?<![{SUPERSCRIPT_DIGITS}])(?<=[\w)\]»”\"'%’])([{SUPERSCRIPT_DIGITS}]+)")
_UNIT_BEFORE_SUP_RE = re.compile(r"(?:^|\W)(?:k|c|d|m)?m$")
_MD_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_LINK_RE = re.compile(r"\[([^\]\n]+)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_EMPH_RE = re.compile(r"(?<![\w*])(\*\*|\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_CODE_RE = re.compile(r"`([^`\n]+)`")
_AUTOLINK_RE = re.compile(r"<((?:https?://|www\.|mailto:)[^>\s]+)>")
_DATELINE_RE = re.compile(
    r"\b\d{1,2}\.\s*(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)"
    r"\s+\d{4}\b|\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b", re.I
)
# Anything but whitespace, Latin letters (Basic Latin to Latin Extended-B), digits and usual punctuation.
_NOT_LATIN_RE = re.compile(
    "[^\\sA-Za-z0-9\u00c0-\u024f" + re.escape("–—‘’‚“”„«»…•·§°%€£$&@#*+=/\\|<>^~_()[]{}.,:;!?\"'-")
    + SUPERSCRIPT_DIGITS + "\ufffe\u00ad\u00a0½¼¾×±µ©®™]"
)
_NON_SPACE_RE = re.compile(r"\S")


@dataclass(slots=True)
class Line:
    """One extracted line. ``gap``: blank lines (or paragraph-sized vertical space) before it on its page;
    ``size``: its font size relative to the document's body text (1.0 when unknown)."""

    text: str
    page: int = 1
    gap: int = 0
    size: float = 1.0


@dataclass
class Block:
    """A heading, paragraph, list item or footnote. ``prefix`` is layout put before the text in the cleaned
    document (a bullet), not part of the block; ``page_starts`` lists (offset in ``text``, page) where a
    later page begins inside the block."""

    kind: str
    text: str
    page: int = 1
    prefix: str = ""
    page_starts: list[tuple[int, int]] = field(default_factory=list)


@functools.cache
def ingest_config() -> dict:
    """``config/ingest.yaml``: word lists for cleaning and inference (read once)."""
    path = config.CONFIG_DIR / "ingest.yaml"
    data = config.load_yaml(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of word lists")
    return data


@functools.cache
def _hyphen_keep() -> frozenset[str]:
    return frozenset(w.lower() for w in ingest_config().get("hyphen_keep_before", []))


@functools.cache
def _heading_cannot_end() -> frozenset[str]:
    return frozenset(w.lower() for w in ingest_config().get("heading_cannot_end_with", []))


@functools.cache
def _closing_re() -> re.Pattern[str]:
    words = sorted(ingest_config().get("closing_formulas", []), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")[\s,.!:]*$", re.I)


@functools.cache
def _letterhead_res() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in ingest_config().get("letterhead_patterns", []))


# ---------------------------------------------------------------------------------------------- characters
def garbled_share(text: str) -> float:
    """Share of non-space characters that are not Latin letters, digits or usual punctuation.

    High for pages whose font has no Unicode map: extractors return control characters, private-use code
    points, U+FFFD or ``(cid:12)`` placeholders (pdfminer) instead of letters.
    """
    if "(cid:" in text:
        text = re.sub(r"\(cid:\d+\)", "\x01", text)
    total = len(_NON_SPACE_RE.findall(text))
    return len(_NOT_LATIN_RE.findall(text)) / total if total else 0.0


def is_garbled(text: str, threshold: float = 0.3) -> bool:
    """True when a page's text is mostly not readable Latin script (see :func:`garbled_share`)."""
    return len(text.strip()) >= 5 and garbled_share(text) > threshold


def normalize_chars(text: str) -> str:
    """NFKC except superscript digits; bullets for private-use glyphs; no control or zero-width characters."""
    if not text.isascii():
        if _PUA_RE.search(text):
            for ch in _PUA_BULLETS:
                text = text.replace(ch, "•")
            text = _PUA_RE.sub("", text)
        if not unicodedata.is_normalized("NFKC", text):
            protect = _SUPERSCRIPT_RE.search(text) is not None
            text = unicodedata.normalize("NFKC", text.translate(_SUP_TO_PUA) if protect else text)
            if protect:
                text = text.translate(_PUA_TO_SUP)
    text = text.replace("\t", " ")
    return _CONTROL_RE.sub("", text)


def fix_hyphen_markers(text: str) -> str:
    """Resolve pypdfium2's U+FFFE (and soft hyphens) between word halves: join, or keep ``politi- og``."""
    if "\ufffe" not in text and "\u00ad" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        before, word = m.group(1), m.group(2)
        if word.lower() in _hyphen_keep():
            return f"{before}- {word}"
        if before.isupper() or before.isdigit():
            return f"{before}-{word}"
        return before + word

    text = _HYPHEN_MARKER_RE.sub(repl, text)
    return text.replace("\ufffe", "-").replace("\u00ad", "")


def detach_footnote_markers(text: str) -> str:
    """``plager¹`` -> ``plager ¹``: a footnote marker is not part of the word (nor of ``m²``)."""
    if not any(ch in text for ch in SUPERSCRIPT_DIGITS):
        return text

    def repl(m: re.Match[str]) -> str:
        if _UNIT_BEFORE_SUP_RE.search(text, max(0, m.start() - 4), m.start()) and m.group(1) in "²³":
            return m.group(1)
        return " " + m.group(1)

    return _FOOTNOTE_MARK_RE.sub(repl, text)


def strip_markdown_inline(text: str) -> str:
    """``[x](url)`` -> ``x``, ``*x*``/``**x**``/``__x__`` -> ``x``, ``<https://..>`` -> the URL, `code`."""
    if "[" in text or "(" in text:
        text = _MD_IMAGE_RE.sub(r"\1", text)
        text = _MD_LINK_RE.sub(r"\1", text)
    if "*" in text or "__" in text:
        text = _MD_EMPH_RE.sub(r"\2", text)
    if "`" in text:
        text = _MD_CODE_RE.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK_RE.sub(r"\1", text)
    return text


def collapse_spaces(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


# ----------------------------------------------------------------------------------------------- pages
def _line_key(text: str) -> str:
    return re.sub(r"\d+", "#", collapse_spaces(text).lower())


def _zone_indices(lines: list[Line], depth: int = 3) -> set[int]:
    nonempty = [i for i, ln in enumerate(lines) if ln.text.strip()]
    return set(nonempty[:depth]) | set(nonempty[-depth:])


def remove_running_lines(pages: list[list[Line]]) -> tuple[list[list[Line]], int]:
    """Drop running headers/footers (recurring in the top/bottom zone of most pages) and page numbers."""
    n = len(pages)
    zones = [_zone_indices(p) for p in pages]
    counts: dict[str, int] = {}
    if n >= 2:
        for page, zone in zip(pages, zones, strict=True):
            for key in {_line_key(page[i].text) for i in zone}:
                counts[key] = counts.get(key, 0) + 1
    need = max(2, -(-n * 6 // 10))  # at least 60 % of pages, and at least two
    repeated = {k for k, c in counts.items() if c >= need and k.strip("# ")}
    out, removed = [], 0
    for page, zone in zip(pages, zones, strict=True):
        kept = []
        for i, line in enumerate(page):
            if i in zone and (_PAGE_NUMBER_RE.match(line.text) or _line_key(line.text) in repeated):
                removed += 1
                continue
            kept.append(line)
        out.append(kept)
    return out, removed


def strip_line_numbers(lines: list[Line]) -> tuple[list[Line], int]:
    """Strip margin line numbers (drafts): most lines start with numbers climbing in a constant step."""
    nonempty = [ln for ln in lines if ln.text.strip()]
    if len(nonempty) < 5:
        return lines, 0
    nums = []
    for ln in nonempty:
        m = _LINE_NUMBER_RE.match(ln.text)
        nums.append(int(m.group(1)) if m else None)
    found = [x for x in nums if x is not None]
    if len(found) < 0.6 * len(nonempty):
        return lines, 0
    steps = [b - a for a, b in zip(found, found[1:], strict=False)]
    step = max(set(steps), key=steps.count) if steps else 0
    if step not in (1, 2, 5, 10) or steps.count(step) < 0.7 * len(steps):
        return lines, 0
    out, stripped = [], 0
    for ln in lines:
        m = _LINE_NUMBER_RE.match(ln.text)
        if m:
            rest = ln.text[m.end():]
            stripped += 1
            if not rest.strip():
                continue
            ln = Line(rest, ln.page, ln.gap, ln.size)
        out.append(ln)
    return out, stripped


def drop_isolated_numbers(lines: list[Line]) -> list[Line]:
    """In text without page breaks, a line holding only a page number between blank lines is dropped."""
    out = []
    for i, ln in enumerate(lines):
        nxt_gap = lines[i + 1].gap if i + 1 < len(lines) else 1
        if _PAGE_NUMBER_RE.match(ln.text) and ln.text.strip() and (ln.gap or i == 0) and nxt_gap:
            continue
        out.append(ln)
    return out


# ---------------------------------------------------------------------------------------------- blocks
@dataclass(slots=True)
class _Item:
    kind: str  # text, bullet, numbered, footnote, heading (markdown), signature
    text: str
    page: int
    gap: int
    size: float
    prefix: str = ""


@dataclass
class _Layout:
    width: float
    wrapped: bool
    strong_gap: int


def _final(text: str) -> bool:
    t = text.rstrip().rstrip(_CLOSERS + " ")
    return bool(t) and t[-1] in _FINAL


def _hyphen_end(text: str) -> bool:
    return len(text) >= 2 and (text[-1] in HYPHEN_MARKERS or (text[-1] == "-" and text[-2].isalpha()))


def is_heading_text(text: str) -> bool:
    """A short line, starting like a title, without final punctuation, that is not letterhead or a date."""
    t = text.strip()
    if not t or len(t) > 160 or len(t.split()) > 20 or _final(t) or t[-1] in ",-–/(&":
        return False
    first = t[0]
    if not (first.isupper() or first.isdigit() or first in "«\"“'§"):
        return False
    if not any(ch.isalpha() for ch in t) or "@" in t:
        return False
    if t.rsplit(None, 1)[-1].lower() in _heading_cannot_end():
        return False
    if _DATELINE_RE.search(t):
        return False
    return not any(rx.search(t) for rx in _letterhead_res())


def _layout(items: list[_Item]) -> _Layout:
    lengths = sorted(len(it.text) for it in items
                     if it.kind in ("text", "bullet", "numbered") and len(it.text) >= 10)
    if not lengths:
        return _Layout(0.0, False, 1)
    width = float(lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))])
    near = sum(1 for n in lengths if n >= 0.75 * width)
    wrapped = width <= 180 and len(lengths) >= 4 and near >= 0.3 * len(lengths)
    pairs = [b.gap for a, b in zip(items, items[1:], strict=False) if a.page == b.page]
    ones = sum(1 for g in pairs if g == 1)
    double = len(pairs) >= 5 and ones >= 0.6 * len(pairs)
    return _Layout(width, wrapped, 2 if double else 1)


def _classify(lines: list[Line], markdown: bool, pdf: bool) -> list[_Item]:
    items: list[_Item] = []
    closing = _closing_re()
    in_signature = False
    prev_text: _Item | None = None
    n_by_page: dict[int, int] = {}
    for ln in lines:
        n_by_page[ln.page] = n_by_page.get(ln.page, 0) + 1
    seen_on_page: dict[int, int] = {}
    for ln in lines:
        seen_on_page[ln.page] = seen_on_page.get(ln.page, 0) + 1
        text = collapse_spaces(ln.text)
        if not text:
            continue
        item = _Item("text", text, ln.page, ln.gap, ln.size)
        lower_half = seen_on_page[ln.page] > n_by_page[ln.page] / 2
        if markdown and _MD_RULE_RE.match(text):
            continue
        if markdown and text.startswith(">"):
            text = item.text = text.lstrip("> ").strip() or text
        if m := _FOOTNOTE_SUP_RE.match(text):
            item.kind = "footnote"
        elif _FOOTNOTE_URL_RE.match(text) or (
            pdf and ln.size < 0.9 and lower_half and _FOOTNOTE_NUM_RE.match(text)
            and not _NUMBERED_RE.match(text)
        ):
            item.kind = "footnote"
        elif markdown and (m := _MD_HEADING_RE.match(text)):
            item.kind, item.text = "heading", text[m.end():].strip().strip("#").strip()
        elif m := _BULLET_RE.match(text):
            marker = m.group(1)
            after = text[m.end():]
            prev_final = prev_text is None or _final(prev_text.text) or prev_text.kind != "text"
            if marker not in "–*·" or after[:1].isupper() or prev_final:
                item.kind, item.prefix, item.text = "bullet", text[: m.end()], after
        elif m := _NUMBERED_RE.match(text):
            after = text[m.end():]
            prev_final = prev_text is None or _final(prev_text.text) or prev_text.text.endswith(",") \
                or prev_text.kind in ("bullet", "numbered") or ln.gap > 0
            if after[:1].isupper() or after[:1] in "«\"“" or prev_final:
                item.kind = "numbered"
        if item.kind in ("text", "heading") and closing.match(item.text):
            in_signature = True
            item.kind = "signature"
        elif in_signature and item.kind in ("text", "bullet", "numbered"):
            item.kind = "signature"
        if item.kind != "footnote":
            prev_text = item
        items.append(item)
    return items


def _continues(a: _Item, b: _Item, layout: _Layout) -> bool:
    """Does text line ``b`` continue the block whose last line is ``a``?"""
    if b.kind != "text" or a.kind in ("heading", "signature", "footnote"):
        return False
    if abs(a.size - b.size) > 0.15:
        return False
    first = b.text[:1]
    b_lower = first.islower()
    if _hyphen_end(a.text) and b_lower:
        return True
    final = _final(a.text)
    if not final and (b_lower or first in "(["):
        return True
    full = layout.wrapped and len(a.text) >= 0.75 * layout.width
    if b.page != a.page:
        return full and not final
    if b.gap >= layout.strong_gap:
        return False
    return full


def _join(left: str, right: str) -> str:
    if left and left[-1] in HYPHEN_MARKERS:
        word = re.match(r"\w+", right)
        stem = left[:-1]
        if word and word.group().lower() in _hyphen_keep():
            return f"{stem}- {right}"
        if stem[-1:].isupper() or stem[-1:].isdigit():
            return f"{stem}-{right}"
        return stem + right
    if _hyphen_end(left) and right[:1].islower():
        word = re.match(r"\w+", right)
        if word and word.group().lower() in _hyphen_keep():
            return f"{left} {right}"
        if left[-2].isupper() or left[-2].isdigit():
            return left + right
        return left[:-1] + right
    return f"{left} {right}"


def _finish(kind: str, parts: list[_Item], markdown_inline: bool) -> Block:
    text, page_starts = parts[0].text, []
    for prev, part in zip(parts, parts[1:], strict=False):
        joined = _join(text, part.text)
        if part.page != prev.page:
            page_starts.append((len(joined) - len(part.text), part.page))
        text = joined
    # Cleaning after joining changes lengths: page offsets are re-found by the first words of each page.
    cleaned = _clean_inline(text, markdown_inline)
    if page_starts and cleaned != text:
        page_starts = _relocate(text, cleaned, page_starts)
    if kind == "text":
        kind = "heading" if len(parts) <= 2 and is_heading_text(cleaned) else "paragraph"
    elif kind in ("bullet", "numbered"):
        kind = "list_item"
    elif kind == "signature":
        kind = "paragraph"
    prefix = parts[0].prefix if parts[0].kind == "bullet" else ""
    return Block(kind, cleaned, parts[0].page, prefix, page_starts)


def _clean_inline(text: str, markdown_inline: bool) -> str:
    text = fix_hyphen_markers(text)
    if markdown_inline:
        text = strip_markdown_inline(text)
    return collapse_spaces(detach_footnote_markers(text))


def _relocate(old: str, new: str, page_starts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for off, page in page_starts:
        probe = collapse_spaces(old[off: off + 12])
        hit = new.find(probe, pos) if probe else -1
        if hit < 0:
            hit = min(len(new), round(off * len(new) / max(1, len(old))))
        out.append((hit, page))
        pos = hit
    return out


def lines_to_blocks(lines: list[Line], *, markdown: bool = False, markdown_inline: bool = True,
                    pdf: bool = False) -> list[Block]:
    """Join lines into blocks (see the module docstring for the rules)."""
    items = _classify(lines, markdown, pdf)
    layout = _layout(items)
    blocks: list[Block] = []
    current: list[_Item] = []
    current_kind = ""
    footnotes: list[list[_Item]] = []
    last_body: _Item | None = None

    def close() -> None:
        nonlocal current, current_kind
        if current:
            blocks.append(_finish(current_kind, current, markdown_inline))
        for fn in footnotes:
            blocks.append(_finish("footnote", fn, markdown_inline))
        footnotes.clear()
        current, current_kind = [], ""

    for it in items:
        if it.kind == "footnote":
            footnotes.append([it])
            continue
        if footnotes and it.kind == "text" and it.page == footnotes[-1][-1].page and (
            (pdf and it.size < 0.9 and it.gap == 0) or (not pdf and it.gap == 0)
        ):
            footnotes[-1].append(it)  # a wrapped footnote line
            continue
        if current and last_body is not None and _continues(last_body, it, layout):
            current.append(it)
        else:
            close()
            current, current_kind = [it], it.kind
        last_body = it
    close()
    return [b for b in blocks if b.text]


def pages_to_blocks(pages: list[list[Line]], *, markdown: bool = False, markdown_inline: bool = True,
                    pdf: bool = False) -> tuple[list[Block], dict[str, int]]:
    """The whole cleaning of a paged document: characters, line numbers, running lines, blocks.

    Returns the blocks and counters of what was removed (for the ingest report).
    """
    stats = {"running_lines": 0, "line_numbers": 0}
    norm_pages = []
    for page in pages:
        norm = [Line(normalize_chars(ln.text), ln.page, ln.gap, ln.size) for ln in page]
        norm, n_numbers = strip_line_numbers(norm)
        stats["line_numbers"] += n_numbers
        norm_pages.append(norm)
    if len(norm_pages) > 1 or pdf:
        norm_pages, stats["running_lines"] = remove_running_lines(norm_pages)
    flat = [ln for page in norm_pages for ln in page]
    if len(norm_pages) == 1 and not pdf:
        flat = drop_isolated_numbers(flat)
    flat = [Line(fix_hyphen_markers(ln.text), ln.page, ln.gap, ln.size) if "\ufffe" in ln.text[:-1] else ln
            for ln in flat]
    return lines_to_blocks(flat, markdown=markdown, markdown_inline=markdown_inline, pdf=pdf), stats


def text_to_lines(text: str) -> list[list[Line]]:
    """Split plain text into pages (form feeds) of :class:`Line` with blank-line gaps."""
    pages = []
    for page_no, page_text in enumerate(text.split("\f"), start=1):
        lines, gap = [], 0
        for raw in page_text.split("\n"):
            if not raw.strip():
                gap += 1
                continue
            lines.append(Line(raw, page_no, gap))
            gap = 0
        pages.append(lines)
    return pages

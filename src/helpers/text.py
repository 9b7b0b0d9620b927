"""Norwegian text processing: sentence spans, tokens, lemmas, stop words, multi-word terms, language.

Everything downstream (ingest, themes, stance, search) goes through this module so that a sentence, a token
and a lemma mean the same thing everywhere. Word lists live in ``config/text/`` and are read once (cached).

Decisions that matter:
- Sentence splitting works on character spans, never on copies, so every claim can be traced back to the
  exact characters of the source text. It is a regex scan over candidate boundaries only, not a per-character
  loop: it has to run over ~1M sentences in benchmarks.
- PDF-extracted submissions wrap lines with blank lines between them. A blank line is therefore only a
  boundary when the line before it looks like a heading or bullet (no final punctuation, not ending in a word
  that needs a continuation) and the next line starts like a sentence.
- Nynorsk forms of key terms are mapped to one Bokmål form, so themes and search join nb and nn text.
"""

from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path

import simplemma

from helpers.config import CONFIG_DIR

TEXT_CONFIG_DIR = CONFIG_DIR / "text"

# ----------------------------------------------------------------------------------------------------------
# Word-list loading
# ----------------------------------------------------------------------------------------------------------


def _read_list(path: Path) -> list[list[str]]:
    """Lines of a word-list file, split on tabs only (entries such as terms may contain spaces).

    ``#`` starts a comment line; blank lines are skipped. A missing file raises with the file named.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path}: word list missing (expected under config/text/)")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        rows.append([field.strip() for field in stripped.split("\t")])
    return rows


def _read_words(name: str) -> list[str]:
    return [row[0] for row in _read_list(TEXT_CONFIG_DIR / name)]


def _read_pairs(name: str) -> dict[str, str]:
    """A two-column TSV (form<TAB>lemma) as a dict; a row without a tab names the file and line content."""
    path = TEXT_CONFIG_DIR / name
    pairs: dict[str, str] = {}
    for row in _read_list(path):
        if len(row) < 2 or not row[0] or not row[1]:
            raise ValueError(f"{path}: expected 'form<TAB>lemma', got {' '.join(row)!r}")
        pairs[row[0].lower()] = row[1].lower()
    return pairs


@functools.cache
def load_abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """(all abbreviations, those that may end a sentence) from ``config/text/abbreviations.txt``."""
    rows = _read_list(TEXT_CONFIG_DIR / "abbreviations.txt")
    every = frozenset(row[0] for row in rows)
    final = frozenset(row[0] for row in rows if len(row) > 1 and row[1] == "final")
    return every, final


@functools.cache
def _abbreviation_lookup() -> dict[str, bool]:
    """Abbreviation -> may-end-a-sentence, keyed by the form as written and lower-cased."""
    every, final = load_abbreviations()
    lookup: dict[str, bool] = {}
    for abbr in every:
        lookup.setdefault(abbr.lower(), abbr in final)
        lookup[abbr] = abbr in final
    return lookup


@functools.cache
def _months() -> frozenset[str]:
    return frozenset(w.lower() for w in _read_words("months.txt"))


@functools.cache
def _continuation_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _read_words("continuation_words.txt"))


# ----------------------------------------------------------------------------------------------------------
# Sentence splitting
# ----------------------------------------------------------------------------------------------------------

# Upper-case letters of Latin-1 and Latin Extended-A (ÆØÅ, ÄÖÜ, É ...); `re` has no \p{Lu}.
_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper())
_SUPERSCRIPTS = "¹²³⁰⁴⁵⁶⁷⁸⁹"
_CLOSERS = "»”\"')\\]" + _SUPERSCRIPTS
_OPENERS = "«\"“'(\\["
_BULLETS = "-•▪●◦*·‣⁃"
_DASHES = "–—"
# What may start a sentence after terminal punctuation: a capital, a digit, an opening quote/bracket, §, a
# footnote mark. Not a dash: inline "- hardt! - på" is a parenthesis (bullets need a line start).
_START = f"[{_UPPER}0-9{re.escape(_OPENERS)}§{_SUPERSCRIPTS}<]"

# Terminal punctuation (. ! ? … and runs like ?! or ...), then closing quotes/brackets/footnote marks, then
# whitespace, then something that can start a sentence. Group 1 is the token before the punctuation.
# After a blank line an opening bracket continues a wrapped line ("...\n\n(Helsedirektoratet, 2016)").
_BLANK_START_RE = re.compile(f"[{_UPPER}0-9«\"“'§{_SUPERSCRIPTS}<{re.escape(_BULLETS + _DASHES)}]")
_NUMBERED_HEADING_RE = re.compile(rf"\d+(?:\.\d+)*[.)]?[ \t]+[{_UPPER}«\"“]")
_TERMINAL_RE = re.compile(rf"([.!?…]+)([{re.escape(_CLOSERS)}]*)(\s+)(?={_START})")
_HSPACE = r"[ \t\r\f\v\u00a0]"
_BLANK_LINE_RE = re.compile(rf"{_HSPACE}*\n(?:{_HSPACE}*\n)+\s*")
# A line that starts a bullet or a numbered item ("- ", "• ", "– ", "1. ", "2) ", "a) ").
_BULLET_RE = re.compile(
    rf"\n{_HSPACE}*(?=[{re.escape(_BULLETS)}]{_HSPACE}|[{_DASHES}]{_HSPACE}|\d{{1,2}}[.)]{_HSPACE}|[a-zæøå]\){_HSPACE})"
)
_UPPER_OR_DIGIT_RE = re.compile(rf"[{_UPPER}0-9]")
_WORD_AFTER_RE = re.compile(r"\s*([^\W\d_]+)")
_ITEM_RE = re.compile(r"\S+[ \t\u00a0]+(\S+)")  # the first word of a list item after its marker
_DOTTED_ABBR_RE = re.compile(r"(?:[a-zæøå]{1,3}\.)+[a-zæøå]{1,3}")
_ROMAN_LETTERS = frozenset("IVX")
# Paired brackets and quotes; a boundary strictly inside one is suppressed. Bounded so that a stray opening
# bracket cannot swallow the rest of a document.
_PAIRED_RES = (
    re.compile(r"\((?:[^()]|\([^()]{0,300}\)){0,600}\)"),
    re.compile(r"\[[^\[\]]{0,600}\]"),
    re.compile(r"«[^«»]{0,600}»"),
    re.compile(r"“[^“”]{0,600}”"),
    re.compile(r'"[^"]{0,200}"'),
)
# A line ending in these continues on the next line. A colon is not here: "... følgende:\n\nOverskrift".
_NO_BREAK_LINE_END = ",;-–—/&(«“+"
_TERMINAL_CHARS = ".!?…"


def _paired_spans(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of bracketed/quoted stretches, merged and sorted, for bisect lookups."""
    spans = sorted((m.start(), m.end()) for rx in _PAIRED_RES for m in rx.finditer(text))
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if starts and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and starts[i] < pos < ends[i]


def _word_before(text: str, pos: int) -> tuple[str, int]:
    """The whitespace-delimited token ending at ``pos`` (at most 40 characters back) and where it starts."""
    lo = max(0, pos - 40)
    ws = max(text.rfind(" ", lo, pos), text.rfind("\n", lo, pos), text.rfind("\t", lo, pos))
    start = ws + 1 if ws >= 0 else lo
    return text[start:pos], start


def _is_abbreviation_stop(text: str, raw_word: str, word_start: int, next_pos: int) -> bool:
    """True when a period belongs to an abbreviation, an initial, an ordinal or a list marker.

    ``raw_word`` is the token before the period, ``next_pos`` where the next sentence would start.
    """
    word = raw_word.lstrip(_OPENERS)
    if not word and raw_word:
        return True  # "(!)", "(?)": a bracketed remark, not an end
    lookup = _abbreviation_lookup()
    key = word + "."
    final = lookup.get(key, lookup.get(key.lower()))
    if final is not None:
        # Abbreviations that often end a sentence (osv., mv.) end it before a capital, not before a number.
        return not final or text[next_pos : next_pos + 1].isdigit()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        if word.islower():
            # Initials are upper case: "... enige i. En kommune" ends a sentence, unless the letter opens a
            # line as a list marker ("a. Bakgrunn"); listed lower-case abbreviations were handled above.
            line_start = text.rfind("\n", 0, word_start) + 1
            return not text[line_start:word_start].strip()
        if word in _ROMAN_LETTERS:
            # "Del I. Meldingen" ends a sentence; "H. I. Lind" is a run of initials.
            before = text[max(0, word_start - 3) : word_start]
            return re.fullmatch(r"\w\.\s", before) is not None
        return True
    if word.isdigit():
        after = _WORD_AFTER_RE.match(text, next_pos)
        if after and after.group(1).lower() in _months():
            return True  # "1. januar", "02. Juni 2026"
        line_start = text.rfind("\n", 0, word_start) + 1
        return not text[line_start:word_start].strip()  # "1. Innledning" opening a line is a list number
    return _DOTTED_ABBR_RE.fullmatch(word.lower()) is not None  # unlisted "x.y." abbreviations


def _blank_line_breaks(text: str) -> list[int]:
    """Boundaries at blank lines that end a heading or bullet (a line without final punctuation)."""
    cont = _continuation_words()
    out = []
    for m in _BLANK_LINE_RE.finditer(text):
        if m.start() == 0 or m.end() >= len(text):
            continue
        nxt = text[m.end()]
        if nxt in _SUPERSCRIPTS:
            out.append(m.start())  # a footnote line at a page foot interrupts even a running sentence
            continue
        if not _BLANK_START_RE.match(nxt):
            continue
        if nxt.isdigit() and not _NUMBERED_HEADING_RE.match(text, m.end()):
            continue  # "... fulgt opp \n\n12. juni" is a wrap; "2. Bakgrunn" is a numbered heading
        tail = text[max(0, m.start() - 80) : m.start()].rstrip()
        if not tail:
            continue
        last_char = tail[-1]
        if last_char in _TERMINAL_CHARS or last_char in _NO_BREAK_LINE_END:
            continue  # terminal punctuation is handled by _TERMINAL_RE; a comma/colon/hyphen continues
        last_word = tail.rsplit(None, 1)[-1].strip(_CLOSERS).lower()
        if last_word in cont:
            continue
        out.append(m.start())
    return out


def _bullet_breaks(text: str) -> list[int]:
    """Boundaries before bullet and numbered-list lines.

    Dashes and numbers can also start a wrapped line ("– som nevnt", "12. juni"), so those only count when
    the item starts with a capital or the previous line ended with punctuation; "-" and "•" always count.
    """
    out = []
    for m in _BULLET_RE.finditer(text):
        marker = text[m.end()]
        if marker in _BULLETS:
            out.append(m.start())
            continue
        item = _ITEM_RE.match(text, m.end())
        first_word = item.group(1) if item else ""
        if marker.isdigit() and first_word.lower() in _months():
            continue
        prev = text[: m.start()].rstrip()[-1:]
        if (first_word and _UPPER_OR_DIGIT_RE.match(first_word)) or (prev and prev in _TERMINAL_CHARS + ":;"):
            out.append(m.start())
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences in ``text``; ``text[start:end]`` is the sentence.

    Boundaries: terminal punctuation (. ! ? …, with closing quotes/brackets/footnote marks) followed by
    whitespace and a capital/digit/quote; a blank line after a heading or bullet; the start of a bullet line;
    a footnote line. Not boundaries: abbreviations from ``config/text/abbreviations.txt``, initials, ordinals
    before month names, numbers opening a list line, unlisted dotted abbreviations (``p.t.``), and anything
    strictly inside paired brackets or quotes. Spans are stripped of surrounding whitespace; empty stretches
    are dropped.
    """
    if not text:
        return []
    starts, ends = _paired_spans(text)
    cuts = set()
    for m in _TERMINAL_RE.finditer(text):
        cut = m.end(2)
        if _inside(cut, starts, ends):
            continue
        word, word_start = _word_before(text, m.start())
        if (m.group(1) == "." or not word.lstrip(_OPENERS)) and _is_abbreviation_stop(
            text, word, word_start, m.end()
        ):
            continue
        cuts.add(cut)
    cuts.update(c for c in _blank_line_breaks(text) if not _inside(c, starts, ends))
    cuts.update(_bullet_breaks(text))
    return _spans_between(text, sorted(cuts))


def _spans_between(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans = []
    prev = 0
    for cut in [*cuts, len(text)]:
        chunk = text[prev:cut]
        stripped = chunk.strip()
        if stripped:
            start = prev + (len(chunk) - len(chunk.lstrip()))
            spans.append((start, start + len(stripped)))
        prev = cut
    return spans


def sentences(text: str) -> list[str]:
    """The sentence strings of ``text`` (convenience over :func:`split_sentences`)."""
    return [text[s:e] for s, e in split_sentences(text)]


# ----------------------------------------------------------------------------------------------------------
# Tokenization
# ----------------------------------------------------------------------------------------------------------

_SP = r"[ \u00a0]"
# Letters and digits, but not footnote marks: "rusmidler⁶⁷" is the word "rusmidler".
_WCHAR = rf"[^\W_{_SUPERSCRIPTS}]"
_WORD_PART = rf"{_WCHAR}(?:(?:{_WCHAR}|['’])*{_WCHAR})?"
# Order matters: references, URLs and e-mail first so they stay whole; then dotted abbreviations, dates,
# percentages, decimals; then words (hyphen and slash compounds, suspended compounds "rus-", "-behandling").
_TOKEN_PATTERNS = (
    r"(?:https?://|www\.)[^\s<>«»\"()\[\]]*[^\s<>«»\"()\[\].,;:!?']",  # URL, without trailing punctuation
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail
    rf"Meld\.{_SP}?St\.{_SP}?\d+",  # Meld. St. 5
    rf"St\.{_SP}?meld\.{_SP}?(?:nr\.{_SP}?)?\d+",  # St.meld. nr. 30
    rf"Ot\.{_SP}?prp\.{_SP}?(?:nr\.{_SP}?)?\d+",
    rf"(?:Prop|Innst)\.{_SP}?\d+{_SP}?[LS]\b",  # Prop. 1 S, Innst. 12 L
    rf"Dok\.{_SP}?\d+(?::\d+)?",  # Dok. 3:5
    rf"NOU{_SP}\d{{4}}:{_SP}?\d+",  # NOU 2019: 26
    rf"§§?{_SP}?\d+(?:-\d+)*[a-z]?",  # § 3-1
    r"\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d)",  # 17.06.22
    r"\d+/\d+(?:-\d+)*(?![\w/])",  # case number 22/26705-1
    r"(?<![\w.])(?:[^\W\d_]{1,4}\.){2,4}",  # dotted abbreviations f.eks. bl.a. t.o.m.
    rf"\d+(?:[.,]\d+)?{_SP}?%",  # 30%, 2,5 %
    r"\d+(?:[.,]\d+)+",  # 2,5 and 1.000
    rf"(?:(?<![^\s(«\"“])-)?{_WORD_PART}(?:[-‐/]{_WORD_PART})*(?:-(?=[\s,]|$))?",  # words and compounds
)
_WORD_TOKEN_RE = re.compile("|".join(_TOKEN_PATTERNS))
_ANY_TOKEN_RE = re.compile("|".join((*_TOKEN_PATTERNS, r"[^\w\s]")))
_LETTER_RE = re.compile(r"[^\W\d_]")


def token_spans(text: str, *, punctuation: bool = False) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the tokens of ``text`` (see :func:`tokenize`).

    A word followed by a period that makes it a listed abbreviation (``jf.``, ``nr.``, ``St.``) keeps the
    period. With ``punctuation=True`` every other non-space character is a one-character token too.
    """
    rx = _ANY_TOKEN_RE if punctuation else _WORD_TOKEN_RE
    lookup = _abbreviation_lookup()
    spans = []
    n = len(text)
    skip_to = -1
    for m in rx.finditer(text):
        start, end = m.span()
        if start < skip_to:
            continue  # the period already absorbed into the previous abbreviation
        if end < n and text[end] == "." and (text[start:end] + ".").lower() in lookup:
            end += 1
            skip_to = end
        spans.append((start, end))
    return spans


def tokenize(text: str, *, punctuation: bool = False) -> list[str]:
    """Word tokens of ``text``, verbatim (case kept).

    Kept whole: hyphen compounds (``ROP-pasienter``, ``FACT-ung``), slash compounds (``FACT/ACT``),
    references (``Meld. St. 5``, ``Prop. 1 S``, ``Dok. 3:5``, ``NOU 2019: 26``, ``§ 3-1``, ``22/26705-1``),
    dates (``17.06.22``), percentages (``30%``; ``20 prosent`` is two tokens), URLs, e-mail addresses,
    abbreviations with their periods, and the stem of a suspended compound (``rus-`` in ``rus- og psykiske``).
    Punctuation is left out unless ``punctuation=True``.
    """
    return [text[s:e] for s, e in token_spans(text, punctuation=punctuation)]


# ----------------------------------------------------------------------------------------------------------
# Lemmas
# ----------------------------------------------------------------------------------------------------------


@functools.cache
def load_lemma_corrections() -> dict[str, str]:
    """form -> lemma fixes to simplemma, from ``config/text/lemma_corrections.tsv``."""
    return _read_pairs("lemma_corrections.tsv")


@functools.cache
def load_nynorsk_map() -> dict[str, str]:
    """Nynorsk form or lemma -> Bokmål lemma, from ``config/text/nynorsk_map.tsv``."""
    return _read_pairs("nynorsk_map.tsv")


@functools.cache
def _fixes() -> dict[str, str]:
    """Corrections and the Nynorsk map in one lookup; a correction wins where both name a form."""
    return {**load_nynorsk_map(), **load_lemma_corrections()}


def _simplemma_lang(lang: str) -> str:
    return lang if lang in ("nb", "nn", "en") else "nb"


def _base_lemma(low: str, lang: str) -> str:
    """simplemma's lemma, with fallbacks for words it does not know and repairs of its bad guesses.

    Nynorsk text is full of Bokmål words; simplemma's nn data leaves many of them unchanged, so an unknown nn
    word is tried as nb. An unknown word ending in -s is tried as a genitive (``kvinners``), and an unknown
    compound is lemmatized on its longest known tail (``ruslidelser`` -> ``rus`` + ``lidelse``).
    """
    return _repair_guess(low, _simplemma_lemma(low, lang))


def _simplemma_lemma(low: str, lang: str) -> str:
    lemma = simplemma.lemmatize(low, lang=lang).lower()
    if lemma != low or simplemma.is_known(low, lang=lang):
        return lemma
    if lang == "nn" and simplemma.is_known(low, lang="nb"):
        return simplemma.lemmatize(low, lang="nb").lower()
    if low.endswith("s") and len(low) > 4 and simplemma.is_known(low[:-1], lang=lang):
        return simplemma.lemmatize(low[:-1], lang=lang).lower()
    for i in range(3, len(low) - 3):
        tail = low[i:]
        if simplemma.is_known(tail, lang=lang):
            return low[:i] + simplemma.lemmatize(tail, lang=lang).lower()
    return low


def _repair_guess(low: str, lemma: str) -> str:
    """Undo simplemma's affix guesses that turn common unknown nouns into verbs or non-words:
    ``sanksjoner`` -> ``sanksjonere`` (should be ``sanksjon``), ``rusfrihet`` -> ``rusfrihete``,
    ``rusmiddelbruk`` -> ``rusmiddelbruke``."""
    if low.endswith("sjoner") and lemma == low + "e":
        return low[:-2]
    if lemma.endswith("hete") and not low.endswith("hete"):
        return lemma[:-1]
    if lemma.endswith("bruke") and low.endswith("bruk"):
        return low
    return lemma


@functools.lru_cache(maxsize=1 << 20)
def lemmatize(token: str, lang: str = "nb") -> str:
    """Lower-cased lemma of one token, with the committed corrections and the Nynorsk -> Bokmål map.

    Acronyms (all capitals, at most four letters: LAR, TSB, ROP, IPS) are not lemmatized: simplemma reads
    ``LAR`` as the verb "lar". Hyphen compounds are lemmatized on their last part (``ROP-pasienter`` ->
    ``rop-pasient``); slash compounds part by part; tokens without letters are only lower-cased.
    """
    low = token.lower()
    fixes = _fixes()
    if low in fixes:
        return fixes[low]
    if not _LETTER_RE.search(low) or low[0] == "§" or " " in low or "@" in low or "." in low:
        return low  # numbers, references, addresses, abbreviations (f.eks., jf.)
    if token.isupper() and len(token) <= 4:
        return low
    if "/" in low:
        return "/".join(lemmatize(part, lang) for part in token.split("/"))
    if low.endswith("-") or low.startswith("-"):
        return low
    if "-" in token:
        head, _, tail = token.rpartition("-")
        return head.lower() + "-" + lemmatize(tail, lang)
    lemma = _base_lemma(low, _simplemma_lang(lang))
    return fixes.get(lemma, lemma)


def lemmas(text: str, lang: str = "nb") -> list[str]:
    """Lemmas of the word tokens of ``text``, in order, nothing removed (stance detection can use these)."""
    return [lemmatize(tok, lang) for tok in tokenize(text)]


# ----------------------------------------------------------------------------------------------------------
# Stop words, terms, analyzer
# ----------------------------------------------------------------------------------------------------------


@functools.cache
def load_stopwords() -> frozenset[str]:
    """Stop words and stop phrases from ``config/text/stopwords.txt`` (lower-case; phrases contain spaces).

    General nb + nn function words plus consultation boilerplate. Negations and modals are deliberately NOT
    in it, and stance detection never sees stop-worded text.
    """
    return frozenset(w.lower() for w in _read_words("stopwords.txt"))


@functools.cache
def load_terms() -> dict[str, str]:
    """Multi-word term as written -> token it becomes (``psykisk helsevern`` -> ``psykisk_helsevern``)."""
    terms = {}
    for row in _read_list(TEXT_CONFIG_DIR / "terms.txt"):
        term = row[0].lower()
        terms[term] = row[1] if len(row) > 1 and row[1] else term.replace(" ", "_")
    return terms


@functools.cache
def _phrase_index(lang: str) -> dict[str, list[tuple[tuple[str, ...], str | None]]]:
    """First lemma -> [(lemma sequence, token to emit or None for a stop phrase)], longest first.

    Terms and stop phrases are lemmatized with the same function as the text, so inflected forms match.
    """
    entries: list[tuple[tuple[str, ...], str | None]] = []
    for term, emit in load_terms().items():
        entries.append((tuple(lemmatize(t, lang) for t in tokenize(term)), emit))
    for phrase in load_stopwords():
        if " " in phrase:
            entries.append((tuple(lemmatize(t, lang) for t in tokenize(phrase)), None))
    index: dict[str, list[tuple[tuple[str, ...], str | None]]] = {}
    # Longest first; ties broken by the sequence itself so the result never depends on set order.
    for seq, emit in sorted(entries, key=lambda e: (-len(e[0]), e[0], e[1] or "")):
        if len(seq) > 1:
            index.setdefault(seq[0], []).append((seq, emit))
    return index


def _output_forms(token: str, lemma: str) -> tuple[str, ...]:
    """What the analyzer emits for one token: nothing for stop words, numbers, punctuation and abbreviations;
    the parts of a slash compound; a suspended compound stem without its hyphen (``rus-`` -> ``rus``)."""
    stop = load_stopwords()
    low = token.lower()
    if low in stop or lemma in stop:
        return ()
    lookup = _abbreviation_lookup()
    if low in lookup or low + "." in lookup or token + "." in lookup:
        return ()
    if not _LETTER_RE.search(lemma) and not lemma.startswith("§"):
        return ()
    if "@" in lemma or "://" in lemma or lemma.startswith("www."):
        return ()  # addresses identify senders, not themes
    if "/" in lemma and " " not in lemma and "://" not in lemma:
        return tuple(p for p in (s.strip("-") for s in lemma.split("/")) if len(p) > 1 and p not in stop)
    lemma = lemma.strip("-") if (lemma.endswith("-") or lemma.startswith("-")) else lemma
    if len(lemma) < 2 or lemma in stop:
        return ()
    return (lemma,)


_Entry = tuple[str, tuple[str, ...]]  # (lemma used for term matching, forms the analyzer emits)


@functools.cache
def _surface_cache(lang: str) -> dict[str, _Entry]:
    """Surface form -> entry, per language; bounded in _entry so a huge corpus cannot exhaust memory."""
    return {}


def _entry(token: str, lang: str, cache: dict[str, _Entry]) -> _Entry:
    lemma = lemmatize(token, lang)
    entry = (lemma, _output_forms(token, lemma))
    if len(cache) < 2_000_000:
        cache[token] = entry
    return entry


def analyze(text: str, lang: str | None = None) -> list[str]:
    """The analyzer for TF-IDF and search: tokens -> lemmas -> stop words, punctuation, numbers and
    one-character tokens dropped -> multi-word terms joined with ``_`` in place of their parts.

    ``lang`` None means: detect it on ``text``. Deterministic. Each surface form is resolved once per
    language and then served from a dict, which is what makes this fast on large corpora.
    """
    lang = lang or detect_language(text)
    cache = _surface_cache(lang)
    entries = [cache.get(tok) or _entry(tok, lang, cache) for tok in _WORD_TOKEN_RE.findall(text)]
    index = _phrase_index(lang)
    out: list[str] = []
    i, n = 0, len(entries)
    while i < n:
        lemma, forms = entries[i]
        candidates = index.get(lemma)
        if candidates:
            hit = _match_phrase(entries, i, candidates)
            if hit:
                length, emit = hit
                if emit:
                    out.append(emit)
                i += length
                continue
        out.extend(forms)
        i += 1
    return out


def _match_phrase(
    entries: list[_Entry], i: int, candidates: list[tuple[tuple[str, ...], str | None]]
) -> tuple[int, str | None] | None:
    for seq, emit in candidates:
        k = len(seq)
        if i + k <= len(entries) and all(entries[i + j][0] == seq[j] for j in range(1, k)):
            return k, emit
    return None


def normalize_query(word: str, lang: str = "nb") -> str:
    """A search word or phrase in the form :func:`analyze` gives the documents (``døgnplassene`` ->
    ``døgnplass``, ``psykiske helsevernet`` -> ``psykisk_helsevern``).

    Unlike ``analyze`` it keeps stop words and negations when they are the whole query (``ikkje`` ->
    ``ikke``), so a deliberate search for them still works. Several forms are joined with a space.
    """
    forms = analyze(word, lang)
    if forms:
        return " ".join(forms)
    return " ".join(lemmatize(tok, lang).strip("-") for tok in tokenize(word))


# ----------------------------------------------------------------------------------------------------------
# Language detection
# ----------------------------------------------------------------------------------------------------------


@functools.cache
def _language_markers() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(word -> language, ((suffix, language), ...)) from ``config/text/language_markers.tsv``."""
    path = TEXT_CONFIG_DIR / "language_markers.tsv"
    words: dict[str, str] = {}
    suffixes = []
    for row in _read_list(path):
        if len(row) < 2 or row[1] not in ("nb", "nn", "en", "no"):
            raise ValueError(f"{path}: expected 'word<TAB>nb|nn|en|no', got {' '.join(row)!r}")
        if row[0].startswith("-"):
            suffixes.append((row[0][1:].lower(), row[1]))
        else:
            words[row[0].lower()] = row[1]
    return words, tuple(suffixes)


_LOWER_WORD_RE = re.compile(r"[^\W\d_]+")
_QUOTED_RE = re.compile(r"«[^«»]{0,300}»|“[^“”]{0,300}”")


def language_scores(text: str) -> dict[str, int]:
    """Marker counts (nb, nn, en, and "no" for words both Norwegian standards share): the evidence behind
    :func:`detect_language`."""
    words, suffixes = _language_markers()
    scores = {"nb": 0, "nn": 0, "en": 0, "no": 0}
    for w in _LOWER_WORD_RE.findall(text.lower()):
        lang = words.get(w)
        if lang is None:
            for suffix, suffix_lang in suffixes:
                if w.endswith(suffix) and len(w) >= len(suffix) + 3:
                    lang = suffix_lang
                    break
        if lang is not None:
            scores[lang] += 1
    return scores


def detect_language(text: str) -> str:
    """The language of a paragraph, "nb", "nn" or "en", by counting marker words from
    ``config/text/language_markers.tsv``.

    Marker counts beat a character model on short paragraphs, where Bokmål and Nynorsk share most letters but
    differ in a handful of very frequent words (ikke/ikkje, et/eit, hva/kva, bare/berre, mener/meiner) and
    endings (-ane, -ingen/-inga, -lig/-leg). English wins only when its markers outnumber all Norwegian ones
    (a Bokmål review of an English album stays Bokmål). Ties, and text with
    no markers at all, fall back to simplemma's detector and then to Bokmål, the majority written standard.
    """
    # Quoted titles and citations («Greatest Hits») say little about the language of the text around them.
    unquoted = _QUOTED_RE.sub(" ", text)
    scores = language_scores(unquoted)
    if not any(scores.values()):
        scores = language_scores(text)
    if scores["en"] > scores["nb"] + scores["nn"] + scores["no"] and scores["en"] >= 2:
        return "en"
    if scores["nn"] != scores["nb"]:
        return "nn" if scores["nn"] > scores["nb"] else "nb"
    if not text.strip():
        return "nb"
    best = simplemma.langdetect(text, lang=("nb", "nn", "en"))[0]
    return best[0] if best[0] in ("nb", "nn", "en") and best[1] > 0 else "nb"

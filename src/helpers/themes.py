"""Themes: cluster the submission text into labelled, quoted, stable themes.

Pipeline (each step a function that takes data and returns data; only ``write_*`` touches disk):

1. ``build_units`` - the unit of clustering is the **paragraph** (paragraph and list-item blocks), taken from
   the submissions only: mandates (``doc_kind`` in ``ingest.REFERENCE_KINDS`` or ``is_reference``) are kept
   apart and only projected onto the themes afterwards (``project_reference``). Why paragraphs: a sentence
   carries two or three content words, too few to place it; a letter carries every subject at once; a
   paragraph is what a writer uses for one point. PDF wrap fragments (a block that does not end a sentence,
   followed by one starting in lower case) are joined into one unit. **Headings are not units** but their
   words are **attached** to the first ``MAX_SECTION_UNITS`` (5) units under them: a section headed
   "Kapasitet" is about capacity even where its paragraphs say "dette" and "tilbudet". Not attached: headings
   before the first paragraph of running text (letterhead, the letter's title: about the whole letter) and
   headings of more than ``MAX_HEADING_WORDS`` (8) words (they repeat the consultation's question, listing
   five subjects). Quotes always show the paragraph alone, verbatim. Footnotes are left out.
2. ``analyze_units`` - ``helpers.text.analyze`` (lemmas, Bokmål and Nynorsk joined, stop words and
   consultation boilerplate removed, multi-word terms as one token), plus features that let one subject
   written several ways share a feature: the shorter terms inside a multi-word term, the parts of hyphenated
   compounds, and the first part of closed compounds ("døgnplass", "døgnbehandling" -> "døgn";
   ``compound_modifier``: the first part must itself be a word of the corpus). Minus the ``ignore_terms`` of
   ``config/themes.yaml`` (modals, negations, "mene": kept by the analyzer for stance detection, empty for
   themes) and minus the writer's own name ("Psykologforeningen mener ..." says who speaks, not what about).
3. ``vectorize`` - TF-IDF (raw tf: see ``vectorize``; l2 rows) over those tokens; ``min_df`` (2) drops one-off
   words, ``max_df`` (0.25) words in more than a quarter of the paragraphs: in a corpus about substance-use
   treatment "behandling", "tjeneste", "rus" name the field, not a theme. Identical paragraphs, and all but
   the first letter of a campaign, are left out of the fit (``fit_selection``) but still assigned.
4. ``fit_nmf`` - NMF (nndsvda init, fixed seed, Frobenius loss) is the main method; MiniBatchKMeans on the
   L2-normalised LSA projection of the same TF-IDF is the cross-check (``kmeans_agreement``: ARI between the
   two partitions).
5. ``choose_k`` - ``n_themes="auto"`` picks k from ``k_range`` by

       score(k) = mean NPMI(k) + ARI(k)

   where mean NPMI(k) is the mean over themes of the normalised pointwise mutual information of each pair of
   the theme's top 10 terms, with probabilities counted over the units (Bouma 2009; Röder et al. 2015), in
   [-1, 1]; and ARI(k) is the adjusted Rand index between the dominant-theme partitions of NMF fits with
   random initialisation and seeds ``seed``, ``seed + 1``, ``seed + 2`` (mean over the three pairs; nndsvda
   alone is nearly deterministic, so it would not reveal an unstable k), in [-1, 1]. Both are on the same
   scale and weigh equally: a k whose themes are coherent but change with the seed, or stable but made of
   unrelated words, loses. Ties go to the smaller k. On large inputs k is chosen on a random sample of
   ``auto_sample`` units.
6. ``describe_themes`` - theme_id, a readable label (the three most *distinctive* top terms: relevance
   0.6 * log p(w|t) + 0.4 * log(p(w|t)/p(w)), Sievert & Shirley 2014), top terms with weights, the three most
   representative paragraphs (score share * weight, at most one per submission first, never from a
   submission with ``is_public == False``), counts and organisation types.
7. Analyst control (``config/themes.yaml``, see its comments): themes are matched to the previous run by
   content - Jaccard overlap of their top 15 terms, one-to-one by the Hungarian method - so ``theme_id`` is
   stable across runs and renames, merges and splits keyed by it survive; a previous theme that finds no
   match is reported (warning and table). Seed terms pin a theme through NMF's initialisation.
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from helpers import config, io, text, vocabulary
from helpers.ingest import REFERENCE_KINDS

CONTROL_PATH = config.CONFIG_DIR / "themes.yaml"
BLOCK_KINDS = ("paragraph", "list_item")
HEADING_KIND = "heading"
N_MATCH_TERMS = 15
N_TOP_TERMS = 10
THEME_ID_RE = re.compile(r"^[a-z][a-z0-9_.-]*$")
_TERMINAL_END = ".!?:;…»\"”)]¹²³⁴⁵⁶⁷⁸⁹⁰"
_WORD_RE = re.compile(r"\w+")
_SURFACE_RE = re.compile(r"\w+(?:[-/]\w+)*")
_SUPERSCRIPT = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_URL_ONLY_RE = re.compile(r"[<(\[]?(?:https?://|www\.)\S+[>)\]]?")
MAX_SECTION_UNITS = 5
MAX_HEADING_WORDS = 8
LARGE_GROUPING = 2000

Analyzer = Callable[[str, str | None], list[str]]


@dataclass
class ThemeParams:
    """Every knob of a theme run. Notebook parameters map onto these one to one."""

    n_themes: int | str = "auto"
    k_range: tuple[int, int] = (10, 24)
    min_df: int = 2
    max_df: float = 0.25
    sublinear_tf: bool = False
    random_seed: int = 42
    level: str = "paragraph"
    attach_headings: bool = True
    compound_features: bool = True
    min_unit_tokens: int = 3
    max_iter: int = 400
    auto_sample: int = 5_000
    match_threshold: float = 0.2
    n_jobs: int = 1

    def __post_init__(self) -> None:
        if self.level not in ("paragraph", "sentence"):
            raise ValueError(f"level must be 'paragraph' or 'sentence', not {self.level!r}")
        if not (self.n_themes == "auto" or (isinstance(self.n_themes, int) and self.n_themes >= 2)):
            raise ValueError(f"n_themes must be 'auto' or an integer >= 2, not {self.n_themes!r}")
        lo, hi = self.k_range
        if not 2 <= lo <= hi:
            raise ValueError(f"k_range must be (low, high) with 2 <= low <= high, not {self.k_range!r}")


# ------------------------------------------------------------------------------------------------- units
def _col(df: pd.DataFrame, name: str, default: Any) -> pd.Series:
    """A column that may not exist yet in the ingest output (the schema grows while we work)."""
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index)


def reference_mask(submissions: pd.DataFrame) -> pd.Series:
    """True for documents that are not submissions (the mandate): by ``is_reference`` or ``doc_kind``."""
    by_kind = _col(submissions, "doc_kind", "").isin(REFERENCE_KINDS)
    by_flag = _col(submissions, "is_reference", False).fillna(False).astype(bool)
    return by_kind | by_flag


def _looks_like_heading(block: str) -> bool:
    """A heading written as a paragraph (before ingest marks kind='heading'): short, no final punctuation."""
    stripped = block.strip()
    if not stripped or stripped[0] in "-•▪*–" or stripped[-1] in _TERMINAL_END + ",":
        return False
    return len(_WORD_RE.findall(stripped)) <= 10 and (stripped[0].isupper() or stripped[0].isdigit())


def _continues(prev: str, nxt: str) -> bool:
    """True when ``nxt`` is the rest of a paragraph that a PDF line wrap split off ``prev``."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not prev or not nxt or nxt[0] in "-•▪*–":
        return False
    if prev[-1] in ",-–(":
        return True
    return prev[-1] not in _TERMINAL_END and nxt[0].islower()


def _blocks(segments: pd.DataFrame) -> pd.DataFrame:
    """Top-level blocks (not sentences) of every submission, in reading order, numbered 1.. per submission."""
    parent = _col(segments, "parent_id", None)
    blocks = segments[parent.isna() & (segments["kind"] != "sentence")].copy()
    blocks = blocks.sort_values(["submission_id", "order"], kind="stable")
    blocks["paragraph_no"] = blocks.groupby("submission_id").cumcount() + 1
    return blocks


def _is_footnote(block: str) -> bool:
    """A footnote or bare link line (PDF page foot): superscript number first, or only a URL."""
    stripped = block.strip()
    return bool(stripped) and (stripped[0] in _SUPERSCRIPT or _URL_ONLY_RE.fullmatch(stripped) is not None)


def _is_body(block: str) -> bool:
    """A block of running text: ends a sentence and has at least eight words."""
    stripped = block.strip()
    return bool(stripped) and stripped[-1] in ".!?…" and len(_WORD_RE.findall(stripped)) >= 8


def _paragraph_units(blocks: pd.DataFrame, attach_headings: bool, max_section: int | None = None
                     ) -> list[dict]:
    """Group a submission's blocks into units: join wrap fragments, attach the section heading.

    A heading is attached to at most ``max_section`` units after it: it describes the paragraphs right under
    it, and a heading that PDF extraction failed to recognise in between would otherwise spread one heading
    over half a letter. Headings before the first paragraph of running text (letterhead, the letter's title)
    are about the whole letter and are not attached; nor are headings longer than ``MAX_HEADING_WORDS`` words,
    which in consultation letters repeat the question asked ("Behandling og oppfølging ..., herunder
    lavterskeltilbud, bolig, aktiviteter, frivillig sektor ...") rather than name a subject.
    """
    max_section = MAX_SECTION_UNITS if max_section is None else max_section
    units: list[dict] = []
    with_headings = set(blocks.loc[blocks["kind"] == HEADING_KIND, "submission_id"])
    cols = ["submission_id", "segment_id", "kind", "page", "paragraph_no", "start", "end", "text"]
    sid = None
    for row in blocks[cols].itertuples(index=False, name="Block"):  # one pass; blocks are sorted
        if row.submission_id != sid:
            sid = row.submission_id
            has_kind = sid in with_headings
            heading, current, in_section, seen_body = "", None, 0, False
        if row.kind == "footnote" or _is_footnote(row.text):
            current = None
            continue
        is_heading = row.kind == HEADING_KIND or (not has_kind and row.kind == "paragraph"
                                                   and _looks_like_heading(row.text))
        if row.kind not in BLOCK_KINDS and not is_heading:
            current = None  # another kind of block ends a paragraph
            continue
        if current is not None and _continues(current["text"], row.text):
            current["segment_ids"].append(row.segment_id)
            current["text"] = current["text"] + "\n" + row.text
            current["end"] = row.end
            continue
        if is_heading:
            short = len(_WORD_RE.findall(row.text)) <= MAX_HEADING_WORDS
            heading, current, in_section = (row.text.strip() if seen_body and short else ""), None, 0
            continue
        seen_body = seen_body or _is_body(row.text)
        in_section += 1
        attached = heading if attach_headings and in_section <= max_section else ""
        current = dict(unit_id=row.segment_id, submission_id=sid, segment_ids=[row.segment_id],
                       kind=row.kind, page=row.page, paragraph_no=row.paragraph_no, start=row.start,
                       end=row.end, text=row.text, heading=attached)
        units.append(current)
    return units


def _sentence_units(segments: pd.DataFrame, blocks: pd.DataFrame, attach_headings: bool) -> list[dict]:
    """Sentence segments as units; each carries its paragraph's number and section heading."""
    para_units = _paragraph_units(blocks, attach_headings)
    info = {seg: u for u in para_units for seg in u["segment_ids"]}
    sents = segments[segments["kind"] == "sentence"].sort_values(["submission_id", "order"], kind="stable")
    units = []
    for row in sents.itertuples(index=False):
        para = info.get(row.parent_id)
        if para is None:
            continue  # a sentence of a heading or footnote
        units.append(dict(unit_id=row.segment_id, submission_id=row.submission_id,
                          segment_ids=[row.segment_id], kind="sentence", page=row.page,
                          paragraph_no=para["paragraph_no"], start=row.start, end=row.end, text=row.text,
                          heading=para["heading"]))
    return units


SEGMENT_THEME_COLUMNS = ["segment_id", "submission_id", "unit_id", "theme_id", "weight", "rank", "inherited"]
UNIT_COLUMNS = ["unit_id", "submission_id", "segment_ids", "kind", "page", "paragraph_no", "start", "end",
                "text", "heading", "file", "org_name", "org_type", "doc_kind", "is_public", "language",
                "campaign_id"]


def build_units(submissions: pd.DataFrame, segments: pd.DataFrame, level: str = "paragraph",
                attach_headings: bool = True, reference: bool = False) -> pd.DataFrame:
    """Units of clustering from the ingest tables: submissions only, or (``reference=True``) the mandates.

    Columns: ``UNIT_COLUMNS``. ``language`` is the segment's if ingest gives one, else the submission's,
    else Bokmål.
    """
    ref = reference_mask(submissions)
    chosen = submissions[ref if reference else ~ref]
    segs = segments[segments["submission_id"].isin(chosen["submission_id"])]
    blocks = _blocks(segs)
    rows = (_paragraph_units(blocks, attach_headings) if level == "paragraph"
            else _sentence_units(segs, blocks, attach_headings))
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS[:10])
    meta = chosen.assign(is_public=_col(chosen, "is_public", True).fillna(True).astype(bool),
                         language=_col(chosen, "language", "nb").fillna("nb"))
    meta = meta.assign(campaign_id=_col(chosen, "campaign_id", None))
    meta = meta[["submission_id", "file", "org_name", "org_type", "doc_kind", "is_public", "language",
                 "campaign_id"]]
    units = units.merge(meta, on="submission_id", how="left")
    if "text" in chosen.columns and len(units):
        full = chosen.set_index("submission_id")["text"]
        joined = units["segment_ids"].map(len) > 1
        spans = units.loc[joined, ["submission_id", "start", "end"]].itertuples(index=False)
        units.loc[joined, "text"] = [full[sid][a:b] for sid, a, b in spans]
    if "language" in segments.columns and len(units):
        seg_lang = segments.set_index("segment_id")["language"]
        own = units["unit_id"].map(seg_lang)
        units["language"] = own.where(own.notna() & (own != ""), units["language"])
    return units.reset_index(drop=True)[UNIT_COLUMNS]


# ------------------------------------------------------------------------------------------------ tokens
@functools.lru_cache(maxsize=500_000)
def _known(word: str) -> bool:
    import simplemma

    return simplemma.is_known(word, lang="nb") or simplemma.is_known(word, lang="nn")


def compound_modifier(lemma: str, attested: Collection[str]) -> str | None:
    """The first part of a compound lemma ("døgnplass" -> "døgn", "alkoholbruk" -> "alkohol"), or None.

    The first part must itself occur as a word of this corpus (in ``attested``, the analyzer's output, so
    never a stop word): a dictionary alone splits "menneske" into "menn" + "eske" and "kompetanse" into
    "kompet" + "anse". The second part must be a corpus word, or a word simplemma knows of five letters or
    more. A linking -s- or -e- is dropped ("behandlings-", "barne-") when the shorter form is the corpus word.
    The longest first part wins.
    """
    if len(lemma) < 7 or not lemma.isalpha():
        return None
    for i in range(len(lemma) - 4, 2, -1):
        head, rest = lemma[:i], lemma[i:]
        if not (rest in attested or (len(rest) >= 5 and _known(rest))):
            continue
        if head[-1] in "se" and len(head) > 3 and head[:-1] in attested:
            return head[:-1]
        if head in attested:
            return head
    return None


def compound_modifiers(words: Collection[str], attested: Collection[str] | None = None) -> dict[str, str]:
    """:func:`compound_modifier` of each of ``words`` that has one (first parts looked up in ``attested``,
    by default ``words`` themselves)."""
    attested = set(words if attested is None else attested)
    return {w: m for w in words if (m := compound_modifier(w, attested))}


def _analyze_chunk(args: tuple[list[str], list[str | None], Analyzer | None]) -> list[list[str]]:
    texts, langs, analyzer = args
    fn = analyzer or text.analyze
    return [fn(t, lang) for t, lang in zip(texts, langs, strict=True)]


def _analyze_chunk_packed(args: tuple[list[str], list[str | None], Analyzer | None]
                          ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A worker's result as (its vocabulary, token ids, tokens per text): integers pickle fast and the parent
    rebuilds lists that share one string object per word instead of millions of copies."""
    vocab: dict[str, int] = {}
    ids: list[int] = []
    lengths = []
    for toks in _analyze_chunk(args):
        ids.extend(vocab.setdefault(t, len(vocab)) for t in toks)
        lengths.append(len(toks))
    return list(vocab), np.asarray(ids, dtype=np.int32), np.asarray(lengths, dtype=np.int64)


def analyze_texts(texts: Sequence[str], langs: Sequence[str | None] | None = None,
                  analyzer: Analyzer | None = None, n_jobs: int = 1) -> list[list[str]]:
    """``text.analyze`` over many texts; ``n_jobs > 1`` splits large inputs over processes (fork)."""
    texts = list(texts)
    langs = list(langs) if langs is not None else [None] * len(texts)
    if n_jobs <= 1 or len(texts) < 5000:
        return _analyze_chunk((texts, langs, analyzer))
    import multiprocessing as mp

    # Warm the analyzer's per-word cache here first: forked workers inherit it instead of each filling it.
    _analyze_chunk((texts[:2000], langs[:2000], analyzer))
    n_chunks = n_jobs * 4
    size = -(-len(texts) // n_chunks)
    chunks = [(texts[i:i + size], langs[i:i + size], analyzer) for i in range(0, len(texts), size)]
    with mp.get_context("fork").Pool(n_jobs) as pool:
        parts = pool.map(_analyze_chunk_packed, chunks)
    canonical: dict[str, str] = {}
    out: list[list[str]] = []
    for vocab, ids, lengths in parts:
        words = np.asarray([canonical.setdefault(w, w) for w in vocab], dtype=object)
        flat = words[ids].tolist() if len(ids) else []
        ends = np.cumsum(lengths)
        out.extend(flat[e - n:e] for e, n in zip(ends.tolist(), lengths.tolist(), strict=True))
    return out


@functools.lru_cache(maxsize=1)
def _term_tokens() -> frozenset[str]:
    """The multi-word term tokens ``text.analyze`` can emit (``barn_og_unge``, ``psykisk_helsevern``)."""
    loader = getattr(text, "load_terms", None)
    return frozenset(loader().values()) if loader else frozenset()


@functools.lru_cache(maxsize=200_000)
def extra_features(token: str) -> tuple[str, ...]:
    """Features a token adds besides itself, so that one subject written several ways shares a feature:

    - a multi-word term adds the shorter terms inside it (``psykisk_helsevern_for_barn_og_unge`` ->
      ``psykisk_helsevern``, ``barn_og_unge``);
    - a hyphenated compound adds its parts (``rop-pasient`` -> ``rop``, ``pasient``; ``act-team`` -> ``act``).

    Closed compounds ("døgnplass") are handled corpus-wide by :func:`compound_modifiers`.
    """
    if "_" in token:
        words = token.split("_")
        known = _term_tokens()
        return tuple(dict.fromkeys(
            "_".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)
            if (i, j) != (0, len(words)) and "_".join(words[i:j]) in known))
    if "-" in token.strip("-"):
        return tuple(p for p in token.split("-") if len(p) > 1)
    return ()


def add_features(token_lists: list[list[str]], compounds: bool = True, ignore: frozenset[str] = frozenset(),
                 min_df: int = 1, vocab: Collection[str] | None = None) -> list[list[str]]:
    """Each token list plus :func:`extra_features` and compound modifiers of its tokens, minus ``ignore``.

    Compounds are split only for words in at least ``min_df`` units (the words the vectoriser will keep),
    which keeps this cheap on a million paragraphs. A given ``vocab`` (a fitted model's terms) is used
    instead, so new text is split the way the model's text was.
    """
    # Each distinct token is expanded once; the lists are then rebuilt from that table (fast on 1M lists).
    expand = {t: tuple(f for f in (t, *extra_features(t)) if f not in ignore)
              for t in set(chain.from_iterable(token_lists))}
    out = [list(chain.from_iterable(expand[t] for t in toks)) for toks in token_lists]
    if not compounds:
        return out
    df = Counter(chain.from_iterable(set(toks) for toks in out))
    if vocab is None:
        vocab = {t for t, c in df.items() if c >= min_df}
    mods = compound_modifiers(vocab, set(df) | set(vocab))
    if not mods:
        return out
    return [toks + [mods[t] for t in toks if t in mods] for toks in out]


def own_name_terms(units: pd.DataFrame, tokens: list[list[str]], analyzer: Analyzer | None = None,
                   min_other_rate: float = 0.05) -> dict[str, frozenset[str]]:
    """Per organisation, the words of its own name that are not content: an organisation writing its name
    ("Psykologforeningen mener ...") says who speaks, not what about. A name word is kept when other
    organisations' units use it too (in at least ``min_other_rate`` of them: "kommune", "psykisk helse")."""
    fn = analyzer or text.analyze
    orgs = units["org_name"].fillna("").to_numpy()
    per_org = Counter(orgs)
    names = {}
    attested: set[str] | None = None
    for org in per_org:
        if org:  # both languages: a name is lemmatised differently in a Bokmål and a Nynorsk letter
            toks = set(fn(org, "nb")) | set(fn(org, "nn"))
            toks |= {f for t in toks for f in extra_features(t)}
            attested = set(chain.from_iterable(tokens)) if attested is None else attested
            names[org] = toks | {m for t in toks if (m := compound_modifier(t, attested))}  # holmefjord: holm
    watched = frozenset(chain.from_iterable(names.values()))
    df: dict[str, Counter] = {}  # unit frequency per organisation, for name words only
    for org, toks in zip(orgs, tokens, strict=True):
        for tok in watched.intersection(toks):
            df.setdefault(tok, Counter())[org] += 1
    out = {}
    for org, name_toks in names.items():
        n_other = len(orgs) - per_org[org]
        drop = set()
        for tok in name_toks:
            other = sum(c for o, c in df.get(tok, Counter()).items() if o != org)
            if n_other == 0 or other / n_other < min_other_rate:
                drop.add(tok)
        out[org] = frozenset(drop)
    return out


def analyze_units(units: pd.DataFrame, analyzer: Analyzer | None = None, attach_headings: bool = True,
                  compound_features: bool = True, n_jobs: int = 1, ignore: frozenset[str] = frozenset(),
                  drop_own_name: bool = True, min_df: int = 1, vocab: Collection[str] | None = None
                  ) -> list[list[str]]:
    """Token lists of the units: their text, plus (if attached) their section heading's tokens, plus
    :func:`extra_features`, minus ``ignore`` terms and (``drop_own_name``) the writer's own name."""
    tokens = analyze_raw(units, analyzer, attach_headings, n_jobs)
    return finish_tokens(units, tokens, analyzer, compound_features, ignore, drop_own_name, min_df, vocab)


def analyze_raw(units: pd.DataFrame, analyzer: Analyzer | None = None, attach_headings: bool = True,
                n_jobs: int = 1) -> list[list[str]]:
    """``text.analyze`` of each unit's text, plus its attached heading's tokens (the tokenise+lemma stage)."""
    langs = units["language"].tolist() if "language" in units else None
    tokens = analyze_texts(units["text"].tolist(), langs, analyzer, n_jobs)
    if attach_headings and "heading" in units:
        heads = units["heading"].fillna("").tolist()
        cache: dict[tuple[str, Any], list[str]] = {}
        for i, (head, lang) in enumerate(zip(heads, langs or [None] * len(heads), strict=True)):
            if head:
                if (head, lang) not in cache:
                    cache[(head, lang)] = (analyzer or text.analyze)(head, lang)
                tokens[i] = tokens[i] + cache[(head, lang)]
    return tokens


def finish_tokens(units: pd.DataFrame, tokens: list[list[str]], analyzer: Analyzer | None = None,
                  compound_features: bool = True, ignore: frozenset[str] = frozenset(),
                  drop_own_name: bool = True, min_df: int = 1, vocab: Collection[str] | None = None
                  ) -> list[list[str]]:
    """Analyzer tokens -> features: :func:`add_features`, minus the writer's own name (``drop_own_name``)."""
    tokens = add_features(tokens, compound_features, ignore, min_df, vocab)
    if drop_own_name and "org_name" in units:
        own = own_name_terms(units, tokens, analyzer)
        orgs = units["org_name"].fillna("").to_numpy()
        tokens = [[t for t in toks if t not in own.get(org, ())]
                  for org, toks in zip(orgs, tokens, strict=True)]
    return tokens


@functools.lru_cache(maxsize=4)
def load_ignore_terms(path: str | Path = CONTROL_PATH) -> frozenset[str]:
    """``ignore_terms`` of ``config/themes.yaml``: words the analyzer keeps for stance detection (modals,
    negations, "mene") that say nothing about a subject. Written as words; lemmatised here."""
    path = Path(path)
    if not path.is_file():
        return frozenset()
    data = config.load_yaml(path) or {}
    words = data.get("ignore_terms") or [] if isinstance(data, dict) else []
    if not isinstance(words, list):
        raise ValueError(f"{path}: ignore_terms must be a list of words")
    return frozenset(t for w in words for t in normalise_terms([str(w)]))


# -------------------------------------------------------------------------------------------- vectorise
@dataclass
class Vectors:
    """TF-IDF of the fitted units and what is needed to transform new text the same way."""

    tfidf: sparse.csr_matrix
    binary: sparse.csr_matrix
    terms: np.ndarray
    vectorizer: Any
    transformer: Any


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def vectorize(token_lists: list[list[str]], min_df: int = 2, max_df: float = 0.25, sublinear_tf: bool = False
              ) -> Vectors:
    """Count -> TF-IDF (raw tf, smooth idf, l2 rows). ``max_df`` is relaxed on tiny inputs (under 50 units),
    where a quarter of ten units is two and would drop the subject words themselves.

    Raw rather than sublinear tf: the units are paragraphs, and a paragraph that says "alkohol" five times is
    about alcohol; damping the repetition (1 + log tf, meant for long documents) let a small subject that a
    few paragraphs dwell on sink into a larger neighbouring theme (alcohol into children and young people in
    the example corpus)."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    n = len(token_lists)
    max_df_eff = max_df if n >= 50 else 1.0
    min_df_eff = min(min_df, max(1, n // 2))
    vec = CountVectorizer(analyzer=_identity, min_df=min_df_eff, max_df=max_df_eff, dtype=np.float32)
    try:
        counts = vec.fit_transform(token_lists)
    except ValueError as err:
        raise ValueError(f"no terms left to cluster (min_df={min_df}, max_df={max_df}): {err}") from err
    tfidf_tr = TfidfTransformer(sublinear_tf=sublinear_tf)
    tfidf = tfidf_tr.fit_transform(counts).astype(np.float32).tocsr()
    binary = (counts > 0).astype(np.float32).tocsr()
    return Vectors(tfidf, binary, np.asarray(vec.get_feature_names_out(), dtype=object), vec, tfidf_tr)


def transform(vectors: Vectors, token_lists: list[list[str]]) -> sparse.csr_matrix:
    """TF-IDF of new token lists in the fitted vocabulary (out-of-vocabulary words are ignored)."""
    counts = vectors.vectorizer.transform(token_lists)
    return vectors.transformer.transform(counts).astype(np.float32).tocsr()


# --------------------------------------------------------------------------------------------- factorise
def seed_matrix(terms: np.ndarray, seed_terms: Sequence[Sequence[str]]) -> np.ndarray:
    """Rows of indicator vectors over ``terms`` for each group of seed terms (terms not in the vocabulary
    are skipped; a group with none left gives a zero row)."""
    index = {t: i for i, t in enumerate(terms)}
    rows = np.zeros((len(seed_terms), len(terms)), dtype=np.float64)
    for r, group in enumerate(seed_terms):
        for term in group:
            if term in index:
                rows[r, index[term]] = 1.0
    return rows


def fit_nmf(X: sparse.spmatrix, k: int, seed: int, init: str = "nndsvda", max_iter: int = 400,
            seeds: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, Any]:
    """NMF of X (units x terms) into W (units x k) and H (k x terms).

    With ``seeds`` (rows over the terms, from :func:`seed_matrix`) the first rows of H start as those seed
    vectors and W from their projection; NMF then refines them, so each seeded theme stays anchored to its
    terms without being forced to contain only them.
    """
    from sklearn.decomposition import NMF

    k = int(min(k, min(X.shape)))
    model = NMF(n_components=k, init=init, random_state=seed, max_iter=max_iter, tol=1e-4)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Maximum number of iterations")
        if seeds is None or not len(seeds):
            W = model.fit_transform(X)
            return W, model.components_, model
        try:
            from sklearn.decomposition._nmf import _initialize_nmf

            W0, H0 = _initialize_nmf(X, k, init="nndsvda", random_state=seed)
        except ImportError:  # a private helper: if it moves, one iteration from nndsvda is the same start
            start = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=1)
            W0, H0 = start.fit_transform(X), start.components_.copy()
        scale = float(H0.max()) if H0.size else 1.0
        for r, row in enumerate(seeds[:k]):
            if row.any():
                H0[r] = row * scale + 1e-6
                W0[:, r] = np.asarray(X @ row).ravel() / max(row.sum(), 1.0) * scale
        model.set_params(init="custom")
        W = model.fit_transform(X, W=np.ascontiguousarray(W0, dtype=X.dtype),
                                H=np.ascontiguousarray(H0, dtype=X.dtype))
    return W, model.components_, model


def seed_positions(H: np.ndarray, seeds: np.ndarray) -> list[int]:
    """Which fitted theme each seed became: one-to-one (Hungarian) by the share of the theme's term weight
    that lies on the seed's terms. The seeds start as the first themes, but NMF may move a seed's words to
    another component; the id follows the words, not the position."""
    from scipy.optimize import linear_sum_assignment

    share = (seeds > 0).astype(float) @ H.T / np.maximum(H.sum(axis=1), 1e-12)
    rows, cols = linear_sum_assignment(-share)
    return [int(c) for _, c in sorted(zip(rows, cols, strict=True))]


def dominant(W: np.ndarray) -> np.ndarray:
    """Index of each row's largest weight; -1 for rows with no weight at all."""
    labels = W.argmax(axis=1)
    labels[W.max(axis=1) <= 0] = -1
    return labels


def top_term_indices(H: np.ndarray, n: int = N_TOP_TERMS) -> list[np.ndarray]:
    """Indices of the ``n`` largest weights of each theme (positive weights only)."""
    out = []
    for row in H:
        order = np.argsort(-row, kind="stable")[:n]
        out.append(order[row[order] > 0])
    return out


def npmi_coherence(binary: sparse.spmatrix, top_terms: list[np.ndarray], eps: float = 1e-12) -> np.ndarray:
    """Mean NPMI of each theme's top-term pairs, probabilities from unit (document) co-occurrence.

    NPMI(a, b) = log(p(a,b) / (p(a) p(b))) / -log p(a,b); -1 when a and b never share a unit. A theme with
    fewer than two terms gets NaN.
    """
    B = sparse.csc_matrix(binary)
    n = B.shape[0]
    out = np.full(len(top_terms), np.nan)
    for t, idx in enumerate(top_terms):
        if len(idx) < 2:
            continue
        sub = B[:, idx]
        co = np.asarray((sub.T @ sub).todense(), dtype=float) / n
        p = np.diag(co).copy()
        iu = np.triu_indices(len(idx), 1)
        pab = co[iu]
        pa, pb = p[iu[0]], p[iu[1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            val = np.where(pab > 0, np.log((pab + eps) / (pa * pb + eps)) / -np.log(pab + eps), -1.0)
            val = np.where(pab >= 1.0 - 1e-9, 1.0, val)
        out[t] = float(np.mean(val))
    return out


def stability(X: sparse.spmatrix, k: int, seed: int, max_iter: int = 200, runs: int = 3) -> float:
    """Mean adjusted Rand index between the dominant-theme partitions of ``runs`` randomly initialised NMF
    fits (seeds ``seed``, ``seed + 1`` ...), over all pairs. Two runs is the textbook "ARI between two
    seeds"; three pairs from three runs make the number less of a coin toss on a few hundred paragraphs."""
    from itertools import combinations

    from sklearn.metrics import adjusted_rand_score

    X = sparse.csr_matrix(X)
    X = X[:, np.unique(X.indices)]  # only the words these units use: same fit, much less work on a sample
    parts = [dominant(fit_nmf(X, k, seed + r, init="random", max_iter=max_iter)[0]) for r in range(runs)]
    return float(np.mean([adjusted_rand_score(a, b) for a, b in combinations(parts, 2)]))


def kmeans_agreement(X: sparse.spmatrix, labels: np.ndarray, k: int, seed: int) -> float:
    """ARI between NMF's dominant themes and MiniBatchKMeans clusters (same k and seed).

    KMeans runs on the L2-normalised LSA projection of the TF-IDF with as many dimensions as there are themes
    (TruncatedSVD; NMF's themes are a k-dimensional representation too), the usual way to cluster text with
    k-means: on the raw sparse TF-IDF it puts most paragraphs in one cluster. Full KMeans (10 starts) up to
    10 000 units, MiniBatchKMeans beyond.
    """
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import normalize

    X = sparse.csr_matrix(X)
    X = X[:, np.unique(X.indices)]  # only the words these units use
    dims = int(max(2, min(k, X.shape[1] - 1, X.shape[0] - 1)))
    Z = normalize(TruncatedSVD(n_components=dims, random_state=seed).fit_transform(X))
    n_clusters = int(min(k, X.shape[0]))
    km = (KMeans(n_clusters=n_clusters, random_state=seed, n_init=10) if X.shape[0] <= 10_000 else
          MiniBatchKMeans(n_clusters=n_clusters, random_state=seed, n_init=3, batch_size=2048))
    return float(adjusted_rand_score(labels, km.fit(Z).labels_))


def k_candidates(k_range: tuple[int, int], n_units: int, n_seeds: int = 0) -> list[int]:
    """The ks to try: ``k_range`` capped at five units per theme on average; never fewer than seeds."""
    lo, hi = k_range
    cap = max(2, n_units // 5)
    hi = max(min(hi, cap), 2)
    lo = max(min(lo, hi), 2, n_seeds)
    return list(range(lo, max(hi, lo) + 1))


def choose_k(X: sparse.spmatrix, binary: sparse.spmatrix, k_range: tuple[int, int], seed: int,
             max_iter: int = 400, seeds: np.ndarray | None = None, sample: int = 20_000
             ) -> tuple[int, pd.DataFrame]:
    """Pick k by score = mean NPMI + ARI (module docstring). Returns (k, table of every candidate)."""
    n = X.shape[0]
    if n > sample:
        rows = np.sort(np.random.default_rng(seed).choice(n, size=sample, replace=False))
        X, binary = sparse.csr_matrix(X[rows]), binary[rows]
        cols = np.unique(X.indices)  # the sample's own words: same fits, far less work
        X, binary = X[:, cols], binary[:, cols]
        seeds = seeds[:, cols] if seeds is not None else None
    rows_out = []
    for k in k_candidates(k_range, X.shape[0], 0 if seeds is None else len(seeds)):
        W, H, _ = fit_nmf(X, k, seed, max_iter=max_iter, seeds=seeds)
        npmi = float(np.nanmean(npmi_coherence(binary, top_term_indices(H))))
        ari = stability(X, k, seed)
        rows_out.append(dict(k=k, npmi=npmi, ari=ari, score=npmi + ari))
    table = pd.DataFrame(rows_out)
    best = table.loc[table["score"].round(6).idxmax()]  # idxmax takes the first (smallest k) on ties
    table["chosen"] = table["k"] == best["k"]
    return int(best["k"]), table


# -------------------------------------------------------------------------------------------- describe
def relevance(H: np.ndarray, term_freq: np.ndarray, lam: float = 0.6) -> np.ndarray:
    """Sievert & Shirley (2014) relevance of each term to each theme: lam*log p(w|t) + (1-lam)*lift."""
    p_wt = H / np.maximum(H.sum(axis=1, keepdims=True), 1e-12)
    p_w = term_freq / max(term_freq.sum(), 1e-12)
    with np.errstate(divide="ignore"):
        return lam * np.log(p_wt + 1e-12) + (1 - lam) * np.log((p_wt + 1e-12) / (p_w + 1e-12))


def display_term(term: str, surface: dict[str, str] | None = None) -> str:
    """A term as a reader wants it: spaces for joined multi-word terms, the text's own casing for acronyms."""
    if surface and term in surface:
        return surface[term]
    return term.replace("_", " ")


def surface_forms(terms: Sequence[str], texts: Sequence[str]) -> dict[str, str]:
    """Upper-case spelling for terms that the texts mostly write in capitals (TSB, FACT, LAR, BUP).

    One pass over the texts counts, per lower-cased word, how often it is written in capitals.
    """
    wanted = {t for t in terms if "_" not in t and len(t) <= 10}
    seen: Counter = Counter()
    upper: Counter = Counter()
    for whole in _SURFACE_RE.findall("\n".join(texts)):
        for word in {whole, *re.split(r"[-/]", whole)}:  # "FACT/ACT-team" also counts FACT and ACT
            low = word.lower()
            if low in wanted:
                seen[low] += 1
                upper[low] += word.isupper()
    return {t: t.upper() for t in wanted if seen[t] and upper[t] > seen[t] / 2}


def make_labels(H: np.ndarray, terms: np.ndarray, term_freq: np.ndarray,
                surface: dict[str, str] | None = None, n_label: int = 3, pool: int = 30) -> list[str]:
    """Label of each theme: its ``n_label`` most relevant terms among its ``pool`` heaviest, joined " · ".

    A term contained in an already chosen one, or containing it, is skipped ("psykisk lidelse" after "samtidig
    rus- og psykisk lidelse"). A label that another theme already has is extended with the next term.
    """
    rel = relevance(H, term_freq)
    labels: list[str] = []
    for t in range(H.shape[0]):
        heavy = np.argsort(-H[t], kind="stable")[:pool]
        heavy = heavy[H[t, heavy] > 0]
        ranked = heavy[np.argsort(-rel[t, heavy], kind="stable")]
        words: list[str] = []
        for i in ranked:  # skip a term inside a chosen one or holding it ("team" / "oppsøkende team")
            word = display_term(terms[i], surface)
            mine = set(word.lower().split())
            if not any(mine <= set(w.lower().split()) or set(w.lower().split()) <= mine for w in words):
                words.append(word)
        n = n_label
        label = " · ".join(words[:n]) or "(tomt tema)"
        while label in labels and n < len(words):
            n += 1
            label = " · ".join(words[:n])
        labels.append(label)
    return labels


def unit_shares(W: np.ndarray) -> np.ndarray:
    """Each unit's theme weights as shares summing to 1 (rows without weight stay 0)."""
    total = W.sum(axis=1, keepdims=True)
    return np.divide(W, total, out=np.zeros_like(W, dtype=float), where=total > 0)


def location(unit: pd.Series | dict) -> str:
    """"fil.pdf, s. 2, avsnitt 14": where a quote stands in the source."""
    return f"{unit['file']}, s. {int(unit['page'] or 1)}, avsnitt {int(unit['paragraph_no'])}"


def quote_text(raw: str) -> str:
    """The passage verbatim, with the line-break and run-of-space layout of PDF extraction collapsed."""
    return re.sub(r"\s+", " ", raw).strip()


def representative_units(W: np.ndarray, units: pd.DataFrame, t: int, n: int = 3,
                         shares: np.ndarray | None = None, dom: np.ndarray | None = None) -> list[int]:
    """Row indices of the ``n`` units that best represent theme ``t``.

    Score = share * weight (a unit mostly about t *and* strongly about it; share alone favours three-word
    list items, weight alone long mixed paragraphs). Only units whose dominant theme is t and whose submission
    is public; first the best unit of each submission, then the rest by score.
    """
    shares = unit_shares(W) if shares is None else shares
    dom = dominant(W) if dom is None else dom
    public = units["is_public"].fillna(True).astype(bool).to_numpy()
    cand = np.flatnonzero((dom == t) & public)
    if not len(cand):
        cand = np.flatnonzero((W[:, t] > 0) & public)
    score = shares[cand, t] * W[cand, t]
    order = cand[np.argsort(-score, kind="stable")]
    chosen, seen = [], set()
    for i in order:
        sid = units.at[i, "submission_id"]
        if sid not in seen:
            chosen.append(i)
            seen.add(sid)
        if len(chosen) == n:
            return chosen
    chosen += [i for i in order if i not in chosen][: n - len(chosen)]
    return chosen


def _count_text(values: pd.Series) -> str:
    counts = values.value_counts()
    return "; ".join(f"{k} ({v})" for k, v in counts.items())


def describe_themes(W: np.ndarray, H: np.ndarray, theme_ids: Sequence[str], labels: Sequence[str],
                    terms: np.ndarray, units: pd.DataFrame, binary: sparse.spmatrix,
                    surface: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The themes table (one row per theme, quotes included) and the long table of top terms."""
    dom = dominant(W)
    shares = unit_shares(W)
    tops = top_term_indices(H, N_TOP_TERMS)
    npmi = npmi_coherence(binary, tops)
    total = max(shares.sum(), 1e-12)
    rows, term_rows = [], []
    for t, tid in enumerate(theme_ids):
        mine = units[dom == t]
        subs_t = mine.drop_duplicates("submission_id")
        row = dict(theme_id=tid, label=labels[t], label_auto=labels[t],
                   top_terms="; ".join(f"{display_term(terms[i], surface)} ({H[t, i]:.3f})" for i in tops[t]),
                   n_segments=int(len(mine)), n_submissions=int(subs_t["submission_id"].nunique()),
                   org_types=_count_text(subs_t["org_type"]), share=float(shares[:, t].sum() / total),
                   npmi=float(npmi[t]))
        for q, i in enumerate(representative_units(W, units, t, shares=shares, dom=dom), 1):
            u = units.iloc[i]
            row.update({f"quote_{q}": quote_text(u["text"]), f"quote_{q}_submission_id": u["submission_id"],
                        f"quote_{q}_org_name": u["org_name"], f"quote_{q}_location": location(u),
                        f"quote_{q}_segment_id": u["unit_id"]})
        rows.append(row)
        for rank, i in enumerate(np.argsort(-H[t], kind="stable")[:30], 1):
            if H[t, i] > 0:
                term_rows.append(dict(theme_id=tid, rank=rank, term=terms[i], weight=float(H[t, i])))
    themes = pd.DataFrame(rows)
    for q in range(1, 4):
        for suffix in ("", "_submission_id", "_org_name", "_location", "_segment_id"):
            if f"quote_{q}{suffix}" not in themes:
                themes[f"quote_{q}{suffix}"] = ""
    return themes, pd.DataFrame(term_rows, columns=["theme_id", "rank", "term", "weight"])


# ---------------------------------------------------------------------------------------- analyst control
def load_control(path: str | Path = CONTROL_PATH) -> dict:
    """Read and check ``config/themes.yaml``; every problem names the file and the entry."""
    path = Path(path)
    if not path.is_file():
        return {}
    data = config.load_yaml(path) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping (rename/merge/split/seeds), got {type(data).__name__}")
    unknown = set(data) - {"rename", "merge", "split", "seeds", "version", "ignore_terms"}
    if unknown:
        raise ValueError(f"{path}: unknown section(s) {sorted(unknown)}; allowed: rename, merge, split, "
                         "seeds, ignore_terms")
    control = {"rename": [], "merge": [], "split": [], "seeds": []}
    rename = data.get("rename") or []
    if isinstance(rename, dict):
        rename = [{"theme": k, "label": v} for k, v in rename.items()]
    for entry in rename:
        if not isinstance(entry, dict) or "label" not in entry or not ({"theme", "terms"} & set(entry)):
            raise ValueError(f"{path}: rename entry {entry!r} needs 'label' and 'theme' or 'terms'")
        control["rename"].append({"ref": _ref(entry, path), "label": str(entry["label"])})
    for entry in data.get("merge") or []:
        if not isinstance(entry, list) or len(entry) < 2:
            raise ValueError(f"{path}: merge entry {entry!r} must be a list of two or more themes")
        control["merge"].append([_ref(e, path) for e in entry])
    split = data.get("split") or {}
    if not isinstance(split, dict):
        raise ValueError(f"{path}: split must map a theme id to a number of parts or to lists of terms")
    for tid, how in split.items():
        ok = (isinstance(how, int) and how >= 2) or (
            isinstance(how, list) and len(how) >= 2 and all(isinstance(g, list) and g for g in how))
        if not ok:
            raise ValueError(f"{path}: split {tid}: give a number >= 2 or two or more lists of terms, "
                             f"got {how!r}")
        control["split"].append({"ref": _ref(tid, path), "how": how})
    for entry in data.get("seeds") or []:
        if not isinstance(entry, dict) or not entry.get("terms") or not entry.get("theme"):
            raise ValueError(f"{path}: seed entry {entry!r} needs 'theme' (an id) and 'terms' (a list)")
        tid = str(entry["theme"])
        if not THEME_ID_RE.match(tid):
            raise ValueError(f"{path}: seed theme id {tid!r} must be lower-case letters, digits, _ . -")
        control["seeds"].append({"theme": tid, "terms": [str(t) for t in entry["terms"]],
                                 "label": entry.get("label")})
    return control


def _ref(entry: Any, path: Path) -> dict:
    """A theme reference: an id ("t03") or seed terms ({terms: [døgnplass, døgn]})."""
    if isinstance(entry, str):
        if not THEME_ID_RE.match(entry):
            raise ValueError(f"{path}: {entry!r} is not a theme id (like t03)")
        return {"theme": entry}
    if isinstance(entry, dict) and "theme" in entry:
        return {"theme": str(entry["theme"])}
    if isinstance(entry, dict) and isinstance(entry.get("terms"), list) and entry["terms"]:
        return {"terms": [str(t) for t in entry["terms"]]}
    raise ValueError(f"{path}: {entry!r} is neither a theme id nor {{terms: [...]}}")


def normalise_terms(words: Sequence[str]) -> list[str]:
    """Seed terms as the analyzer writes them: lemma of each word, multi-word terms joined with '_'."""
    out = []
    for word in words:
        word = word.strip().lower()
        if " " in word or "_" in word:
            parts = word.replace("_", " ").split()
            out.append("_".join(_normalise_word(p) for p in parts))
            out.append(word.replace(" ", "_"))
        else:
            out.append(_normalise_word(word))
            out.append(word)
    return list(dict.fromkeys(out))


def _normalise_word(word: str) -> str:
    fn = getattr(text, "normalize_query", None)
    return fn(word, "nb") if fn else word


def resolve_ref(ref: dict, theme_ids: Sequence[str], H: np.ndarray, terms: np.ndarray) -> str | None:
    """The theme id a reference points to: the id itself, or the theme whose top 15 terms hold most of the
    given terms (None when no theme holds any)."""
    if "theme" in ref:
        return ref["theme"] if ref["theme"] in theme_ids else None
    wanted = set(normalise_terms(ref["terms"]))
    best, best_hits = None, 0
    for t, idx in enumerate(top_term_indices(H, N_MATCH_TERMS)):
        hits = len(wanted & set(terms[idx]))
        if hits > best_hits:
            best, best_hits = theme_ids[t], hits
    return best


# ------------------------------------------------------------------------------------------- matching
def parse_terms(cell: str) -> list[str]:
    """The terms of a registry/themes ``top_terms`` cell ("term (0.123); term2 (0.1)")."""
    if not isinstance(cell, str) or not cell.strip():
        return []
    return [re.sub(r"\s*\([-0-9.e]+\)\s*$", "", part).strip() for part in cell.split(";") if part.strip()]


def match_themes(new_terms: Sequence[Sequence[str]], previous: pd.DataFrame | None,
                 threshold: float = 0.2) -> tuple[list[str | None], pd.DataFrame, pd.DataFrame]:
    """Match new themes to the previous run's by their top terms (Jaccard, Hungarian one-to-one).

    ``previous`` has ``theme_id`` and ``terms`` (a list of terms per theme). Returns the previous id for each
    new theme (None = new), the matching table and the previous themes that found no match (disappeared).
    """
    from scipy.optimize import linear_sum_assignment

    n = len(new_terms)
    if previous is None or previous.empty:
        return [None] * n, pd.DataFrame(columns=["theme_index", "previous_theme_id", "jaccard"]), \
            pd.DataFrame(columns=["theme_id", "label", "top_terms", "best_jaccard"])
    prev_sets = [set(t) for t in previous["terms"]]
    new_sets = [set(t) for t in new_terms]
    J = np.zeros((n, len(prev_sets)))
    for i, a in enumerate(new_sets):
        for j, b in enumerate(prev_sets):
            union = len(a | b)
            J[i, j] = len(a & b) / union if union else 0.0
    r, c = linear_sum_assignment(-J) if J.size else (np.array([], int), np.array([], int))
    ids: list[str | None] = [None] * n
    rows = []
    for i, j in zip(r, c, strict=True):
        if J[i, j] >= threshold:
            ids[i] = previous["theme_id"].iloc[j]
            rows.append(dict(theme_index=int(i), previous_theme_id=ids[i], jaccard=float(J[i, j])))
    matched = {x for x in ids if x}
    gone = previous[~previous["theme_id"].isin(matched)].copy()
    gone["best_jaccard"] = [float(J[:, j].max()) if n else 0.0
                            for j in np.flatnonzero(~previous["theme_id"].isin(matched).to_numpy())]
    gone["top_terms"] = gone["terms"].map(lambda ts: "; ".join(ts))
    if "label" not in gone:
        gone["label"] = ""
    gone = gone[["theme_id", "label", "top_terms", "best_jaccard"]].reset_index(drop=True)
    return ids, pd.DataFrame(rows), gone


def read_previous(processed_dir: str | Path) -> pd.DataFrame | None:
    """The previous run's raw themes (``theme_registry.csv``), falling back to ``themes.csv``; or None."""
    processed_dir = Path(processed_dir)
    for name in ("theme_registry.csv", "themes.csv"):
        path = processed_dir / name
        if path.is_file():
            prev = io.read_csv(path, dtype=str, keep_default_na=False)
            if not {"theme_id", "top_terms"} <= set(prev.columns):
                raise ValueError(f"{path}: expected columns theme_id and top_terms to match themes against")
            prev = prev.assign(terms=prev["top_terms"].map(parse_terms))
            return prev[["theme_id", "label", "terms"]] if "label" in prev else prev[["theme_id", "terms"]]
    return None


def assign_ids(prev_ids: Sequence[str | None], order: Sequence[int], taken: set[str]) -> list[str]:
    """Matched themes keep their previous id; new ones get the next free ``tNN`` in ``order`` (by size)."""
    ids = list(prev_ids)
    used = set(taken) | {i for i in ids if i}
    nums = [int(m.group(1)) for i in used if (m := re.fullmatch(r"t(\d+)", i))]
    nxt = max(nums, default=0) + 1
    for t in order:
        if ids[t] is None:
            while f"t{nxt:02d}" in used:
                nxt += 1
            ids[t] = f"t{nxt:02d}"
            used.add(ids[t])
    return [str(i) for i in ids]


# ------------------------------------------------------------------------------------- merges and splits
def apply_merges(W: np.ndarray, H: np.ndarray, ids: list[str], groups: list[list[str]]
                 ) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, list[str]]]:
    """Sum the weights of merged themes into the first id of each group; returns the merge record."""
    merged_from: dict[str, list[str]] = {}
    W, H, ids = W.copy(), H.copy(), list(ids)
    for group in groups:
        present = [g for g in dict.fromkeys(group) if g in ids]
        if len(present) < 2:
            continue
        keep = ids.index(present[0])
        for other in present[1:]:
            j = ids.index(other)
            W[:, keep] += W[:, j]
            H[keep] += H[j]
            W, H = np.delete(W, j, axis=1), np.delete(H, j, axis=0)
            ids.pop(j)
            keep = ids.index(present[0])
        merged_from[present[0]] = present[1:]
    return W, H, ids, merged_from


def apply_split(X: sparse.spmatrix, W: np.ndarray, H: np.ndarray, ids: list[str], tid: str, how: Any,
                terms: np.ndarray, seed: int, max_iter: int = 400
                ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Split theme ``tid`` into parts ``tid``a, ``tid``b ...: NMF with ``how`` parts (an int) or seeded by
    ``how`` term groups, fitted on the units whose dominant theme it is; its weight in every unit is shared
    out in proportion to the parts."""
    t = ids.index(tid)
    rows = np.flatnonzero(dominant(W) == t)
    parts = how if isinstance(how, int) else len(how)
    if len(rows) < parts:
        raise ValueError(f"split {tid}: only {len(rows)} segments, cannot make {parts} parts")
    seeds = None if isinstance(how, int) else seed_matrix(terms, [normalise_terms(g) for g in how])
    _, H_sub, model = fit_nmf(X[rows], parts, seed, max_iter=max_iter, seeds=seeds)
    users = np.flatnonzero(W[:, t] > 0)
    sub = model.transform(X[users])
    share = unit_shares(sub)
    share[share.sum(axis=1) == 0] = 1.0 / parts
    W_parts = np.zeros((W.shape[0], parts))
    W_parts[users] = share * W[users, [t]].reshape(-1, 1)
    H_parts = H_sub / np.maximum(H_sub.sum(axis=1, keepdims=True), 1e-12) * H[t].sum()
    new_ids = [f"{tid}{chr(ord('a') + p)}" for p in range(parts)]
    W = np.hstack([W[:, :t], W_parts, W[:, t + 1:]])
    H = np.vstack([H[:t], H_parts, H[t + 1:]])
    return W, H, ids[:t] + new_ids + ids[t + 1:]


# ------------------------------------------------------------------------------------------ the run
@dataclass
class ThemeResult:
    """Everything a theme run produces; ``write_outputs`` turns it into files."""

    params: ThemeParams
    units: pd.DataFrame
    tokens: list[list[str]]
    vectors: Vectors
    W: np.ndarray
    H: np.ndarray
    theme_ids: list[str]
    themes: pd.DataFrame
    theme_terms: pd.DataFrame
    registry: pd.DataFrame
    segment_themes: pd.DataFrame
    submission_themes: pd.DataFrame
    submission_groups: pd.DataFrame
    k_table: pd.DataFrame
    quality: dict
    matching: pd.DataFrame
    disappeared: pd.DataFrame
    mandate_themes: pd.DataFrame = field(default_factory=pd.DataFrame)
    mandate_gaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    mandate_terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)
    nmf: Any = None
    raw_H: np.ndarray | None = None
    ignore_terms: frozenset[str] = frozenset()


def _warn(messages: list[str], msg: str) -> None:
    messages.append(msg)
    warnings.warn(msg, stacklevel=3)


def segment_table(W: np.ndarray, ids: Sequence[str], units: pd.DataFrame, segments: pd.DataFrame | None,
                  min_share: float = 0.05) -> pd.DataFrame:
    """segment_id x theme_id weights (shares of the unit's theme weight, >= ``min_share``, the dominant theme
    always). Every segment of a joined unit gets the unit's weights; with ``segments`` given, each sentence of
    a paragraph unit inherits them too (``inherited`` = True) so sentence-level steps can join on themes."""
    shares = unit_shares(W)
    order = np.argsort(-shares, axis=1, kind="stable")
    ranked = np.take_along_axis(shares, order, axis=1)
    keep = (ranked > 0) & ((ranked >= min_share) | (np.arange(W.shape[1]) == 0))
    unit_idx, pos = np.nonzero(keep)
    table = pd.DataFrame({"segment_id": units["segment_ids"].to_numpy()[unit_idx],
                          "submission_id": units["submission_id"].to_numpy()[unit_idx],
                          "unit_id": units["unit_id"].to_numpy()[unit_idx],
                          "theme_id": np.asarray(ids, dtype=object)[order[unit_idx, pos]],
                          "weight": ranked[unit_idx, pos].astype(float), "rank": pos + 1, "inherited": False})
    table = table.explode("segment_id", ignore_index=True)[SEGMENT_THEME_COLUMNS]
    paragraphs = bool((units["kind"] != "sentence").all())
    if segments is not None and "parent_id" in segments and len(table) and paragraphs:
        kids = segments[segments["kind"] == "sentence"][["segment_id", "parent_id"]]
        parents = table.rename(columns={"segment_id": "parent_id"}).drop(columns="inherited")
        inh = kids.merge(parents, on="parent_id", how="inner").drop(columns="parent_id")
        inh = inh.assign(inherited=True)
        table = pd.concat([table, inh[table.columns]], ignore_index=True)
    return table


def submission_shares(W: np.ndarray, ids: Sequence[str], units: pd.DataFrame) -> pd.DataFrame:
    """Submission x theme: each submission's summed theme weight as shares (rows sum to 1)."""
    frame = pd.DataFrame(W, columns=list(ids))
    frame["submission_id"] = units["submission_id"].to_numpy()
    sums = frame.groupby("submission_id", sort=True).sum()
    shares = sums.div(sums.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    meta = units.drop_duplicates("submission_id").set_index("submission_id")[["org_name", "org_type", "file"]]
    out = meta.join(shares, how="right").reset_index()
    return out


def group_submissions(shares: pd.DataFrame, ids: Sequence[str], labels: dict[str, str],
                      n_groups: int | str = "auto", seed: int = 42) -> pd.DataFrame:
    """Groups of submissions with a similar theme mix (agglomerative, cosine, average linkage).

    ``auto`` picks 2..min(8, n-1) groups by the best silhouette; with fewer than three submissions each is its
    own group. Above ``LARGE_GROUPING`` submissions (agglomerative needs n x n memory) the shares are
    L2-normalised and grouped by MiniBatchKMeans, silhouette on a sample. The group label is the group's two
    largest themes.
    """
    from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import normalize

    M = shares[list(ids)].to_numpy(dtype=float)
    n = len(M)
    large = n > LARGE_GROUPING

    def cluster(g: int) -> np.ndarray:
        if large:
            return MiniBatchKMeans(n_clusters=g, random_state=seed, n_init=1).fit_predict(normalize(M))
        return AgglomerativeClustering(n_clusters=g, metric="cosine", linkage="average").fit_predict(M)

    if n < 3:
        codes = np.arange(n)
    elif isinstance(n_groups, int):
        codes = cluster(min(n_groups, n))
    else:
        best = (-2.0, np.zeros(n, dtype=int))
        sample = _sample_rows(n, LARGE_GROUPING, seed)
        for g in range(2, min(8, n - 1) + 1):
            c = cluster(g)
            if len(set(c[sample])) < 2:
                continue
            s = silhouette_score(M[sample], c[sample], metric="cosine")
            if s > best[0] + 1e-9:
                best = (s, c)
        codes = best[1]
    out = shares[["submission_id", "org_name", "org_type"]].copy()
    # Number groups by size (largest first) so ids do not depend on the clustering's internal order.
    sizes = pd.Series(codes).value_counts(sort=False)
    by_size = sorted(sizes.index, key=lambda c: (-sizes[c], np.flatnonzero(codes == c)[0]))
    rank = {c: r for r, c in enumerate(by_size, 1)}
    out["group_id"] = [f"g{rank[c]:02d}" for c in codes]
    group_label = {}
    for gid, part in out.groupby("group_id"):
        mean = M[part.index.to_numpy()].mean(axis=0)
        top = np.argsort(-mean)[:2]
        group_label[gid] = " + ".join(f"{ids[t]} {labels.get(ids[t], '')}".strip()
                                      for t in top if mean[t] > 0)
    out["group_label"] = out["group_id"].map(group_label)
    dom = M.argmax(axis=1)
    out["main_theme"] = [ids[t] if M[i].sum() > 0 else "" for i, t in enumerate(dom)]
    return out


def fit_selection(units: pd.DataFrame, tokens: list[list[str]], min_tokens: int = 3, min_df: int = 1
                  ) -> np.ndarray:
    """Rows the model is fitted on: units with at least ``min_tokens`` features that occur in ``min_df`` or
    more units (a signature "Kari Nordmann, leder" or a date line has one or none), each distinct text once.

    Campaign letters repeat the same paragraphs; fitted once per copy they would outweigh every other
    subject. Copies (same words, ignoring case, spacing and punctuation) are fitted once, and a campaign found
    by ingest (``campaign_id``) only from its first letter; every unit is still assigned its themes, so the
    letters count as submissions but not as extra evidence of a theme.
    """
    keys = units["text"].fillna("").str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    keep = (~keys.duplicated()).to_numpy().copy()
    df = Counter(chain.from_iterable(set(tokens[i]) for i in np.flatnonzero(keep)))
    keep &= np.array([sum(df[t] >= min_df for t in toks) >= min_tokens for toks in tokens], dtype=bool)
    if "campaign_id" in units:  # a campaign (near-identical letters) is fitted from its first letter only
        camp = units["campaign_id"].where(units["campaign_id"].notna() & (units["campaign_id"] != ""))
        first = units.loc[camp.notna()].groupby(camp.dropna())["submission_id"].transform("min")
        copy = pd.Series(False, index=units.index)
        copy.loc[first.index] = units.loc[first.index, "submission_id"] != first
        keep &= ~copy.to_numpy()
    rows = np.flatnonzero(keep)
    return rows if len(rows) >= 2 else np.arange(len(units))


def _control_for(control: dict | None) -> dict:
    base = {"rename": [], "merge": [], "split": [], "seeds": []}
    if control:
        base.update({k: v for k, v in control.items() if k in base})
    return base


@contextlib.contextmanager
def _stage(log: list | None, name: str) -> Iterator[None]:
    """Record (stage, start, end) in ``log`` (perf_counter seconds) so a benchmark can time each stage."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if log is not None:
            log.append((name, start, time.perf_counter()))


def _sample_rows(n: int, size: int, seed: int) -> np.ndarray:
    return np.arange(n) if n <= size else np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def fit_themes(submissions: pd.DataFrame, segments: pd.DataFrame, params: ThemeParams | None = None,
               control: dict | None = None, previous: pd.DataFrame | None = None,
               analyzer: Analyzer | None = None, ignore_terms: frozenset[str] | None = None,
               stage_log: list | None = None) -> ThemeResult:
    """The whole theme run on the ingest tables. ``control`` comes from :func:`load_control` (pass ``{}`` for
    none), ``previous`` from :func:`read_previous` (None on a first run), ``ignore_terms`` defaults to
    :func:`load_ignore_terms`. ``stage_log`` (a list) receives (stage, start, end) for the benchmark."""
    params = params or ThemeParams()
    ignore = load_ignore_terms() if ignore_terms is None else frozenset(ignore_terms)
    control = _control_for(control)
    msgs: list[str] = []
    with _stage(stage_log, "units"):
        units = build_units(submissions, segments, params.level, params.attach_headings)
    if len(units) < 2:
        raise ValueError(f"only {len(units)} text units in the submissions: nothing to cluster")
    with _stage(stage_log, "tokenise+lemma"):
        tokens = analyze_raw(units, analyzer, params.attach_headings, params.n_jobs)
    with _stage(stage_log, "vectorise"):
        tokens = finish_tokens(units, tokens, analyzer, params.compound_features, ignore,
                               min_df=params.min_df)
        fit_rows = fit_selection(units, tokens, params.min_unit_tokens, params.min_df)
        vectors = vectorize([tokens[i] for i in fit_rows], params.min_df, params.max_df, params.sublinear_tf)
        X_all = transform(vectors, tokens)
        X_fit = X_all[fit_rows]

    seed_groups = [normalise_terms(s["terms"]) for s in control["seeds"]]
    seeds = seed_matrix(vectors.terms, seed_groups) if seed_groups else None
    for s, group in zip(control["seeds"], seed_groups, strict=True):
        if not set(group) & set(vectors.terms):
            _warn(msgs, f"{CONTROL_PATH.name}: seed theme {s['theme']}: none of {s['terms']} occurs in the "
                        "text")
    k_table = pd.DataFrame()
    if params.n_themes == "auto":
        with _stage(stage_log, "choose k"):
            k, k_table = choose_k(X_fit, vectors.binary, params.k_range, params.random_seed, params.max_iter,
                                  seeds, params.auto_sample)
    else:
        k = int(params.n_themes)
    k = max(2, min(k, X_fit.shape[0], X_fit.shape[1]))
    with _stage(stage_log, "factorise"):
        _, H_raw, nmf = fit_nmf(X_fit, k, params.random_seed, max_iter=params.max_iter, seeds=seeds)
        W_raw = nmf.transform(X_all)

    with _stage(stage_log, "label"):
        ids, registry, matching, disappeared = _identify(W_raw, H_raw, vectors, control, previous, seeds,
                                                         params, msgs)
        W, H, ids, merged_from = _apply_control(X_all, W_raw, H_raw, ids, vectors.terms, control, params,
                                                msgs)
        term_freq = np.asarray(vectors.binary.sum(axis=0)).ravel()
        sample = _sample_rows(len(units), 5000, params.random_seed)
        surface = surface_forms([vectors.terms[i] for idx in top_term_indices(H, 30) for i in idx],
                                units["text"].iloc[sample].tolist())
        labels = make_labels(H, vectors.terms, term_freq, surface)
        label_of = _final_labels(ids, labels, H, vectors.terms, control, msgs)
        binary_all = (X_all > 0).astype(np.float32).tocsr()
        themes, theme_terms = describe_themes(W, H, ids, labels, vectors.terms, units, binary_all, surface)
        themes["label"] = themes["theme_id"].map(label_of)
        themes["merged_from"] = themes["theme_id"].map(lambda t: ", ".join(merged_from.get(t, [])))
        seed_ids = [s["theme"] for s in control["seeds"]]
        seed_terms = {s["theme"]: ", ".join(s["terms"]) for s in control["seeds"]}
        themes["seed_terms"] = [seed_terms.get(t, "") for t in themes["theme_id"]]
        matched = set(matching.get("theme_id", []))
        split_ids = {e["ref"].get("theme") for e in control["split"]}
        themes["status"] = [("seeded" if t in seed_ids else "matched" if t in matched else
                             "split" if t[:-1] in split_ids else "new") for t in themes["theme_id"]]
        themes = themes.sort_values("n_segments", ascending=False, kind="stable").reset_index(drop=True)
        dom = dominant(W)
        shares = unit_shares(W)
        units = units.assign(theme_id=[ids[t] if t >= 0 else "" for t in dom],
                             theme_weight=[float(shares[i, t]) if t >= 0 else 0.0 for i, t in enumerate(dom)])
        seg_table = segment_table(W, ids, units, segments)
        sub_shares = submission_shares(W, ids, units)
        groups = group_submissions(sub_shares, ids, label_of, seed=params.random_seed)

    with _stage(stage_log, "quality"):
        # Stability and the KMeans cross-check on at most ``auto_sample`` units: they refit the model.
        rows = _sample_rows(X_fit.shape[0], params.auto_sample, params.random_seed)
        fit_dom = dominant(W_raw[fit_rows[rows]])
        quality = dict(k=k, n_units=len(units), n_fit_units=len(fit_rows), n_terms=len(vectors.terms),
                       npmi_mean=float(np.nanmean(themes["npmi"])) if len(themes) else float("nan"),
                       ari_seeds=stability(X_fit[rows], k, params.random_seed),
                       ari_kmeans=kmeans_agreement(X_fit[rows], fit_dom, k, params.random_seed))
    return ThemeResult(params, units, tokens, vectors, W, H, ids, themes, theme_terms, registry, seg_table,
                       sub_shares, groups, k_table, quality, matching, disappeared, warnings=msgs, nmf=nmf,
                       raw_H=H_raw, ignore_terms=ignore)


def _identify(W_raw: np.ndarray, H_raw: np.ndarray, vectors: Vectors, control: dict,
              previous: pd.DataFrame | None, seeds: np.ndarray | None, params: ThemeParams, msgs: list[str]
              ) -> tuple[list[str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Ids of the fitted themes: seeded themes take their configured id; the others are matched to the
    previous run by top terms (new ones numbered by size). Returns ids, the registry of this run's raw
    themes, the matching table and the previous themes that disappeared (each also a warning)."""
    k = H_raw.shape[0]
    labels_raw = dominant(W_raw)
    seed_ids = [s["theme"] for s in control["seeds"]]
    seeded = seed_positions(H_raw, seeds) if seeds is not None else []
    rest = [t for t in range(k) if t not in seeded]
    raw_terms = [list(vectors.terms[idx]) for idx in top_term_indices(H_raw, N_MATCH_TERMS)]
    prev = previous[~previous["theme_id"].isin(seed_ids)] if previous is not None else None
    prev_ids, matching, disappeared = match_themes([raw_terms[t] for t in rest], prev, params.match_threshold)
    sizes = np.bincount(labels_raw[labels_raw >= 0], minlength=k)
    order = list(np.argsort(-sizes[rest], kind="stable"))
    rest_ids = assign_ids(prev_ids, order, set(seed_ids))
    ids = [""] * k
    for t, tid in [*zip(seeded, seed_ids, strict=True), *zip(rest, rest_ids, strict=True)]:
        ids[t] = tid
    if not matching.empty:
        matching["theme_id"] = [rest_ids[i] for i in matching["theme_index"]]
        matching = matching[["theme_id", "previous_theme_id", "jaccard"]]
    for row in disappeared.itertuples(index=False):
        _warn(msgs, f"theme {row.theme_id} ({row.label or row.top_terms[:60]}) from the previous run has no "
                    f"match in this run (best top-term overlap {row.best_jaccard:.2f}): it disappeared")
    term_freq = np.asarray(vectors.binary.sum(axis=0)).ravel()
    registry = pd.DataFrame({"theme_id": ids, "label": make_labels(H_raw, vectors.terms, term_freq),
                             "top_terms": ["; ".join(t) for t in raw_terms]})
    return ids, registry, matching, disappeared


def _apply_control(X: sparse.spmatrix, W: np.ndarray, H: np.ndarray, ids: list[str], terms: np.ndarray,
                   control: dict, params: ThemeParams, msgs: list[str]
                   ) -> tuple[np.ndarray, np.ndarray, list[str], dict[str, list[str]]]:
    """Splits, then merges from ``config/themes.yaml``; a rule whose theme is not in this run is a warning."""
    for entry in control["split"]:
        tid = resolve_ref(entry["ref"], ids, H, terms)
        if tid is None:
            _warn(msgs, f"{CONTROL_PATH.name}: split {entry['ref']}: no such theme in this run, not applied")
            continue
        W, H, ids = apply_split(X, W, H, ids, tid, entry["how"], terms, params.random_seed, params.max_iter)
    merge_groups = []
    for group in control["merge"]:
        resolved = [resolve_ref(r, ids, H, terms) for r in group]
        missing = [r for r, x in zip(group, resolved, strict=True) if x is None]
        if missing:
            _warn(msgs, f"{CONTROL_PATH.name}: merge {group}: {missing} not found in this run, merging the "
                        "rest")
        merge_groups.append([x for x in resolved if x])
    return apply_merges(W, H, ids, merge_groups)


def _final_labels(ids: list[str], labels: list[str], H: np.ndarray, terms: np.ndarray, control: dict,
                  msgs: list[str]) -> dict[str, str]:
    """Automatic labels, overridden by seed labels and then by renames."""
    label_of = dict(zip(ids, labels, strict=True))
    for s in control["seeds"]:
        if s.get("label") and s["theme"] in label_of:
            label_of[s["theme"]] = str(s["label"])
    for entry in control["rename"]:
        tid = resolve_ref(entry["ref"], ids, H, terms)
        if tid is None:
            _warn(msgs, f"{CONTROL_PATH.name}: rename to {entry['label']!r}: theme {entry['ref']} not in "
                        "this run")
            continue
        label_of[tid] = entry["label"]
    return label_of


# ------------------------------------------------------------------------------------ the mandate
def project_reference(result: ThemeResult, submissions: pd.DataFrame, segments: pd.DataFrame,
                      analyzer: Analyzer | None = None, min_share: float = 0.02, gap_coverage: float = 0.15,
                      gap_min_tokens: int = 8) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Project the mandate onto the themes. Returns three tables:

    - per theme: its share of the submissions' and of the mandate's theme weight, and a verdict
      ("begge", "bare innspill": submissions write about it, the mandate does not ask);
    - mandate paragraphs that no theme explains (``coverage`` = share of their words in the theme vocabulary
      x cosine between their TF-IDF and its reconstruction from the themes, below ``gap_coverage``; at least
      ``gap_min_tokens`` content words, so lists of members' names do not count): what the mandate asks for
      that nobody writes about, with the words that carry it, least covered first;
    - the mandate's distinctive words against the submissions (weighted log-odds, both directions).

    The themes are fitted on submissions only; the mandate never shapes them.
    """
    p = result.params
    ref_units = build_units(submissions, segments, p.level, p.attach_headings, reference=True)
    ids = result.theme_ids
    label_of = dict(zip(result.themes["theme_id"], result.themes["label"], strict=True))
    sub_share = result.W.sum(axis=0) / max(result.W.sum(), 1e-12)
    empty = (pd.DataFrame(columns=["theme_id", "label", "share_submissions", "share_mandate", "verdict"]),
             pd.DataFrame(), pd.DataFrame())
    if ref_units.empty:
        return empty
    tokens = analyze_units(ref_units, analyzer, p.attach_headings, p.compound_features,
                           ignore=result.ignore_terms, vocab=set(result.vectors.terms))
    X = transform(result.vectors, tokens)
    W_ref = result.nmf.transform(X) if result.nmf is not None else np.zeros((len(tokens), len(ids)))
    if W_ref.shape[1] != len(ids):  # merges/splits changed the themes: map raw weights through the final H
        W_ref = _project_on(X, result.H)
    ref_share = W_ref.sum(axis=0) / max(W_ref.sum(), 1e-12)
    themes = pd.DataFrame({"theme_id": ids, "label": [label_of.get(t, "") for t in ids],
                           "share_submissions": sub_share, "share_mandate": ref_share})
    themes["verdict"] = np.where(themes["share_mandate"] >= min_share,
                                 np.where(themes["share_submissions"] >= min_share, "begge", "bare mandat"),
                                 "bare innspill")
    themes = themes.sort_values("share_submissions", ascending=False).reset_index(drop=True)

    vocab = set(result.vectors.terms)
    theme_top = {result.vectors.terms[i] for idx in top_term_indices(result.H, 30) for i in idx}
    recon = W_ref @ result.H
    gaps = []
    for i, toks in enumerate(tokens):
        if len(toks) < gap_min_tokens:
            continue
        in_vocab = sum(t in vocab for t in toks) / len(toks)
        x = X[i].toarray().ravel()
        denom = np.linalg.norm(x) * np.linalg.norm(recon[i])
        cos = float(x @ recon[i] / denom) if denom > 0 else 0.0
        coverage = in_vocab * cos
        if coverage < gap_coverage:
            words = [w for w, _ in Counter(t for t in toks if t not in theme_top).most_common(8)]
            u = ref_units.iloc[i]
            gaps.append(dict(segment_id=u["unit_id"], location=location(u), coverage=round(coverage, 3),
                             uncovered_terms=", ".join(display_term(w) for w in words),
                             text=quote_text(u["text"])))
    gaps_df = pd.DataFrame(gaps, columns=["segment_id", "location", "coverage", "uncovered_terms", "text"])
    gaps_df = gaps_df.sort_values("coverage", kind="stable").reset_index(drop=True)

    counts, terms = vocabulary.count_matrix(result.tokens + tokens)
    groups = ["innspill"] * len(result.tokens) + ["mandat"] * len(tokens)
    terms_df = vocabulary.distinctive_terms(counts, terms, groups, top_n=25, group_col="doc_group")
    return themes, gaps_df, terms_df


def _project_on(X: sparse.spmatrix, H: np.ndarray) -> np.ndarray:
    """Non-negative least squares weights of rows of X on fixed theme-term rows H (one NMF W-step)."""
    from sklearn.decomposition import non_negative_factorization

    W, _, _ = non_negative_factorization(X, H=H.astype(X.dtype), n_components=H.shape[0], init="custom",
                                         update_H=False, max_iter=400)
    return W


def distinctive_by_org_type(result: ThemeResult, top_n: int = 20, **kwargs: Any) -> pd.DataFrame:
    """Distinctive vocabulary of each organisation type against the others (``vocabulary``, Monroe et al.),
    counted over the same tokens the themes use; the group column is ``org_type``."""
    counts, terms = vocabulary.count_matrix(result.tokens)
    return vocabulary.distinctive_terms(counts, terms, result.units["org_type"].fillna("ukjent").tolist(),
                                        top_n=top_n, group_col="org_type", **kwargs)


# ----------------------------------------------------------------------------------------- 2-D map
def map_2d(result: ThemeResult, seed: int | None = None, method: str = "auto") -> pd.DataFrame:
    """2-D coordinates of the units for a map coloured by theme.

    Up to 3 000 units: t-SNE (fixed seed, cosine distance, perplexity about n/10 capped at 30) on the
    L2-normalised 50-dimensional SVD of the TF-IDF: it keeps neighbours together, which is what a reader
    looks for. Beyond that the first two SVD components (t-SNE's cost grows fast with n). The map shows the
    words, not the themes: themes are only the colours.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    seed = result.params.random_seed if seed is None else seed
    keep = np.flatnonzero((result.units["theme_id"] != "").to_numpy())  # units with no known word: no place
    X = transform(result.vectors, [result.tokens[i] for i in keep])
    units = result.units.iloc[keep]
    n = X.shape[0]
    dims = max(2, min(50, X.shape[1] - 1, n - 1))
    Z = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(X)
    use_tsne = method == "tsne" or (method == "auto" and 10 <= n <= 3000)
    if use_tsne:
        from sklearn.manifold import TSNE
        from threadpoolctl import threadpool_limits

        # One thread: on a busy 2-core machine t-SNE's OpenMP threads wait on each other for tens of seconds.
        with threadpool_limits(1):
            xy = TSNE(n_components=2, random_state=seed, perplexity=float(min(30.0, max(3.0, n / 10))),
                      metric="cosine", init="pca", n_jobs=1).fit_transform(normalize(Z))
    else:
        xy = Z[:, :2]
    return pd.DataFrame({"unit_id": units["unit_id"].to_numpy(), "x": xy[:, 0], "y": xy[:, 1],
                         "theme_id": units["theme_id"].to_numpy(),
                         "submission_id": units["submission_id"].to_numpy(),
                         "org_type": units["org_type"].to_numpy(), "method": "t-SNE" if use_tsne else "SVD"})


# ------------------------------------------------------------------------------------------ outputs
def write_outputs(result: ThemeResult, processed_dir: str | Path) -> dict[str, Path]:
    """Write every theme table into ``processed_dir``; the previous ``themes.csv`` is kept as
    ``themes_previous.csv`` first, so a run can always be compared with the one before."""
    processed_dir = Path(processed_dir)
    out: dict[str, Path] = {}
    old = processed_dir / "themes.csv"
    if old.is_file():
        out["themes_previous"] = io.write_bytes(processed_dir / "themes_previous.csv", old.read_bytes())
    out["themes"] = io.write_csv(result.themes, old)
    out["theme_registry"] = io.write_csv(result.registry, processed_dir / "theme_registry.csv")
    out["theme_terms"] = io.write_csv(result.theme_terms, processed_dir / "theme_terms.csv")
    out["segment_themes"] = io.write_parquet(result.segment_themes, processed_dir / "segment_themes.parquet")
    out["submission_themes"] = io.write_csv(result.submission_themes, processed_dir / "submission_themes.csv")
    out["submission_groups"] = io.write_csv(result.submission_groups, processed_dir / "submission_groups.csv")
    out["theme_quality"] = io.write_csv(quality_table(result), processed_dir / "theme_quality.csv")
    out["theme_k_selection"] = io.write_csv(result.k_table, processed_dir / "theme_k_selection.csv")
    out["theme_matching"] = io.write_csv(result.matching, processed_dir / "theme_matching.csv")
    out["themes_disappeared"] = io.write_csv(result.disappeared, processed_dir / "themes_disappeared.csv")
    for name in ("mandate_themes", "mandate_gaps", "mandate_terms"):
        table = getattr(result, name)
        out[name] = io.write_csv(table, processed_dir / f"{name}.csv")
    return out


def quality_table(result: ThemeResult) -> pd.DataFrame:
    """The run's quality numbers as a two-column table (measure, value) with a Norwegian explanation."""
    q = result.quality
    meaning = {
        "k": "antall temaer",
        "n_units": "avsnitt (enheter) i alt",
        "n_fit_units": "avsnitt brukt til å tilpasse modellen (minst tre innholdsord)",
        "n_terms": "ord og uttrykk i ordforrådet",
        "npmi_mean": "koherens: gjennomsnittlig NPMI for temaenes 10 viktigste ord (-1 til 1)",
        "ari_seeds": "stabilitet: justert Rand-indeks mellom to tilfeldige startpunkter (seed, seed+1)",
        "ari_kmeans": "samsvar med MiniBatchKMeans (justert Rand-indeks)",
    }
    return pd.DataFrame([dict(measure=k, value=v, meaning=meaning.get(k, "")) for k, v in q.items()])

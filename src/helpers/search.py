"""Search over every segment that understands Norwegian inflection: ``døgnplass`` finds ``døgnplassene`` and
Nynorsk ``døgnplassar``, ``psykisk helsevern`` finds ``det psykiske helsevernet``.

How: each indexed segment (a sentence; a block with no sentences of its own, such as a heading, is indexed
whole) is turned into the set of its lemmas (``helpers.text.lemmas``: every word, stop words included, so a
search for "ikke" still works) plus the analyzer's forms (``helpers.text.analyze``: multi-word terms joined,
Nynorsk mapped to Bokmål) plus the parts of hyphenated compounds ("ROP-pasienter" -> "rop"). An inverted index
maps each form to the sorted array of rows that contain it, so a query is a few array intersections - fast on
100 000 segments. The query goes through ``text.normalize_query`` in Bokmål and in Nynorsk; a segment matches
a query word when it holds either form. ``prefix=True`` also matches forms that start with the query
("døgn" -> døgnplass, døgnbehandling).

Results are sentences with the sentence before and after (same submission) and their location (file, page,
paragraph number), filterable by organisation type, theme, document kind and date.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import shlex
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers import text
from helpers.themes import extra_features

RESULT_COLUMNS = ["segment_id", "submission_id", "org_name", "org_type", "doc_kind", "received_date",
                  "theme_id", "file", "page", "paragraph_no", "location", "prev_sentence", "sentence",
                  "next_sentence", "highlighted", "matched", "is_public"]


@dataclass
class SearchIndex:
    """Indexed segments (one row each, in document order) and the inverted index of their forms."""

    rows: pd.DataFrame
    postings: dict[str, np.ndarray]
    keys: list[str]

    def __len__(self) -> int:
        return len(self.rows)


def _col(df: pd.DataFrame, name: str, default: Any) -> pd.Series:
    return df[name] if name in df.columns else pd.Series([default] * len(df), index=df.index)


def indexed_segments(submissions: pd.DataFrame, segments: pd.DataFrame,
                     segment_themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows to index: sentences, plus blocks without sentences; with metadata, location and theme."""
    parent = _col(segments, "parent_id", None)
    blocks = segments[parent.isna() & (segments["kind"] != "sentence")].sort_values(
        ["submission_id", "order"], kind="stable")
    para_no = pd.Series(blocks.groupby("submission_id").cumcount().to_numpy() + 1,
                        index=blocks["segment_id"].to_numpy())
    sents = segments[segments["kind"] == "sentence"]
    with_kids = set(sents["parent_id"].dropna())
    lone = blocks[~blocks["segment_id"].isin(with_kids)]
    rows = pd.concat([sents, lone], ignore_index=True).sort_values(["submission_id", "start", "order"],
                                                                  kind="stable")
    block_of = rows["parent_id"].where(rows["parent_id"].notna() & (rows["kind"] == "sentence"),
                                       rows["segment_id"])
    rows = rows.assign(block_id=block_of.to_numpy(), paragraph_no=block_of.map(para_no).fillna(0).astype(int))
    meta_cols = ["submission_id", "file", "org_name", "org_type", "doc_kind", "received_date"]
    meta = submissions[meta_cols].assign(
        is_public=_col(submissions, "is_public", True).fillna(True).astype(bool),
        language=_col(submissions, "language", "nb").fillna("nb"))
    rows = rows.merge(meta, on="submission_id", how="left")
    if "language" in segments.columns:
        own = rows["segment_id"].map(segments.set_index("segment_id")["language"])
        rows["language"] = own.where(own.notna() & (own != ""), rows["language"])
    rows["theme_id"] = _themes_for(rows, segment_themes)
    # Context skips footnotes: the sentence after a footnote mark is the next sentence, not the URL.
    body = rows[rows["kind"] != "footnote"]
    grp = body.groupby("submission_id", sort=False)["text"]
    rows["prev_sentence"] = grp.shift(1).reindex(rows.index).fillna("")
    rows["next_sentence"] = grp.shift(-1).reindex(rows.index).fillna("")
    rows["received_date"] = pd.to_datetime(rows["received_date"], errors="coerce")
    return rows.reset_index(drop=True)


def _themes_for(rows: pd.DataFrame, segment_themes: pd.DataFrame | None) -> pd.Series:
    """Dominant theme of each row: its own (sentence-level runs, inherited rows) or its paragraph's."""
    if segment_themes is None or segment_themes.empty:
        return pd.Series([""] * len(rows), index=rows.index)
    top = segment_themes
    if "rank" in top.columns:
        top = top[top["rank"] == 1]
    top = top.drop_duplicates("segment_id").set_index("segment_id")["theme_id"]
    own = rows["segment_id"].map(top)
    return own.fillna(rows["block_id"].map(top)).fillna("")


def segment_forms(sentence: str, lang: str = "nb") -> set[str]:
    """Every form a query can hit in ``sentence``: lemmas, analyzer forms, hyphen-compound parts."""
    forms = set(text.lemmas(sentence, lang)) | set(text.analyze(sentence, lang))
    for form in list(forms):
        if "_" in form:  # a long term also holds the terms inside it: psykisk_helsevern_for_barn_og_unge
            forms.update(extra_features(form))
        elif "-" in form.strip("-"):
            forms.update(p for p in form.split("-") if len(p) > 1)
        if "/" in form:
            forms.update(p for p in form.split("/") if len(p) > 1)
    forms.discard("")
    return forms


def build_index(submissions: pd.DataFrame, segments: pd.DataFrame,
                segment_themes: pd.DataFrame | None = None) -> SearchIndex:
    """Index every segment of ``segments`` (sentences and sentence-less blocks) for :func:`search`."""
    rows = indexed_segments(submissions, segments, segment_themes)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, (sentence, lang) in enumerate(zip(rows["text"], rows["language"], strict=True)):
        for form in segment_forms(sentence, lang if lang in ("nb", "nn") else "nb"):
            postings[form].append(i)
    arrays = {k: np.asarray(v, dtype=np.int32) for k, v in postings.items()}
    return SearchIndex(rows, arrays, sorted(arrays))


def query_units(query: str) -> list[str]:
    """The query split into words, keeping "quoted phrases" together."""
    try:
        parts = shlex.split(query)
    except ValueError:  # an unbalanced quote: search the words as written
        parts = query.replace('"', " ").split()
    return [p for p in (q.strip() for q in parts) if p]


def query_alternatives(unit: str) -> list[tuple[str, ...]]:
    """The forms one query word (or phrase) can take in the index: normalised in Bokmål and in Nynorsk.

    Each alternative is a tuple of forms that must all be present. A phrase is searched as its term
    ("psykisk helsevern" -> psykisk_helsevern) and as its words together in one sentence.
    """
    alts = []
    for lang in ("nb", "nn"):
        forms = tuple(f for f in text.normalize_query(unit, lang).split() if f)
        if forms and forms not in alts:
            alts.append(forms)
        words = tuple(text.lemmatize(w, lang).strip("-") for w in text.tokenize(unit)) if " " in unit else ()
        if len(words) > 1 and words not in alts:
            alts.append(words)  # a phrase also matches its words anywhere in one sentence
    raw = unit.lower()
    if " " not in raw and (raw,) not in alts:
        alts.append((raw,))
    return alts


def _rows_with(index: SearchIndex, form: str, prefix: bool) -> np.ndarray:
    if not prefix:
        return index.postings.get(form, np.empty(0, dtype=np.int32))
    lo = bisect.bisect_left(index.keys, form)
    hi = bisect.bisect_left(index.keys, form + "\uffff")
    arrays = [index.postings[k] for k in index.keys[lo:hi]]
    return np.unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.int32)


def match_rows(index: SearchIndex, query: str, mode: str = "all", prefix: bool = False
               ) -> tuple[np.ndarray, list[str]]:
    """Rows matching ``query`` (all words with ``mode="all"``, any with ``"any"``) and the forms searched."""
    hits_per_unit, searched = [], []
    for unit in query_units(query):
        unit_hits = np.empty(0, dtype=np.int32)
        for forms in query_alternatives(unit):
            searched.extend(forms)
            rows = None
            for form in forms:
                found = _rows_with(index, form, prefix)
                rows = found if rows is None else np.intersect1d(rows, found, assume_unique=True)
            unit_hits = np.union1d(unit_hits, rows if rows is not None else unit_hits)
        hits_per_unit.append(unit_hits)
    if not hits_per_unit:
        return np.empty(0, dtype=np.int32), []
    combine = np.intersect1d if mode == "all" else np.union1d
    result = hits_per_unit[0]
    for other in hits_per_unit[1:]:
        result = combine(result, other)
    return result.astype(np.int64), list(dict.fromkeys(searched))


def _as_list(value: Any) -> list | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        return [value]
    values = [v for v in value if v is not None and str(v).strip()]
    return values or None


def filter_mask(rows: pd.DataFrame, org_type: Any = None, theme_id: Any = None, doc_kind: Any = None,
                date_from: Any = None, date_to: Any = None, public_only: bool = False) -> np.ndarray:
    """Boolean mask over index rows. Each filter takes one value or a list; empty means no filter.

    A date filter drops submissions without a known date (they cannot be shown to fall in the period).
    """
    mask = np.ones(len(rows), dtype=bool)
    for col, value in (("org_type", org_type), ("theme_id", theme_id), ("doc_kind", doc_kind)):
        values = _as_list(value)
        if values:
            mask &= rows[col].isin(values).to_numpy()
    dates = rows["received_date"]
    if date_from not in (None, ""):
        mask &= (dates >= pd.Timestamp(date_from)).fillna(False).to_numpy(dtype=bool)
    if date_to not in (None, ""):
        mask &= (dates <= pd.Timestamp(date_to)).fillna(False).to_numpy(dtype=bool)
    if public_only:
        mask &= rows["is_public"].to_numpy(dtype=bool)
    return mask


def highlight(sentence: str, forms: set[str], lang: str = "nb", prefix: bool = False) -> str:
    """``sentence`` with the words that matched wrapped in ``**``."""
    spans = text.token_spans(sentence) if hasattr(text, "token_spans") else [
        (m.start(), m.end()) for m in re.finditer(r"\w+(?:-\w+)*", sentence)]
    out, last = [], 0
    for start, end in spans:
        word = sentence[start:end]
        mine = _word_forms(word, lang)
        hit = bool(mine & forms) or (prefix and any(m.startswith(f) for m in mine for f in forms))
        if hit:
            out.append(sentence[last:start] + f"**{word}**")
            last = end
    out.append(sentence[last:])
    return "".join(out)


@functools.lru_cache(maxsize=100_000)
def _word_forms(word: str, lang: str) -> frozenset[str]:
    return frozenset(segment_forms(word, lang) | {word.lower()})


def search(index: SearchIndex, query: str, org_type: Any = None, theme_id: Any = None, doc_kind: Any = None,
           date_from: Any = None, date_to: Any = None, mode: str = "all", prefix: bool = False,
           public_only: bool = False, limit: int | None = None) -> pd.DataFrame:
    """Sentences matching ``query`` with context and location, in document order (``RESULT_COLUMNS``)."""
    if mode not in ("all", "any"):
        raise ValueError(f"mode must be 'all' or 'any', not {mode!r}")
    hits, forms = match_rows(index, query, mode, prefix)
    rows = index.rows
    if len(hits):
        keep = filter_mask(rows.iloc[hits], org_type, theme_id, doc_kind, date_from, date_to, public_only)
        hits = hits[keep]
    if limit is not None:
        hits = hits[:limit]
    found = rows.iloc[hits]
    form_set = set(forms) | {p for f in forms for p in f.split("_")}
    out = pd.DataFrame({
        "segment_id": found["segment_id"], "submission_id": found["submission_id"],
        "org_name": found["org_name"], "org_type": found["org_type"], "doc_kind": found["doc_kind"],
        "received_date": found["received_date"], "theme_id": found["theme_id"], "file": found["file"],
        "page": found["page"], "paragraph_no": found["paragraph_no"],
        "location": [f"{f}, s. {int(p or 1)}, avsnitt {int(n)}" for f, p, n in
                     zip(found["file"], found["page"].fillna(1), found["paragraph_no"], strict=True)],
        "prev_sentence": found["prev_sentence"], "sentence": found["text"],
        "next_sentence": found["next_sentence"],
        "highlighted": [highlight(s, form_set, lang if lang in ("nb", "nn") else "nb", prefix)
                        for s, lang in zip(found["text"], found["language"], strict=True)],
        "matched": ", ".join(forms), "is_public": found["is_public"],
    })
    return out.reset_index(drop=True)[RESULT_COLUMNS]


def summary(results: pd.DataFrame) -> pd.DataFrame:
    """Hits per organisation type and submission: where a subject is raised, at a glance."""
    if results.empty:
        return pd.DataFrame(columns=["org_type", "org_name", "n_sentences"])
    return (results.groupby(["org_type", "org_name"]).size().rename("n_sentences").reset_index()
            .sort_values("n_sentences", ascending=False, kind="stable").reset_index(drop=True))


# ------------------------------------------------------------------------------------------ widgets
def want_widgets(setting: Any = "auto") -> bool:
    """Whether to show ipywidgets controls. ``"auto"``: only in a kernel that JupyterLab/Notebook started
    (it sets ``JPY_SESSION_NAME``); papermill and plain Python never get widgets, just the parameters."""
    if setting in (True, False):
        return bool(setting)
    if not os.environ.get("JPY_SESSION_NAME"):
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def search_controls(index: SearchIndex, themes: pd.DataFrame | None = None, query: str = "",
                    render=None) -> Any:
    """An ipywidgets panel (query, organisation type, theme, document kind, dates) that re-runs
    :func:`search` on every change and shows the hits. ``render(results)`` draws them (default: a table)."""
    import ipywidgets as w
    from IPython.display import display

    rows = index.rows
    theme_opts = [("(alle)", "")]
    if themes is not None and not themes.empty:
        theme_opts += [(f"{t} {lab}", t) for t, lab in zip(themes["theme_id"], themes["label"], strict=True)]
    box_q = w.Text(value=query, description="Søk", placeholder="f.eks. døgnplass")
    box_org = w.Dropdown(options=["", *sorted(rows["org_type"].dropna().unique())], description="Org.type")
    box_theme = w.Dropdown(options=theme_opts, description="Tema")
    box_kind = w.Dropdown(options=["", *sorted(rows["doc_kind"].dropna().unique())], description="Dokument")
    box_from = w.DatePicker(description="Fra")
    box_to = w.DatePicker(description="Til")
    box_prefix = w.Checkbox(value=False, description="Ordstart (døgn -> døgnplass)")
    out = w.Output()

    def _draw(_=None) -> None:
        with out:
            out.clear_output()
            if not box_q.value.strip():
                return
            res = search(index, box_q.value, box_org.value or None, box_theme.value or None,
                         box_kind.value or None, box_from.value, box_to.value, prefix=box_prefix.value)
            print(f"{len(res)} setninger")
            (render or display)(res[["org_name", "location", "prev_sentence", "highlighted", "next_sentence"]]
                                if render is None else res)

    for box in (box_q, box_org, box_theme, box_kind, box_from, box_to, box_prefix):
        box.observe(_draw, names="value")
    _draw()
    return w.VBox([w.HBox([box_q, box_prefix]), w.HBox([box_org, box_theme, box_kind]),
                   w.HBox([box_from, box_to]), out])

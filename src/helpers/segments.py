"""Cleaned blocks -> one masked text per submission and its segments (blocks and their sentences).

Decisions:
- Personal data is masked block by block before anything is laid out, so every offset refers to the masked
  text and no later step can ever see or quote an e-mail address or a national identity number.
- The cleaned text is the blocks joined by a blank line; a bullet is written before its list item but is not
  part of the item (the item's segment starts after it). ``text[start:end] == segment text`` holds exactly.
- Segment ids are ``{submission_id}-b0007`` for blocks and ``{submission_id}-b0007-s002`` for their
  sentences: stable for the same file content, readable in a citation, and sortable.
- Every block has sentence children that cover it: ``helpers.text.split_sentences`` splits the block; a
  block it finds no sentence in (a lone symbol) becomes one sentence.
- A sentence's page is the page its first character came from, so a quote can be cited by page.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import pandas as pd

from helpers import personal_data
from helpers.cleaning import Block

BLOCK_KINDS = ("heading", "paragraph", "list_item", "footnote")
SEGMENT_FIELDS = ("segment_id", "parent_id", "kind", "page", "order", "start", "end", "text")


def _default_splitter() -> Callable[[str], list[tuple[int, int]]]:
    from helpers import text as text_module

    return text_module.split_sentences


def _page_at(offset: int, first_page: int, page_starts: list[tuple[int, int]]) -> int:
    if not page_starts:
        return first_page
    i = bisect.bisect_right([off for off, _ in page_starts], offset) - 1
    return first_page if i < 0 else page_starts[i][1]


def assemble(submission_id: str, blocks: list[Block],
             split_sentences: Callable[[str], list[tuple[int, int]]] | None = None) -> tuple[str, dict, int]:
    """Mask and join ``blocks``; returns (text, segment columns as lists, number of masked values).

    The segment columns are a dict of lists keyed by :data:`SEGMENT_FIELDS` (cheap to pickle and to turn into
    a DataFrame for many files at once).
    """
    split = split_sentences or _default_splitter()
    cols: dict[str, list] = {name: [] for name in SEGMENT_FIELDS}
    parts: list[str] = []
    pos = order = n_masked = 0

    def add(seg_id: str, parent: str | None, kind: str, page: int, start: int, end: int, text: str) -> None:
        nonlocal order
        values = (seg_id, parent, kind, page, order, start, end, text)
        for name, value in zip(SEGMENT_FIELDS, values, strict=True):
            cols[name].append(value)
        order += 1

    for b_no, block in enumerate(blocks):
        masked, reps = personal_data.mask_text(block.text)
        n_masked += len(reps)
        page_starts = [(personal_data.shift_offset(off, reps), pg) for off, pg in block.page_starts]
        if parts:
            parts.append("\n\n")
            pos += 2
        if block.prefix:
            parts.append(block.prefix)
            pos += len(block.prefix)
        start = pos
        parts.append(masked)
        pos += len(masked)
        block_id = f"{submission_id}-b{b_no:04d}"
        add(block_id, None, block.kind, block.page, start, pos, masked)
        spans = split(masked) or [(0, len(masked))]
        for s_no, (s, e) in enumerate(spans):
            add(f"{block_id}-s{s_no:03d}", block_id, "sentence", _page_at(s, block.page, page_starts),
                start + s, start + e, masked[s:e])
    return "".join(parts), cols, n_masked


def segment_context(segments: pd.DataFrame, text: str, segment_id: str, before: int = 1, after: int = 1,
                    is_public: bool = True) -> dict:
    """The segment with ``before``/``after`` neighbours of the same kind, cut from ``text`` by offsets.

    Returns a dict: ``segment_id``, ``kind``, ``page``, ``parent_id``, ``parent_text`` (the block a sentence
    belongs to), ``before``, ``segment``, ``after`` (strings: joined together they are a contiguous stretch of
    the submission's text) and ``start``/``end`` of the segment. For a submission that is not public the
    texts are replaced by ``[ikke offentlig]``: it may be counted, never quoted.
    """
    if segment_id not in set(segments["segment_id"]):
        raise KeyError(f"segment {segment_id!r} is not in the segments table")
    row = segments.loc[segments["segment_id"] == segment_id].iloc[0]
    same = segments[(segments["submission_id"] == row["submission_id"]) & (segments["kind"] == row["kind"])]
    same = same.sort_values("order").reset_index(drop=True)
    idx = int(same.index[same["segment_id"] == segment_id][0])
    first = same.iloc[max(0, idx - before)]
    last = same.iloc[min(len(same) - 1, idx + after)]
    start, end = int(row["start"]), int(row["end"])
    parent_text = ""
    if isinstance(row["parent_id"], str) and row["parent_id"]:
        parent = segments.loc[segments["segment_id"] == row["parent_id"]]
        if len(parent):
            parent_text = text[int(parent.iloc[0]["start"]):int(parent.iloc[0]["end"])]
    out = {
        "segment_id": segment_id, "kind": row["kind"], "page": int(row["page"]),
        "parent_id": row["parent_id"], "start": start, "end": end, "parent_text": parent_text,
        "before": text[int(first["start"]):start] if idx > 0 and before > 0 else "",
        "segment": text[start:end],
        "after": text[end:int(last["end"])] if idx + 1 < len(same) and after > 0 else "",
    }
    if not is_public:
        for key in ("parent_text", "before", "segment", "after"):
            out[key] = "[ikke offentlig]" if out[key] else ""
    return out


def side_by_side_html(text: str, segments_table: pd.DataFrame, is_public: bool = True,
                      kinds: tuple[str, ...] = BLOCK_KINDS) -> str:
    """An HTML table: the cleaned text on the left, its segments (kind, page, offsets, text) on the right.

    For reading one submission in a notebook. A submission that is not public shows only its segment
    structure, never its words.
    """
    import html

    segs = segments_table[segments_table["kind"].isin(kinds)].sort_values("order")
    rows = []
    for seg in segs.itertuples():
        shown = html.escape(seg.text) if is_public else "[ikke offentlig]"
        rows.append(f"<tr><td>{html.escape(seg.kind)}</td><td>{seg.page}</td><td>{seg.start}–{seg.end}</td>"
                    f"<td style='text-align:left'>{shown}</td></tr>")
    left = html.escape(text) if is_public else "[ikke offentlig: teksten vises ikke]"
    return (
        "<table style='width:100%;table-layout:fixed'><tr>"
        "<td style='width:45%;vertical-align:top;text-align:left'>"
        f"<div style='white-space:pre-wrap;font-size:0.85em'>{left}</div></td>"
        "<td style='vertical-align:top'><table style='font-size:0.85em'>"
        "<tr><th>kind</th><th>page</th><th>start–end</th><th>text</th></tr>"
        + "".join(rows) + "</table></td></tr></table>"
    )

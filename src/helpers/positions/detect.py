"""Document-level detection: every sentence of every submission against every position.

Builds on ``stance`` (one sentence) and adds what needs the document:
- headings never carry a stance (they only mention a topic);
- list items under a lead-in ending in ":" inherit its speaker and, when they have none of their own, its
  verdict ("Det er noen forhold som er sentrale for å lykkes:" / "- Brukermedvirkning og styring.");
- a sentence that refers back ("Det er vi ikke enige i.", "Rådet støtter derfor dette forslaget.") takes
  the claim of the previous sentence (or of the latest reported proposal) and evaluates it;
- every call keeps its location: file, page, paragraph number (¶, counting paragraphs and list items in
  document order) and offsets into ``submissions.text``.

Mandates (``is_reference``) are skipped. The result has one row per (sentence, position) with any hit.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from helpers.positions import stance
from helpers.positions.codebook import Codebook, load_codebook
from helpers.positions.lexicon import Lexicon, load_lexicon

SENTENCE_COLUMNS = [
    "submission_id",
    "file",
    "org_name",
    "segment_id",
    "parent_id",
    "block_kind",
    "page",
    "paragraph",
    "start",
    "end",
    "position_id",
    "stance",
    "sign",
    "confidence",
    "conf_support",
    "conf_oppose",
    "strong",
    "direction",
    "proposition",
    "attributed",
    "hedged",
    "conditional",
    "scope",
    "is_heading",
    "linked_to",
    "cues",
    "text",
]
BLOCK_KINDS = ("heading", "paragraph", "list_item", "footnote")
CALL_LABELS = ("support", "oppose", "mixed")
INHERIT_FACTOR = 0.85
ANAPHOR_FACTOR = 0.8
ANAPHOR_WINDOW = 2  # sentences back for "Dette ...", "Det er vi enige i"
PROPOSAL_WINDOW = 10  # sentences back for "forslaget"
_PROPOSAL = re.compile(r"(?i)\b(forslag|framlegg)\w*")


@dataclass
class _Block:
    kind: str
    text: str
    paragraph: int
    page: int


# confidence factor for a call whose topic was carried over from the previous sentence or heading
CARRY_FACTOR = 0.7


def _blocks(segs: list[dict]) -> dict[str, _Block]:
    """Blocks by segment id with their ¶ number (paragraphs and list items counted in order).
    ``segs`` are one submission's segment records, sorted by ``order``."""
    out, n = {}, 0
    blocks = [r for r in segs if r["kind"] in BLOCK_KINDS]
    has_headings = any(r["kind"] == "heading" for r in blocks)
    for i, row in enumerate(blocks):
        kind = row["kind"]
        if kind == "paragraph" and not has_headings and _looks_like_heading(row["text"]):
            kind = "heading"
        if kind == "list_item" and _looks_like_heading(_NUMBERING.sub("", row["text"])):
            near = [blocks[j]["kind"] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
            if "list_item" not in near:  # "4. Egne enheter for kvinner" followed by prose: a section title
                kind = "heading"
        if kind in ("paragraph", "list_item"):
            n += 1
        out[row["segment_id"]] = _Block(kind, row["text"], max(n, 1), int(row["page"]))
    return out


_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[a-zA-Z])[.)]\s+")
_FINITE = stance.AUXILIARIES | {"finnes", "finst"}
_CLAUSE_ITEM = re.compile(r"^\W*(?:at|å|om)\b", re.IGNORECASE)


def _inherits(text: str) -> bool:
    """A list item takes its lead-in's verdict when it continues the lead-in ("at ...", "å ...") or is a
    bare noun phrase ("flere døgnplasser"); a full sentence of its own ("Helseforetaka har avtalar med
    fengsla.") is a statement, not a continuation."""
    if _CLAUSE_ITEM.match(_NUMBERING.sub("", text)):
        return True
    return not any(w in _FINITE for w in re.findall(r"\w+", text.lower()))


def _looks_like_heading(text: str) -> bool:
    """Fallback when the ingest marks no headings: one short line without final punctuation."""
    t = text.strip()
    return "\n" not in t and 0 < len(t.split()) <= 10 and t[-1] not in ".:;,!?" and t[0].isupper()


def _context_text(order: list[str], blocks: dict[str, _Block], block_id: str) -> str:
    """The block with its neighbours (for the codebook's `context` cues)."""
    if block_id not in blocks:
        return ""
    i = order.index(block_id)
    near = [
        blocks[order[j]].text
        for j in range(max(0, i - 1), min(len(order), i + 2))
        if blocks[order[j]].kind != "footnote"
    ]
    return "\n".join(near)


def _block_context(
    codebook: Codebook, order: list[str], blocks: dict[str, _Block], block_id: str
) -> tuple[set[str], set[str]]:
    """(positions whose `context` cues occur around the block, positions whose topic occurs there or in a
    list item's lead-in) - scanned once per block."""
    text = _context_text(order, blocks, block_id)
    if block_id in blocks and blocks[block_id].kind == "list_item":
        lead = _lead_in(order, blocks, block_id)
        if lead:
            text += "\n" + blocks[lead].text
    found = codebook.scan(stance.normalise(text))
    context_ids = {pid for pid, h in found.items() if h.get("context")}
    near_ids = {pid for pid, h in found.items() if h.get("topic") or h.get("weak_topic")}
    return context_ids, near_ids


_LEAD_IN_END = re.compile(
    r"(?::|\b(?:at|om at|følgende|følgjande|blant annet|mellom anna))\s*$", re.IGNORECASE
)


def _lead_in(order: list[str], blocks: dict[str, _Block], block_id: str) -> str | None:
    """The block that introduces a list item: the nearest earlier non-list block, if it ends with ':' or
    leads into the list ("Vi anbefaler at")."""
    i = order.index(block_id)
    for j in range(i - 1, -1, -1):
        b = blocks[order[j]]
        if b.kind in ("list_item", "footnote"):
            continue
        return order[j] if _LEAD_IN_END.search(b.text.rstrip()) else None
    return None


def _verdict(parsed: stance.Parsed) -> tuple[int, float] | None:
    """A lead-in's overall verdict: sign of its evaluations and negations, and its strongest weight."""
    evals = stance.eval_cues(parsed)
    if not evals:
        return None
    sign = 1
    for e in evals:
        sign *= e.sign
    negs = [o for o in parsed.ops if o.cat in ("negation.plain", "negation.wide")]
    return sign * (-1) ** len(negs), max(e.weight for e in evals) * INHERIT_FACTOR


def _combine(calls: list[stance.ObjectCall]) -> dict:
    """One row's worth from the object calls of one position in one sentence."""
    signed = [c for c in calls if c.sign]
    pos = max((c.confidence for c in signed if c.sign > 0), default=0.0)
    neg = max((c.confidence for c in signed if c.sign < 0), default=0.0)
    attributed = [c for c in calls if c.attributed]
    if pos and neg:
        label, sign = "mixed", 1 if pos >= neg else -1
    elif pos or neg:
        label, sign = ("support", 1) if pos else ("oppose", -1)
    elif attributed:
        label, sign = "attributed", 0
    else:
        label, sign = "mentions", 0
    directions = [c.direction for c in calls if c.direction]
    props = [c.proposition for c in attributed]
    return {
        "stance": label,
        "sign": sign,
        "strong": any(c.kind != "weak_topic" for c in signed),
        "confidence": max(pos, neg),
        "conf_support": pos,
        "conf_oppose": neg,
        "direction": max(set(directions), key=directions.count) if directions else 0,
        "proposition": props[-1] if props else 0,
        "attributed": bool(attributed) and not signed,
        "hedged": any(c.hedged for c in signed or calls),
        "conditional": any(c.conditional for c in signed or calls),
        "scope": "; ".join(dict.fromkeys(c.scope for c in (signed or calls) if c.scope)),
        "cues": " | ".join(" ".join(c.cues) for c in calls),
    }


@dataclass
class _Seg:
    segment_id: str
    parent_id: str | None
    page: int
    start: int
    end: int
    text: str


def detect_submission(sub: dict, segs: list[dict], codebook: Codebook, lex: Lexicon) -> list[dict]:
    """Sentence-level calls for one submission: ``sub`` is its submissions row as a dict, ``segs`` its
    segment records sorted by ``order``."""
    blocks = _blocks(segs)
    order = list(blocks)
    org_rx = stance.org_aliases_pattern(str(sub.get("org_name") or ""))
    sentences = [
        _Seg(r["segment_id"], r["parent_id"], r["page"], r["start"], r["end"], r["text"])
        for r in segs
        if r["kind"] == "sentence"
    ]
    if not sentences:  # an ingest without sentence children: every block is one sentence
        sentences = [
            _Seg(r["segment_id"], None, r["page"], r["start"], r["end"], r["text"])
            for r in segs
            if r["kind"] in ("paragraph", "list_item")
        ]
    rows: list[dict] = []
    history: list[tuple[int, str, stance.Parsed, dict[str, list[stance.ObjectCall]]]] = []
    verdict_cache: dict[str, tuple] = {}
    block_info: dict[str, tuple[set[str], set[str]]] = {}
    units = []  # (segment row, parent id, block, normalised unit text)
    for seg in sentences:
        parent = (
            seg.parent_id if isinstance(seg.parent_id, str) and seg.parent_id in blocks else seg.segment_id
        )
        block = blocks.get(parent, _Block("paragraph", seg.text, 1, int(seg.page)))
        if block.kind != "footnote":
            units += [(seg, parent, block, stance.normalise(u)) for u in _units(seg.text)]
    all_hits = codebook.scan_many([u[3] for u in units])
    has = [_has_cue(h) for h in all_hits]
    # a sentence without cues is read only when it may refer back to a recent one ("Det er vi uenige i.")
    wanted = [
        i
        for i, (u, h) in enumerate(zip(units, has, strict=True))
        if h or (_maybe_anaphoric(u[3]) and any(has[max(0, i - _window(u[3])) : i]))
    ]
    carried = _carry_over(units, all_hits, has, lex)
    wanted = sorted(set(wanted) | set(carried))
    lex_hits = dict(zip(wanted, lex.scan_many([units[i][3] for i in wanted]), strict=True))
    seg_calls: dict[str, dict[str, list[stance.ObjectCall]]] = {}
    linked_to: dict[tuple[str, str], str] = {}
    seg_meta: dict[str, tuple] = {}
    for idx in wanted:
        seg, parent, block, norm = units[idx]
        code_hits = all_hits[idx]
        hit = _has_cue(code_hits)
        inherited, lead_attributed = None, False
        if block.kind == "list_item" and parent in blocks:
            if parent not in verdict_cache:
                lead = _lead_in(order, blocks, parent)
                if lead:
                    lp = stance.parse(_last_sentence(blocks[lead].text), lex, org_rx)
                    verdict_cache[parent] = (
                        _verdict(lp),
                        any(e >= len(lp.text) - 1 for _, e in lp.attributed),
                    )
                else:
                    verdict_cache[parent] = (None, False)
            inherited, lead_attributed = verdict_cache[parent]
            if not _inherits(block.text):
                inherited = None
        if idx in carried:  # the topic of the previous sentence or heading, appended for the analysis only
            pid, topic = carried[idx]
            norm = _with_carried_topic(norm, topic, lex_hits[idx])
            code_hits = {k: v for k, v in codebook.scan(norm).items() if k == pid or k in code_hits}
            hit = _has_cue(code_hits)
            lex_hits[idx] = lex.scan(norm)
        nxt = units[idx + 1][3] if idx + 1 < len(units) else ""
        parsed = stance.parse(
            norm,
            lex,
            org_rx,
            normalised=True,
            hits=lex_hits[idx],
            next_contrast=bool(stance._CONTRAST_OPENING.match(nxt)),
        )
        calls = []
        if hit:
            needs_block = block.kind == "list_item" or any(
                codebook.get(pid).context for pid in code_hits if not code_hits[pid].get("context")
            )
            if parent not in block_info and needs_block:
                block_info[parent] = _block_context(codebook, order, blocks, parent)
            context_ids, near_ids = block_info.get(parent, (set(), set()))
            context_ids = context_ids | {pid for pid, h in code_hits.items() if h.get("context")}
            calls = stance.analyse(
                parsed,
                codebook,
                lex,
                code_hits,
                context_ids,
                inherited,
                near_ids if block.kind == "list_item" else None,
            )
        if idx in carried:
            for c in calls:
                c.confidence = round(c.confidence * CARRY_FACTOR, 3)
                c.cues.append("carried:" + carried[idx][1])
        if lead_attributed:
            for c in calls:
                c.attributed, c.sign = True, 0
        by_pos: dict[str, list[stance.ObjectCall]] = {}
        for c in calls:
            by_pos.setdefault(c.position_id, []).append(c)
        for pid, (call, source) in _anaphoric_calls(parsed, lex, codebook, by_pos, history, idx).items():
            by_pos[pid] = [call]
            linked_to[(seg.segment_id, pid)] = source
        history.append((idx, seg.segment_id, parsed, by_pos))
        seg_meta[seg.segment_id] = (seg, parent, block)
        for pid, pcalls in by_pos.items():
            seg_calls.setdefault(seg.segment_id, {}).setdefault(pid, []).extend(pcalls)
    for seg_id, per_pos in seg_calls.items():
        seg, parent, block = seg_meta[seg_id]
        for pid, pcalls in per_pos.items():
            row = _combine(pcalls)
            if block.kind == "heading":
                row.update(
                    stance="mentions", sign=0, confidence=0.0, conf_support=0.0, conf_oppose=0.0, strong=False
                )
            rows.append(
                {
                    "submission_id": sub["submission_id"],
                    "file": sub.get("file", ""),
                    "org_name": sub.get("org_name", ""),
                    "segment_id": seg.segment_id,
                    "parent_id": parent,
                    "block_kind": block.kind,
                    "page": int(seg.page),
                    "paragraph": block.paragraph,
                    "start": int(seg.start),
                    "end": int(seg.end),
                    "position_id": pid,
                    **row,
                    "is_heading": block.kind == "heading",
                    "linked_to": linked_to.get((seg_id, pid), ""),
                    "text": seg.text,
                }
            )
    return rows


def _carry_over(
    units: list, all_hits: list[dict], has: list[bool], lex: Lexicon
) -> dict[int, tuple[str, str]]:
    """Sentences without a topic word (pro/con phrases alone may need one) that carry a strong change and
    stance cue ("Vi åtvarar mot å lempe på krava.") and follow a sentence or heading whose topic words
    belong to exactly one position: that position and its topic word (the analysis appends it, and the
    call gets a lower confidence)."""
    out: dict[int, tuple[str, str]] = {}
    for i in range(1, len(units)):
        own_topic = any(h.get("topic") or h.get("weak_topic") for h in all_hits[i].values())
        if own_topic or not has[i - 1] or _maybe_anaphoric(units[i][3]):
            continue
        prev = {pid: h for pid, h in all_hits[i - 1].items() if h.get("topic") or h.get("weak_topic")}
        if len(prev) != 1:
            continue
        hits = lex.scan(units[i][3])
        change = any(hits.get(k) for k in ("change.increase", "change.decrease"))
        verdict = any(
            hits.get(k)
            for k in (
                "evaluation.positive.strong",
                "evaluation.negative.strong",
                "evaluation.negative.rejection",
            )
        )
        ((pid, h),) = prev.items()
        if change and verdict and all(k == pid for k, v in all_hits[i].items() if _has_cue({k: v})):
            s, e = (h.get("topic") or h.get("weak_topic"))[0]
            out[i] = (pid, units[i - 1][3][s:e])
    return out


_NOMINAL_CHANGE = re.compile(r"\w*(?:" + "|".join(stance.NOMINAL_ENDINGS) + r")(?:en|a|et)?$", re.IGNORECASE)


def _with_carried_topic(text: str, topic: str, hits: dict) -> str:
    """The sentence with the previous sentence's topic word put where Norwegian would name it: after the
    first nominal change ("reduksjonen av døgnbehandling bør fortsette"), else at the end ("... i X.")."""
    changes = sorted(s for k in ("change.increase", "change.decrease") for s in hits.get(k, ()))
    for start, end in changes:
        if _NOMINAL_CHANGE.fullmatch(text[start:end]):
            return f"{text[:end]} av {topic}{text[end:]}"
    return f"{text.rstrip(' .!?')} i {topic}."


def _has_cue(code_hits: dict) -> bool:
    return any(h.get(k) for h in code_hits.values() for k in ("topic", "weak_topic", "pro", "con"))


# Sentence ends the ingest may have missed: a stranded preposition or particle before a full stop
# ("Det er vi ikke enige i. En kommune ..."). Analysis units only; evidence stays the whole segment.
_STRANDED = re.compile(
    r"(?<=\s)(?:i|på|om|med|til|for|av|fra|frå|mot|imot|etter|inn|ut|opp|ned|over|under)"
    r"[.!?](?=\s+[A-ZÆØÅ«])"
)


def _units(text: str) -> list[str]:
    cuts = [m.end() for m in _STRANDED.finditer(text)]
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


_ANAPHOR_HINT = re.compile(
    r"(?i)^\W*(dette|denne|disse|desse|slik|det|dei|forslag|framlegg|en slik|ei slik|"
    r"eit slikt|et slikt)\b|\b(forslag\w*|framlegg\w*|dette|noe vi|noko me|"
    r"denne (utvikling|endring|trend|linj)\w*)\b|\b(det|dette|dei|desse|disse)\W*$"
)


def _window(norm: str) -> int:
    return PROPOSAL_WINDOW if _PROPOSAL.search(norm) else ANAPHOR_WINDOW


def _maybe_anaphoric(norm: str) -> bool:
    return bool(_ANAPHOR_HINT.search(norm))


def _last_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«])", text.strip())
    return parts[-1] if parts else text


def _anaphoric_calls(
    parsed: stance.Parsed,
    lex: Lexicon,
    codebook: Codebook,
    by_pos: dict[str, list[stance.ObjectCall]],
    history: list,
    idx: int,
) -> dict:
    """Calls for positions this sentence does not name but refers back to.

    "forslaget" / "dette forslaget" refers to the latest reported proposal (within PROPOSAL_WINDOW
    sentences); other anaphors ("Dette må stanses.", "Det er vi usamde i.") to the sentence just before.
    Only a reported claim or a reported change ("Døgnplasser legges ned.") is taken up: a sentence that
    merely mentions a topic, or already took a stance, is not re-evaluated.
    """
    if parsed.anaphor is None:
        return {}
    word = parsed.text[parsed.anaphor.start : parsed.anaphor.end]
    proposal = bool(_PROPOSAL.search(word))
    antecedent = _antecedent(history, idx, proposal)
    if antecedent is None:
        return {}
    seg_id, calls_by_pos = antecedent
    out = {}
    for pid, calls in calls_by_pos.items():
        if by_pos.get(pid):
            continue
        attributed = [c for c in calls if c.attributed and c.proposition]
        changed = [c for c in calls if c.changed and c.direction and not c.sign]
        if attributed:
            polarity = attributed[-1].proposition
        elif changed and not proposal and not any(c.sign for c in calls):
            polarity = changed[-1].direction
        else:
            continue
        position = codebook.get(pid)
        call = stance.evaluate_object(
            parsed, lex, pid, parsed.anaphor, polarity, "anaphor", salience=position.salience
        )
        if not call.sign or call.attributed or call.eval_weight < 1.0:
            continue
        call.confidence = round(call.confidence * ANAPHOR_FACTOR, 3)
        call.cues.append(f"refers-to:{seg_id}")
        if all(c.kind == "weak_topic" for c in calls):
            call.kind = "weak_topic"  # "Dette støtter vi ikke." after a sentence naming only "LAR-pasienter"
        out[pid] = (call, seg_id)
    return out


def _antecedent(history: list, idx: int, proposal: bool) -> tuple[str, dict] | None:
    """The sentence an anaphor points to: the latest one with a reported proposal ("forslaget"), or the
    one just before (other anaphors)."""
    window = PROPOSAL_WINDOW if proposal else ANAPHOR_WINDOW
    for h_idx, seg_id, _parsed, by_pos in reversed(history):
        if idx - h_idx > window:
            return None
        if proposal:
            if any(c.attributed for calls in by_pos.values() for c in calls):
                return seg_id, by_pos
            continue
        return (seg_id, by_pos) if by_pos else None
    return None


def _records_by_submission(segments: pd.DataFrame, ids: set[str]) -> dict[str, list[dict]]:
    """Segment records per submission, sorted by order (one pass; no per-submission pandas work)."""
    cols = ["submission_id", "segment_id", "parent_id", "kind", "page", "order", "start", "end", "text"]
    segs = segments[segments["submission_id"].isin(ids)][cols].sort_values(["submission_id", "order"])
    out: dict[str, list[dict]] = {}
    for rec in segs.to_dict("records"):
        out.setdefault(rec["submission_id"], []).append(rec)
    return out


_WORK: list[tuple[dict, list[dict]]] = []  # set before forking workers: they read it, nothing is pickled


def _detect_range(span: tuple[int, int], codebook_path: str, lexicon_path: str) -> list[dict]:
    codebook, lexicon = load_codebook(codebook_path), load_lexicon(lexicon_path)
    rows: list[dict] = []
    for sub, segs in _WORK[span[0] : span[1]]:
        rows.extend(detect_submission(sub, segs, codebook, lexicon))
    return rows


def detect(
    submissions: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    lexicon: Lexicon | None = None,
    submission_ids: Iterable[str] | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Sentence-level calls for every non-reference submission: one row per (sentence, position) hit.

    ``workers`` > 1 spreads submissions over processes (worth it from a few thousand submissions)."""
    codebook = codebook or load_codebook()
    lexicon = lexicon or load_lexicon()
    subs = submissions
    if "is_reference" in subs.columns:
        subs = subs[~subs["is_reference"].fillna(False).astype(bool)]
    if "doc_kind" in subs.columns:
        subs = subs[subs["doc_kind"].fillna("") != "mandat"]
    if submission_ids is not None:
        subs = subs[subs["submission_id"].isin(set(submission_ids))]
    keep = [c for c in ("submission_id", "file", "org_name") if c in subs.columns]
    records = subs[keep].to_dict("records")
    by_sub = _records_by_submission(segments, {r["submission_id"] for r in records})
    work = [(r, by_sub[r["submission_id"]]) for r in records if by_sub.get(r["submission_id"])]
    rows: list[dict] = []
    if workers > 1 and len(work) >= 200 and "fork" in multiprocessing.get_all_start_methods():
        global _WORK
        _WORK = work  # forked workers inherit it; only index ranges and result rows cross processes
        size = max(50, len(work) // (workers * 8))
        spans = [(i, min(i + size, len(work))) for i in range(0, len(work), size)]
        paths = [str(codebook.path)] * len(spans), [str(lexicon.path)] * len(spans)
        try:
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                for part in pool.map(_detect_range, spans, *paths):
                    rows.extend(part)
        finally:
            _WORK = []
    else:
        for sub, segs in work:
            rows.extend(detect_submission(sub, segs, codebook, lexicon))
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def classify_sentence(
    sentence: str, org_name: str = "", codebook: Codebook | None = None, lexicon: Lexicon | None = None
) -> dict[str, str]:
    """Stance label per position for one stand-alone sentence (support, oppose, mixed, mentions or
    attributed; positions it does not address are absent). For checks, demos and the challenge table."""
    codebook = codebook or load_codebook()
    lexicon = lexicon or load_lexicon()
    org_rx = stance.org_aliases_pattern(org_name)
    out: dict[str, list[stance.ObjectCall]] = {}
    for unit in _units(sentence):
        parsed = stance.parse(unit, lexicon, org_rx)
        for c in stance.analyse(parsed, codebook, lexicon):
            out.setdefault(c.position_id, []).append(c)
    labels = {}
    for pid, calls in out.items():
        row = _combine(calls)
        # as in aggregation, a weak topic word alone ("TSB", "LAR") never makes a call
        labels[pid] = row["stance"] if row["strong"] or row["stance"] not in CALL_LABELS else "mentions"
    return labels

"""Sentence-level stance: does this sentence support or oppose a claim, and how sure are we?

The model is a small sign calculus over cues found in the raw sentence (never stop-worded):

    stance = polarity(object) x change words bound to it x evaluation x (-1)^negations

- The OBJECT is what the claim is about (codebook ``topic``: "døgnplasser" +1) or a phrase that already has
  the claim's direction (``pro`` "hjelp i stedet for straff" +1, ``con`` "straff" / "anbud" -1).
- CHANGE words bind to an object only when they stand next to it (function words and "transparent" nouns
  such as "antall" may stand between): "færre døgnplasser", "døgnplassene må ikke reduseres", "stanse
  nedbyggingen av" (nested: -1 x -1). Coordinated change words ("reduseres eller legges ned") count once.
  Deficit and excess words ("for få", "mangel på", "for mye") also carry a negative evaluation.
- EVALUATION is what the writer thinks of the clause: demands and endorsements (+1: må, bør, støtter, viktig,
  behov for), concern and rejection (-1: bekymret, uheldig, går imot). Without evaluation a sentence only
  MENTIONS the claim, even if it reports a cut ("antall døgnplasser ble redusert" is a fact, not a stance).
- NEGATION flips within its comma clause (ikke, ingen, aldri, uten); "verken" reaches over commas; contrast
  words ("i stedet for", "framfor", "og ikke") negate the object right after them.
- ATTRIBUTION: what a third party proposes or thinks ("regjeringen foreslår", "enkelte hevder", quoted text)
  is recorded as attributed, not as the writer's stance, unless the writer endorses or rejects it in a later
  clause of the same sentence ("..., noe vi er imot") or in the next sentence (see ``detect``).
- Hedges, conditions and questions lower confidence; group limits ("for ungdom under 18 år") are recorded
  as the call's scope.

Everything here is pure: a sentence string in, a list of ``ObjectCall`` out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from helpers.positions.codebook import Codebook, Position
from helpers.positions.lexicon import Lexicon

OP_CATEGORIES = (
    "neutral_phrases",
    "evaluation.positive.strong",
    "evaluation.positive.weak",
    "evaluation.negative.strong",
    "evaluation.negative.weak",
    "evaluation.negative.rejection",
    "change.increase",
    "change.decrease",
    "change.deficit",
    "change.excess",
    "change.problem_compound",
    "change.sufficient",
    "negation.plain",
    "negation.wide",
    "negation.contrast",
)
EVAL_PREFIX = "evaluation."
# a stance read from the clause after a concession, about an object it does not name
CONCESSION_FACTOR = 0.7
_PREPOSITIONAL_NEG = re.compile(r"ut[ea]n", re.IGNORECASE)
# the turn that answers a concession ("..., men", "Likevel ...")
_CONTRAST = re.compile(r"\b(?:men|likevel)\b", re.IGNORECASE)
_CONTRAST_OPENING = re.compile(r"^\W*(?:men|likevel|samtidig)\b", re.IGNORECASE)
CHANGE_PREFIX = "change."
COORDINATORS = frozenset({"og", "eller", ",", "samt", "and"})
PRESENT_ACTIVE = ("er", "ar")
PASSIVE_ENDINGS = ("es", "ast", "s")

# Confidence factors. Kept here (not in YAML) because they are calibration, not vocabulary.
WEIGHT_TOPIC, WEIGHT_WEAK_TOPIC, WEIGHT_PHRASE = 0.9, 0.45, 1.0
IMPLICIT_EVAL_WEIGHT = 0.8
HEDGE_FACTOR, CONDITION_FACTOR, QUESTION_FACTOR = 0.7, 0.7, 0.5
DEFICIT_LIKE = ("change.deficit", "change.excess", "change.problem_compound", "change.sufficient")
MAX_CONTRAST_GAP = 1
ENDORSED_FACTOR = 0.9
# concern about a salient group or subject stated as a fact, with no writer and no demand in the sentence
FACT_CONCERN_FACTOR = 0.5
RELATIVE_FACTOR = 0.7
EMBEDDED_GROUP_FACTOR = 0.5

_HYPHEN_BREAK = re.compile(r"(?<=[a-zæøå])-[ \t]*\n\s*(?!(?:og|eller|til|samt)\b)(?=[a-zæøå])")
_UPPER_HYPHEN_BREAK = re.compile(r"(?<=[A-ZÆØÅ0-9])-[ \t]*\n\s*(?=\w)")
_FOOTNOTE_MARKS = re.compile(r"[¹²³⁰⁴⁵⁶⁷⁸⁹]+")
_MARKDOWN = re.compile(r"\*+|\[(?=[^\]]*\]\(#?\))|\]\(#?\)")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+(?:[-'’/]\w+)*-?")
_QUOTES = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")
_CAPITALISED = re.compile(r"[A-ZÆØÅ]")


def normalise(text: str) -> str:
    """The sentence as the cue regexes see it: line-break hyphens joined ("døgn-\\nplasser"), footnote
    marks and markdown emphasis removed, whitespace collapsed. Evidence always quotes the original text."""
    text = _HYPHEN_BREAK.sub("", text)
    text = _UPPER_HYPHEN_BREAK.sub("-", text)
    text = _FOOTNOTE_MARKS.sub(" ", text)
    text = _MARKDOWN.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    cat: str
    sign: int = 0
    weight: float = 1.0


@dataclass
class Parsed:
    """A sentence analysed once, independently of the positions."""

    text: str
    tokens: list[tuple[int, int, str]]
    tok_starts: list[int]
    ops: list[Cue]
    strong_cuts: list[int]
    weak_cuts: list[int]
    hedges: list[Cue]
    conditions: list[Cue]
    quotes: list[tuple[int, int]]
    attributed: list[tuple[int, int]]
    own_clauses: set[int]
    own_tokens: list[tuple[int, int]]
    scopes: list[Cue]
    is_question: bool
    anaphor: Cue | None
    org_pattern: re.Pattern[str] | None = None
    hits: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    neutral: list[Cue] = field(default_factory=list)  # idioms removed before any cue ("i større grad")
    next_contrast: bool = False  # the next sentence opens with "Men"/"Likevel" (answers a concession here)
    fronted_end: int = -1  # the comma closing a sentence-initial subordinate clause ("Dersom ..., må ...")

    def strong_id(self, pos: int) -> int:
        return bisect.bisect_right(self.strong_cuts, pos)

    def weak_id(self, pos: int) -> tuple[int, int]:
        return self.strong_id(pos), bisect.bisect_right(self.weak_cuts, pos)


@dataclass
class ObjectCall:
    """The computed stance of one object occurrence (one cue hit of a position) in one sentence."""

    position_id: str
    start: int
    end: int
    kind: str  # topic | weak_topic | pro | con | anaphor
    polarity: int
    direction: int  # polarity x bound changes x contrast x negation (what the clause says happens)
    evaluation: int  # product of the evaluation signs (0: none)
    sign: int  # the writer's stance: +1 support, -1 oppose, 0 none
    confidence: float
    attributed: bool = False
    quoted: bool = False
    hedged: bool = False
    conditional: bool = False
    scope: str = ""
    cues: list[str] = field(default_factory=list)
    eval_weight: float = 0.0
    changed: bool = False  # the direction comes from a change word or a pro/con phrase, not the topic alone
    prior: float = 0.0  # confidence before the evaluation's weight (topic strength, hedges, conditions)

    @property
    def proposition(self) -> int:
        """The reported claim's sign when attributed: direction x the reported clause's evaluation."""
        return self.direction * (self.evaluation or 1)


# ---------------------------------------------------------------------------------------------- parsing
def _matches(
    hits: dict[str, list[tuple[int, int]]],
    cat: str,
    label: str | None = None,
    sign: int = 0,
    weight: float = 1.0,
) -> list[Cue]:
    """The lexicon category's matches (from ``Lexicon.scan``) as cues, in text order."""
    return [Cue(s, e, label or cat, sign, weight) for s, e in sorted(set(hits.get(cat, ())))]


def _resolve(cues: list[Cue]) -> list[Cue]:
    """Longest cue wins where cues overlap ("ikke godt nok" over "ikke", "ta imot" over "imot")."""
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (-(c.end - c.start), c.start)):
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


SMALL_WORDS = frozenset({"for", "og", "i", "av", "til", "på", "med", "the", "of"})
GENERIC_NAME_WORDS = frozenset(
    {
        "norsk",
        "norske",
        "norges",
        "den",
        "det",
        "nasjonal",
        "nasjonalt",
        "nasjonale",
        "for",
        "og",
        "helse",
        "senter",
        "landets",
        "statens",
        "kommune",
        "fylkeskommune",
    }
)


def org_aliases_pattern(org_name: str) -> re.Pattern[str] | None:
    """How a letter names its own organisation: the full name, its distinctive first word ("Rådet",
    "Landsforbundet", "Brattvik") and, for two-word names, the definite form of the noun ("Psykologforeningen"
    for "Norsk psykologforening", "kommunen" for "Brattvik kommune")."""
    name = " ".join((org_name or "").split())
    words = re.findall(r"\w+", name)
    if not words or name.lower() in ("", "ukjent"):
        return None
    alts = [f"(?i:{re.escape(name)})"]
    first = words[0]
    if first.lower() not in GENERIC_NAME_WORDS and len(first) >= 4 and first[0].isupper():
        alts.append(re.escape(first))
    initials = "".join(w[0] for w in words if w.lower() not in SMALL_WORDS and len(w) >= 3).upper()
    if len(initials) >= 2:
        alts.append(f"(?-i:{initials})")
    main = re.findall(r"\w+", re.split(r"[(,:;–]| - ", name)[0])  # "Strandvik kommune (NAV Strandvik)"
    if len(main) == 2:
        words = main
        noun = words[1] if words[0].lower() in GENERIC_NAME_WORDS or words[1][0].islower() else ""
        if noun and len(noun) >= 4:
            stem = re.escape(noun[1:].lower())
            alts.append(f"[{noun[0].upper()}{noun[0].lower()}]{stem}(?:en|et|a|n)")
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(set(alts), key=len, reverse=True)) + r")(?!\w)")


_OPENING = re.compile(r"^[\W\d]*")


def _fronted_clause_end(text: str, hits: dict[str, list[tuple[int, int]]]) -> int:
    """The comma that closes a sentence-initial subordinate clause ("Der anbud blir brukt, må ..."), a
    strong boundary (-1 when the sentence does not open with a subordinator or has no comma)."""
    opening = _OPENING.match(text).end()
    for start, end in hits.get("boundaries.fronted", ()):
        if start == opening:
            return text.find(",", end)
    return -1


def parse(
    sentence: str,
    lex: Lexicon,
    org_pattern: re.Pattern[str] | None = None,
    normalised: bool = False,
    hits: dict[str, list[tuple[int, int]]] | None = None,
    next_contrast: bool = False,
) -> Parsed:
    """Analyse a sentence once: tokens, resolved cues, clause boundaries, speakers. ``hits`` may carry
    ``lex.scan(text)`` computed in bulk (``Lexicon.scan_many``). ``next_contrast``: the next sentence opens
    with "Men"/"Likevel", so a concession frame here is answered there."""
    text = sentence if normalised else normalise(sentence)
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
    hits = lex.scan(text) if hits is None else hits
    cand: list[Cue] = []
    for cat in OP_CATEGORIES:
        sign, weight = lex.signs.get(cat, (0, 1.0))
        cand.extend(_matches(hits, cat, None, sign, weight))
    ops = [c for c in _resolve(cand) if c.cat != "neutral_phrases"]
    neutral = [c for c in _resolve(cand) if c.cat == "neutral_phrases"]
    fronted = _fronted_clause_end(text, hits)
    strong = {c.start for c in _matches(hits, "boundaries.strong")}
    strong = sorted(strong | {fronted} if fronted > 0 else strong)
    ops = _comparisons(tokens, hits, ops + neutral, strong)
    weak = sorted({c.start for c in _matches(hits, "boundaries.weak")})
    hedges = [c for c in _matches(hits, "hedges", "hedge") if not _inside_any(c, neutral)]
    conditions = _matches(hits, "conditions", "condition")
    quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]
    scopes = _matches(hits, "scope.age_limited", "age") + _matches(hits, "scope.groups", "group")
    parsed = Parsed(
        text,
        tokens,
        [t[0] for t in tokens],
        ops,
        strong,
        weak,
        hedges,
        conditions,
        quotes,
        [],
        set(),
        [],
        scopes,
        text.rstrip().endswith("?"),
        None,
        org_pattern,
        hits,
    )
    parsed.neutral = neutral
    parsed.next_contrast = next_contrast
    parsed.fronted_end = fronted
    own = _matches(hits, "own_speaker", "own")
    if org_pattern is not None:
        own += [Cue(m.start(), m.end(), "own") for m in org_pattern.finditer(text)]
    parsed.own_tokens = [(c.start, c.end) for c in own]
    parsed.own_clauses = {parsed.strong_id(c.start) for c in own}
    parsed.attributed = _attributed_regions(parsed, lex, own)
    parsed.anaphor = _anaphor(parsed, lex)
    return parsed


MAX_COMPARISON_REACH = 14  # tokens between the comparative and its "enn"


def _comparisons(
    tokens: list[tuple[int, int, str]],
    hits: dict[str, list[tuple[int, int]]],
    cues: list[Cue],
    strong: list[int],
) -> list[Cue]:
    """Ops with each ranking comparison ("A gir bedre resultater enn B") read as an evaluation of A at the
    comparative and a contrast negator at "enn" for B. ``cues`` are the resolved ops plus neutral phrases;
    an "enn" inside any of them ("mer enn 300", "mer skade enn nytte") is left alone."""
    ops = [c for c in cues if c.cat != "neutral_phrases"]
    comparatives = sorted(
        [Cue(s, e, "evaluation.positive.strong", 1) for s, e in hits.get("comparison.better", ())]
        + [Cue(s, e, "evaluation.negative.strong", -1) for s, e in hits.get("comparison.worse", ())],
        key=lambda c: (c.start, -c.end),
    )
    if not comparatives:
        return ops
    for i, (start, end, low) in enumerate(tokens):
        if low != "enn" or any(c.start <= start < c.end for c in cues):
            continue
        clause = bisect.bisect_right(strong, start)
        reach = tokens[max(0, i - MAX_COMPARISON_REACH)][0]
        before = [
            c
            for c in comparatives
            if reach <= c.start
            and c.end <= start
            and bisect.bisect_right(strong, c.start) == clause
            and not any(t[2] == "enn" and c.end <= t[0] < start for t in tokens)
            and not any(o.start < c.end and c.start < o.end and o.cat.startswith("negation") for o in ops)
        ]
        if not before:
            continue
        comp = before[-1]
        ops = [o for o in ops if o.end <= comp.start or o.start >= comp.end]
        ops += [comp, Cue(start, end, "negation.than", -1)]
    return sorted(ops, key=lambda c: c.start)


def _inside_any(cue: Cue, spans: list[Cue]) -> bool:
    return any(s.start <= cue.start and cue.end <= s.end for s in spans)


def _is_own(parsed: Parsed, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in parsed.own_tokens)


def _attributed_regions(parsed: Parsed, lex: Lexicon, own: list[Cue]) -> list[tuple[int, int]]:
    """Stretches of the sentence that report someone else's view.

    ``X foreslår/mener/hevder ...`` (X a third party, not "vi" or the submitting organisation) attributes the
    rest of the sentence, up to a strong boundary after which the writer speaks again ("..., men vi mener").
    A postposed ``..., mener regjeringen`` attributes what precedes it; markers ("ifølge", "det er
    foreslått") attribute their clause.
    """
    text = parsed.text
    verbs = _matches(parsed.hits, "attribution.speech_verbs", "verb")
    subjects = [
        c
        for c in _matches(parsed.hits, "attribution.subjects", "subj")
        if not _is_own(parsed, c.start, c.end)
    ]
    regions: list[tuple[int, int]] = []
    for v in verbs:
        if _governed_by_writer(parsed, v):
            continue  # "Vi er bekymret for at regjeringen vil ...": the writer evaluates the plan
        subject = _subject_before(parsed, lex, subjects, v)
        if subject is not None:  # the reporter is no stance object either ("Brukerorganisasjonene ønsket X")
            regions.append((subject, _region_end(parsed, v.end)))
            continue
        following = [s for s in subjects if v.end < s.start <= v.end + 2]
        prev = [t for t in parsed.tokens if t[1] <= v.start]
        if prev and (_is_own(parsed, prev[-1][0], prev[-1][1]) or prev[-1][2] in PRONOUNS):
            following = []  # "Vi ber utvalget ...": the writer speaks to the committee
        if len(prev) == 1 and prev[0][2] not in lex.not_subjects:
            following = []  # "Kommunen ber utvalget ...": a one-word subject, the noun after is the object
        if following:  # inverted order: "..., mener regjeringen." or "I meldinga foreslår regjeringen at ..."
            rest = text[following[0].end :].strip(' .!?»"')
            regions.append((0, v.start) if not rest else (v.start, _region_end(parsed, v.end)))
    for m in _matches(parsed.hits, "attribution.markers", "marker"):
        if any(o.cat.startswith(EVAL_PREFIX) and 0 <= m.start - o.end <= 1 for o in parsed.ops):
            continue  # "vi er usamde i forslaget om ...": the writer's verdict on the proposal
        sid = parsed.strong_id(m.start)
        start = parsed.strong_cuts[sid - 1] if sid else 0
        regions.append((start, _region_end(parsed, m.end)))
    if parsed.hits.get("attribution.noncommittal"):
        regions.append((0, len(text)))
    return regions + _concession_regions(parsed)


def _concession_regions(parsed: Parsed) -> list[tuple[int, int]]:
    """Conceded clauses ("Vi forstår ønsket om X, men ...", "Riktignok ..., men"): from the clause start to
    the next strong boundary, whoever speaks after it. The writer's later clause does not endorse them."""
    regions = []
    for m in _matches(parsed.hits, "attribution.concessions", "marker"):
        if not (parsed.next_contrast or _CONTRAST.search(parsed.text, m.end)):
            continue  # "Vi ser at X" without a "men" is the writer's own observation
        sid = parsed.strong_id(m.start)
        start = parsed.strong_cuts[sid - 1] if sid else 0
        end = next((c for c in parsed.strong_cuts if c > m.end), len(parsed.text))
        regions.append((start, end))
    return regions


def _governed_by_writer(parsed: Parsed, verb: Cue) -> bool:
    """The writer (own subject) with an evaluation precedes the reporting verb in the same clause."""
    sid = parsed.strong_id(verb.start)
    own = [s for s, _ in parsed.own_tokens if s < verb.start and parsed.strong_id(s) == sid]
    if not own:
        return False
    return any(
        own[0] < o.start < verb.start and o.cat.startswith(EVAL_PREFIX) and o.weight >= 1.0
        for o in parsed.ops
    )


def _subject_before(parsed: Parsed, lex: Lexicon, subjects: list[Cue], verb: Cue) -> int | None:
    """Where a third-party subject right before the reporting verb starts (at most one token between; a
    subject match may run into the verb, "har enkelte tatt til orde for"); None without one."""
    for s in subjects:
        if s.start < verb.start:
            end = min(s.end, verb.start)
            gap = [t for t in parsed.tokens if end <= t[0] and t[1] <= verb.start]
            if len(gap) <= 1 and not _is_own(parsed, end, verb.start):
                return s.start
    # A capitalised name that is not the first word ("..., og Helsetilsynet mener"), or not a function word.
    prev = [t for t in parsed.tokens if t[1] <= verb.start]
    if prev:
        start, end, low = prev[-1]
        word = parsed.text[start:end]
        first = start == (parsed.tokens[0][0] if parsed.tokens else 0)
        if (
            _CAPITALISED.match(word)
            and low not in lex.not_subjects
            and not _is_own(parsed, start, end)
            and (not first or word.isupper() or re.search(r"[A-ZÆØÅ]", word[1:]))
        ):
            return verb.start  # a guessed name may be a fronted object ("I planen for TSB forventer X ...")
    return None


def _region_end(parsed: Parsed, pos: int) -> int:
    """End of an attributed stretch: the first strong boundary after which the writer speaks again."""
    for cut in parsed.strong_cuts:
        if cut > pos and parsed.strong_id(cut) in parsed.own_clauses:
            return cut
    return len(parsed.text)


def _anaphor(parsed: Parsed, lex: Lexicon) -> Cue | None:
    """A back-reference that lets this sentence evaluate the previous one's claim.

    Only in the positions where Norwegian uses them for that: sentence-initial demonstratives and "forslaget"
    ("Dette må stanses.", "Forslaget vil ..."), "det" right before the writer ("Det er vi ikke enige i."), and
    any anaphor after the writer's own subject ("Vi støtter derfor dette forslaget.").
    """
    text = parsed.text
    for m in _matches(parsed.hits, "anaphors"):
        head = text[: m.start].strip(' «"-–•')
        word = text[m.start : m.end].lower()
        if not head and word not in ("det", "dei"):
            return Cue(m.start, m.end, "anaphor")
        if word in ("det", "dei") and not head:
            if re.match(r"\s+(?:\w+\s+){0,2}(?:vi|me)\b", text[m.end : m.end + 30], re.IGNORECASE) or any(
                m.end < s <= m.end + 20 for s, _ in parsed.own_tokens
            ):  # "Det kan ikkje rådet støtte."
                return Cue(m.start, m.end, "anaphor")
            continue
        if any(s < m.start for s, _ in parsed.own_tokens):
            if word not in ("det", "dei") or not text[m.end :].strip(' .!»"'):
                return Cue(m.start, m.end, "anaphor")  # "Vi støtter dette.", "Vi anbefaler ikke det."
    return None


# ---------------------------------------------------------------------------------------------- objects
def find_objects(
    parsed: Parsed,
    position: Position,
    hits: dict[str, list[tuple[int, int]]],
    context_ok: bool = True,
    topic_near: bool = False,
) -> list[tuple[Cue, int, str]]:
    """Occurrences of the position's cues: (span, polarity, kind). Pro/con phrases win over plain topic
    hits in the same sentence; excluded and age-scoped topic hits are dropped.

    ``hits`` are the position's matches from ``Codebook.scan``; ``context_ok`` says whether a `context`
    cue occurs near the sentence; ``topic_near`` whether a topic word occurs in a list item's lead-in or
    neighbours (enough for ``pro_con_need_topic``)."""
    if position.context and not context_ok:
        return []
    excluded = [Cue(s, e, "x") for s, e in hits.get("exclude", ())]
    excluded += [c for c in parsed.scopes if c.cat == "age"]

    def objs(key: str, polarity: int, filter_excluded: bool = True) -> list[tuple[Cue, int, str]]:
        out = []
        for s, e in sorted(set(hits.get(key, ()))):
            if filter_excluded and any(
                s < x.end and x.start < e and e - s <= x.end - x.start for x in excluded
            ):
                continue  # an excluded stretch removes a topic word, not a longer phrase around it
            out.append((Cue(s, e, key), polarity, key))
        return out

    topic = objs("topic", 1) + objs("weak_topic", 1)
    phrases = objs("pro", 1, filter_excluded=False) + objs("con", -1)
    if phrases and (topic or topic_near or not position.pro_con_need_topic):
        return _dedupe(phrases)
    return _dedupe(topic)


def _nested(obj: tuple[Cue, int, str], objs: list[tuple[Cue, int, str]]) -> bool:
    c = obj[0]
    return any(
        o is not obj
        and o[0].start <= c.start
        and c.end <= o[0].end
        and (o[0].end - o[0].start) > (c.end - c.start)
        for o in objs
    )


def _dedupe(objs: list[tuple[Cue, int, str]]) -> list[tuple[Cue, int, str]]:
    """Overlapping hits of the same polarity are one object (the longest); a hit inside a longer phrase
    ("straff" in "hjelp i stedet for straff", "alkoholproblem" in "tilbud for alkoholproblem") is part of
    it."""
    objs = [o for o in objs if not _nested(o, objs)]
    kept: list[tuple[Cue, int, str]] = []
    for obj in sorted(objs, key=lambda o: (-(o[0].end - o[0].start), o[0].start)):
        if all(obj[0].end <= k[0].start or obj[0].start >= k[0].end or obj[1] != k[1] for k in kept):
            kept.append(obj)
    return sorted(kept, key=lambda o: o[0].start)


def _content_gap(parsed: Parsed, lex: Lexicon, start: int, end: int, skip: list[Cue]) -> tuple[int, bool]:
    """Content words between two spans (function words, numbers, suspended compounds "kontroll-" and words
    inside cues do not count) and whether a coordinator ("og", "eller", ",") stands between them."""
    n, coordinated = 0, "," in parsed.text[start:end]
    i = bisect.bisect_left(parsed.tok_starts, start)
    prev = ""
    while i < len(parsed.tokens) and parsed.tokens[i][0] < end:
        s, e, low = parsed.tokens[i]
        i += 1
        if e > end:
            break
        if low in COORDINATORS and not prev.endswith("-"):  # "kontroll- og straffetiltak" is one word
            coordinated = True
        prev = low
        if low in lex.transparent or low.isdigit() or low.endswith("-"):
            continue
        if any(c.start <= s and e <= c.end for c in skip) or any(
            c.start <= s and e <= c.end for c in parsed.neutral
        ):
            continue
        n += 1
    return n, coordinated


_QUANTITY = re.compile(r"(?i)flere|fleire|færre|mer|meir|mindre|mange")
PRONOUNS = frozenset(
    {"vi", "me", "jeg", "eg", "de", "dei", "han", "hun", "ho", "man", "en", "ein", "du", "dere"}
)
AUXILIARIES = frozenset(
    {
        "er",
        "blir",
        "bli",
        "vert",
        "verte",
        "må",
        "bør",
        "skal",
        "kan",
        "vil",
        "har",
        "hadde",
        "blitt",
        "vorte",
        "være",
        "vere",
        "ble",
        "vart",
        "var",
        "skulle",
        "burde",
    }
)
COPULAS = frozenset(
    {"er", "blir", "bli", "vert", "verte", "være", "vere", "var", "ble", "vart", "blitt", "vorte"}
)
IRREGULAR_COMPARATIVES = frozenset(
    {"mindre", "større", "færre", "fleire", "flere", "mer", "meir", "lenger", "høyere", "høgare", "verre"}
)
_PARTICIPLE = re.compile(r"(?:[^er]t|et|dd|tt|[^e]d|lagt|lagd)$")


PREPOSITIONS = frozenset(
    {"i", "innen", "innenfor", "innanfor", "ved", "hos", "på", "for", "til", "fra", "frå", "av", "med"}
)


def _coordinated_passives(parsed: Parsed, start: int, end: int) -> int:
    """Passive verbs directly followed by "og"/"eller" between ``start`` and ``end``."""
    toks = [t for t in parsed.tokens if start <= t[0] and t[1] <= end]
    return sum(
        1
        for t, nxt in zip(toks, toks[1:], strict=False)
        if t[2].endswith(("es", "ast")) and nxt[2] in ("og", "eller")
    )


def _pp_modifier(parsed: Parsed, lex: Lexicon, start: int, end: int) -> bool:
    """The single content word between ``start`` and ``end`` is the noun of a preposition phrase."""
    toks = [t for t in parsed.tokens if start <= t[0] and t[1] <= end]
    for i, t in enumerate(toks):
        if t[2] not in lex.transparent and not t[2].isdigit():
            return i > 0 and toks[i - 1][2] in PREPOSITIONS
    return False


def _predicative(parsed: Parsed, cue: Cue, anchor: int | None = None) -> bool:
    """A change word after its object governs it only as a passive, a participle or a predicative
    adjective: "døgnplassene reduseres", "er lagt ned", "tilbudet er mangelfullt" - not an active verb with
    the object as its agent ("X reduserer ...", "X kan svekke ...")."""
    first = parsed.text[cue.start : cue.end].split(" ")[0].lower()
    if first.endswith(PASSIVE_ENDINGS) and not first.endswith(("ss", "us", "is", "as")):
        return True
    if _PARTICIPLE.search(first):
        return True
    if (
        first.endswith(("a", "de", "te")) and anchor is not None
    ):  # Nynorsk participles: "blir stansa/lagde ned"
        gap = [t[2] for t in parsed.tokens if anchor <= t[0] and t[1] <= cue.start]
        if any(w in AUXILIARIES for w in gap):
            return True
    if (first.endswith(("ere", "are")) or first in IRREGULAR_COMPARATIVES) and anchor is not None:
        # "kan gjerne bli lavere", "blir mindre streng" (not "som har mindre sannsynlighet for")
        gap = [t[2] for t in parsed.tokens if anchor <= t[0] and t[1] <= cue.start]
        if any(w in (COPULAS if first in IRREGULAR_COMPARATIVES else AUXILIARIES) for w in gap):
            return True
    if cue.cat in ("change.deficit", "change.excess", "change.sufficient") and first in AUXILIARIES:
        return True  # "tilbudet er godt nok", "er for lite"
    if cue.cat in ("change.deficit", "change.excess", "change.sufficient"):
        if not first.endswith(("e", "er", "ar")):
            return True  # "for få", "mangelfull", "utilstrekkelig"
        rest = parsed.text[cue.end :]
        nxt = re.match(r"\s*(\w+)", rest)
        if not nxt or parsed.weak_id(cue.end + nxt.start(1)) != parsed.weak_id(cue.start):
            return True  # "... mangler."
        # "FACT-teamene mangler stabil finansiering": what is lacking is the subject's means
        following = [t for t in parsed.tokens if t[0] >= cue.end][:3]
        return any(s <= t[0] < e for t in following for s, e in parsed.hits.get("resources", ()))
    return False


_AGENT = re.compile(r"\s+av\s")
_OF_MODIFIED = re.compile(r"\s+(?:av|på|i)\s+(?:\w+\s+){1,2}$")
NOMINAL_ENDINGS = (
    "ing",
    "ingen",
    "inga",
    "sjon",
    "sjonen",
    "else",
    "elsen",
    "kutt",
    "kuttet",
    "kutta",
    "ning",
)


def _bind_changes(
    parsed: Parsed, lex: Lexicon, obj: Cue, inner_ok: bool, changes: list[Cue], ops: list[Cue]
) -> list[Cue]:
    """Change words that govern the object: inside it (topic objects: "korte forløp", "boligutfordringer"),
    the nearest before it and the nearest after it (passive/predicative only: "døgnplassene må ikke
    reduseres"), each extended by nested neighbours ("stanse nedbyggingen av"). A change word coordinated
    with the object ("korte og standardiserte forløp") or with the previous change word ("reduseres eller
    legges ned") is skipped, so coordinated words count once."""
    sid = parsed.strong_id(obj.start)
    same = [c for c in changes if parsed.strong_id(c.start) == sid]
    bound = [c for c in same if c.start < obj.end and obj.start < c.end and inner_ok]
    outside = [c for c in same if c not in bound and c.cat != "change.problem_compound"]
    anchor = obj.start
    for c in sorted((c for c in outside if c.end <= obj.start), key=lambda c: -c.end):
        gap, coord = _content_gap(parsed, lex, c.end, anchor, ops)
        between = parsed.text[c.end : anchor]
        last = parsed.text[c.start : c.end].split(" ")[-1].lower()
        if anchor == obj.start and _AGENT.match(between) and last.endswith(PASSIVE_ENDINGS):
            break  # "lange opphold bør erstattes av kortere opphold": the agent of a passive replaces
        if gap and anchor == obj.start and _OF_MODIFIED.match(between) and last.endswith(NOMINAL_ENDINGS):
            gap = 0  # "nedbyggingen av offentlige døgnplasser": a nominal change with a modified object
        if gap > 0:
            break
        if coord:
            continue
        bound.append(c)
        anchor = c.start
    anchor = obj.end
    for c in sorted((c for c in outside if c.start >= obj.end), key=lambda c: c.start):
        gap, coord = _content_gap(parsed, lex, anchor, c.start, ops)
        if anchor == obj.end and gap == 1 and _pp_modifier(parsed, lex, anchor, c.start):
            gap = 0  # "andelen døgnbehandling i TSB bør reduseres": a place modifier between
        if anchor == obj.end and gap and gap == _coordinated_passives(parsed, anchor, c.start):
            gap, coord = 0, False  # "bør standardiseres og kortes ned": another predicate of the same object
        if gap > 0 or not _predicative(parsed, c, anchor):
            break
        if coord:
            continue
        bound.append(c)
        anchor = c.end
    return bound


def _evaluations(parsed: Parsed, obj: Cue, evals: list[Cue]) -> list[Cue]:
    """The evaluation that governs the object: its comma clause first, then the nearest earlier comma clause
    of the same sentence clause ("Vi er bekymret for at X, og at Y"), then later ones ("..., noe som vil
    påvirke gruppen negativt")."""
    sid, wid = parsed.weak_id(obj.start)
    same_strong = [e for e in evals if parsed.strong_id(e.start) == sid]
    by_clause: dict[int, list[Cue]] = {}
    for e in same_strong:
        by_clause.setdefault(parsed.weak_id(e.start)[1], []).append(e)
    order = (
        [wid]
        + sorted((w for w in by_clause if w < wid), reverse=True)
        + sorted(w for w in by_clause if w > wid)
    )
    chosen: list[Cue] = []
    for w in order:
        group = by_clause.get(w, [])
        if not group:
            continue
        chosen += group
        if any(e.weight >= 1.0 for e in group):
            break  # a weak verdict ("mener vi at ...") lets a stronger one later in the clause speak too
    return chosen


def _own_np_negator(parsed: Parsed, obj: Cue, neg: Cue, contrasted: bool) -> bool:
    """A "uten/utan" after the object that belongs to a contrasted alternative ("framfor lange opphald utan
    klar plan"): it qualifies that alternative, neither the alternative's rejection nor an object before the
    contrast ("korte forløp framfor lange opphald utan plan")."""
    if neg.start < obj.end or not _PREPOSITIONAL_NEG.fullmatch(parsed.text[neg.start : neg.end]):
        return False
    between = [
        o
        for o in parsed.ops
        if o.cat in ("negation.contrast", "negation.than") and obj.end <= o.start < neg.start
    ]
    return contrasted or bool(between)


def _negations(parsed: Parsed, obj: Cue, negs: list[Cue], clauses: set[tuple[int, int]]) -> list[Cue]:
    sid = parsed.strong_id(obj.start)
    out = []
    for n in negs:
        if n.cat == "negation.plain" and _PREPOSITIONAL_NEG.fullmatch(parsed.text[n.start : n.end]):
            if parsed.weak_id(n.start) == parsed.weak_id(obj.start):
                out.append(n)  # "uten X" negates its complement, never the verdict's clause
        elif n.cat == "negation.plain" and parsed.weak_id(n.start) in clauses:
            out.append(n)
        elif n.cat == "negation.wide" and parsed.strong_id(n.start) == sid and n.end <= obj.start:
            out.append(n)
        elif n.cat == "negation.wide" and parsed.weak_id(n.start) == parsed.weak_id(obj.start):
            out.append(n)  # "bøter verken bør videreføres eller erstattes": the predicate after its subject
    return out


def evaluate_object(
    parsed: Parsed,
    lex: Lexicon,
    position_id: str,
    obj: Cue,
    polarity: int,
    kind: str,
    inherited: tuple[int, float] | None = None,
    salience: bool = False,
) -> ObjectCall:
    """The stance of one object occurrence. ``inherited`` is a lead-in's (sign, weight) for list items
    without an evaluation of their own ("Det er noen forhold som er sentrale for å lykkes:").

    ``salience``: the claim is that the object (a subject or a group) deserves more attention. Concern about
    the object itself, with no change word bound to it, then supports the claim ("alkohol er et stort
    problem", "kvinner rammes hardt av stigma"); rejection ("vi går imot ..."), negation and cuts still
    count as usual."""
    inner_ok = kind in ("topic", "weak_topic")
    # A pro/con phrase carries its own direction: change words, negations and rejection words inside it are
    # part of it ("hjelp og ikke straff", "avviser pasienter fordi de bruker rusmidler"); a demand inside
    # it ("TSB må framleis vere ...", "kommunene bør overta") still evaluates it, unless it belongs to a
    # reported reason ("avvist med den begrunnelse at ... må").
    ops = [
        o
        for o in parsed.ops
        if inner_ok
        or not (obj.start <= o.start and o.end <= obj.end)
        or (o.cat.startswith("evaluation.positive") and not _REASON.search(parsed.text[obj.start : o.start]))
    ]
    quoted = any(qs <= obj.start and obj.end <= qe for qs, qe in parsed.quotes)
    # a multiword topic is a name ("samtidig behandling av rusproblemer og psykiske lidelser"): the problem
    # words inside it change nothing
    named = inner_ok and " " in parsed.text[obj.start : obj.end]
    changes = [
        o
        for o in ops
        if o.cat.startswith(CHANGE_PREFIX)
        and not (named and o.cat == "change.problem_compound" and obj.start <= o.start and o.end <= obj.end)
    ]
    evals = [
        o
        for o in ops
        if o.cat.startswith(EVAL_PREFIX) and (not inner_ok or not (o.start >= obj.start and o.end <= obj.end))
    ]
    if quoted:
        outside = [e for e in evals if not any(qs <= e.start and e.end <= qe for qs, qe in parsed.quotes)]
        evals = outside or evals
        quoted = not outside
    bound = _bind_changes(parsed, lex, obj, inner_ok, changes, ops)
    # "i stedet for X" negates the object right after it; a comparison's "enn" the whole compared phrase
    # ("enn i døgnavdelingar med tomme senger")
    contrast = [
        o
        for o in ops
        if o.cat in ("negation.contrast", "negation.than")
        and o.end <= obj.start
        and parsed.strong_id(o.start) == parsed.strong_id(obj.start)
        and "," not in parsed.text[o.end : obj.start]
        and (
            o.cat == "negation.than"
            or _content_gap(parsed, lex, o.end, obj.start, ops)[0] <= MAX_CONTRAST_GAP
        )
    ]
    contrast = contrast[-1:]
    chosen = _evaluations(parsed, obj, evals)
    clauses = {parsed.weak_id(obj.start)} | {parsed.weak_id(e.start) for e in chosen}
    negs = _negations(parsed, obj, [o for o in ops if o.cat in ("negation.plain", "negation.wide")], clauses)
    negs = [n for n in negs if not _in_trailing_relative(parsed, obj, chosen + bound, n)]
    negs = [n for n in negs if not _own_np_negator(parsed, obj, n, bool(contrast))]
    # "uten/utan" after the object negates its own complement ("et forbud uten konsekvenser", "innsatte i
    # fengsler uten rusmestringsenhet", "..., og reaksjonen bør være rådgivning uten sanksjoner"); after a
    # passive verb or before a clause it belongs to the predicate ("bør ikke løslates uten en plan", "bør
    # aldri skje uten at ...")
    negs = [
        n
        for n in negs
        if n.start < obj.start
        or not _PREPOSITIONAL_NEG.fullmatch(parsed.text[n.start : n.end])
        or ("," not in parsed.text[obj.end : n.start] and _predicate_uten(parsed, n))
    ]
    # coordinated "uten A og uten B": each negates its own complement, only the nearest one this object
    prepositional = [
        n for n in negs if n.start < obj.start and _PREPOSITIONAL_NEG.fullmatch(parsed.text[n.start : n.end])
    ]
    negs = [n for n in negs if n not in prepositional[:-1]]
    direction = polarity
    for c in bound:
        if salience and kind in ("topic", "weak_topic") and c.cat == "change.excess":
            direction *= -1  # "altfor mange unge ...": too many of a group in trouble is a concern for it
        elif (
            salience and kind in ("topic", "weak_topic") and _QUANTITY.fullmatch(parsed.text[c.start : c.end])
        ):
            continue  # "stadig fleire unge brukar cannabis": how many are affected, not less for the group
        else:
            direction *= c.sign
    for _ in contrast:
        direction *= -1
    if len(negs) % 2:
        direction *= -1
    if salience and kind in ("topic", "weak_topic") and any(e.sign > 0 for e in chosen):
        # "X bør løftes fram som det største problemet": the concern in a "som" complement describes the
        # subject, the demand is the verdict
        chosen = [e for e in chosen if e.sign > 0 or not _AS_COMPLEMENT.search(parsed.text[: e.start])]
    if chosen:
        evaluation, eval_weight = 1, max(e.weight for e in chosen)
        for e in chosen:
            evaluation *= e.sign
        appraisals = [e for e in chosen if e.sign < 0 and e.cat != "evaluation.negative.rejection"]
        if len(appraisals) > 1 and len(appraisals) % 2 == 0:
            # "vi frykter at X vil ramme de sykeste": two appraisals of the same harm, not a double negative
            # (a rejection does flip one: "vi er uenige i at X er skadelig")
            evaluation *= -1
        if eval_weight < 1.0 and any(c.cat in DEFICIT_LIKE for c in bound):
            evaluation *= -1  # "vi mener det er for få ...": the opinion verb asserts, the deficit evaluates
    elif any(c.cat in DEFICIT_LIKE for c in bound):
        evaluation, eval_weight = -1, IMPLICIT_EVAL_WEIGHT
    elif inherited:
        evaluation, eval_weight = inherited
    elif not inner_ok and _inner_negative(parsed, obj):
        # "pasienter blir avvist fordi de ruser seg": the phrase reports a practice in its own negative words;
        # negated it is a norm against the practice ("kan ikke avvise pasienter fordi ..."), the same side
        evaluation, eval_weight = (-1) ** (len(negs) + 1), IMPLICIT_EVAL_WEIGHT
    else:
        evaluation, eval_weight = 0, 0.0
    sid = parsed.strong_id(obj.start)
    attributed = quoted or any(s <= obj.start < e for s, e in parsed.attributed)
    hedged = any(parsed.strong_id(h.start) == sid for h in parsed.hedges)
    # a fronted condition ("Dersom pengene finnes, mener vi ...") conditions the main clause after it
    conditional = any(
        parsed.strong_id(c.start) == sid or c.start < parsed.fronted_end for c in parsed.conditions
    )
    base = {"topic": WEIGHT_TOPIC, "weak_topic": WEIGHT_WEAK_TOPIC}.get(kind, WEIGHT_PHRASE)
    conf = base * eval_weight
    conf *= HEDGE_FACTOR if hedged else 1.0
    conf *= CONDITION_FACTOR if conditional else 1.0
    conf *= QUESTION_FACTOR if parsed.is_question else 1.0
    if chosen and _in_relative_clause(parsed, obj, chosen):
        conf *= RELATIVE_FACTOR
    spans = [c for c in parsed.scopes if parsed.strong_id(c.start) == sid]
    spans = [c for c in spans if not any(o is not c and o.start <= c.start and c.end <= o.end for o in spans)]
    scope = "; ".join(dict.fromkeys(parsed.text[c.start : c.end] for c in spans))
    cues = [f"{kind}:{parsed.text[obj.start : obj.end]}"]
    cues += [f"{c.cat.split('.')[-1]}:{parsed.text[c.start : c.end]}" for c in bound + contrast + negs]
    cues += [f"eval{'+' if e.sign > 0 else '-'}:{parsed.text[e.start : e.end]}" for e in chosen]
    if inherited and not chosen and evaluation:
        cues.append("eval:inherited")
    real_changes = [c for c in bound if not _QUANTITY.fullmatch(parsed.text[c.start : c.end])]
    if (
        salience
        and evaluation < 0
        and not real_changes
        and kind in ("topic", "weak_topic", "anaphor")
        and not any(e.cat == "evaluation.negative.rejection" for e in chosen)
    ):
        evaluation = 1
        cues.append("salience:concern")
        if not parsed.own_tokens and not any(e.sign > 0 for e in chosen):
            conf *= FACT_CONCERN_FACTOR  # a reported harm ("risikoen er høy blant ...") with nobody asking
    prior = base * (HEDGE_FACTOR if hedged else 1.0) * (CONDITION_FACTOR if conditional else 1.0)
    sign = direction * evaluation if not attributed else 0
    return ObjectCall(
        position_id,
        obj.start,
        obj.end,
        kind,
        polarity,
        direction,
        evaluation,
        sign,
        round(conf, 3),
        attributed,
        quoted,
        hedged,
        conditional,
        scope,
        cues,
        eval_weight,
        bool(bound or contrast) or kind in ("pro", "con"),
        round(prior, 3),
    )


def _inner_negative(parsed: Parsed, obj: Cue) -> bool:
    """A negative word inside or overlapping a pro/con phrase ("avvist ...", "blir avvist" over "avvist
    fordi ...", "skrives ut lenge før de er klare")."""
    inner = [o for o in parsed.ops if o.start < obj.end and obj.start < o.end]
    return any(o.sign < 0 and (o.cat.startswith(EVAL_PREFIX) or o.cat in DEFICIT_LIKE) for o in inner)


_CLAUSE_AFTER = re.compile(r"\s+(?:at|å)\b", re.IGNORECASE)


def _predicate_uten(parsed: Parsed, neg: Cue) -> bool:
    prev = [t for t in parsed.tokens if t[1] <= neg.start]
    passive = bool(prev) and prev[-1][2].endswith(PASSIVE_ENDINGS) and len(prev[-1][2]) > 4
    return passive or bool(_CLAUSE_AFTER.match(parsed.text, neg.end))
_AS_COMPLEMENT = re.compile(r"(?i)\bsom\s+(?:(?:et|eit|en|ein|ei|det|den)\s+)?$")
_REASON = re.compile(r"(?i)\b(at|fordi|begrunnelse\w*|grunngjeving\w*|siden|sidan|dersom|hvis|viss)\b")


def _in_trailing_relative(parsed: Parsed, obj: Cue, governing: list[Cue], neg: Cue) -> bool:
    """A negator in a relative clause after the object and its verdict ("... fungere godt for dei som
    ikkje møter til timar") negates that clause, not the claim."""
    last = max([obj.end, *(c.end for c in governing)])
    soms = [t[0] for t in parsed.tokens if t[2] == "som" and last <= t[0] < neg.start]
    return bool(soms)


def _in_relative_clause(parsed: Parsed, obj: Cue, chosen: list[Cue]) -> bool:
    """Object and verdict both inside a "som ..." clause: background about something else ("kontroller som
    ikke krever spesialistkompetanse"), not the letter's claim."""
    sid = parsed.strong_id(obj.start)
    clause_start = parsed.strong_cuts[sid - 1] if sid else 0
    soms = [t[0] for t in parsed.tokens if t[2] == "som" and clause_start <= t[0] < obj.start]
    if not soms or "," in parsed.text[soms[-1] : obj.start]:
        return False  # a relative clause ends at its comma: "Den som er avhengig av narkotika, treng ..."
    return all(e.start > soms[-1] and "," not in parsed.text[soms[-1] : e.start] for e in chosen)


def endorsement(parsed: Parsed, after: int) -> tuple[int, list[Cue]]:
    """The writer's verdict on an attributed claim in a later clause of the same sentence ("..., noe vi er
    sterkt imot", "..., men det er vi ikke enige i"): sign of its evaluations and negations (0: none)."""
    for cut in parsed.strong_cuts + parsed.weak_cuts:
        if cut < after:
            continue
        sid = parsed.strong_id(cut)
        if sid not in parsed.own_clauses and not any(s >= cut for s, _ in parsed.own_tokens):
            continue
        evals = [o for o in parsed.ops if o.cat.startswith(EVAL_PREFIX) and o.start >= cut]
        if not any(e.weight >= 1.0 for e in evals):
            continue  # "..., og vi vil følge med" is no verdict
        sign = 1
        for e in evals:
            sign *= e.sign
        negs = [o for o in parsed.ops if o.cat in ("negation.plain", "negation.wide") and o.start >= cut]
        return (sign * (-1) ** len(negs)), evals
    return 0, []


def _counter_claim(parsed: Parsed, cut: int) -> tuple[int, list[Cue]]:
    """The clause after a concession ("..., men vi mener antallet bør reduseres") speaks of the conceded
    object without naming it: its change words, evaluations and negations give the writer's direction on the
    object itself (0 when it has no change word or no evaluation)."""
    end = next((c for c in parsed.strong_cuts if c > cut), len(parsed.text))
    ops = [o for o in parsed.ops if cut <= o.start < end]
    changes = [o for o in ops if o.cat.startswith(CHANGE_PREFIX)]
    evals = [o for o in ops if o.cat.startswith(EVAL_PREFIX)]
    if not changes or not evals:
        return 0, []
    sign = 1
    for o in changes + evals:
        sign *= o.sign
    negs = [o for o in ops if o.cat in ("negation.plain", "negation.wide")]
    return sign * (-1) ** len(negs), changes + evals


_MEN_PREDICATE = re.compile(r"(?i)men\s+(\w+)")


def _men_predicate(parsed: Parsed, call: ObjectCall, polarity: int) -> None:
    """ "X skal fortsatt finnes, men bør være et unntak": a "men" clause without a subject of its own is a
    second predicate of the same subject and the writer's point; its verdict replaces the first clause's."""
    sid = parsed.strong_id(call.start)
    if sid >= len(parsed.strong_cuts):
        return
    cut = parsed.strong_cuts[sid]
    m = _MEN_PREDICATE.match(parsed.text, cut)
    if not m or m.group(1).lower() not in AUXILIARIES:
        return
    verdict, evals = _counter_claim(parsed, cut)
    if verdict and verdict * polarity != call.sign:
        call.sign = verdict * polarity
        call.confidence = round(CONCESSION_FACTOR * (call.prior or call.confidence), 3)
        call.cues.append("men-predicate:" + ",".join(parsed.text[e.start : e.end] for e in evals))


def _drop_topics_inside_phrases(calls: list[ObjectCall]) -> list[ObjectCall]:
    """A topic word inside another claim's pro/con phrase belongs to that claim: "ambulant" in "dreining
    fra døgn til ambulant behandling" is the bed claim's argument, not a stance on outreach teams."""
    phrases = [c for c in calls if c.kind in ("pro", "con")]
    return [
        c
        for c in calls
        if c.kind in ("pro", "con")
        or not any(p.position_id != c.position_id and p.start <= c.start and c.end <= p.end for p in phrases)
    ]


_COMPLEMENT_LINK = re.compile(r"(?i)\s+(?:i|av|på|for|med|til|rundt|om)\s+(?:\w+\s+)?")


def _drop_complement_phrases(parsed: Parsed, calls: list[ObjectCall]) -> list[ObjectCall]:
    """A pro/con phrase that is the prepositional complement of an opposite phrase of the same claim is that
    phrase's object, not a second verdict: "lempingar i LAR-krava" is one call (the easing), not an easing
    plus a stance on the rules."""
    phrases = [c for c in calls if c.kind in ("pro", "con")]

    def complement(c: ObjectCall) -> bool:
        return any(
            p.position_id == c.position_id
            and p.polarity != c.polarity
            and p.end <= c.start
            and _COMPLEMENT_LINK.fullmatch(parsed.text[p.end : c.start])
            for p in phrases
        )

    return [c for c in calls if c.kind not in ("pro", "con") or not complement(c)]


_COORDINATION = re.compile(r"(?i)\s*(?:,\s*(?:og|eller|samt)?|og|eller|samt)\s*")


def _share_coordinated_changes(parsed: Parsed, calls: list[ObjectCall]) -> None:
    """Coordinated objects share the change word that governs the first: "mangelen på psykologar,
    legespesialistar og sjukepleiarar" is a shortage of all three (the binder stops at the first)."""
    ordered = sorted(calls, key=lambda c: c.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if (
            a.position_id == b.position_id
            and a.changed
            and not b.changed
            and b.kind in ("topic", "weak_topic")
            and a.attributed == b.attributed
            and a.evaluation == b.evaluation
            and _COORDINATION.fullmatch(parsed.text[a.end : b.start])
        ):
            b.direction, b.sign, b.changed = a.direction, a.sign, True
            b.cues.append("coordinated:" + parsed.text[a.start : a.end])


def analyse(
    parsed: Parsed,
    codebook: Codebook,
    lex: Lexicon,
    code_hits: dict[str, dict[str, list[tuple[int, int]]]] | None = None,
    context_ids: set[str] | None = None,
    inherited: tuple[int, float] | None = None,
    near_topic_ids: set[str] | None = None,
) -> list[ObjectCall]:
    """Every object call of every position in one parsed sentence.

    ``code_hits``: ``codebook.scan(parsed.text)`` (computed when None); ``context_ids``: positions whose
    `context` cues occur around the sentence (default: in the sentence itself); ``near_topic_ids``:
    positions whose topic occurs in a list item's lead-in or neighbours.
    """
    code_hits = codebook.scan(parsed.text) if code_hits is None else code_hits
    if context_ids is None:
        context_ids = {pid for pid, h in code_hits.items() if h.get("context")}
    calls = []
    for position in codebook.positions:
        hits = code_hits.get(position.id)
        if not hits or not any(hits.get(k) for k in ("topic", "weak_topic", "pro", "con")):
            continue
        near = bool(near_topic_ids and position.id in near_topic_ids)
        for obj, polarity, kind in find_objects(parsed, position, hits, position.id in context_ids, near):
            call = evaluate_object(
                parsed, lex, position.id, obj, polarity, kind, inherited, position.salience
            )
            conceded = [b for a, b in _concession_regions(parsed) if a <= obj.start < b]
            if call.attributed and conceded:
                verdict, evals = _counter_claim(parsed, conceded[0])
                if verdict:
                    call.sign = verdict * polarity
                    call.attributed = False
                    call.confidence = round(CONCESSION_FACTOR * call.prior, 3)
                    call.cues.append(
                        "after-concession:" + ",".join(parsed.text[e.start : e.end] for e in evals)
                    )
            elif call.attributed and not call.quoted and not parsed.hits.get("attribution.noncommittal"):
                verdict, evals = endorsement(parsed, obj.end)
                if verdict:
                    call.sign = verdict * call.proposition
                    call.attributed = False
                    call.confidence = round(ENDORSED_FACTOR * call.prior, 3)
                    call.cues.append("endorsed:" + ",".join(parsed.text[e.start : e.end] for e in evals))
            elif not call.attributed:
                _men_predicate(parsed, call, polarity)
            calls.append(call)
    calls = _drop_complement_phrases(parsed, _drop_topics_inside_phrases(calls))
    _share_coordinated_changes(parsed, calls)
    salient = {p.id for p in codebook.positions if p.salience}
    other_claims = {c.position_id for c in calls if c.sign and c.position_id not in salient}
    for c in calls:
        if c.position_id in salient and c.kind in ("topic", "weak_topic") and other_claims:
            # "ungdom" in a sentence about punishment is the reach of that claim, not a claim about youth
            c.confidence = round(c.confidence * EMBEDDED_GROUP_FACTOR, 3)
            c.cues.append("embedded-group")
    return calls


def eval_cues(parsed: Parsed) -> list[Cue]:
    """The sentence's evaluations (for list items that inherit a lead-in's verdict)."""
    return [o for o in parsed.ops if o.cat.startswith(EVAL_PREFIX)]

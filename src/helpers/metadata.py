"""Submission metadata: ``metadata.csv`` where the secretariat filled it in, else inferred from the text.

Decisions:
- ``metadata.csv`` wins for every field it gives. Only empty fields are inferred, and each inferred field is
  listed in ``inferred_fields`` so an analyst can see what the suite guessed.
- Column names are accepted in the shared corpus spelling (``organisation``, ``date``) and the schema
  spelling (``org_name``, ``received_date``); a row is matched to a file by its path relative to the raw
  folder, or by its bare file name when that is unique. Names are compared in Unicode NFC (macOS writes
  æøå decomposed).
- The organisation is looked for where letters put it: a form field ("Organisasjon: ..."), the signature
  block (the first line after "Med vennlig hilsen" that is not a person's name or a role), the letterhead,
  a title "Innspill fra X", a sentence such as "X takker for muligheten". Its type comes from
  ``config/org_types.yaml``.
- Title: a heading near the top that starts with a title word (Innspill, Høringssvar ...), else the HTML/DOCX
  title, else the first heading of at least two words. Date: the dateline ("Oslo, 7. mars 2024") or a
  ``dd.mm.yyyy`` near the top. ``doc_kind`` from the title (config/ingest.yaml).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd

from helpers import cleaning, config, io

# Bump when the inference code changes (config changes are noticed by themselves).
INFERENCE_VERSION = "1"
METADATA_FIELDS = ("org_name", "org_type", "received_date", "doc_kind", "addressee", "title", "is_public")
COLUMN_ALIASES = {
    "organisation": "org_name", "organization": "org_name", "organisasjon": "org_name", "org": "org_name",
    "avsender": "org_name", "date": "received_date", "dato": "received_date", "mottatt": "received_date",
    "kind": "doc_kind", "type": "doc_kind", "tittel": "title", "mottaker": "addressee", "public": "is_public",
    "offentlig": "is_public", "fil": "file", "filename": "file", "filnavn": "file",
}
_TRUE = {"true", "ja", "yes", "1", "x", "y", "j", "sann", "offentlig"}
_FALSE = {"false", "nei", "no", "0", "n", "usann", "unntatt", "ikke offentlig"}


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


# ------------------------------------------------------------------------------------------- metadata.csv
def read_metadata(raw_dir: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """``metadata.csv`` with schema column names (all strings), and problems found in it.

    No file gives an empty table. A file without a ``file`` column is an error naming the file.
    """
    path = Path(raw_dir) / "metadata.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["file", *METADATA_FIELDS]), []
    try:
        meta = io.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    except Exception as err:
        raise ValueError(f"{path}: cannot be read as CSV: {err}") from err
    meta.columns = [COLUMN_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in meta.columns]
    if "file" not in meta.columns:
        raise ValueError(f"{path}: has no 'file' column (columns: {', '.join(meta.columns)})")
    for col in METADATA_FIELDS:
        if col not in meta.columns:
            meta[col] = ""
    meta = meta.map(lambda v: v.strip() if isinstance(v, str) else v)
    meta["file"] = meta["file"].map(lambda f: nfc(f.replace("\\", "/")))
    problems = []
    dups = meta.loc[meta["file"].duplicated(), "file"].tolist()
    if dups:
        problems.append(f"{path.name}: files listed twice (the first row is used): {', '.join(dups)}")
        meta = meta.drop_duplicates("file")
    meta = meta[meta["file"] != ""]
    return meta.reset_index(drop=True), problems


def match_metadata(meta: pd.DataFrame, files: list[str]) -> dict[str, str]:
    """Map each raw file (relative path) to the metadata ``file`` value that describes it."""
    listed = set(meta["file"])
    by_name: dict[str, list[str]] = {}
    for f in files:
        by_name.setdefault(Path(f).name, []).append(f)
    out = {}
    for f in files:
        key = nfc(f)
        if key in listed:
            out[f] = key
    for entry in listed - set(out.values()):
        cands = by_name.get(Path(entry).name, [])
        if "/" not in entry and len(cands) == 1 and cands[0] not in out:
            out[cands[0]] = entry
    return out


def parse_date(value: str) -> tuple[pd.Timestamp | None, bool]:
    """A date written as ISO, ``dd.mm.yyyy`` or ``7. mars 2024``; returns (date or None, understood)."""
    value = (value or "").strip()
    if not value:
        return None, True
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?", value)
    if m:
        return _ts(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})", value)
    if m:
        year = int(m.group(3))
        return _ts(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(1)))
    found = find_written_date(value)
    return (found, True) if found is not None else (None, False)


def _ts(year: int, month: int, day: int) -> tuple[pd.Timestamp | None, bool]:
    try:
        return pd.Timestamp(year=year, month=month, day=day), True
    except ValueError:
        return None, False


def parse_bool(value: str) -> bool | None:
    v = (value or "").strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


# ----------------------------------------------------------------------------------------------- config
@functools.cache
def org_type_rules() -> tuple[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """(the 'unknown' type, ordered (org_type, one regex for all its patterns)) from org_types.yaml."""
    path = config.CONFIG_DIR / "org_types.yaml"
    data = config.load_yaml(path) or {}
    rules = []
    for i, rule in enumerate(data.get("rules", [])):
        if not isinstance(rule, dict) or "org_type" not in rule or "patterns" not in rule:
            raise ValueError(f"{path}: rule {i + 1} needs 'org_type' and 'patterns'")
        try:
            for p in rule["patterns"]:
                re.compile(p)
            combined = re.compile("|".join(f"(?:{p})" for p in rule["patterns"]), re.I)
        except re.error as err:
            raise ValueError(f"{path}: rule {rule['org_type']!r}: invalid pattern: {err}") from err
        rules.append((rule["org_type"], combined))
    return data.get("unknown", "ukjent"), tuple(rules)


@functools.cache
def inference_version() -> str:
    """Changes when the inference rules change (config files or this code's INFERENCE_VERSION), so cached
    inferences are recomputed instead of reused."""
    h = hashlib.sha1(INFERENCE_VERSION.encode())
    for name in ("org_types.yaml", "ingest.yaml"):
        path = config.CONFIG_DIR / name
        h.update(path.read_bytes() if path.is_file() else b"")
    return h.hexdigest()[:12]


@functools.cache
def _months() -> dict[str, int]:
    return {k.lower(): int(v) for k, v in cleaning.ingest_config().get("months", {}).items()}


@functools.cache
def _written_date_re() -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    return re.compile(rf"\b(\d{{1,2}})\.\s*({names})\.?\s+(\d{{4}})\b"
                      rf"|\b(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}})\b", re.I)


def find_written_date(text: str) -> pd.Timestamp | None:
    m = _written_date_re().search(text)
    if not m:
        return None
    if m.group(1):
        day, month, year = int(m.group(1)), _months()[m.group(2).lower()], int(m.group(3))
    else:
        day, month, year = int(m.group(4)), int(m.group(5)), int(m.group(6))
    return _ts(year, month, day)[0]


@functools.lru_cache(maxsize=8192)
def infer_org_type(org_name: str) -> str:
    """The first ``config/org_types.yaml`` rule with a pattern found in the name; ``ukjent`` otherwise."""
    unknown, rules = org_type_rules()
    if not org_name:
        return unknown
    for org_type, rx in rules:
        if rx.search(org_name):
            return org_type
    return unknown


# ------------------------------------------------------------------------------------------------ inference
_BULLET_PREFIX_RE = re.compile(rf"^[{re.escape(cleaning.BULLET_CHARS)}]\s+")


def _blocks(text: str) -> list[str]:
    """The blocks of a cleaned submission text (they are separated by blank lines), without bullets."""
    return [_BULLET_PREFIX_RE.sub("", b.strip()) for b in text.split("\n\n") if b.strip()]


@functools.cache
def _roles() -> frozenset[str]:
    return frozenset(r.lower() for r in cleaning.ingest_config().get("signatory_roles", []))


_NAME_TOKEN_RE = re.compile(r"^[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèáó'’.-]+$|^[A-ZÆØÅ]\.$")
_NAME_PARTICLES = {"von", "van", "de", "der", "af", "la", "le", "du"}


def looks_like_person(line: str) -> bool:
    """2-5 capitalised words, no organisation word: a signatory's name."""
    words = line.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or infer_org_type(line) != org_type_rules()[0]:
        return False
    return all(_NAME_TOKEN_RE.match(w) or w in _NAME_PARTICLES for w in words)


def _is_role(line: str) -> bool:
    low = line.lower().strip(" ,.")
    return low in _roles() or any(low.startswith(r + " ") or low.startswith(r + ",") for r in _roles())


def _org_candidates(line: str) -> list[str]:
    """Ways a signature line can carry an organisation: the line, the part after a role ("regionleiar,
    Omsorgsforbundet Vest"), the line without "for"/"på vegne av", the part before a comma."""
    line = line.strip(" ,.")
    out = []
    if line[:1].isupper() and len(line.split()) <= 8:
        out.append(line)
    low = line.lower()
    for pre in ("for ", "på vegne av ", "på vegner av ", "pp. ", "p.p. "):
        if low.startswith(pre):
            out.append(line[len(pre):].strip())
    if "," in line:
        head, tail = line.split(",", 1)
        out.append(tail.strip() if line[:1].islower() or _is_role(head) else head.strip())
    return [c for c in out if c]


def _org_from_signature(blocks: list[str]) -> str | None:
    closing = cleaning._closing_re()
    unknown = org_type_rules()[0]
    for i, b in enumerate(blocks):
        if not closing.match(b):
            continue
        fallback = None
        for line in blocks[i + 1:i + 8]:
            if line.startswith(tuple(cleaning.SUPERSCRIPT_DIGITS)) or "[" in line or len(line.split()) > 12:
                continue
            for cand in _org_candidates(line):
                if looks_like_person(cand) or _is_role(cand) or not cand[:1].isupper():
                    continue
                if infer_org_type(cand) != unknown:
                    return cand
                if fallback is None and looks_like_org(cand):
                    fallback = cand
        return fallback
    return None


def looks_like_org(line: str) -> bool:
    """A name-like line (capitalised, short, no sentence punctuation) that is not a person."""
    words = line.split()
    return 1 <= len(words) <= 8 and line[:1].isupper() and not line.rstrip().endswith((".", ":", "?")) \
        and not looks_like_person(line) and not _is_role(line)


@functools.cache
def _sender_re() -> re.Pattern[str]:
    cfg = cleaning.ingest_config()
    phrases = "|".join(re.escape(p) for p in cfg.get("sender_phrases", []))
    return re.compile(rf"(?:^|(?<=[.!?]\s))([A-ZÆØÅ][^.!?]{{1,90}}?)\s+(?:{phrases})\b")


def _org_from_sentence(blocks: list[str]) -> str | None:
    prefixes = sorted(cleaning.ingest_config().get("sender_prefixes", []), key=len, reverse=True)
    for b in blocks[:12]:
        m = _sender_re().search(b)
        if not m:
            continue
        cand = m.group(1).strip()
        for pre in prefixes:
            if cand.lower().startswith(pre + " "):
                cand = cand[len(pre) + 1:].strip()
                break
        cand = cand.split(",")[0].strip()
        pronoun = cand.lower() in ("vi", "me", "jeg", "eg")
        if cand and cand[0].isupper() and len(cand.split()) <= 8 and not pronoun:
            return cand
    return None


_FORM_ORG_RE = re.compile(r"^(?:organisasjon|organisasjonens navn|avsender|virksomhet|verksemd|fra|frå|from"
                          r"|navn på organisasjon(?:en)?)\s*:\s*([^,]+)", re.I)


def _org_from_form(blocks: list[str]) -> str | None:
    for b in blocks[:40]:
        m = _FORM_ORG_RE.match(b)
        if m:
            return m.group(1).strip()
    return None


def _org_from_letterhead(blocks: list[str], text: str) -> str | None:
    unknown = org_type_rules()[0]
    for b in blocks[:3]:
        first = re.split(r"\s[–-]\s|,|·", b)[0].strip()
        if _title_prefix_re().match(first) or _title_word_re().search(first):
            continue
        if infer_org_type(first) not in (unknown, "annen") and looks_like_org(first):
            return _recase(first, text) if first.isupper() and len(first) > 5 else first
    return None


def _recase(name: str, text: str) -> str:
    """An all-caps letterhead name in the case the letter itself writes it ("Omsorgsforbundet Vest"), else
    Norwegian sentence case with the words the letter capitalises elsewhere."""
    hit = re.search(re.escape(name), text, re.I)
    while hit and hit.group().isupper():
        hit = re.compile(re.escape(name), re.I).search(text, hit.end())
    if hit:
        return hit.group()
    words = name.lower().split()
    out = [words[0].capitalize()]
    for w in words[1:]:
        cap = w.capitalize()
        out.append(cap if re.search(rf"(?<![.!?]\s)\b{re.escape(cap)}\b", text) else w)
    return " ".join(out)


def infer_org_name(text: str, blocks: list[str] | None = None) -> str | None:
    """Form field, else signature or letterhead (the letterhead wins when the two name different bodies,
    since a signature may name a department), else a title "Innspill fra X", else "X takker for ..."."""
    blocks = _blocks(text) if blocks is None else blocks
    form = _org_from_form(blocks)
    if form:
        return form
    head, sign = _org_from_letterhead(blocks, text), _org_from_signature(blocks)
    if head and sign and head.lower() not in sign.lower() and sign.lower() not in head.lower():
        return head
    return sign or head or _org_from_title(blocks) or _org_from_sentence(blocks)


_TITLE_FROM_RE = re.compile(
    r"^\w+\s+(?:fra|frå|from)\s+(.+?)(?:\s+(?:til|om|på|vedrørende|ang\.?|to)\s|\s[–-]\s|:|$)", re.I)


def _org_from_title(blocks: list[str]) -> str | None:
    """"Innspill fra Ærøy pårørendeforening til ..." names the sender."""
    for b in blocks[:15]:
        if _title_start_re().match(b) and (m := _TITLE_FROM_RE.match(b)):
            cand = m.group(1).strip(" ,.")
            if cand[:1].isupper() and len(cand.split()) <= 8:
                return cand
    return None


@functools.cache
def _title_start_re() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in cleaning.ingest_config().get("title_starts", []))
    return re.compile(rf"^(?:{words})\b", re.I)


@functools.cache
def _title_prefix_re() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in cleaning.ingest_config().get("title_starts", []))
    return re.compile(rf"^(?:{words})", re.I)


@functools.cache
def _title_word_re() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in cleaning.ingest_config().get("title_starts", []))
    return re.compile(rf"\b(?:{words})\b", re.I)


def infer_title(text: str, title_hint: str = "", blocks: list[str] | None = None) -> str | None:
    blocks = [b for b in (_blocks(text) if blocks is None else blocks)[:15] if len(b) <= 200]
    heads = [b for b in blocks if cleaning.is_heading_text(b) or (":" in b[:40] and not _final_stop(b))]
    for rx in (_title_start_re(), _title_word_re()):
        for b in heads:
            if rx.search(b):
                return b
    if title_hint.strip():
        return title_hint.strip()
    for b in heads:
        if len(b.split()) >= 2 and not looks_like_person(b) and not b.isupper():
            return b
    return None


def _final_stop(text: str) -> bool:
    return text.rstrip()[-1:] in ".!?"


def infer_date(text: str, blocks: list[str] | None = None) -> pd.Timestamp | None:
    head = "\n".join((_blocks(text) if blocks is None else blocks)[:12])
    return find_written_date(head)


def infer_doc_kind(title: str) -> str:
    cfg = cleaning.ingest_config()
    for rule in cfg.get("doc_kinds", []):
        if any(re.search(p, title or "", re.I) for p in rule["patterns"]):
            return rule["doc_kind"]
    return cfg.get("default_doc_kind", "innspill")


_ADDRESSEE_RE = re.compile(r"^(?:Til|Att\.?|Attn\.?)\s*:?\s+([^,\d]{3,80}?)"
                           r"(?:\s{2,}|\s+[A-ZÆØÅ][a-zæøå]+,\s*\d|$)")
_CONSENT_RE = re.compile(r"(?:samtykke[r]?|godta[r]?|ønsker)\b[^.:\n]{0,60}\b(?:publiser|offentleg|offentlig)"
                         r"[^:\n]{0,40}:\s*(ja|nei|yes|no)\b", re.I)


def infer_addressee(text: str, blocks: list[str] | None = None) -> str | None:
    for b in (_blocks(text) if blocks is None else blocks)[:8]:
        m = _ADDRESSEE_RE.match(b)
        if m:
            return m.group(1).strip()
    return None


def infer_is_public(text: str) -> bool | None:
    """A web form's consent answer ("... publiseres: Nei") when there is one."""
    m = _CONSENT_RE.search(text)
    return None if not m else m.group(1).lower() in ("ja", "yes")


def infer_fields(text: str, title_hint: str = "") -> dict:
    """Every field guessed from the text alone (what ingest caches per file): str/None values, the date as
    ISO text, so the dict can be stored as JSON."""
    blocks = _blocks(text)
    org = infer_org_name(text, blocks) or ""
    title = infer_title(text, title_hint, blocks) or ""
    date = infer_date(text, blocks)
    return {"org_name": org, "org_type": infer_org_type(org) if org else "",
            "received_date": date.date().isoformat() if date is not None else "", "title": title,
            "doc_kind": infer_doc_kind(title), "addressee": infer_addressee(text, blocks) or "",
            "is_public": infer_is_public(text)}


def resolve_fields(meta_row: dict | None, inferred: dict) -> tuple[dict, list[str]]:
    """The metadata fields of one submission: metadata.csv where it has a value, else the inferred one
    (from :func:`infer_fields`). Returns the fields and the names of those that were inferred."""
    row = {k: (meta_row or {}).get(k, "") for k in METADATA_FIELDS}
    out: dict = {}
    guessed: list[str] = []

    def take(field: str, value, guess) -> None:
        if value not in (None, ""):
            out[field] = value
        else:
            out[field] = guess
            if guess not in (None, ""):
                guessed.append(field)

    take("org_name", row["org_name"], inferred.get("org_name") or "")
    take("org_type", row["org_type"], infer_org_type(out["org_name"]) if out["org_name"] else "")
    date, _ = parse_date(row["received_date"])
    take("received_date", date, parse_date(inferred.get("received_date") or "")[0])
    take("title", row["title"], inferred.get("title") or "")
    take("doc_kind", row["doc_kind"].lower(), infer_doc_kind(out["title"]))
    take("addressee", row["addressee"], inferred.get("addressee") or "")
    take("is_public", parse_bool(row["is_public"]), inferred.get("is_public"))
    if out["is_public"] is None:
        out["is_public"] = True
    if not out["org_name"]:
        out["org_name"] = "ukjent"
    if not out["org_type"]:
        out["org_type"] = org_type_rules()[0]
    return out, guessed

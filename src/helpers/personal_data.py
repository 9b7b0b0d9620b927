"""Masking of personal data before anything is segmented, stored or shown.

Decisions:
- Masks are short bracketed Norwegian words (``[e-post]``, ``[telefon]``, ``[fødselsnummer]``) so a reader of
  a quote sees that something was there and what kind of thing it was.
- A fødselsnummer is only masked when it is one: a valid date (D-numbers add 40 to the day, H-numbers 40 to
  the month, synthetic test numbers 80 to the month) and both mod-11 check digits right. Eleven random
  digits (a case number, an account number) are left alone.
- Phone numbers are the Norwegian forms: 8 digits with an optional +47/0047, grouped ``12 34 56 78`` or
  ``123 45 678``, or any 8-digit grouping after ``tlf``/``telefon``/``mobil``. A bare 8-digit run is only a
  phone number when it starts with 2-9 and is not a date (``20240307``). Years, amounts (``12 345 678``),
  9-digit organisation numbers and case numbers (``22/26705-1``) never match: digits, slashes, dashes and
  decimal separators next to a candidate rule it out.
- Names are kept: signatories of an organisation's letter are public roles, and the brief says so.
- :func:`mask_text` also returns the replacements so callers can move offsets they computed before masking.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

EMAIL_MASK = "[e-post]"
PHONE_MASK = "[telefon]"
FNR_MASK = "[fødselsnummer]"

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Not next to another digit, a slash, a dash or a decimal separator followed by a digit.
_LEFT = r"(?<![\w/\-+])(?<![\d][.,])"
_RIGHT = r"(?![\w/\-])(?![.,]\d)"
_FNR_RE = re.compile(_LEFT + r"(\d{6})[ \u00a0]?(\d{5})" + _RIGHT)
_PREFIX = r"(?:(?:\+|00)\s?47[ \u00a0-]?)"
_SEP = r"[ \u00a0.]"
_GROUPED = rf"\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}|\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{3}}"
_PHONE_RE = re.compile(
    rf"{_LEFT}(?:{_PREFIX}(?:{_GROUPED}|\d{{4}}{_SEP}?\d{{4}}|\d{{8}})|{_GROUPED}|([2-9]\d{{7}})){_RIGHT}"
)
_KEYWORD_PHONE_RE = re.compile(
    rf"(?i:\b(?:tlf|telefon(?:nummer|nr)?|mobil(?:nummer|nr)?|mob|tel|phone|sentralbord)\.?\s*(?:nr\.?\s*)?:?\s*)"
    rf"({_PREFIX}?(?:{_GROUPED}|\d{{4}}{_SEP}?\d{{4}}|\d{{3}}{_SEP}?\d{{5}}|\d{{5}}{_SEP}?\d{{3}}|\d{{8}})){_RIGHT}"
)

_DIGITS_RE = re.compile(r"\d")  # no digit, no phone number or fødselsnummer
_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Replacement:
    """One masked stretch: ``start``/``end`` in the input text, and the length of the mask put there."""

    start: int
    end: int
    new_len: int
    kind: str


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    if rest == 11:
        return 0
    return None if rest == 10 else rest


def _valid_birth_date(first6: str) -> bool:
    day, month, year = int(first6[:2]), int(first6[2:4]), int(first6[4:6])
    if day > 40:
        day -= 40  # D-number
    if month > 80:
        month -= 80  # synthetic test number (Skatteetaten)
    elif month > 40:
        month -= 40  # H-number
    if not 1 <= month <= 12:
        return False
    # The century is in the individual digits; Feb 29 is accepted for any 2-digit year that is leap in 2000s.
    last = calendar.monthrange(2000 + year if year % 4 == 0 else 2001, month)[1]
    return 1 <= day <= last


def is_fodselsnummer(value: str) -> bool:
    """True for an 11-digit Norwegian national identity number (spaces allowed) with valid date and checks."""
    digits = re.sub(r"[ \u00a0]", "", value)
    if len(digits) != 11 or not digits.isdigit() or not _valid_birth_date(digits[:6]):
        return False
    k1 = _check_digit(digits[:9], _K1)
    if k1 is None or k1 != int(digits[9]):
        return False
    k2 = _check_digit(digits[:10], _K2)
    return k2 is not None and k2 == int(digits[10])


def _is_date_like(eight: str) -> bool:
    """``20240307`` / ``07032024``: a compact date, not a phone number."""
    for y, m, d in ((eight[:4], eight[4:6], eight[6:]), (eight[4:], eight[2:4], eight[:2])):
        year, month, day = int(y), int(m), int(d)
        if 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return True
    return False


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, kind)`` stretches of personal data in ``text``, in order."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    def add(s: int, e: int, kind: str) -> None:
        if free(s, e):
            found.append((s, e, kind))
            taken.append((s, e))

    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            add(m.start(), m.end(), "email")
    if _DIGITS_RE.search(text):
        for m in _FNR_RE.finditer(text):
            if is_fodselsnummer(m.group(1) + m.group(2)):
                add(m.start(), m.end(), "fnr")
        for m in _KEYWORD_PHONE_RE.finditer(text):
            add(m.start(1), m.end(1), "phone")
        for m in _PHONE_RE.finditer(text):
            if m.group(1) and _is_date_like(m.group(1)):
                continue
            add(m.start(), m.end(), "phone")
    found.sort()
    return found


_MASKS = {"email": EMAIL_MASK, "phone": PHONE_MASK, "fnr": FNR_MASK}


def mask_text(text: str) -> tuple[str, list[Replacement]]:
    """``text`` with e-mail addresses, phone numbers and fødselsnummer replaced by their masks."""
    hits = find_personal_data(text)
    if not hits:
        return text, []
    out, reps, prev = [], [], 0
    for start, end, kind in hits:
        mask = _MASKS[kind]
        out.append(text[prev:start])
        out.append(mask)
        reps.append(Replacement(start, end, len(mask), kind))
        prev = end
    out.append(text[prev:])
    return "".join(out), reps


def shift_offset(pos: int, replacements: list[Replacement]) -> int:
    """Where offset ``pos`` of the unmasked text lands in the masked text (inside a mask: its start)."""
    delta = 0
    for rep in replacements:
        if pos <= rep.start:
            break
        if pos < rep.end:
            return rep.start + delta
        delta += rep.new_len - (rep.end - rep.start)
    return pos + delta

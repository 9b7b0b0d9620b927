"""Masking of e-mail addresses, phone numbers and fødselsnummer (and what must never be masked)."""

from __future__ import annotations

import re

import pytest

from helpers import ingest, personal_data
from helpers.personal_data import EMAIL_MASK, FNR_MASK, PHONE_MASK, mask_text


def _with_check_digits(first9: str) -> str | None:
    """Independent mod-11 computation (the test's own), to build valid numbers from a birth date."""
    def digit(digits: str, weights: list[int]) -> int | None:
        r = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        return 0 if r == 11 else (None if r == 10 else r)

    k1 = digit(first9, [3, 7, 6, 1, 8, 9, 4, 5, 2])
    if k1 is None:
        return None
    k2 = digit(first9 + str(k1), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    return None if k2 is None else f"{first9}{k1}{k2}"


def _valid_numbers(date6: str, n: int = 2) -> list[str]:
    out = []
    for ind in range(100, 999):
        num = _with_check_digits(f"{date6}{ind:03d}")
        if num:
            out.append(num)
        if len(out) == n:
            return out
    raise AssertionError("no valid number found")


def test_planted_values_are_masked_and_lookalikes_are_not() -> None:
    fnr, fnr_spaced = _valid_numbers("290272")  # 29 Feb 1972
    d_number = _valid_numbers("510388", 1)[0]  # D-number: day + 40
    text = (
        f"Kontakt: ola.nordmann@kommune.example eller post@rus-hjelp.no. Tlf. 22 33 44 55, mobil 912 34 567, "
        f"+47 98765432 og 41234567. Fødselsnummer {fnr}, også skrevet {fnr_spaced[:6]} {fnr_spaced[6:]}, "
        f"og D-nummer {d_number}.\n"
        "Ikke maskeres: saksnr. 22/26705-1, brev av 17.06.22, år 2024, kr 12 345 678, org.nr. 987 654 321, "
        "datoen 20240307, 1.234.567 innbyggere, konto 1234.56.78901 og elleve sifre 12345678901."
    )
    masked, reps = mask_text(text)
    for value in ("ola.nordmann@kommune.example", "post@rus-hjelp.no", "22 33 44 55", "912 34 567",
                  "98765432", "41234567", fnr, fnr_spaced[6:], d_number):
        assert value not in masked, value
    assert masked.count(EMAIL_MASK) == 2
    assert masked.count(PHONE_MASK) == 4
    assert masked.count(FNR_MASK) == 3
    for keep in ("22/26705-1", "17.06.22", "2024", "12 345 678", "987 654 321", "20240307", "1.234.567",
                 "1234.56.78901", "12345678901"):
        assert keep in masked, keep
    assert len(reps) == 9


def test_wrong_check_digit_is_not_a_fodselsnummer() -> None:
    valid = _valid_numbers("140380", 1)[0]
    broken = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert personal_data.is_fodselsnummer(valid)
    assert not personal_data.is_fodselsnummer(broken)
    assert not personal_data.is_fodselsnummer("31029912345")  # 31 February
    assert mask_text(f"nr {broken}")[0] == f"nr {broken}"


def test_shift_offset_moves_offsets_past_masks() -> None:
    text = "Skriv til a.b@example.no i dag, eller ring 22 33 44 55 i morgen."
    masked, reps = mask_text(text)
    assert masked == f"Skriv til {EMAIL_MASK} i dag, eller ring {PHONE_MASK} i morgen."
    for word in ("i dag", "i morgen", "Skriv"):
        assert masked[personal_data.shift_offset(text.index(word), reps):].startswith(word)


def test_example_corpus_has_no_personal_data_after_ingest(example_corpus) -> None:
    if not (example_corpus / "metadata.csv").is_file():
        pytest.skip("example corpus not present")
    raw = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in example_corpus.rglob("*")
                    if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    planted_emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", raw))
    assert planted_emails, "the example corpus should carry planted e-mail addresses"
    result = ingest.ingest_folder(example_corpus)
    everything = "\n".join(result.submissions["text"]) + "\n".join(result.segments["text"])
    for email in planted_emails:
        assert email not in everything
    assert not re.search(r"(?<!\d)\d{11}(?!\d)", everything) or all(
        not personal_data.is_fodselsnummer(m) for m in re.findall(r"(?<!\d)\d{11}(?!\d)", everything))
    assert result.submissions["n_masked"].sum() >= len(planted_emails)

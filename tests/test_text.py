"""Tests for helpers.text on passages written for these tests and on the real corpus (read, never copied)."""

from __future__ import annotations

import re

import pytest

from helpers import text as T
from helpers.config import SHARED_CORPUS_DIR

# ------------------------------------------------------------------------------------------------------------
# Sentence splitting
# ------------------------------------------------------------------------------------------------------------

PASSAGE = (
    "Innspill til utvalget\n\n"
    "Vi viser til Meld. St. 5 (2024–2025) og Prop. 1 S (2025–2026). "
    "Tiltakene bør f.eks. omfatte flere døgnplasser, jf. kap. 3 og § 3-1 annet ledd. "
    "Forslaget i NOU 2019: 26 gjelder bl.a. LAR, ca. 30 % av pasientene mv. og er omtalt i Dok. 3:5 pkt. 2. "
    "Se https://www.regjeringen.no/no/dokumenter/ for detaljer. "
    "Brevet er datert 17.06.22 og ble sendt 1. januar. "
    "Kontakt H. I. Lind på post@eksempel.no eller tlf. 22 33 44 55.\n\n"
    "Vi mener:\n"
    "- Flere døgnplasser i TSB\n"
    "- Lengre behandling etter behov\n\n"
    "Han sa: «Dette holder ikke. Vi trenger mer.» "
    "Derfor ber vi om et møte (se vedlegg 2. Det er viktig.) i år. "
    "Var det alt? Ja! Utvalget bes vurdere dette … Vi takker."
)

PASSAGE_SENTENCES = [
    "Innspill til utvalget",
    "Vi viser til Meld. St. 5 (2024–2025) og Prop. 1 S (2025–2026).",
    "Tiltakene bør f.eks. omfatte flere døgnplasser, jf. kap. 3 og § 3-1 annet ledd.",
    "Forslaget i NOU 2019: 26 gjelder bl.a. LAR, ca. 30 % av pasientene mv. og er omtalt i Dok. 3:5 pkt. 2.",
    "Se https://www.regjeringen.no/no/dokumenter/ for detaljer.",
    "Brevet er datert 17.06.22 og ble sendt 1. januar.",
    "Kontakt H. I. Lind på post@eksempel.no eller tlf. 22 33 44 55.",
    "Vi mener:",
    "- Flere døgnplasser i TSB",
    "- Lengre behandling etter behov",
    "Han sa: «Dette holder ikke. Vi trenger mer.»",
    "Derfor ber vi om et møte (se vedlegg 2. Det er viktig.) i år.",
    "Var det alt?",
    "Ja!",
    "Utvalget bes vurdere dette …",
    "Vi takker.",
]


def test_split_sentences_exact_boundaries_on_mixed_passage():
    spans = T.split_sentences(PASSAGE)
    assert [PASSAGE[s:e] for s, e in spans] == PASSAGE_SENTENCES
    # spans are verbatim, ordered, non-overlapping and stripped
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(PASSAGE[s:e] == PASSAGE[s:e].strip() for s, e in spans)


def test_abbreviations_before_capitals_and_digits_do_not_split():
    # Every abbreviation below is followed by a capital or a digit: the hard case for a splitter.
    text = (
        "Behandlingen skjer ved St. Olavs hospital, jf. Helsedirektoratets veileder og bl.a. NAV. "
        "Tilbudet gjelder ca. 40 plasser iht. Avtale nr. 5, evt. FACT-team, dvs. TSB ift. LAR mht. ROP. "
        "Fristen er t.o.m. 2026, se pkt. 4 og kap. 10, tlf. 22 00 00 00. "
        "Alkohol, narkotika o.l. Det er flere. Rusmidler osv. Vi ber om svar."
    )
    got = T.sentences(text)
    assert got == [
        "Behandlingen skjer ved St. Olavs hospital, jf. Helsedirektoratets veileder og bl.a. NAV.",
        "Tilbudet gjelder ca. 40 plasser iht. Avtale nr. 5, evt. FACT-team, dvs. TSB ift. LAR mht. ROP.",
        "Fristen er t.o.m. 2026, se pkt. 4 og kap. 10, tlf. 22 00 00 00.",
        "Alkohol, narkotika o.l.",  # o.l. and osv. may end a sentence: a capital after them is a boundary
        "Det er flere.",
        "Rusmidler osv.",
        "Vi ber om svar.",
    ]


def test_lower_case_one_letter_word_before_a_full_stop_ends_the_sentence():
    # Initials are upper case; "i", "å", "ø" before a full stop are words ending a sentence.
    text = "Dette er rådet ikke enig i. En kommune kan ikke gjøre alt. Saka vart lagd fram av K. Berg i fjor."
    assert T.sentences(text) == [
        "Dette er rådet ikke enig i.",
        "En kommune kan ikke gjøre alt.",
        "Saka vart lagd fram av K. Berg i fjor.",
    ]


def test_pdf_wrapped_lines_and_headings():
    # PDF text has blank lines between wrapped lines; a blank line is a boundary only after a heading.
    text = (
        "Tverrfaglig samarbeid \n\n"
        "Kommunen bør samarbeide med \n\nHelsedirektoratet om tiltak for \n\nbarn og unge. "
        "Dette krever kunnskap om kjønn og rusbehandling \n\n(Helsedirektoratet, 2016) og mer.\n\n"
        "Oppsummering\n\n"
        "1. Flere plasser\n"
        "2. Kortere ventetid\n\n"
        "Del I. Meldingen kom 02. Juni 2025 og ble fulgt opp \n\n12. juni."
    )
    assert T.sentences(text) == [
        "Tverrfaglig samarbeid",
        "Kommunen bør samarbeide med \n\nHelsedirektoratet om tiltak for \n\nbarn og unge.",
        "Dette krever kunnskap om kjønn og rusbehandling \n\n(Helsedirektoratet, 2016) og mer.",
        "Oppsummering",
        "1. Flere plasser",
        "2. Kortere ventetid",
        "Del I.",
        "Meldingen kom 02. Juni 2025 og ble fulgt opp \n\n12. juni.",
    ]


def test_split_sentences_edge_inputs():
    assert T.split_sentences("") == []
    assert T.split_sentences("   \n\n  ") == []
    assert T.split_sentences("  Bare én setning uten punktum  ") == [(2, 30)]


def _corpus(name: str) -> str:
    path = SHARED_CORPUS_DIR / name
    if not path.is_file():
        pytest.skip(f"real corpus not available at {path}")
    return path.read_text(encoding="utf-8")


def test_no_boundary_inside_case_number_or_date_in_real_corpus():
    text = _corpus("002_e9284a50e5de1500.txt")
    spans = T.split_sentences(text)
    for needle in ("22/26705-1", "17.06.22"):
        start = text.index(needle)
        end = start + len(needle)
        assert any(s <= start and end <= e for s, e in spans), needle
    # The file wraps every PDF line with a blank line: no sentence may start inside a wrapped line.
    starts_lower = [text[s : s + 40] for s, _ in spans if text[s].islower()]
    assert starts_lower == []
    # Every bullet ("- " opening a line) starts its own sentence.
    bullets = [m.start(1) for m in re.finditer(r"\n[ \t]*(- )", text)]
    assert bullets and set(bullets) <= {s for s, _ in spans}


def test_split_sentences_is_fast_enough_for_benchmarks():
    import time

    text = "\n\n".join([PASSAGE] * 400)  # 6,400 sentences
    t0 = time.perf_counter()
    spans = T.split_sentences(text)
    elapsed = time.perf_counter() - t0
    assert len(spans) == len(PASSAGE_SENTENCES) * 400
    assert elapsed < 2.0, f"{len(spans)} sentences took {elapsed:.2f}s"


# ------------------------------------------------------------------------------------------------------------
# Tokens
# ------------------------------------------------------------------------------------------------------------


def test_tokenize_keeps_references_compounds_and_percentages_whole():
    text = (
        "Jf. Meld. St. 5 og Prop. 1 S gjelder Dok. 3:5, NOU 2019: 26 og § 3-1 (sak 22/26705-1, "
        "brev 17.06.22). ROP-pasienter, FACT-ung og FACT/ACT når 30% av brukerne, altså 20 prosent "
        "færre i Tromsø, f.eks. "
        "ved rus- og psykiske lidelser. Se www.helsenorge.no/rus. Rusmiddelforebygging og -behandling."
    )
    assert T.tokenize(text) == [
        "Jf.", "Meld. St. 5", "og", "Prop. 1 S", "gjelder", "Dok. 3:5", "NOU 2019: 26", "og", "§ 3-1",
        "sak", "22/26705-1", "brev", "17.06.22",
        "ROP-pasienter", "FACT-ung", "og", "FACT/ACT", "når", "30%", "av", "brukerne", "altså", "20",
        "prosent", "færre", "i", "Tromsø", "f.eks.", "ved", "rus-", "og", "psykiske", "lidelser",
        "Se", "www.helsenorge.no/rus", "Rusmiddelforebygging", "og", "-behandling",
    ]  # fmt: skip


def test_token_spans_are_verbatim_offsets_and_punctuation_is_optional():
    text = "Vi mener: «Døgnplassene må bestå!» (jf. kap. 3)"
    spans = T.token_spans(text, punctuation=True)
    assert [text[s:e] for s, e in spans] == T.tokenize(text, punctuation=True)
    assert T.tokenize(text, punctuation=True) == [
        "Vi", "mener", ":", "«", "Døgnplassene", "må", "bestå", "!", "»", "(", "jf.", "kap.", "3", ")",
    ]  # fmt: skip
    assert T.tokenize(text) == ["Vi", "mener", "Døgnplassene", "må", "bestå", "jf.", "kap.", "3"]


# ------------------------------------------------------------------------------------------------------------
# Lemmas and the Nynorsk map
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "lang", "lemma"),
    [
        ("døgnplassene", "nb", "døgnplass"),
        ("Straffen", "nb", "straff"),  # simplemma: "straffe" (the verb)
        ("rusmidler", "nb", "rusmiddel"),
        ("ruslidelser", "nb", "ruslidelse"),  # unknown compound, lemmatized on its tail
        ("forvaltningssanksjoner", "nb", "forvaltningssanksjon"),  # not the verb "-sjonere"
        ("kvinners", "nb", "kvinne"),  # genitive of a word simplemma knows only without -s
        ("ROP-pasienter", "nb", "rop-pasient"),
        ("LAR", "nb", "lar"),  # an acronym, not the verb "la"
        ("kommunane", "nn", "kommune"),
        ("pasientane", "nn", "pasient"),
        ("behandlinga", "nn", "behandling"),
        ("meiner", "nn", "mene"),
        ("tjenestene", "nn", "tjeneste"),  # a Bokmål word in Nynorsk text still gets its lemma
    ],
)
def test_lemmatize_inflected_forms(form, lang, lemma):
    assert T.lemmatize(form, lang) == lemma


def test_nynorsk_and_bokmal_forms_meet_in_one_lemma():
    for lang in ("nb", "nn"):
        assert T.lemmatize("tenestene", lang) == T.lemmatize("tjenestene", lang) == "tjeneste"
        assert T.lemmatize("ikkje", lang) == T.lemmatize("ikke", lang) == "ikke"
    # every committed mapping and correction takes effect (no entry shadowed by another rule or file)
    for form, lemma in T.load_nynorsk_map().items():
        if form not in T.load_lemma_corrections():
            assert T.lemmatize(form, "nn") == lemma, form
    for form, lemma in T.load_lemma_corrections().items():
        assert T.lemmatize(form, "nb") == lemma, form


def test_same_statement_in_bokmal_and_nynorsk_analyzes_the_same():
    nb = (
        "Vi mener at kommunene ikke har nok plasser til pasientene. Det er også viktig at tjenestene blir "
        "bedre, og at barn og unge får hjelp fra spesialisthelsetjenesten."
    )
    nn = (
        "Vi meiner at kommunane ikkje har nok plassar til pasientane. Det er òg viktig at tenestene blir "
        "betre, og at born og unge får hjelp frå spesialisthelsetenesta."
    )
    assert T.analyze(nb, "nb") == T.analyze(nn, "nn")
    assert T.analyze(nb) == T.analyze(nn)  # with detected languages
    assert T.lemmas("Kommunane meiner", "nn") == ["kommune", "mene"]


# ------------------------------------------------------------------------------------------------------------
# Stop words, terms, analyzer
# ------------------------------------------------------------------------------------------------------------

DOMAIN_WORDS = ["døgnplass", "straff", "avkriminalisering", "alkohol", "rus", "behandling", "barn", "kommune",
                "fengsel", "lar"]  # fmt: skip
STANCE_WORDS = ["ikke", "ikkje", "ingen", "aldri", "uten", "utan", "må", "måtte", "bør", "burde", "skal",
                "skulle", "kan", "kunne", "verken", "eller", "heller"]  # fmt: skip


def test_stopwords_never_hide_domain_or_stance_words():
    stop = T.load_stopwords()
    assert {"og", "i", "det", "eit", "dei", "med vennlig hilsen", "innspill", "høringssvar", "januar"} <= stop
    assert not stop & set(DOMAIN_WORDS)
    assert not stop & set(STANCE_WORDS)
    # ... nor through their inflected forms, whose lemmas are checked too
    text = "Døgnplassene, straffen, avkriminaliseringen, alkoholen, rusen, behandlinga, barna, kommunane, "
    text += "fengslene og LAR: vi kan ikke, må aldri, bør verken eller."
    kept = set(T.analyze(text, "nb"))
    assert set(DOMAIN_WORDS) <= kept
    assert {"ikke", "kunne", "måtte", "aldri", "burde", "verken", "eller"} <= kept


def test_analyze_drops_boilerplate_numbers_and_punctuation_and_joins_terms():
    text = (
        "Vi takker for muligheten til å gi innspill. Det psykiske helsevernet for barn og unge må styrkes, "
        "og 40 % av pasientene med samtidige rus- og psykiske lidelser trenger legemiddelassistert "
        "rehabilitering i 2025. Psykisk helsevern har fått 3 nye plasser. Med vennlig hilsen X"
    )
    got = T.analyze(text, "nb")
    assert got == [
        "psykisk_helsevern_for_barn_og_unge", "måtte", "styrke", "pasient",
        "samtidig_rus-_og_psykisk_lidelse", "trenge", "legemiddelassistert_rehabilitering",
        "psykisk_helsevern", "ny", "plass",
    ]  # fmt: skip
    assert T.analyze(text, "nb") == got  # deterministic, also when served from the cache


def test_terms_match_nynorsk_inflections():
    got = T.analyze("Tverrfagleg spesialisert rusbehandling og tilbodet til born og unge.", "nn")
    assert got == ["tverrfaglig_spesialisert_rusbehandling", "tilbud", "barn_og_unge"]


def test_normalize_query_matches_the_analyzer():
    doc = T.analyze("Døgnplassene i det psykiske helsevernet forsvinner, og tenestene ikkje følger med.")
    for query in ("døgnplass", "Døgnplasser", "psykisk helsevern", "tjenester"):
        assert T.normalize_query(query) in doc, query
    assert T.normalize_query("ikkje", "nn") == "ikke"  # a stop-word-free query is kept, not emptied


# ------------------------------------------------------------------------------------------------------------
# Language detection
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "lang"),
    [
        (
            "Vi meiner at det ikkje er nok døgnplassar, og at kommunane berre kan tilby eit lågterskeltilbod",
            "nn",
        ),
        ("Korleis skal dei unge få hjelp når tenestene er så fragmenterte? Kva gjer vi med ventetida?", "nn"),
        ("Pasientane treng òg eit tilbod etter behandlinga.", "nn"),
        (
            "Vi mener at det ikke er nok døgnplasser, og at kommunene bare kan tilby et lavterskeltilbud.",
            "nb",
        ),
        (
            "Hvordan skal de unge få hjelp når tjenestene er så fragmenterte? Hva gjør vi med ventetiden?",
            "nb",
        ),
        ("Pasientene trenger også et tilbud etter behandlingen.", "nb"),
        ("We believe that the treatment of substance use should be the responsibility of specialists.", "en"),
        ("Vi anbefaler albumet «The Best Of The Long Ryders» til alle som liker rock.", "nb"),
    ],
)
def test_detect_language_on_short_paragraphs(paragraph, lang):
    assert T.detect_language(paragraph) == lang


# ------------------------------------------------------------------------------------------------------------
# Speed on real prose (NoReC, unpacked to a temporary folder, never into the repository)
# ------------------------------------------------------------------------------------------------------------


def _norec_texts(tmp_path, n_files: int) -> list[str]:
    import tarfile

    from helpers.config import SHARED_BENCH_DIR

    archive = SHARED_BENCH_DIR / "norec-2.1-texts.tar.xz"
    if not archive.is_file():
        pytest.skip(f"benchmark corpus not available at {archive}")
    texts = []
    with tarfile.open(archive, "r:xz") as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt"):
                tar.extract(member, tmp_path, filter="data")
                texts.append((tmp_path / member.name).read_text(encoding="utf-8"))
                if len(texts) >= n_files:
                    break
    return texts


def test_analyze_throughput_on_real_prose(tmp_path):
    import time

    texts = _norec_texts(tmp_path, 300)
    n_tokens = sum(len(T.tokenize(t)) for t in texts)
    assert n_tokens > 50_000
    for t in texts:  # warm the caches
        T.analyze(t, "nb")
    t0 = time.perf_counter()
    out = [T.analyze(t, "nb") for t in texts]
    rate = n_tokens / (time.perf_counter() - t0)
    print(f"analyze: {n_tokens} tokens from {len(texts)} NoReC files, {rate:,.0f} tokens/s warm")
    assert sum(map(len, out)) > n_tokens * 0.3  # most content words survive
    assert rate >= 200_000, f"analyze ran at {rate:,.0f} tokens/s, target 200,000"

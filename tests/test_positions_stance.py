"""Sentence- and document-level stance on held-out Norwegian challenge text (Bokmål and Nynorsk).

The challenge sentences (tests/positions_challenge.py) were written for these tests, not taken from any
corpus. Each batch was measured once before any change made for it: batch A 85/104 = 0.82, batch B (after
tuning on A) 36/59 = 0.61, batch C (after tuning on A and B, deliberately harder) 20/40 = 0.50, batch D
(realistic long sentences, after tuning on A-C) 18/30 = 0.60. Batch E (patterns an independent red-team
set found missing: concessions, "mot", non-commitment frames, Nynorsk -jast passives, topic carry-over)
9/31 = 0.29 before its fixes. Batch F guards the rules added for the second red-team set (fronted
subordinate clauses, subject-less "men" predicates, deferring, LAR control), batch G those added for held-out
set 4 (ranking comparisons, evidence against a claim, past and passive reports). The fixes they led to are
general Norwegian cues and engine rules, never sentence-specific; the test asserts >= 90 % on all batches
together and at most two support/oppose reversals (listed when they occur).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import ingest
from helpers.positions import detect_sentences
from helpers.positions.aggregate import decide
from helpers.positions.detect import classify_sentence
from tests.positions_challenge import BATCH_A, BATCH_B, BATCH_C, BATCH_D, BATCH_E, BATCH_F, BATCH_G

CASES = BATCH_A + BATCH_B + BATCH_C + BATCH_D + BATCH_E + BATCH_F + BATCH_G
MAX_REVERSED = 2


def test_challenge_sentences_mostly_right_and_never_reversed():
    assert len(CASES) >= 60
    langs = {
        "nn": sum(
            any(w in s.split() for w in ("ikkje", "meiner", "vi", "dei", "eit", "frå", "òg", "bør"))
            for s, _, _ in CASES
        )
    }
    assert langs["nn"] > 0
    failures, reversed_sign = [], []
    for sentence, pid, expected in CASES:
        got = classify_sentence(sentence).get(pid, "none")
        if got != expected:
            failures.append(f"{pid:18s} expected {expected:10s} got {got:10s} {sentence}")
            if {got, expected} == {"support", "oppose"}:
                reversed_sign.append(failures[-1])
    share = 1 - len(failures) / len(CASES)
    assert len(reversed_sign) <= MAX_REVERSED, "support/oppose reversed:\n" + "\n".join(reversed_sign)
    assert share >= 0.9, f"{share:.3f} correct; failures:\n" + "\n".join(failures)
    print(f"challenge: {len(CASES) - len(failures)}/{len(CASES)} correct; failures:\n" + "\n".join(failures))


def test_both_stances_both_written_standards_in_the_table():
    expected = {e for _, _, e in CASES}
    assert {"support", "oppose", "mentions", "attributed", "none"} <= expected
    nynorsk = [s for s, _, _ in CASES if any(w in s for w in ("ikkje", "meiner", "ynskjer", " dei ", "frå"))]
    assert len(nynorsk) >= 10


def _conf(sentence: str, pid: str) -> float:
    from helpers.positions import load_codebook, load_lexicon
    from helpers.positions import stance as st

    parsed = st.parse(sentence, load_lexicon())
    calls = [
        c for c in st.analyse(parsed, load_codebook(), load_lexicon()) if c.position_id == pid and c.sign
    ]
    assert calls, sentence
    return max(c.confidence for c in calls)


def test_hedges_conditions_and_questions_lower_confidence_but_keep_the_sign():
    plain = "Vi mener antallet døgnplasser må økes."
    for weaker in (
        "Vi mener kanskje antallet døgnplasser må økes.",
        "Dersom pengene finnes, mener vi antallet døgnplasser må økes.",
        "Må antallet døgnplasser økes?",
    ):
        assert classify_sentence(weaker)["dognplasser"] == "support"
        assert _conf(weaker, "dognplasser") < _conf(plain, "dognplasser")


def test_scope_of_a_limited_opposition_is_recorded():
    from helpers.positions import load_codebook, load_lexicon
    from helpers.positions import stance as st

    s = "For ungdom under 18 år mener vi at politiet fortsatt må kunne reagere med straff ved narkotikabruk."
    calls = [
        c
        for c in st.analyse(st.parse(s, load_lexicon()), load_codebook(), load_lexicon())
        if c.position_id == "avkriminalisering" and c.sign
    ]
    assert calls and all(c.sign == -1 for c in calls)
    assert all("under 18 år" in c.scope for c in calls)
    assert "barn-unge" not in classify_sentence(s) or classify_sentence(s)["barn-unge"] != "oppose"


def test_own_organisation_name_is_the_writer_not_a_third_party():
    s = "Foreningen for trygg rusbehandling mener at integrert behandling må være hovedregelen."
    assert classify_sentence(s, org_name="Foreningen for trygg rusbehandling")["samtidig-rop"] == "support"
    assert (
        classify_sentence(
            s.replace("Foreningen for trygg rusbehandling", "FTR"),
            org_name="Foreningen for trygg rusbehandling",
        )["samtidig-rop"]
        == "support"
    )
    assert (
        classify_sentence(
            "Helsedirektoratet mener at integrert behandling må være hovedregelen.",
            org_name="Foreningen for trygg rusbehandling",
        )["samtidig-rop"]
        == "attributed"
    )


# ----------------------------------------------------------------------------- documents, real files
DOCS = {
    "endorse_reject.txt": (
        "Høringssvar om rusfeltet\n\nEnkelte hevder at straff har en forebyggende effekt på "
        "narkotikabruk blant unge. Det er vi uenige i.\n"
    ),
    "endorse_support.txt": (
        "Innspill\n\nStortinget har bedt regjeringen om å styrke FACT-teamene i hele landet. "
        "Vi støtter dette.\n"
    ),
    "nynorsk_reject.txt": (
        "Innspel\n\nFleire meiner at LAR bør gjerast meir fleksibelt for pasientane. "
        "Det er vi ikkje samde i.\n"
    ),
    "lead_in.txt": (
        "Innspill om behandling\n\nDet er noen forhold som er avgjørende for et godt tilbud:\n\n"
        "- Samtidig behandling av rus og psykiske lidelser.\n- Nok boliger med oppfølging etter "
        "utskrivning.\n"
    ),
    "heading_only.txt": (
        "Flere døgnplasser må på plass\n\nVi har sett på tallene for regionen i år. "
        "Tallene er hentet fra helseforetaket.\n"
    ),
    "mixed.txt": (
        "Innspill om straff og hjelp\n\nVi støtter at personer med rusavhengighet skal møtes med "
        "helsehjelp i stedet for straff. For alle andre som bruker narkotika, må forbudet og "
        "straffen beholdes.\n"
    ),
    # topic carried over from the heading / previous sentence (no topic word in the stance sentence)
    "carry_over.txt": (
        "Legemiddelassistert behandling\n\nMange har bedt om at LAR blir enklere å komme inn i. "
        "Vi advarer mot å redusere kravene til kontroll ved utlevering.\n"
    ),
    "carry_over_nn.txt": (
        "Døgnbehandling\n\nTalet på døgnplassar i regionen har gått ned i fleire år. "
        "Me ber om at denne kapasiteten blir auka att.\n"
    ),
    # a concession answered by the next sentence's "Men"
    "concession_next.txt": (
        "Innspel\n\nMe forstår ynsket om fleire døgnplassar i kvar kommune. "
        "Men døgnplassane bør samlast og byggjast ned til fordel for ambulante tenester.\n"
    ),
    # the organisation's governing body as the writer
    "board_subject.txt": (
        "Innspill\n\nEnkelte har foreslått at bruk av narkotika ikke lenger skal straffes. "
        "Det kan ikke styret støtte.\n"
    ),
    # a reported view rejected by a sentence-final or fronted back-reference
    "reported_rejected_nn.txt": (
        "Innspel\n\nDet blir ofte sagt at samtidig behandling av rus og psykiske lidingar skal vere "
        "hovudregelen. "
        "Vi er usamde i det.\n"
    ),
    "view_not_shared.txt": (
        "Innspill\n\nFlere fagmiljøer mener at alkohol bør være hovedprioriteringen i forebyggingen. "
        "Det synet deler vi ikke.\n"
    ),
    "long_mentions.txt": (
        "Bakgrunn\n\n"
        + " ".join(
            f"I {year} hadde regionen {n} døgnplasser, {n // 3} FACT-team og {n * 2} brukere i LAR."
            for year, n in zip(range(2010, 2024), range(30, 58, 2), strict=False)
        )
        + "\n"
    ),
}
EXPECTED = {
    ("endorse_reject.txt", "avkriminalisering"): "support",
    ("endorse_support.txt", "fact-act"): "support",
    ("nynorsk_reject.txt", "lar"): "oppose",
    ("lead_in.txt", "samtidig-rop"): "support",
    ("lead_in.txt", "ettervern"): "support",
    ("heading_only.txt", "dognplasser"): "mentions",
    ("mixed.txt", "avkriminalisering"): "mixed",
    ("carry_over.txt", "lar"): "oppose",
    ("carry_over_nn.txt", "dognplasser"): "support",
    ("concession_next.txt", "dognplasser"): "oppose",
    ("board_subject.txt", "avkriminalisering"): "oppose",
    ("reported_rejected_nn.txt", "samtidig-rop"): "oppose",
    ("view_not_shared.txt", "alkohol"): "oppose",
}


@pytest.fixture(scope="module")
def doc_positions(tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    from helpers.positions import aggregate_positions

    raw = tmp_path_factory.mktemp("raw")
    for name, text in DOCS.items():
        (raw / name).write_text(text, encoding="utf-8")
    res = ingest.ingest_folder(raw)
    sentences = detect_sentences(res.submissions, res.segments)
    return aggregate_positions(sentences, res.submissions), sentences


def test_one_sentence_against_the_grain_is_not_a_split_position():
    sure = decide([0.9, 0.9], [])
    against = decide([0.9, 0.9], [0.9])
    assert against[0] == "support" and against[1] < sure[1]  # the minority lowers confidence only
    assert decide([0.9, 0.9], [0.9, 0.9])[0] == "mixed"  # two sentences on each side: a split
    assert decide([0.9], [0.9], scoped=True)[0] == "mixed"  # "for under-18s ...": the reach is named
    assert decide([0.9], [0.9])[0] == "mentions"  # one sentence each way: too unsure to count
    assert decide([0.9, 0.9], [0.9, 0.4])[0] == "support"  # the second sentence against is too weak


@pytest.mark.parametrize(("file", "pid"), sorted(EXPECTED))
def test_document_level_calls(doc_positions, file, pid):
    positions, _ = doc_positions
    row = positions[(positions["file"] == file) & (positions["position_id"] == pid)]
    assert len(row) == 1, f"{file}: no row for {pid}"
    assert row["stance"].iloc[0] == EXPECTED[(file, pid)], row[["stance", "evidence", "note"]].to_dict(
        "records"
    )


def test_a_long_factual_text_full_of_topic_words_takes_no_position(doc_positions):
    positions, sentences = doc_positions
    rows = positions[positions["file"] == "long_mentions.txt"]
    assert len(rows) >= 3  # it does address dognplasser, fact-act and lar ...
    assert set(rows["stance"]) == {"mentions"}  # ... without taking a stance on any


def test_attributed_sentence_is_not_the_writers_stance(doc_positions):
    _, sentences = doc_positions
    first = sentences[
        (sentences["file"] == "endorse_reject.txt") & sentences["text"].str.startswith("Enkelte")
    ]
    assert set(first["stance"]) == {"attributed"}
    second = sentences[
        (sentences["file"] == "endorse_reject.txt") & sentences["text"].str.startswith("Det er")
    ]
    assert second["linked_to"].iloc[0] == first["segment_id"].iloc[0]


def test_evidence_is_verbatim_with_location(doc_positions):
    positions, _ = doc_positions
    row = positions[
        (positions["file"] == "mixed.txt") & (positions["position_id"] == "avkriminalisering")
    ].iloc[0]
    assert "i stedet for straff" in row["evidence"] and "beholdes" in row["evidence"]
    assert row["evidence_location"].startswith("mixed.txt p.1 ¶")
    assert len(row["evidence_spans"].split(" | ")) == len(row["evidence"].split(" | "))


def test_codebook_positions_match_the_gold_ids():
    from helpers import config
    from helpers.positions import load_codebook

    gold = config.SHARED_GOLD_DIR / "positions.md"
    if not gold.is_file():
        pytest.skip(f"{gold} not found")
    rows = [
        re.match(r"\|\s*([a-z0-9-]+)\s*\|", line) for line in gold.read_text(encoding="utf-8").splitlines()
    ]
    ids = {m.group(1) for m in rows if m and m.group(1) not in ("id", "---")}
    assert ids == set(load_codebook().ids)


def test_classify_sentence_of_empty_text_is_empty():
    assert classify_sentence("") == {}
    assert Path(__file__).name.startswith("test_positions")

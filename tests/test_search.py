"""Search: inflection (Bokmål and Nynorsk), filters, context and location, on the real and example corpora."""

from __future__ import annotations

import re
import time
import warnings

import pandas as pd
import pytest

from helpers import ingest, search, themes


@pytest.fixture(scope="module")
def real(shared_corpus):
    r = ingest.ingest_folder(shared_corpus)
    return r, search.build_index(r.submissions, r.segments)


@pytest.fixture(scope="module")
def example(example_corpus):
    r = ingest.ingest_folder(example_corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=10), control={})
    return r, fit, search.build_index(r.submissions, r.segments, fit.segment_themes)


def _sentences(r: ingest.IngestResult) -> pd.DataFrame:
    return r.segments[r.segments["kind"] == "sentence"]


def test_base_form_finds_every_inflected_form(real):
    r, index = real
    hits = search.search(index, "døgnplass")
    # Every sentence of the corpus that writes any form of the word (found here by a plain regex) is a hit.
    expected = set(_sentences(r).loc[_sentences(r)["text"].str.contains(r"\bdøgnplass\w*", case=False),
                                     "segment_id"])
    assert expected, "the real corpus writes about døgnplasser"
    assert expected <= set(hits["segment_id"])
    assert any("døgnplassene" in s.lower() or "døgnplasser" in s.lower() for s in hits["sentence"])
    assert all("**" in h for h in hits["highlighted"])
    # An inflected query finds the same sentences as the base form.
    assert set(search.search(index, "døgnplassene")["segment_id"]) == set(hits["segment_id"])


def test_nynorsk_and_bokmal_find_each_other(example):
    r, _, index = example
    nn = _sentences(r)["text"].str.contains(r"\bdøgnplassa\w*", case=False)
    nb = _sentences(r)["text"].str.contains(r"\bdøgnplasse\w*", case=False)
    assert nn.any() and nb.any(), "the example corpus writes døgnplass in both forms"
    found = set(search.search(index, "døgnplass")["segment_id"])
    assert set(_sentences(r).loc[nn | nb, "segment_id"]) <= found
    assert set(_sentences(r).loc[nb, "segment_id"]) <= set(search.search(index, "døgnplassar")["segment_id"])


def test_all_words_must_occur_and_phrases_find_terms(real):
    _, index = real
    both = search.search(index, "døgnplass regjering")
    assert len(both) >= 1
    for sentence in both["sentence"]:
        assert re.search(r"døgnplass", sentence, re.I) and re.search(r"regjering", sentence, re.I)
    either = search.search(index, "døgnplass regjering", mode="any")
    assert len(either) > len(both)
    phrase = search.search(index, '"psykisk helsevern"')
    assert len(phrase) >= 3
    assert all(re.search(r"psykisk\w*\s+helsevern", s, re.I) for s in phrase["sentence"])


def test_prefix_finds_compounds(real):
    _, index = real
    exact = search.search(index, "døgn")
    prefixed = search.search(index, "døgn", prefix=True)
    assert set(exact["segment_id"]) < set(prefixed["segment_id"])
    assert any(re.search(r"døgnbehandling|døgninnleggelse", s, re.I) for s in prefixed["sentence"])


def test_context_and_location_come_from_the_source(real):
    r, index = real
    hits = search.search(index, "alkohol")
    assert len(hits) >= 3
    segs = r.segments.set_index("segment_id")
    texts = r.submissions.set_index("submission_id")["text"]
    for row in hits.itertuples():
        seg = segs.loc[row.segment_id]
        assert texts[row.submission_id][seg["start"]:seg["end"]] == row.sentence
        if row.next_sentence:
            assert texts[row.submission_id].find(row.next_sentence, seg["end"]) > 0
        if row.prev_sentence:
            assert 0 <= texts[row.submission_id].rfind(row.prev_sentence, 0, seg["start"])
        assert row.location.startswith(f"{row.file}, s. {row.page}, avsnitt {row.paragraph_no}")
        assert row.paragraph_no >= 1


def test_filters(real, example):
    r, index = real
    everything = search.search(index, "behandling")
    types = set(everything["org_type"])
    assert len(types) >= 2
    one = sorted(types)[0]
    only = search.search(index, "behandling", org_type=one)
    assert len(only) and set(only["org_type"]) == {one}
    assert set(search.search(index, "behandling", doc_kind="mandat")["doc_kind"]) == {"mandat"}
    dated = search.search(index, "behandling", date_from="2026-01-01")
    assert len(dated) and (dated["received_date"] >= pd.Timestamp("2026-01-01")).all()
    undated = set(r.submissions.loc[r.submissions["received_date"].isna(), "submission_id"])
    assert undated and not set(dated["submission_id"]) & undated
    until = search.search(index, "behandling", date_to="2024-12-31")
    assert len(until) and (until["received_date"] <= pd.Timestamp("2024-12-31")).all()

    _, fit, ex_index = example
    tid = fit.themes.iloc[0]["theme_id"]
    in_theme = search.search(ex_index, "kommune", theme_id=tid)
    assert len(in_theme) and set(in_theme["theme_id"]) == {tid}
    assert len(in_theme) < len(search.search(ex_index, "kommune"))


def test_non_public_can_be_left_out(example):
    r, _, index = example
    hidden = set(r.submissions.loc[~r.submissions["is_public"].astype(bool), "submission_id"])
    assert hidden, "the example corpus has a non-public submission"
    words = index.rows.loc[index.rows["submission_id"].isin(hidden), "text"].iloc[0].split()
    word = max(words, key=len).strip(".,:;!?")
    assert set(search.search(index, word)["submission_id"]) & hidden
    assert not set(search.search(index, word, public_only=True)["submission_id"]) & hidden


def test_queries_are_fast_on_a_large_index(real):
    r, small = real
    # 100 copies of the real corpus's index rows: ~40 000 sentences (the benchmark does 100 000).
    rows = pd.concat([small.rows] * 100, ignore_index=True)
    postings = {k: pd.concat([pd.Series(v + i * len(small.rows)) for i in range(100)]).to_numpy()
                for k, v in small.postings.items()}
    big = search.SearchIndex(rows, postings, sorted(postings))
    start = time.perf_counter()
    for query in ("døgnplass", "alkohol barn", '"psykisk helsevern"', "straff"):
        search.search(big, query, org_type="profesjonsforening", limit=200)
    assert (time.perf_counter() - start) / 4 < 0.5


def test_widgets_only_when_jupyterlab_runs_the_kernel(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert search.want_widgets("auto") is False
    monkeypatch.setenv("JPY_SESSION_NAME", "/notebooks/20_explore_submissions.ipynb")
    assert search.want_widgets("auto") is True
    assert search.want_widgets(False) is False

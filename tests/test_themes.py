"""Themes on the real corpus and the example corpus: subjects kept apart, quotes verbatim and public, the
mandate kept out, stable ids across runs, analyst control, quality numbers."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers import ingest, themes

# The subjects the committee needs kept apart, found by keyword (regular expressions over the paragraph).
SUBJECTS = {
    "døgnplasser": r"døgn",
    "straff": r"straff|avkriminali|sanksjonsfri",
    "samtidig-rop": r"\bROP\b|samtidig\w* rus",
    "barn-unge": r"\bbarn|\bborn\b|ungdom|\bunge\b|\bBUP\b",
    "alkohol": r"alkohol",
    "fact-act": r"\bFACT|\bACT\b|oppsøk",
}


def _ingest(raw: Path) -> ingest.IngestResult:
    return ingest.ingest_folder(raw)


def _fit(raw: Path, **params) -> tuple[ingest.IngestResult, themes.ThemeResult]:
    r = _ingest(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return r, themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(**params), control={})


@pytest.fixture(scope="module")
def real(shared_corpus):
    return _fit(shared_corpus)


@pytest.fixture(scope="module")
def example(example_corpus):
    return _fit(example_corpus)


def subject_themes(result: themes.ThemeResult) -> dict[str, str]:
    """Each subject's dominant theme: the theme with the largest summed share over the paragraphs about that
    subject alone (they match its keywords and no other subject's: a paragraph on alcohol among children is
    evidence for neither)."""
    units = result.units
    hits = {name: units["text"].str.contains(rx, case=False, regex=True).to_numpy() for name, rx in
            SUBJECTS.items()}
    n_subjects = np.sum(list(hits.values()), axis=0)
    shares = themes.unit_shares(result.W)
    out = {}
    for name, mask in hits.items():
        about = mask & (n_subjects == 1)
        if about.any():
            out[name] = result.theme_ids[int(shares[about].sum(axis=0).argmax())]
    return out


def _assert_apart(result: themes.ThemeResult, min_subjects: int) -> None:
    dom = subject_themes(result)
    assert len(dom) >= min_subjects, f"subjects found: {sorted(dom)}"
    assert len(set(dom.values())) == len(dom), f"subjects share a theme: {dom}"


def test_real_corpus_keeps_the_six_subjects_apart(real):
    _, result = real
    _assert_apart(result, 6)


def test_example_corpus_keeps_its_subjects_apart(example):
    _, result = example
    _assert_apart(result, 5)


def test_mandate_is_not_clustered_but_projected(real):
    r, result = real
    is_mandate = r.submissions["doc_kind"].isin(ingest.REFERENCE_KINDS)
    mandate_ids = set(r.submissions.loc[is_mandate, "submission_id"])
    assert mandate_ids, "the real corpus has a mandate"
    assert not set(result.units["submission_id"]) & mandate_ids
    assert not set(result.segment_themes["submission_id"]) & mandate_ids
    theme_table, gaps, terms = themes.project_reference(result, r.submissions, r.segments)
    assert set(theme_table["theme_id"]) == set(result.theme_ids)
    assert theme_table["share_mandate"].sum() == pytest.approx(1.0, abs=1e-6)
    assert set(theme_table["verdict"]) <= {"begge", "bare innspill", "bare mandat"}
    assert len(gaps) > 0 and gaps["coverage"].is_monotonic_increasing
    assert {"innspill", "mandat"} == set(terms["doc_group"])


def test_each_theme_is_described_with_verbatim_public_quotes(real):
    r, result = real
    table = result.themes
    assert table["theme_id"].is_unique and table["label"].is_unique
    assert (table["n_segments"] > 0).sum() >= 6
    text_of = r.submissions.set_index("submission_id")["text"]
    public = r.submissions.set_index("submission_id")["is_public"]
    for row in table.itertuples():
        assert row.label and " · " in row.label
        assert len(themes.parse_terms(row.top_terms)) >= 3
        if row.n_segments == 0:
            continue
        for q in (1, 2, 3):
            quote, sid = getattr(row, f"quote_{q}"), getattr(row, f"quote_{q}_submission_id")
            if not isinstance(quote, str) or not quote:  # a small theme may have fewer than three quotes
                continue
            assert bool(public[sid])
            source = re.sub(r"\s+", " ", text_of[sid])
            assert quote in source, f"{row.theme_id} quote {q} is not verbatim"
            assert re.fullmatch(r".+, s\. \d+, avsnitt \d+", getattr(row, f"quote_{q}_location"))
    # n_submissions and org types agree with the segment assignments
    first = table.iloc[0]
    mine = result.units[result.units["theme_id"] == first["theme_id"]]
    assert first["n_submissions"] == mine["submission_id"].nunique()
    assert first["n_segments"] == len(mine)


def test_non_public_submission_is_never_quoted(shared_corpus):
    r = _ingest(shared_corpus)
    first_fit = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=8), control={})
    quoted = first_fit.themes["quote_1_submission_id"].value_counts().index[0]
    subs = r.submissions.copy()
    subs.loc[subs["submission_id"] == quoted, "is_public"] = False
    hidden = themes.fit_themes(subs, r.segments, themes.ThemeParams(n_themes=8), control={})
    quote_ids = hidden.themes[[f"quote_{q}_submission_id" for q in (1, 2, 3)]].to_numpy().ravel()
    assert quoted not in set(quote_ids)
    assert quoted in set(hidden.units["submission_id"]), "non-public text is still clustered"


def test_auto_k_follows_the_stated_criterion(real):
    _, result = real
    kt = result.k_table
    assert np.allclose(kt["score"], kt["npmi"] + kt["ari"])
    best = kt.loc[kt["score"].round(6) == kt["score"].round(6).max(), "k"].min()
    assert result.quality["k"] == best == kt.loc[kt["chosen"], "k"].item()
    q = result.quality
    assert -1 <= q["npmi_mean"] <= 1 and 0 < q["ari_seeds"] <= 1 and -1 <= q["ari_kmeans"] <= 1
    assert q["npmi_mean"] > 0, "top terms of the themes should co-occur more than chance"


def test_npmi_known_values():
    # four units; terms a,b always together, c never with a, d independent of a
    B = sparse.csr_matrix(np.array([[1, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0]], dtype=float))
    together, apart, independent = themes.npmi_coherence(B, [np.array([0, 1]), np.array([0, 2]),
                                                             np.array([0, 3])])
    assert together == pytest.approx(1.0)
    assert apart == pytest.approx(-1.0)
    assert independent == pytest.approx(0.0, abs=1e-9)


def test_compound_first_parts_must_be_corpus_words():
    attested = {"døgn", "plass", "alkohol", "bruk", "barn", "vern", "menneske"}
    assert themes.compound_modifier("døgnplass", attested) == "døgn"
    assert themes.compound_modifier("alkoholbruk", attested) == "alkohol"
    assert themes.compound_modifier("barnevern", attested) == "barn"  # linking -e- dropped
    assert themes.compound_modifier("menneske", attested) is None  # not "menn" + "eske"
    assert themes.compound_modifier("kompetanse", attested) is None


def test_ids_are_stable_and_control_survives_a_rerun(example_corpus, tmp_path):
    r = _ingest(example_corpus)
    params = themes.ThemeParams(n_themes=10)
    first = themes.fit_themes(r.submissions, r.segments, params, control={})
    themes.write_outputs(first, tmp_path)
    assert (tmp_path / "themes.csv").is_file() and (tmp_path / "segment_themes.parquet").is_file()
    previous = themes.read_previous(tmp_path)

    # Same data, a different seed and one more theme: the themes found again keep their ids.
    second = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=11, random_seed=7),
                               control={}, previous=previous)
    assert len(second.matching) >= 8
    for row in second.matching.itertuples():
        assert row.theme_id == row.previous_theme_id
    terms_then = dict(zip(previous["theme_id"], previous["terms"], strict=True))
    terms_now = dict(zip(second.registry["theme_id"], second.registry["top_terms"].map(themes.parse_terms),
                         strict=True))
    for tid in second.matching["theme_id"]:
        overlap = set(terms_then[tid]) & set(terms_now[tid])
        assert len(overlap) >= 3, f"{tid} matched on content"

    # Analyst control keyed by id and by terms applies to the matched themes.
    a, b = second.matching["theme_id"].iloc[:2]
    top_word = terms_now[second.matching["theme_id"].iloc[2]][0]
    control_file = tmp_path / "themes.yaml"
    control_file.write_text(
        f"rename:\n  - theme: {a}\n    label: Navn satt av analytiker\n"
        f"  - terms: [{top_word}]\n    label: Navn etter ord\n"
        f"merge:\n  - [{a}, {b}]\n", encoding="utf-8")
    control = themes.load_control(control_file)
    third = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=11, random_seed=7),
                              control=control, previous=previous)
    labels = dict(zip(third.themes["theme_id"], third.themes["label"], strict=True))
    assert labels[a] == "Navn satt av analytiker"
    assert "Navn etter ord" in labels.values()
    assert b not in labels and b in third.themes.set_index("theme_id").loc[a, "merged_from"]
    assert third.W.shape[1] == len(labels) == len(second.theme_ids) - 1


def test_a_theme_that_disappears_is_reported(example_corpus, tmp_path):
    r = _ingest(example_corpus)
    first = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=10), control={})
    themes.write_outputs(first, tmp_path)
    registry = pd.read_csv(tmp_path / "theme_registry.csv", encoding="utf-8-sig")
    ghost = pd.DataFrame([{"theme_id": "t99", "label": "gammelt tema",
                           "top_terms": "fiskeoppdrett; laksetrapp; havbruk"}])
    pd.concat([registry, ghost]).to_csv(tmp_path / "theme_registry.csv", index=False, encoding="utf-8-sig")
    with pytest.warns(UserWarning, match="t99"):
        again = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=10), control={},
                                  previous=themes.read_previous(tmp_path))
    assert list(again.disappeared["theme_id"]) == ["t99"]
    assert "t99" not in again.theme_ids
    paths = themes.write_outputs(again, tmp_path)
    assert (tmp_path / "themes_previous.csv").is_file()
    gone = pd.read_csv(paths["themes_disappeared"], encoding="utf-8-sig")
    assert list(gone["theme_id"]) == ["t99"]


def test_seed_terms_pin_a_theme(example_corpus, tmp_path):
    r = _ingest(example_corpus)
    control_file = tmp_path / "themes.yaml"
    control_file.write_text("seeds:\n  - theme: lar\n    terms: [LAR, legemiddelassistert rehabilitering]\n"
                            "    label: LAR\n", encoding="utf-8")
    result = themes.fit_themes(r.submissions, r.segments, themes.ThemeParams(n_themes=10),
                               control=themes.load_control(control_file))
    row = result.themes.set_index("theme_id").loc["lar"]
    assert row["label"] == "LAR" and row["status"] == "seeded"
    assert "lar" in [t.lower() for t in themes.parse_terms(row["top_terms"])[:5]]
    lar_units = result.units["text"].str.contains(r"\bLAR\b")
    assert (result.units.loc[lar_units, "theme_id"] == "lar").mean() > 0.5


def test_control_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "themes.yaml"
    bad.write_text("merge:\n  - [t01]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(bad))):
        themes.load_control(bad)
    bad.write_text("renames: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown section"):
        themes.load_control(bad)
    assert themes.load_control(themes.CONTROL_PATH) is not None  # the committed file is valid


def test_output_tables_fit_together(real, tmp_path):
    r, result = real
    paths = themes.write_outputs(result, tmp_path)
    seg = pd.read_parquet(paths["segment_themes"])
    assert {"segment_id", "theme_id", "weight"} <= set(seg.columns)
    assert set(seg["segment_id"]) <= set(r.segments["segment_id"])
    assert set(seg["theme_id"]) <= set(result.theme_ids)
    totals = seg[~seg["inherited"]].groupby("segment_id")["weight"].sum()
    assert (totals <= 1 + 1e-6).all() and (totals > 0.5).all()
    sub = pd.read_csv(paths["submission_themes"], encoding="utf-8-sig")
    assert np.allclose(sub[result.theme_ids].sum(axis=1), 1.0)
    groups = pd.read_csv(paths["submission_groups"], encoding="utf-8-sig")
    assert set(groups["submission_id"]) == set(result.units["submission_id"])
    xy = themes.map_2d(result)
    assert len(xy) == (result.units["theme_id"] != "").sum() and np.isfinite(xy[["x", "y"]]).all().all()

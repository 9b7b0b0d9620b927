"""Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import ingest, text, vocabulary


def test_log_odds_properties():
    y_i = np.array([50.0, 10.0, 5.0, 100.0])
    y_j = np.array([10.0, 10.0, 5.0, 200.0])
    alpha = vocabulary.informative_prior(y_i + y_j)
    d_ij, z_ij = vocabulary.weighted_log_odds(y_i, y_j, alpha)
    d_ji, z_ji = vocabulary.weighted_log_odds(y_j, y_i, alpha)
    assert np.allclose(d_ij, -d_ji) and np.allclose(z_ij, -z_ji)  # antisymmetric
    assert z_ij[0] > 0 > z_ij[3]  # used relatively more by i / by j
    # Same proportions, ten times the evidence: the same direction, a larger z (the variance shrinks).
    prior_big = vocabulary.informative_prior(10 * (y_i + y_j))
    _, z_big = vocabulary.weighted_log_odds(10 * y_i, 10 * y_j, prior_big)
    assert z_big[0] > z_ij[0] > 0


def test_prior_keeps_rare_words_from_dominating():
    # "sjelden" is used twice, only by group a; "døgnplass" 40 times by a and 8 times by b.
    docs = [["døgnplass"] * 40 + ["sjelden"] * 2 + ["tjeneste"] * 50, ["døgnplass"] * 8 + ["tjeneste"] * 50]
    table = vocabulary.distinctive_terms_from_tokens(docs, ["a", "b"], min_count=1)
    a = table[table["group"] == "a"].set_index("term")
    assert a.loc["døgnplass", "z"] > a.loc["sjelden", "z"]
    # Plain log-odds ratio would rank the rare word first (it is infinitely skewed).
    raw = np.log((2 + 0.5) / (0 + 0.5)), np.log((40 / 92) / (8 / 58))
    assert raw[0] > raw[1]


def test_each_group_gets_its_own_words():
    docs = [["alkohol", "alkohol", "barn", "kommune"], ["alkohol", "kommune", "barn"],
            ["døgnplass", "døgnplass", "kommune", "straff"], ["døgnplass", "kommune", "straff"]]
    table = vocabulary.distinctive_terms_from_tokens(docs, ["forening", "forening", "kommune", "kommune"],
                                                     min_count=2, group_col="org_type")
    top = table[table["rank"] == 1].set_index("org_type")["term"]
    assert top["forening"] == "alkohol" and top["kommune"] == "døgnplass"
    assert "kommune" not in set(table["term"])  # same rate in both groups: distinctive for neither
    assert list(table.columns[:1]) == ["org_type"]


def test_real_corpus_by_org_type(shared_corpus):
    r = ingest.ingest_folder(shared_corpus)
    subs = r.submissions[~r.submissions["doc_kind"].isin(ingest.REFERENCE_KINDS)]
    mine = r.segments["submission_id"].isin(subs["submission_id"])
    blocks = r.segments[(r.segments["kind"] != "sentence") & mine]
    org = blocks["submission_id"].map(subs.set_index("submission_id")["org_type"])
    tokens = [text.analyze(t) for t in blocks["text"]]
    table = vocabulary.distinctive_terms_from_tokens(tokens, org.tolist(), top_n=15, group_col="org_type")
    assert set(table["org_type"]) == set(subs["org_type"])
    assert (table["z"] > 0).all() and (table["n_group"] >= 2).all()
    # With two groups a word can be distinctive for one of them only.
    per_group = table.groupby("org_type")["term"].apply(set)
    assert not set.intersection(*per_group)
    # Each group's listed words are ones it uses at a higher rate than the rest.
    assert (table["share_group"] > table["share_rest"]).all()
    for group, part in table.groupby("org_type"):
        assert part["z"].is_monotonic_decreasing, group


def test_one_group_gives_an_empty_table():
    table = vocabulary.distinctive_terms_from_tokens([["a", "b"], ["a"]], ["x", "x"])
    assert table.empty and "z" in table.columns


def test_figure_has_a_panel_per_group():
    docs = [["alkohol"] * 5 + ["barn"] * 3, ["døgnplass"] * 5 + ["straff"] * 3]
    table = vocabulary.distinctive_terms_from_tokens(docs, ["a", "b"], min_count=1)
    fig = vocabulary.figure_distinctive_terms(table, top_n=5)
    assert len([ax for ax in fig.axes if ax.has_data()]) == 2
    with pytest.raises(ValueError, match="3 group labels"):
        vocabulary.group_counts(vocabulary.count_matrix(docs)[0], ["a", "b", "c"])

"""Distinctive vocabulary: which words one group of submissions uses more than the others.

The method is the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", Political Analysis 16(4), eqs. 16, 19-20). For a word w, a group i and the rest j:

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

y are word counts, n the group totals, a_w the prior pseudo-counts and a_0 their sum. The prior is
informative: a_w = a_0 * pi_w with pi_w the word's share of the whole corpus (or of a background corpus when
given). Why this and not raw frequencies or plain log-odds: raw frequencies rank function words first, plain
log-odds rank words used once by one group first; the prior shrinks rare words toward the corpus rate and the
z-score divides by the uncertainty, so a word ranks high only if it is both frequent enough and clearly
skewed.

Default a_0 is the corpus token count (the prior equals the pooled counts, as in Jurafsky et al. 2014): with a
handful of submissions a weaker prior lets one repeated word dominate.

Counts come from the same analyzer as the themes (``helpers.text.analyze``: lemmas, stop words removed,
multi-word terms joined), so "døgnplass" and "døgnplassene" count as one word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from helpers import io

DISTINCTIVE_COLUMNS = ["group", "rank", "term", "n_group", "n_rest", "share_group", "share_rest", "log_odds",
                       "z"]


def count_matrix(docs: Iterable[Sequence[str]], vocabulary: Sequence[str] | None = None
                 ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse documents x terms count matrix from token lists, and the term array (sorted unless given).

    Tokens not in a given ``vocabulary`` are ignored.
    """
    docs = list(docs)
    if vocabulary is None:
        vocabulary = sorted({tok for doc in docs for tok in doc})
    index = {term: i for i, term in enumerate(vocabulary)}
    indptr, indices = [0], []
    for doc in docs:
        indices.extend(index[tok] for tok in doc if tok in index)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int64)
    mat = sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                            shape=(len(docs), len(vocabulary)))
    mat.sum_duplicates()
    return mat, np.asarray(vocabulary, dtype=object)


def group_counts(counts: sparse.spmatrix, groups: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Sum the rows of ``counts`` by group label: (groups x terms dense array, sorted group names)."""
    labels = pd.Series(list(groups), dtype=object).fillna("ukjent").astype(str)
    if len(labels) != counts.shape[0]:
        raise ValueError(f"{len(labels)} group labels for {counts.shape[0]} documents")
    names, codes = np.unique(labels.to_numpy(), return_inverse=True)
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                  shape=(len(names), len(codes)))
    return np.asarray((indicator @ counts).todense(), dtype=float), names


def weighted_log_odds(y_i: np.ndarray, y_j: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monroe et al. (2008) log-odds of each word in i versus j with prior pseudo-counts ``alpha``.

    Returns (delta, z). All arrays are per word; ``alpha`` must be positive where it is used.
    """
    y_i = np.asarray(y_i, dtype=float)
    y_j = np.asarray(y_j, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    n_i, n_j, a0 = y_i.sum(), y_j.sum(), alpha.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((y_i + alpha) / (n_i + a0 - y_i - alpha))
                 - np.log((y_j + alpha) / (n_j + a0 - y_j - alpha)))
        z = delta / np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
    return delta, z


def informative_prior(pooled: np.ndarray, alpha0: float | None = None,
                      background: np.ndarray | None = None) -> np.ndarray:
    """Prior pseudo-counts a_w = a_0 * pi_w; pi from ``background`` counts if given, else the pooled counts.

    A word absent from the background gets the smallest positive background rate, so no a_w is zero.
    """
    base = np.asarray(background if background is not None else pooled, dtype=float)
    if base.sum() <= 0:
        raise ValueError("informative prior: the background has no tokens")
    base = np.where(base > 0, base, base[base > 0].min())
    pi = base / base.sum()
    a0 = float(np.asarray(pooled).sum()) if alpha0 is None else float(alpha0)
    return a0 * pi


def distinctive_terms(counts: sparse.spmatrix, terms: Sequence[str], groups: Sequence, top_n: int = 20,
                      alpha0: float | None = None, min_count: int = 2,
                      background: np.ndarray | None = None, group_col: str = "group") -> pd.DataFrame:
    """The ``top_n`` most distinctive terms of each group against all other groups pooled.

    ``counts`` is documents x terms, ``groups`` one label per document (e.g. org_type per segment). Only
    terms the group uses at least ``min_count`` times and with z > 0 are listed, ranked by z. With a single
    group there is nothing to compare against and the table is empty. ``group_col`` names the output's group
    column ("org_type" for the table the figures read).
    """
    by_group, names = group_counts(counts, groups)
    terms = np.asarray(terms, dtype=object)
    columns = [group_col, *DISTINCTIVE_COLUMNS[1:]]
    if len(names) < 2:
        return pd.DataFrame(columns=columns)
    pooled = by_group.sum(axis=0)
    alpha = informative_prior(pooled, alpha0, background)
    rows = []
    for g, name in enumerate(names):
        y_i = by_group[g]
        y_j = pooled - y_i
        delta, z = weighted_log_odds(y_i, y_j, alpha)
        keep = np.flatnonzero((y_i >= min_count) & (z > 0))
        order = keep[np.argsort(-z[keep], kind="stable")][:top_n]
        n_i, n_j = max(y_i.sum(), 1.0), max(y_j.sum(), 1.0)
        for rank, w in enumerate(order, 1):
            rows.append({group_col: name, "rank": rank, "term": terms[w], "n_group": int(y_i[w]),
                         "n_rest": int(y_j[w]), "share_group": y_i[w] / n_i, "share_rest": y_j[w] / n_j,
                         "log_odds": delta[w], "z": z[w]})
    return pd.DataFrame(rows, columns=columns)


def distinctive_terms_from_tokens(token_lists: Sequence[Sequence[str]], groups: Sequence, **kwargs
                                  ) -> pd.DataFrame:
    """:func:`distinctive_terms` from token lists (one list per document)."""
    counts, terms = count_matrix(token_lists)
    return distinctive_terms(counts, terms, groups, **kwargs)


def figure_distinctive_terms(table: pd.DataFrame, top_n: int = 10, title: str | None = None,
                             group_col: str = "group"):
    """One horizontal bar panel per group: its ``top_n`` terms by z-score. Returns the matplotlib figure.

    Multi-word terms are shown with spaces ("barn og unge"). Saving is the caller's job
    (``helpers.charts.save_figure``).
    """
    import matplotlib.pyplot as plt

    groups = list(dict.fromkeys(table[group_col]))
    n = max(len(groups), 1)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 0.28 * top_n + 1.2), squeeze=False)
    for ax, group in zip(axes[0], groups, strict=False):
        part = table[table[group_col] == group].nsmallest(top_n, "rank").iloc[::-1]
        ax.barh(part["term"].str.replace("_", " "), part["z"], color="#3b6e8f")
        ax.set_title(str(group), fontsize=8)
        ax.set_xlabel("z (vektet log-odds)")
        ax.tick_params(axis="y", labelsize=7)
    if not groups:
        axes[0][0].text(0.5, 0.5, "For få grupper til sammenligning", ha="center", va="center")
        axes[0][0].set_axis_off()
    fig.suptitle(title or "Særpregede ord etter organisasjonstype", fontsize=9, fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    return fig


def write_distinctive_terms(table: pd.DataFrame, processed_dir: str | Path,
                            name: str = "distinctive_terms.csv") -> Path:
    return io.write_csv(table, Path(processed_dir) / name)

# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (rusinnspill)
#     language: python
#     name: rusinnspill
# ---

# %% [markdown]
# # 30 Temaer i innspillene
#
# **Purpose:** what the submissions talk about, without reading every letter first: themes with a readable
# label, key words, the three passages that represent them best (verbatim, with organisation and location),
# how many submissions and which organisation types raise them; which themes the mandate asks for that nobody
# writes about; the words that set each organisation type apart.
#
# **Inputs:** `submissions.parquet`, `segments.parquet` (step 10); `config/themes.yaml` (analyst control:
# rename, merge, split, seed terms); the previous run's `theme_registry.csv` (theme ids stay stable).
#
# **Outputs** in `processed_dir`: `themes.csv` (one row per theme, with quotes), `segment_themes.parquet`
# (segment, theme, weight), `submission_themes.csv` (submission x theme share), `submission_groups.csv`,
# `theme_terms.csv`, `theme_registry.csv`, `theme_quality.csv`, `theme_k_selection.csv`, `theme_matching.csv`,
# `themes_disappeared.csv`, `mandate_themes.csv`, `mandate_gaps.csv`, `mandate_terms.csv`,
# `distinctive_terms.csv`. Figures in `figures/temaer/`.
#
# **Method** (details and reasons in `helpers/themes.py`): paragraphs of the submissions (the mandate is
# kept out and projected afterwards), section headings attached to the paragraphs right under them;
# TF-IDF over lemmas and multi-word terms (Bokmål and Nynorsk joined); NMF with a fixed seed; MiniBatchKMeans
# as a cross-check. With `n_themes = "auto"` the number of themes k is chosen from `k_min`..`k_max` by
#
# $$\text{score}(k) = \overline{\text{NPMI}}(k) + \text{ARI}(k)$$
#
# where NPMI is the coherence of each theme's ten top words (normalised pointwise mutual information over the
# paragraphs, -1..1) and ARI the stability: the adjusted Rand index between the theme assignments of NMF fits
# started from different random seeds (mean over three pairs, -1..1). The best score wins, ties to the
# smaller k.

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
figures_dir = "figures"
random_seed = 42
n_themes = "auto"
min_df = 2
level = "paragraph"
k_min = 10
k_max = 24

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from helpers import charts, config, ingest, themes, vocabulary

processed = config.resolve(processed_dir)
figures = config.resolve(figures_dir) / "temaer"
pd.set_option("display.max_colwidth", 200)
charts.apply_style()

# %%
submissions = ingest.load_submissions(processed)
segments = ingest.load_segments(processed)
control = themes.load_control()
previous = themes.read_previous(processed)
params = themes.ThemeParams(
    n_themes=n_themes if n_themes == "auto" else int(n_themes), k_range=(int(k_min), int(k_max)),
    min_df=int(min_df), random_seed=int(random_seed), level=level,
)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    result = themes.fit_themes(submissions, segments, params, control=control, previous=previous)
    mandate = themes.project_reference(result, submissions, segments)
result.mandate_themes, result.mandate_gaps, result.mandate_terms = mandate
for msg in result.warnings:
    print("ADVARSEL:", msg)
n_submissions = result.units["submission_id"].nunique()
print(f"{len(result.units)} avsnitt fra {n_submissions} innspill -> {len(result.theme_ids)} temaer")

# %% [markdown]
# ## Kvalitet
#
# Koherens (NPMI, -1..1: høyere = temaets ord står oftere i de samme avsnittene), stabilitet (justert
# Rand-indeks mellom tilfeldige startpunkter, 1 = samme inndeling) og samsvar med MiniBatchKMeans.

# %%
display(themes.quality_table(result))
if not result.k_table.empty:
    display(result.k_table)

# %%
if not result.k_table.empty:
    fig, ax = charts.new_figure("full", 6.0)
    kt = result.k_table
    ax.plot(kt["k"], kt["npmi"], marker="o", label="Koherens (NPMI)", color="#3b6e8f")
    ax.plot(kt["k"], kt["ari"], marker="s", label="Stabilitet (ARI)", color="#c08a2b")
    ax.plot(kt["k"], kt["score"], marker="^", label="Sum (valgkriterium)", color="#333333")
    chosen = kt.loc[kt["chosen"], "k"].iloc[0]
    ax.axvline(chosen, color="#999999", linestyle=":", linewidth=0.8)
    ax.set_xlabel("Antall temaer (k)")
    ax.set_ylabel("Verdi")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    charts.save_figure(fig, figures / "01_valg_av_antall_temaer", kt, n=n_submissions,
                       title="Valg av antall temaer",
                       caption=f"Koherens og stabilitet for hvert antall temaer; valgt k = {chosen}.",
                       alt_text="Linjediagram over koherens, stabilitet og summen for hvert antall temaer.")
    plt.show()

# %% [markdown]
# ## Temaene, med sitater
#
# Hvert tema: navn (de mest særpregede ordene, eller analytikerens navn fra `config/themes.yaml`), nøkkelord
# med vekt, antall avsnitt og innspill, organisasjonstyper og de tre avsnittene som best representerer temaet,
# ordrett, med avsender og sted. Sitater hentes aldri fra innspill som ikke er offentlige.

# %%
table = result.themes
display(table[["theme_id", "label", "n_segments", "n_submissions", "org_types", "top_terms", "npmi",
               "status"]])

# %%
parts = []
for row in table.itertuples():
    parts.append(f"### {row.theme_id} {row.label}\n\n*{row.top_terms}*  \n{row.n_segments} avsnitt, "
                 f"{row.n_submissions} innspill: {row.org_types}\n")
    for q in (1, 2, 3):
        quote = getattr(row, f"quote_{q}")
        if isinstance(quote, str) and quote:
            shown = quote if len(quote) <= 600 else quote[:600] + " […]"
            parts.append(f"> «{shown}»  \n> — {getattr(row, f'quote_{q}_org_name')}, "
                         f"{getattr(row, f'quote_{q}_location')}\n")
display(Markdown("\n".join(parts)))

# %% [markdown]
# ## Temaenes størrelse

# %%
sizes = table[["theme_id", "label", "n_segments", "n_submissions", "share"]].sort_values("n_segments")
fig, ax = charts.new_figure("full", 0.55 * len(sizes) + 2.0)
ax.barh([charts.wrap(f"{t} {lab}", 48) for t, lab in zip(sizes["theme_id"], sizes["label"], strict=True)],
        sizes["n_segments"], color="#3b6e8f")
ax.set_xlabel("Antall avsnitt der temaet er størst")
charts.save_figure(fig, figures / "02_temaenes_storrelse", sizes, n=n_submissions,
                   title="Temaenes størrelse",
                   caption="Antall avsnitt i innspillene der temaet er det største.",
                   alt_text="Liggende stolpediagram med antall avsnitt per tema.")
plt.show()

# %% [markdown]
# ## Tema etter organisasjonstype

# %%
heat = charts.theme_by_org_type_table(result.submission_themes, submissions, table)
chart = charts.plot_theme_by_org_type(heat)
charts.save_chart(chart, figures / "03_temaer_etter_organisasjonstype")
plt.show()

# %% [markdown]
# ## Kart over avsnittene
#
# Hvert punkt er et avsnitt, farget etter sitt største tema. Avsnitt som står nær hverandre, bruker like ord
# (t-SNE med fast seed på en SVD av TF-IDF-matrisen; for mer enn 3 000 avsnitt de to første SVD-aksene).

# %%
xy = themes.map_2d(result)
fig, ax = charts.new_figure("full", 11.0)
palette = plt.get_cmap("tab20")
label_of = dict(zip(table["theme_id"], table["label"], strict=True))
for i, tid in enumerate(sorted(t for t in xy["theme_id"].unique() if t)):
    part = xy[xy["theme_id"] == tid]
    ax.scatter(part["x"], part["y"], s=12, color=palette(i % 20),
               label=charts.wrap(f"{tid} {label_of[tid]}", 40))
ax.set_xticks([])
ax.set_yticks([])
ax.set_xlabel(f"{xy['method'].iloc[0]} 1")
ax.set_ylabel(f"{xy['method'].iloc[0]} 2")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=5.5, frameon=False)
charts.save_figure(fig, figures / "04_kart_over_avsnitt", xy, n=n_submissions,
                   title="Kart over avsnittene etter tema",
                   caption="Avsnitt med like ord står nær hverandre; fargen er avsnittets største tema.",
                   alt_text="Punktdiagram der hvert avsnitt er et punkt farget etter tema.")
plt.show()

# %% [markdown]
# ## Innspill gruppert etter temablanding

# %%
display(result.submission_groups)

# %% [markdown]
# ## Mandatet mot innspillene
#
# Mandatet er ikke med når temaene finnes; det projiseres på dem etterpå. Tabell 1: hvert temas andel av
# innspillene og av mandatet ("bare innspill": innspillene skriver om det, mandatet spør ikke). Tabell 2:
# avsnitt i mandatet som ingen av temaene forklarer - det mandatet ber om som ingen skriver om - med ordene
# som bærer dem. Tabell 3: ord som skiller mandatet fra innspillene (og omvendt).

# %%
display(result.mandate_themes)
display(result.mandate_gaps.head(15))
display(result.mandate_terms)

# %% [markdown]
# ## Særpregede ord etter organisasjonstype
#
# Vektet log-odds med informativ Dirichlet-prior (Monroe, Colaresi & Quinn 2008): ord som en type avsender
# bruker oftere enn de andre, målt som z-verdi (over 1,96: neppe tilfeldig).

# %%
distinctive = themes.distinctive_by_org_type(result)
display(distinctive.groupby("org_type").head(8))
if distinctive["org_type"].nunique() >= 2:
    chart = charts.plot_distinctive_terms(distinctive)
    charts.save_chart(chart, figures / "05_saerpregede_ord")
    plt.show()
else:
    print("Bare én organisasjonstype: ingenting å sammenligne med.")

# %% [markdown]
# ## Endringer siden forrige kjøring
#
# Temaene er koblet til forrige kjørings temaer etter innhold (de 15 viktigste ordene). Temaer uten match er
# "forsvunnet": sjekk regler i `config/themes.yaml` som nevner dem.

# %%
display(result.matching)
if not result.disappeared.empty:
    print("Temaer fra forrige kjøring som ikke finnes nå:")
    display(result.disappeared)

# %%
written = themes.write_outputs(result, processed)
written["distinctive_terms"] = vocabulary.write_distinctive_terms(distinctive, processed)
pd.DataFrame({"file": [p.name for p in written.values()]})

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
# # 20 Oversikt over innspillene
#
# **Purpose:** who wrote: submissions by organisation type; and a search over every sentence that understands
# Norwegian inflection (`døgnplass` finds `døgnplassene`, Nynorsk `døgnplassar`), filtered by organisation
# type, theme, document kind and date, with each hit's context and location.
#
# **Inputs:** `submissions.parquet`, `segments.parquet` from step 10; `segment_themes.parquet` from step 30
# when it exists (the theme filter). **Outputs:** `figures/oversikt/01_innspill_per_organisasjonstype.*`.
#
# **Search parameters** (plain values under papermill / `make run`; in JupyterLab the same search also gets
# ipywidgets controls): `query` (words must all occur in the sentence; "quoted phrase" for a multi-word term),
# `org_type`, `theme_id`, `doc_kind` (one value, empty = all), `date_from`, `date_to` (YYYY-MM-DD; submissions
# without a date are left out when a date is given), `prefix` (also words that start with the query: `døgn`
# finds `døgnbehandling`), `widgets` ("auto": only when JupyterLab runs the notebook).

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
figures_dir = "figures"
random_seed = 42
query = "døgnplass"
org_type = ""
theme_id = ""
doc_kind = ""
date_from = ""
date_to = ""
prefix = False
widgets = "auto"

# %%
from IPython.display import display

from helpers import charts, config, ingest

processed = config.resolve(processed_dir)
figures = config.resolve(figures_dir)
charts.apply_style()

# %% [markdown]
# ## Hvem skrev
#
# Mandatet og andre referansedokumenter telles ikke; en kampanje (mange brev med samme tekst) teller som én
# avsender, og de ekstra brevene vises skravert.

# %%
subs = ingest.load_submissions(processed)
chart = charts.plot_submissions_by_org_type(subs)
charts.save_chart(chart, figures / "oversikt" / "01_innspill_per_organisasjonstype", chapter="oversikt",
                  notebook="20_explore_submissions", inputs=[processed / "submissions.parquet"])
display(chart.data)

# %% [markdown]
# ## Søk i innspillene
#
# Søket leter i alle setninger (også mandatet: velg `doc_kind` for å skille). Ordene i søket gjøres om til
# grunnform på bokmål og nynorsk, så bøyde former og nynorskformer blir funnet. Treff vises med setningen før
# og etter og med sted (fil, side, avsnitt). Temaene kommer fra forrige kjøring av steg 30.

# %%
import pandas as pd

from helpers import search

theme_file = processed / "segment_themes.parquet"
segment_themes = pd.read_parquet(theme_file) if theme_file.is_file() else None
themes_file = processed / "themes.csv"
theme_table = (pd.read_csv(themes_file, encoding="utf-8-sig")[["theme_id", "label"]]
               if themes_file.is_file() else None)
if segment_themes is None:
    print("Ingen temaer ennå (steg 30 har ikke kjørt): temafilteret er tomt.")
all_docs, all_segments = ingest.load_submissions(processed), ingest.load_segments(processed)
index = search.build_index(all_docs, all_segments, segment_themes)
print(f"{len(index)} setninger indeksert")

# %%
hits = search.search(index, query, org_type=org_type, theme_id=theme_id, doc_kind=doc_kind,
                     date_from=date_from, date_to=date_to, prefix=bool(prefix))
print(f"«{query}»: {len(hits)} setninger i {hits['submission_id'].nunique()} dokumenter "
      f"(søkte former: {hits['matched'].iloc[0] if len(hits) else '-'})")
display(search.summary(hits))
hits[["org_name", "theme_id", "location", "prev_sentence", "highlighted", "next_sentence"]].head(50)

# %%
if search.want_widgets(widgets):
    display(search.search_controls(index, theme_table, query))

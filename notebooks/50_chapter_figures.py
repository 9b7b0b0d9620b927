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
# # 50 Figurer til kapitlene
#
# **Purpose:** build the figure pack for each report chapter: print-ready figures (PNG 300 dpi, SVG, PDF) with
# the CSV of exactly the numbers drawn, caption and alt text, a Word file per chapter with figures, captions
# and quote tables ("høringsinstansenes syn"), the manifest that traces every figure to its run, and a
# gallery.
#
# **Inputs:** `submissions.parquet` (step 10), `themes.csv`, `submission_themes.csv`, `distinctive_terms.csv`
# (step 30), `positions.csv` (step 40), and `config/chapters.yaml` (which chapter shows what: edit that file,
# not this notebook). **Outputs:** `figures/<chapter>/<nn>_<what>.*`, `figures/<chapter>/<chapter>.docx`,
# `figures/manifest.csv`, `figures/index.html`.
#
# `chapter` is one chapter id from `config/chapters.yaml`, a comma list, or `all`.

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
figures_dir = "figures"
random_seed = 42
chapter = "all"

# %%
import random

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from helpers import chapters, charts, config

random.seed(random_seed)
np.random.seed(random_seed)
processed = config.resolve(processed_dir)
figures = config.resolve(figures_dir)
charts.apply_style()
pd.set_option("display.max_colwidth", 120)

# %% [markdown]
# ## Kapitlene
#
# The chapters and what each shows, as `config/chapters.yaml` defines them (validated on load: a wrong
# position id or figure type stops here with the file, line and reason).

# %%
all_chapters = chapters.load_chapters()
chosen = chapters.select_chapters(all_chapters, chapter)
uncovered = chapters.uncovered_positions(all_chapters, chapters.known_position_ids())
if uncovered:
    print(f"Positions in the codebook that no thematic chapter lists: {', '.join(uncovered)}")
for mismatch in chapters.codebook_chapter_mismatches(all_chapters):
    print(f"warning: {mismatch}")
chapters.describe(chosen)

# %% [markdown]
# ## Tabellene
#
# Which processed tables exist. A missing table is not an error here: its figures are skipped and named below
# (in the full pipeline every table exists).

# %%
tables = chapters.load_tables(processed)
for name, path in tables.paths.items():
    print(f"found   {name:<18} {path}")
for name, why in tables.missing.items():
    print(f"MISSING {name:<18} {why}")
print(f"N = {tables.n_submissions} submissions (reference documents such as the mandate excluded)")

# %% [markdown]
# ## Figurpakkene
#
# Draw and export every chapter's figures, write each chapter's Word file and refresh the gallery.

# %%
params = {"random_seed": random_seed, "processed_dir": str(processed), "chapter_param": chapter}
packs = [
    chapters.write_chapter(c, tables, figures, notebook="50_chapter_figures", parameters=params)
    for c in chosen
]
gallery = chapters.write_gallery(figures, all_chapters)
overview = chapters.summary(packs)
n_written = int((overview["status"] == "skrevet").sum())
n_skipped = int((overview["status"] != "skrevet").sum())
display(
    Markdown(
        f"**{n_written} figures written, {n_skipped} skipped** in {len(packs)} chapter(s). "
        f"Gallery: `{gallery}`. Manifest: `{figures / charts.MANIFEST_NAME}`."
    )
)
display(overview)

# %% [markdown]
# ## Hoppet over
#
# Figures that could not be drawn in this run, with the reason (a missing table, or no calls/themes for the
# chapter yet).

# %%
overview[overview["status"] != "skrevet"][["chapter", "nn", "title", "reason"]]

# %% [markdown]
# ## Sporbarhet
#
# The manifest rows for this run: each figure's data file, the notebook and parameters that made it and a hash
# of its input tables, so a figure pasted into a draft can be traced back.

# %%
manifest = charts.read_manifest(figures / charts.MANIFEST_NAME)
manifest[manifest["chapter"].isin([c.id for c in chosen])][["file", "n", "data_file", "inputs_hash", "time"]]

# %% [markdown]
# ## Galleri
#
# Every figure at a glance (the same figures as `figures/index.html`).

# %%
from IPython.display import Image

for pack in packs:
    for fig in pack.figures:
        display(Markdown(f"**{fig['title']}** ({pack.chapter.id})  \n{fig['caption']}"))
        display(Image(filename=str(fig["png"]), width=700))

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
# **Purpose:** build the figure packs for the report chapters.

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
figures_dir = "figures"
random_seed = 42

# %%
from helpers import config, ingest

processed = config.resolve(processed_dir)
segments = ingest.load_segments(processed)
len(segments)

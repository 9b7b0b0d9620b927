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
# **Purpose:** cluster the submission text into themes.

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

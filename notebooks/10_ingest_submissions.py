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
# # 10 Innlesing av innspill
#
# **Purpose:** read every file in the raw folder (PDF, DOCX, TXT/MD, HTML), clean and segment it, mask
# personal data, group campaign letters, and account for every single file.
#
# **Inputs:** `raw_dir` (submissions in any sub-folder, and an optional `metadata.csv`).
# **Outputs:** `submissions.parquet`, `segments.parquet`, `ingest_report.csv` in `processed_dir`; a per-file
# cache in `processed_dir/cache/` so a re-run reads only new or changed files.
#
# All the work is done by `helpers.ingest.run_ingest` (tested in `tests/test_ingest.py`); this notebook
# shows what came out.

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
figures_dir = "figures"
random_seed = 42
campaign_threshold = 0.5  # Jaccard similarity of word 3-shingles at which two letters are one campaign
show_submission = 0  # which submission to show in full: a row number or a file name
workers = 2

# %%
import pandas as pd
from IPython.display import HTML, Markdown, display

from helpers import config, ingest, segments

raw = config.resolve(raw_dir)
processed = config.resolve(processed_dir)

# %% [markdown]
# ## Read the folder
#
# A progress bar runs over the files that are not in the cache; the summary names every file that failed.

# %%
result = ingest.run_ingest(raw, processed, campaign_threshold=campaign_threshold, workers=workers)
report, subs, segs = result.report, result.submissions, result.segments

# %% [markdown]
# ## Every file accounted for
#
# One row per file under the raw folder (and per file `metadata.csv` lists but that is not there).

# %%
status_counts = report["status"].value_counts().rename_axis("status").reset_index(name="filer")
display(status_counts)
problems = report[report["status"].isin(["failed", "missing", "skipped"])][["file", "status", "reason"]]
display(problems if len(problems) else Markdown("*No file failed, was skipped or is missing.*"))
notes = report[(report["status"] == "ok") & (report["reason"] != "")][["file", "reason"]]
display(notes if len(notes) else Markdown("*No reader notes.*"))

# %%
n_ok = int((report["status"] == "ok").sum())
n_bad = int(report["status"].isin(["failed", "missing"]).sum())
n_not_listed = int(((report["metadata"] == "not listed") & (report["status"] == "ok")).sum())
display(Markdown(
    f"**Found:** {len(report)} files in the report; {n_ok} read, "
    f"{int((report['status'] == 'duplicate').sum())} exact duplicates, "
    f"{int((report['status'] == 'skipped').sum())} skipped, {n_bad} failed or missing. "
    f"{n_not_listed} readable file(s) are not in `metadata.csv` (their fields are inferred and listed in "
    f"`inferred_fields`). {result.stats['n_cached']} file(s) came from the cache, "
    f"{result.stats['n_read']} were read now."
))

# %% [markdown]
# ## Submissions by organisation type and by month
#
# Reference documents (the mandate) are kept in the table but marked `is_reference`, and are not counted
# here. A campaign counts once per letter; the next table shows how many letters are copies.

# %%
letters = subs[~subs["is_reference"]]
by_type = letters["org_type"].value_counts().rename_axis("org_type").reset_index(name="innspill")
display(by_type)
months = letters["received_date"].dt.strftime("%Y-%m").fillna("uten dato")
by_month = months.value_counts().sort_index().rename_axis("måned").reset_index(name="innspill")
display(by_month)

# %%
campaign_table = (letters[letters["is_campaign"]]
                  .groupby("campaign_id")
                  .agg(brev=("submission_id", "size"), avsendere=("org_name", lambda s: "; ".join(s)))
                  .reset_index())
display(campaign_table if len(campaign_table) else Markdown("*No campaigns at this threshold.*"))
undated = int(letters["received_date"].isna().sum())
top_type = by_type.iloc[0] if len(by_type) else None
display(Markdown(
    f"**Found:** {len(letters)} submissions and {int(subs['is_reference'].sum())} reference document(s). "
    + (f"The largest group is *{top_type['org_type']}* ({top_type['innspill']}). "
       if top_type is not None else "")
    + f"{undated} submission(s) have no date. {len(campaign_table)} campaign(s) group "
    f"{int(campaign_table['brev'].sum()) if len(campaign_table) else 0} letters "
    f"(threshold {campaign_threshold}). {int(subs['n_masked'].sum())} e-mail addresses, phone numbers or "
    f"national identity numbers were masked; {int((~subs['is_public']).sum())} submission(s) are not public "
    "and are counted but never quoted."
))

# %% [markdown]
# ## One submission: cleaned text beside its segments
#
# Headings, paragraphs, list items and footnotes with their page and character offsets into the cleaned
# text (sentences are children of these blocks). Choose another with the `show_submission` parameter.

# %%
if len(subs):
    if isinstance(show_submission, str) and show_submission in set(subs["file"]):
        chosen = subs[subs["file"] == show_submission].iloc[0]
    else:
        chosen = subs.iloc[min(int(show_submission), len(subs) - 1)]
    chosen_segs = segs[segs["submission_id"] == chosen["submission_id"]]
    display(pd.DataFrame([chosen[["file", "org_name", "org_type", "received_date", "doc_kind", "title",
                                  "language", "n_pages", "inferred_fields", "campaign_id"]]]))
    view = segments.side_by_side_html(chosen["text"], chosen_segs, is_public=bool(chosen["is_public"]))
    display(HTML(view))
    kinds = chosen_segs["kind"].value_counts()
    display(Markdown(
        f"**Found:** `{chosen['file']}` has {kinds.get('heading', 0)} headings, "
        f"{kinds.get('paragraph', 0)} paragraphs, {kinds.get('list_item', 0)} list items, "
        f"{kinds.get('footnote', 0)} footnotes and {kinds.get('sentence', 0)} sentences over "
        f"{chosen['n_pages']} page(s)."
    ))
else:
    display(Markdown("**Found:** no readable submission in the raw folder."))

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
# # 40 Standpunkter: hvem støtter og hvem går imot
#
# **Purpose:** for every position in `config/positions.yaml`, which organisations support it, which oppose
# it and which only mention it - each call backed by the sentence(s) that say so, with file, page and
# paragraph. Analysts correct calls in `data/annotations/positions_review.csv`; their decisions override the
# machine and survive re-runs.
#
# **Inputs:** `submissions.parquet`, `segments.parquet` (step 10), `config/positions.yaml` (the codebook),
# `config/stance_lexicon.yaml`, the review file, optionally a gold file (`gold_file`) to score against.
# **Outputs:** `positions.csv` and `position_sentences.parquet` in the processed folder, quote tables
# (`quotes/*.md|docx|xlsx`), figures under `figures/standpunkter/`.

# %% tags=["parameters"]
raw_dir = "data/raw"
processed_dir = "data/processed"
figures_dir = "figures"
random_seed = 42
gold_file = ""
review_file = "data/annotations/positions_review.csv"

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from helpers import charts, config, ingest
from helpers.positions import evaluate, review, tables
from helpers.positions.aggregate import CALLS
from helpers.positions.pipeline import run_positions

processed = config.resolve(processed_dir)
figures = config.resolve(figures_dir) / "standpunkter"
review_path = config.resolve(review_file) if review_file else None
pd.set_option("display.max_colwidth", 160)
charts.apply_style()

# %% [markdown]
# ## Finn standpunktene
#
# Hver setning leses mot hver posisjon i kodeboken: handler setningen om saken (tema), hvilken vei peker den
# (flere/færre døgnplasser, mer/mindre straff), og hva mener avsenderen om det (krav, bekymring, støtte,
# avvisning, nektelse)? Det andre foreslår eller mener, teller ikke som avsenderens syn før avsenderen selv
# tar stilling. Gjennomgåtte vurderinger fra analytikerne legges over maskinens forslag.

# %%
result = run_positions(processed, review_path)
positions, sentences = result.positions, result.sentences
submissions = ingest.load_submissions(processed)
calls = positions[positions["stance"].isin(CALLS)]
n_letters = int(
    (~submissions.get("is_reference", pd.Series(False, index=submissions.index)).astype(bool)).sum()
)
summary = (
    calls.groupby("stance").size().rename("antall").to_frame().T
    if len(calls)
    else pd.DataFrame({"antall": []})
)
display(summary)
print(
    f"{len(calls)} standpunkter i {calls['submission_id'].nunique()} av {n_letters} innspill; "
    f"{int((positions['stance'] == 'mentions').sum())} omtaler uten standpunkt; "
    f"{int(positions['reviewed'].sum())} gjennomgått; "
    f"{result.n_evidence_checked} sitater kontrollert mot teksten."
)
if positions.attrs.get("review_orphans"):
    print("Gjennomgangsrader for innspill som ikke finnes lenger:", positions.attrs["review_orphans"])

# %% [markdown]
# Tallene over er det rapporten kan bygge på: hvert standpunkt har sitatene som begrunner det
# (`evidence`, `evidence_location` i `positions.csv`), og et kontrollsteg har sjekket at hvert sitat står
# ordrett i innspillet på oppgitt sted.

# %% [markdown]
# ## Mot fasit (når `gold_file` er satt)

# %%
if gold_file:
    gold = evaluate.load_gold(config.resolve(gold_file))
    rep = evaluate.evaluate(positions, gold, evaluate.duplicate_files(processed / "ingest_report.csv"))
    print(evaluate.format_report(rep))
else:
    print("Ingen fasit oppgitt (gold_file er tom).")

# %% [markdown]
# ## De mest usikre vurderingene først
#
# Listen viser maskinens vurderinger nærmest terskelen (og delte vurderinger) med setningen før og etter.
# Bekreft eller rett dem i `data/annotations/positions_review.csv`.

# %%
segments = ingest.load_segments(processed)
uncertain = review.least_certain(positions, segments, submissions, n=15)
display(uncertain)

# %% [markdown]
# ## Klassifikator fra gjennomgåtte setninger
#
# Når minst 30 setninger er gjennomgått, trenes en enkel TF-IDF + logistisk regresjon på dem. Den gir bare
# en ekstra stemme (`classifier_vote`); den overstyrer aldri en vurdering. Nøyaktigheten er kryssvalidert.

# %%
trained = review.train_review_classifier(sentences, result.review, random_seed=random_seed)
if trained is None:
    n_rev = len(review.reviewed_sentences(sentences, result.review))
    print(
        f"For få gjennomgåtte setninger til en klassifikator ({n_rev} < {review.MIN_CLASSIFIER_SENTENCES})."
    )
else:
    print(
        f"Klassifikator på {trained['n']} setninger: kryssvalidert nøyaktighet {trained['cv_accuracy']:.2f} "
        f"(± {trained['cv_std']:.2f}); å alltid gjette største klasse gir {trained['majority_baseline']:.2f}."
    )
    positions = review.classifier_votes(positions, sentences, trained)

# %% [markdown]
# ## Tabeller
#
# Stemmer teller en kampanje (nesten like brev fra flere avsendere) én gang; brev teller hvert brev.

# %%
counts = tables.stance_counts(positions)
display(counts)
matrix = tables.org_position_matrix(positions)
display(matrix)
co = tables.position_cooccurrence(positions)
display(co)

# %% [markdown]
# ## Figurer
#
# Divergerende stolper per posisjon (går imot til venstre, støtter til høyre) fordelt på organisasjonstype,
# organisasjon × posisjon ordnet slik at koalisjoner står samlet, og hvilke posisjoner som støttes sammen.
# Gjennomgåtte og maskinforeslåtte vurderinger vises forskjellig.

# %%
written = []
if calls.empty:
    print("Ingen standpunkter å tegne.")
else:
    n_voices = int(pd.Series(tables.voice_key(calls)).nunique())
    for name, make in [
        (
            "01_standpunkter_per_organisasjonstype",
            lambda: charts.plot_position_bars(positions, by="org_type", n=n_voices),
        ),
        ("02_organisasjon_x_posisjon", lambda: charts.plot_org_position_matrix(positions, n=n_voices)),
        (
            "03_posisjoner_som_stottes_sammen",
            lambda: charts.plot_position_cooccurrence(positions, n=n_voices),
        ),
    ]:
        try:
            chart = make()
        except charts.EmptyChartError as err:
            print(f"{name}: {err}")
            continue
        written.append(charts.save_chart(chart, figures / name))
        charts.close(chart)
print(f"{len(written)} figurer skrevet til {figures}")

# %% [markdown]
# ## Høringsinstansenes syn: sitattabeller
#
# Én tabell per posisjon (organisasjon, type, syn, sitat, kilde), til Word, Excel og Markdown i
# `<processed_dir>/quotes/`. Innspill som ikke er offentlige telles, men siteres ikke.

# %%
quotes_dir = processed / "quotes"
exported = []
labels = dict(zip(positions["position_id"], positions["label"], strict=False))
for pid in sorted(calls["position_id"].unique()):
    qt = tables.quote_table(positions, pid)
    exported.append(
        tables.export_quote_table(qt, quotes_dir / pid, title=f"Høringsinstansenes syn: {labels[pid]}")
    )
print(f"{len(exported)} sitattabeller skrevet til {quotes_dir}")
if exported:
    display(Markdown(Path(exported[0]["md"]).read_text(encoding="utf-8")[:3000]))

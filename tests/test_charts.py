"""House style and figure export: every figure type rendered from small hand-made tables, then checked the way
a report editor would - files in every format, 300 dpi at the stated width, nothing cut off, Norwegian words
and decimal commas, and the CSV holding exactly what is drawn (read back from the drawn bars and cells)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.colors import to_rgb
from PIL import Image

from helpers import charts, io

# ------------------------------------------------------------------------------------ hand-made tables
# Twelve documents: one is the mandate (never counted), three are one campaign (one voice), one has no date.
SUBMISSIONS = pd.DataFrame(
    [
        # submission_id, org_name, org_type, doc_kind, received_date, campaign_id
        ("s01", "Brattvik kommune", "kommune", "innspill", "2025-09-14", None),
        ("s02", "Nordfjord kommune", "kommune", "innspill", "2025-11-02", None),
        ("s03", "Psykologforbundet", "profesjonsforening", "innspill", None, None),
        ("s04", "Rusfri ungdom Vest", "bruker- og interesseorganisasjon", "høringssvar", "2025-11-20", "k1"),
        ("s05", "Rusfri ungdom Nord", "bruker- og interesseorganisasjon", "høringssvar", "2025-11-21", "k1"),
        ("s06", "Rusfri ungdom Sør", "bruker- og interesseorganisasjon", "høringssvar", "2025-12-01", "k1"),
        ("s07", "Helse Midtfjord HF", "helseforetak", "innspill", "2026-01-15", None),
        ("s08", "Omsorg Vest", "ideell aktør", "innspill", "2026-03-01", None),
        ("s09", "Fjordpartiet", "politisk parti", "innspill", "2026-03-02", None),
        ("s10", "Departementet", "departement", "mandat", "2025-06-24", None),
        ("s11", "Stiftelsen Lysglimt", "ideell aktør", "innspill", "2026-02-10", None),
        ("s12", "Klinikk Nord AS", "privat aktør", "høringssvar", "2026-02-11", None),
    ],
    columns=["submission_id", "org_name", "org_type", "doc_kind", "received_date", "campaign_id"],
)
SUBMISSIONS["received_date"] = pd.to_datetime(SUBMISSIONS["received_date"])
SUBMISSIONS["is_campaign"] = SUBMISSIONS["campaign_id"].notna()
SUBMISSIONS["is_reference"] = SUBMISSIONS["doc_kind"].eq("mandat")

LABELS = {
    "dognplasser": "Stans nedbyggingen av døgnplasser i TSB",
    "avkriminalisering": "Hjelp i stedet for straff for bruk og besittelse",
    "samtidig-rop": "Samtidig, integrert behandling av rus og psykisk lidelse",
    "ideelle": "Sikre ideelle og private aktører",
    "alkohol": "Alkohol må prioriteres",
}
# (submission, position, stance, reviewed)
CALLS = [
    ("s01", "dognplasser", "support", True),
    ("s02", "dognplasser", "support", False),
    ("s03", "dognplasser", "support", True),
    ("s07", "dognplasser", "support", False),
    ("s08", "dognplasser", "support", False),
    ("s09", "dognplasser", "oppose", True),
    ("s12", "dognplasser", "mixed", False),
    ("s04", "avkriminalisering", "oppose", False),
    ("s05", "avkriminalisering", "oppose", False),
    ("s06", "avkriminalisering", "oppose", False),
    ("s03", "avkriminalisering", "support", True),
    ("s09", "avkriminalisering", "support", False),
    ("s01", "avkriminalisering", "mentions", False),
    ("s01", "samtidig-rop", "support", True),
    ("s03", "samtidig-rop", "support", True),
    ("s07", "samtidig-rop", "support", True),
    ("s08", "ideelle", "support", False),
    ("s11", "ideelle", "support", True),
    ("s07", "ideelle", "oppose", False),
    ("s02", "ideelle", "mixed", True),
    ("s02", "alkohol", "support", False),
    ("s04", "alkohol", "support", False),
    ("s05", "alkohol", "support", False),
    ("s06", "alkohol", "support", False),
]


def positions_table() -> pd.DataFrame:
    subs = SUBMISSIONS.set_index("submission_id")
    rows = []
    for sid, pid, stance, reviewed in CALLS:
        s = subs.loc[sid]
        rows.append(
            {
                "submission_id": sid,
                "file": f"{sid}.txt",
                "org_name": s.org_name,
                "org_type": s.org_type,
                "position_id": pid,
                "label": LABELS[pid],
                "stance": stance,
                "confidence": 0.8,
                "source": "review" if reviewed else "machine",
                "reviewed": reviewed,
                "evidence": f"Vi i {s.org_name} mener noe om {pid}. | Det gjelder {LABELS[pid].lower()}.",
                "evidence_location": f"{sid}.txt p.1 ¶2 | {sid}.txt p.1 ¶3",
                "is_campaign": bool(s.is_campaign),
                "campaign_id": s.campaign_id,
            }
        )
    return pd.DataFrame(rows)


THEMES = pd.DataFrame(
    {
        "theme_id": ["t01", "t02", "t03"],
        "label": [
            "døgnplasser · nedbygging · kapasitet",
            "straff · avkriminalisering · politi",
            "alkohol · forebygging · barn",
        ],
        "top_terms": [
            "døgnplass (0.31); nedbygging (0.20); kapasitet (0.10)",
            "straff (0.30); politi (0.12)",
            "alkohol (0.40); forebygging (0.2); barn (0.1)",
        ],
    }
)


def submission_themes() -> pd.DataFrame:
    """Wide, as helpers.themes writes it: one share column per theme, rows sum to 1."""
    shares = {"t01": [0.5, 0.1, 0.2], "t02": [0.3, 0.6, 0.2], "t03": [0.2, 0.3, 0.6]}
    subs = SUBMISSIONS[~SUBMISSIONS["is_reference"]].reset_index(drop=True)
    out = subs[["submission_id", "org_name", "org_type"]].copy()
    for tid, cycle in shares.items():
        out[tid] = [cycle[i % 3] for i in range(len(out))]
    return out


DISTINCTIVE = pd.DataFrame(
    {
        "group": ["kommune"] * 4 + ["profesjonsforening"] * 3 + ["bruker- og interesseorganisasjon"] * 3,
        "term": [
            "samhandling",
            "kommunehelsetjeneste",
            "bolig",
            "øy",
            "psykolog",
            "rop",
            "kompetanse",
            "ungdom",
            "rusfri",
            "foreldre",
        ],
        "z": [2.4, 1.9, 1.3, 0.7, 2.1, 1.6, 1.1, 2.3, 1.8, 0.9],
    }
)


def build_all() -> dict[str, charts.Chart]:
    positions = positions_table()
    theme_table = charts.theme_by_org_type_table(submission_themes(), SUBMISSIONS, THEMES)
    return {
        "submissions_by_org_type": charts.plot_submissions_by_org_type(SUBMISSIONS),
        "submissions_over_time": charts.plot_submissions_over_time(SUBMISSIONS),
        "position_bars": charts.plot_position_bars(positions),
        "position_bars_half": charts.plot_position_bars(
            positions, by="org_type", width="half", positions=["ideelle", "avkriminalisering"]
        ),
        "org_position_matrix": charts.plot_org_position_matrix(positions),
        "position_cooccurrence": charts.plot_position_cooccurrence(positions),
        "theme_by_org_type": charts.plot_theme_by_org_type(theme_table),
        "distinctive_terms": charts.plot_distinctive_terms(DISTINCTIVE.rename(columns={"group": "org_type"})),
        "chapter_positions": charts.plot_chapter_positions(positions, ["dognplasser", "ideelle"], "Døgn"),
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, tuple[charts.Chart, dict[str, Path]]]:
    out = tmp_path_factory.mktemp("figures")
    result = {}
    for i, (kind, chart) in enumerate(build_all().items(), 1):
        written = charts.save_chart(
            chart, out / "testkapittel" / f"{i:02d}_{chart.name}", notebook="test", parameters={"kind": kind}
        )
        result[kind] = (chart, written)
    yield result
    for chart, _ in result.values():
        plt.close(chart.fig)


KINDS = [
    "submissions_by_org_type",
    "submissions_over_time",
    "position_bars",
    "position_bars_half",
    "org_position_matrix",
    "position_cooccurrence",
    "theme_by_org_type",
    "distinctive_terms",
    "chapter_positions",
]


# ------------------------------------------------------------------------------------------------ export
@pytest.mark.parametrize("kind", KINDS)
def test_export_writes_every_format_at_300_dpi_and_stated_width(exported, kind):
    chart, written = exported[kind]
    for ext in ("png", "svg", "pdf", "csv", "json", "txt"):
        assert written[ext].is_file() and written[ext].stat().st_size > 0, ext
    with Image.open(written["png"]) as img:
        dpi = img.info["dpi"]
        width_px = img.size[0]
    assert dpi[0] == pytest.approx(300, abs=0.5) and dpi[1] == pytest.approx(300, abs=0.5)
    assert abs(width_px - chart.width_cm / 2.54 * 300) <= 1.0
    assert chart.width_cm in (16.0, 7.7)
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    ET.parse(written["svg"])  # well-formed XML
    side = json.loads(written["json"].read_text(encoding="utf-8"))
    assert side["caption"] == chart.caption and side["alt_text"] == chart.alt_text
    assert side["source"].startswith("Kilde: innspill til Rusbehandlingsutvalget")
    text = written["txt"].read_text(encoding="utf-8")
    assert "Figurtekst:" in text and "Alternativ tekst:" in text


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_outside_the_canvas_and_no_text_below_7_pt(exported, kind):
    chart, _ = exported[kind]
    assert charts.outside_canvas(chart.fig) == []
    assert charts.too_small_text(chart.fig) == []


def test_clipping_check_catches_text_outside_the_canvas():
    fig, ax = charts.new_figure("full", 5)
    ax.text(1.5, 0.5, "langt utenfor", transform=ax.transAxes)
    assert any("langt utenfor" in msg for msg in charts.outside_canvas(fig))
    plt.close(fig)


ENGLISH = re.compile(
    r"\b(count|support|oppose|mixed|mentions|submissions?|share|source|figure|month|other|"
    r"unknown|percent)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("kind", KINDS)
def test_labels_are_norwegian_and_numbers_use_decimal_comma(exported, kind):
    chart, _ = exported[kind]
    texts = charts.figure_texts(chart.fig)
    joined = "\n".join(texts)
    assert not ENGLISH.search(joined), ENGLISH.search(joined)
    assert "Kilde: innspill til Rusbehandlingsutvalget" in joined
    numeric = [t for t in texts if re.fullmatch(r"[\d\s\u00a0.,\u2212-]+", t)]
    assert numeric or kind == "org_position_matrix", "expected numbers (ticks, counts or shares)"
    assert not any("." in t for t in numeric), numeric


def test_tick_labels_with_decimals_use_a_comma(exported):
    chart, _ = exported["distinctive_terms"]
    ticks = [t.get_text() for ax in chart.fig.axes for t in ax.get_xticklabels() if t.get_text()]
    assert any(re.fullmatch(r"\d+,5", t) for t in ticks), ticks


def test_norwegian_number_format():
    assert charts.format_number(1234567.891, 2) == "1\u00a0234\u00a0567,89"
    assert charts.format_number(-3.5, 1) == "\u22123,5"
    assert charts.format_percent(0.125, 1) == "12,5 prosent"
    assert charts.source_line(1234) == "Kilde: innspill til Rusbehandlingsutvalget, N = 1\u00a0234"


def test_english_default_ticks_are_replaced_in_figures_from_other_notebooks(tmp_path):
    """Notebook 20 draws with plain matplotlib and calls save_figure(fig, path, df, source=...)."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 0.5, 1.0, 1.5], [0.25, 0.75, 1.25, 0.5])
    data = pd.DataFrame({"x": [0, 0.5, 1.0, 1.5]})
    written = charts.save_figure(
        fig,
        tmp_path / "oversikt" / "01_test",
        data,
        source="Kilde: innspill til Rusbehandlingsutvalget, N = 4",
    )
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels() if t.get_text()]
    assert any("," in t for t in labels) and not any("." in t for t in labels), labels
    manifest = charts.read_manifest(tmp_path / "manifest.csv")
    assert manifest.loc[0, "file"] == "oversikt/01_test.png" and manifest.loc[0, "n"] == "4"
    assert written["png"].is_file()
    plt.close(fig)


# -------------------------------------------------------------------------------- CSV equals what is drawn
def _voice(row) -> str:
    return row.campaign_id if isinstance(row.campaign_id, str) else row.submission_id


def _gid_widths(chart: charts.Chart) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for ax in chart.fig.axes:
        for patch in ax.patches:
            if patch.get_gid():
                out[patch.get_gid()] += patch.get_width()
    return out


def test_position_bars_csv_equals_drawn_bars_and_campaign_counts_once(exported):
    chart, written = exported["position_bars"]
    csv = io.read_csv(written["csv"], keep_default_na=False)
    drawn = _gid_widths(chart)
    assert len(drawn) == len(csv)
    for row in csv.itertuples():
        assert drawn[f"{row.position_id}|{row.stance}|{row.org_type}|{row.source}"] == pytest.approx(
            row.n_voices
        )
    # Independent count from the hand-made calls: voices are organisations, a campaign counts once.
    positions = positions_table()
    for pid in LABELS:
        for stance in ("support", "oppose", "mixed"):
            rows = positions[(positions.position_id == pid) & (positions.stance == stance)]
            voices = {_voice(r) for r in rows.itertuples()}
            assert csv.loc[(csv.position_id == pid) & (csv.stance == stance), "n_voices"].sum() == len(voices)
            assert csv.loc[(csv.position_id == pid) & (csv.stance == stance), "n_letters"].sum() == len(rows)
    # The campaign shows as a campaign on the drawn bar end.
    assert "1 (3 brev, 1 kampanje)" in [t.get_text().strip() for t in chart.fig.axes[0].texts]


def test_reviewed_and_machine_segments_look_different(exported):
    chart, _ = exported["position_bars"]
    reviewed = [p for p in chart.fig.axes[0].patches if (p.get_gid() or "").endswith("|review")]
    machine = [p for p in chart.fig.axes[0].patches if (p.get_gid() or "").endswith("|machine")]
    assert reviewed and machine
    assert all(not p.get_hatch() for p in reviewed) and all(p.get_hatch() for p in machine)
    support_rev = next(p for p in reviewed if "|support|" in p.get_gid())
    assert to_rgb(support_rev.get_facecolor()) == pytest.approx(to_rgb(charts.stance_colour("support")))
    labels = [t.get_text() for t in chart.fig.legends[0].get_texts()]
    style = charts.load_style()
    assert style["review"]["labels"]["machine"] in labels and style["review"]["labels"]["reviewed"] in labels


def test_half_width_bars_move_campaign_note_to_caption_when_it_cannot_fit(exported):
    chart, written = exported["position_bars_half"]
    csv = io.read_csv(written["csv"], keep_default_na=False)
    assert set(csv["org_type"]) >= {"ideell aktør", "bruker- og interesseorganisasjon"}
    drawn = _gid_widths(chart)
    for row in csv.itertuples():
        assert drawn[f"{row.position_id}|{row.stance}|{row.org_type}|{row.source}"] == pytest.approx(
            row.n_voices
        )
    assert "kampanje" in chart.caption or any("kampanje" in t.get_text() for t in chart.fig.axes[0].texts)


def test_org_type_bars_equal_csv_and_mandate_is_not_counted(exported):
    chart, written = exported["submissions_by_org_type"]
    csv = io.read_csv(written["csv"])
    drawn = _gid_widths(chart)
    for row in csv.itertuples():
        assert drawn[f"{row.org_type}|voices"] == row.n_voices
        assert drawn.get(f"{row.org_type}|campaign_extra", 0) == row.n_campaign_extra
    assert "departement" not in set(csv["org_type"])
    real = SUBMISSIONS[~SUBMISSIONS["is_reference"]]
    assert csv["n_letters"].sum() == len(real) and chart.n == len(real)
    camp = csv.set_index("org_type").loc["bruker- og interesseorganisasjon"]
    assert (camp.n_letters, camp.n_voices, camp.n_campaigns) == (3, 1, 1)


def test_over_time_bars_equal_csv_and_undated_letters_are_named(exported):
    chart, written = exported["submissions_over_time"]
    csv = io.read_csv(written["csv"])
    heights: dict[str, float] = defaultdict(float)
    for p in chart.fig.axes[0].patches:
        if p.get_gid():
            heights[p.get_gid()] += p.get_height()
    nonzero = csv[csv["n_letters"] > 0]
    for row in nonzero.itertuples():
        assert heights[f"{row.month}|{row.org_type}|{row.is_campaign}"] == row.n_letters
    assert "1 innspill uten dato er ikke med." in charts.figure_texts(chart.fig)
    assert csv["n_letters"].sum() + 1 == len(SUBMISSIONS[~SUBMISSIONS["is_reference"]])
    assert set(csv["month_label"]) >= {"nov. 2025", "mars 2026"}


def test_matrix_cells_equal_csv_and_campaign_is_one_row(exported):
    chart, written = exported["org_position_matrix"]
    csv = io.read_csv(written["csv"])
    cells = {p.get_gid(): p for p in chart.fig.axes[0].patches if (p.get_gid() or "").count("|") == 2}
    assert len(cells) == len(csv)
    for row in csv.itertuples():
        patch = cells[f"{row.org_name}|{row.position_id}|{row.stance}"]
        colour = np.array(to_rgb(charts.stance_colour(row.stance)))
        face = np.array(patch.get_facecolor()[:3])
        if row.reviewed:
            assert face == pytest.approx(colour)
        else:
            assert patch.get_hatch() and np.all(face >= colour - 1e-9)
    campaign_rows = [n for n in csv["org_name"].unique() if "kampanje" in n]
    assert campaign_rows == ["Rusfri ungdom Nord m.fl. (kampanje, 3 brev)"]


def test_cooccurrence_numbers_equal_csv_and_an_independent_count(exported):
    chart, written = exported["position_cooccurrence"]
    csv = io.read_csv(written["csv"])
    drawn = {t.get_gid(): t.get_text() for t in chart.fig.axes[0].texts if t.get_gid()}
    positions = positions_table()
    support = positions[positions.stance == "support"]
    voices = {pid: {_voice(r) for r in support[support.position_id == pid].itertuples()} for pid in LABELS}
    for row in csv.itertuples():
        assert drawn[f"n|{row.position_a}|{row.position_b}"] == charts.format_number(row.n)
        assert row.n == len(voices[row.position_a] & voices[row.position_b])


def test_theme_heatmap_numbers_equal_csv(exported):
    chart, written = exported["theme_by_org_type"]
    csv = io.read_csv(written["csv"])
    drawn = {t.get_gid(): t.get_text() for t in chart.fig.axes[0].texts if t.get_gid()}
    assert len(drawn) == len(csv)
    for row in csv.itertuples():
        assert drawn[f"pct|{row.theme_id}|{row.org_type}"] == charts.format_number(row.percent, 0)
    # The campaign's three identical letters weigh as one voice.
    camp = csv[csv.org_type == "bruker- og interesseorganisasjon"]
    assert set(camp["n_submissions"]) == {1}


def test_distinctive_term_bars_equal_csv(exported):
    chart, written = exported["distinctive_terms"]
    csv = io.read_csv(written["csv"])
    drawn = _gid_widths(chart)
    for row in csv.itertuples():
        assert drawn[f"{row.org_type}|{row.term}"] == pytest.approx(row.z)
    assert len(chart.fig.axes) == csv["org_type"].nunique()


# ---------------------------------------------------------------------------------------------- manifest
def test_manifest_upserts_by_file_and_hash_follows_the_inputs(tmp_path):
    inp = tmp_path / "positions.csv"
    io.write_csv(positions_table(), inp)
    target = tmp_path / "figs" / "kap" / "01_standpunkter"

    def export() -> pd.DataFrame:
        chart = charts.plot_position_bars(positions_table())
        charts.save_chart(
            chart, target, notebook="50_chapter_figures", parameters={"chapter": "kap"}, inputs=[inp]
        )
        plt.close(chart.fig)
        return charts.read_manifest(tmp_path / "figs" / "manifest.csv")

    first = export()
    second = export()
    assert len(first) == len(second) == 1
    row = second.iloc[0]
    assert row["file"] == "kap/01_standpunkter.png" and row["chapter"] == "kap"
    assert row["data_file"] == "kap/01_standpunkter.csv" and row["notebook"] == "50_chapter_figures"
    assert json.loads(row["parameters"]) == {"chapter": "kap"} and row["time"]
    assert first.iloc[0]["inputs_hash"] == row["inputs_hash"]
    changed = positions_table().assign(stance="oppose")
    io.write_csv(changed, inp)
    assert export().iloc[0]["inputs_hash"] != row["inputs_hash"]
    other = charts.plot_submissions_by_org_type(SUBMISSIONS)
    charts.save_chart(other, tmp_path / "figs" / "kap" / "02_innspill")
    plt.close(other.fig)
    assert charts.read_manifest(tmp_path / "figs" / "manifest.csv")["file"].tolist() == [
        "kap/01_standpunkter.png",
        "kap/02_innspill.png",
    ]


# ------------------------------------------------------------------------------------------------- style
def test_style_palette_is_fixed_and_distinct():
    style = charts.load_style()
    stance = style["stance"]["colours"]
    assert len(set(stance.values())) == 4
    assert charts.org_type_colour("kommune") == style["org_types"]["kommune"]["colour"]
    assert charts.org_type_colour("kommune") not in stance.values()
    assert style["size"]["full_width_cm"] == 16.0 and style["size"]["half_width_cm"] == 7.7
    assert style["font"]["small"] >= 7


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda s: s["stance"]["colours"].update(support="blå"), "stance.colours.support"),
        (lambda s: s["font"].update(source=5), "font.source"),
        (lambda s: s["org_types"]["kommune"].update(colour="#0072B2"), "also stance colours"),
        (lambda s: s.pop("labels"), "missing section 'labels'"),
    ],
)
def test_bad_style_names_file_and_key(tmp_path, edit, message):
    style = yaml.safe_load(charts.STYLE_FILE.read_text(encoding="utf-8"))
    edit(style)
    path = tmp_path / "style.yaml"
    path.write_text(yaml.safe_dump(style, allow_unicode=True), encoding="utf-8")
    with pytest.raises(charts.StyleError, match=re.escape(message)) as err:
        charts.load_style(path)
    assert str(path) in str(err.value)


def test_empty_input_says_what_is_missing():
    with pytest.raises(charts.EmptyChartError, match="no support/oppose/mixed calls"):
        charts.plot_position_bars(positions_table().assign(stance="mentions"))

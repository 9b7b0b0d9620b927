"""Chapter packs: chapters.yaml validation, figures per chapter, the Word file with every figure and the quote
tables, the manifest and the gallery - on hand-made tables, on the example corpus and on the real corpus."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pandas as pd
import pytest
from PIL import Image

from helpers import chapters, charts, config, ingest, io
from tests.test_charts import DISTINCTIVE, SUBMISSIONS, THEMES, positions_table, submission_themes

MANDATE_THEMES = {
    "kunnskap-kompetanse",
    "ansvar-samhandling",
    "private-ideelle",
    "dognbehandling",
    "lar",
    "tvang",
    "barn-unge",
    "alkohol-legemidler",
    "brukere-parorende",
}


# ------------------------------------------------------------------------------------------ chapters.yaml
def test_repository_chapters_cover_the_mandate_and_every_gold_position():
    loaded = chapters.load_chapters()
    ids = [c.id for c in loaded]
    assert MANDATE_THEMES | {"oversikt", "straff-hjelp"} <= set(ids)
    assert ids[0] == "oversikt" and loaded[0].positions == "all"
    overview_types = {f.type for f in loaded[0].figures}
    assert {
        "submissions_by_org_type",
        "submissions_over_time",
        "theme_by_org_type",
        "distinctive_terms",
        "position_bars",
        "org_position_matrix",
        "position_cooccurrence",
    } <= overview_types
    gold = config.SHARED_GOLD_DIR / "positions.md"
    if not gold.is_file():
        pytest.skip(f"gold positions not found at {gold}")
    gold_ids = set(re.findall(r"^\| ([a-z][a-z-]+) \|", gold.read_text(encoding="utf-8"), flags=re.M)) - {
        "id"
    }
    assert len(gold_ids) >= 10
    assert chapters.uncovered_positions(loaded, gold_ids) == []
    listed = [p for c in loaded if c.positions != "all" for p in c.positions]
    assert set(listed) <= gold_ids and len(listed) == len(set(listed))


def test_chapters_agree_with_the_positions_codebook():
    loaded = chapters.load_chapters()
    known = chapters.known_position_ids()
    if known is None:
        pytest.skip("config/positions.yaml not there yet")
    assert chapters.uncovered_positions(loaded, known) == []
    assert chapters.codebook_chapter_mismatches(loaded) == []


def test_a_figure_dropped_from_chapters_yaml_disappears_with_its_manifest_row(processed, tmp_path):
    figures = tmp_path / "figures"
    two = GOOD.replace("positions: [lar]", "positions: [dognplasser]").replace(
        "[chapter_positions]", "[chapter_positions, org_position_matrix]"
    )
    chapters.write_chapters("lar", processed, figures, chapters_file=_write(tmp_path, two))
    assert (figures / "lar" / "02_organisasjoner_og_standpunkter.png").is_file()
    # Another notebook's figure in the same folder is not this notebook's to delete.
    other = charts.plot_submissions_by_org_type(SUBMISSIONS)
    charts.save_chart(other, figures / "lar" / "01_fra_annen_notatbok", notebook="30_cluster_themes")
    one = two.replace("[chapter_positions, org_position_matrix]", "[chapter_positions]")
    chapters.write_chapters("lar", processed, figures, chapters_file=_write(tmp_path, one))
    assert sorted(p.name for p in (figures / "lar").glob("02_*")) == []
    assert charts.read_manifest(figures / "manifest.csv")["file"].tolist() == [
        "lar/01_fra_annen_notatbok.png",
        "lar/01_standpunkter_etter_organisasjonstype.png",
    ]
    assert (figures / "lar" / "01_fra_annen_notatbok.png").is_file()
    assert len(docx.Document(str(figures / "lar" / "lar.docx")).inline_shapes) == 1


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "chapters.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """version: 1
chapters:
  - id: lar
    title: LAR
    positions: [lar]
    figures: [chapter_positions]
"""


@pytest.mark.parametrize(
    "bad, message",
    [
        (GOOD.replace("[chapter_positions]", "[kakediagram]"), "unknown figure type 'kakediagram'"),
        (GOOD.replace("id: lar", "id: LAR kapittel"), "id must be lower-case"),
        (
            GOOD + "  - id: lar\n    title: igjen\n    figures: [position_bars]\n",
            "duplicate chapter id 'lar'",
        ),
        (GOOD.replace("    title: LAR\n", "    title: LAR\n    farge: rød\n"), "unknown key(s) ['farge']"),
        (GOOD.replace("[lar]", "[lar, ukjent-standpunkt]"), "unknown position id(s) ['ukjent-standpunkt']"),
        (GOOD.replace("    figures: [chapter_positions]\n", ""), "figures must be a non-empty list"),
        (
            GOOD.replace("[chapter_positions]", "[{type: position_bars, by: farge}]"),
            "by must be stance or org_type",
        ),
    ],
)
def test_bad_chapters_file_names_file_line_and_reason(tmp_path, bad, message):
    path = _write(tmp_path, bad)
    with pytest.raises(chapters.ChapterConfigError) as err:
        chapters.parse_chapters(config.load_yaml(path), path, bad, known_positions={"lar", "alkohol"})
    text = str(err.value)
    assert message in text
    assert f"{path}:" in text
    line = int(re.search(rf"{re.escape(str(path))}:(\d+)", text).group(1))
    assert bad.splitlines()[line - 1].lstrip().startswith("- id:")


def test_select_chapters_rejects_unknown_id():
    loaded = chapters.load_chapters()
    assert [c.id for c in chapters.select_chapters(loaded, "lar,tvang")] == ["lar", "tvang"]
    with pytest.raises(chapters.ChapterConfigError, match="known: oversikt"):
        chapters.select_chapters(loaded, "finnes-ikke")


def test_themes_are_found_by_seed_words_and_ids():
    by_words = (("terms", ("døgnplass", "alkohol")),)
    assert chapters.match_themes(THEMES, by_words) == ["t01", "t03"]
    assert chapters.match_themes(THEMES, ("t02", ("terms", ("politi",)))) == ["t02"]
    assert chapters.match_themes(THEMES, (("terms", ("tvang",)),)) == []
    assert chapters.match_themes(THEMES, "all") == ["t01", "t02", "t03"]


# ---------------------------------------------------------------------------------------------- packs
@pytest.fixture()
def processed(tmp_path) -> Path:
    folder = tmp_path / "processed"
    io.write_parquet(
        SUBMISSIONS.assign(is_public=SUBMISSIONS["org_name"] != "Omsorg Vest"), folder / "submissions.parquet"
    )
    io.write_csv(positions_table(), folder / "positions.csv")
    io.write_csv(THEMES, folder / "themes.csv")
    io.write_csv(submission_themes(), folder / "submission_themes.csv")
    io.write_csv(DISTINCTIVE, folder / "distinctive_terms.csv")
    return folder


def _png_width_ok(path: Path, width_cm: float) -> bool:
    with Image.open(path) as img:
        return abs(img.info["dpi"][0] - 300) < 0.5 and abs(img.size[0] - width_cm / 2.54 * 300) <= 1


@pytest.mark.filterwarnings("error::UserWarning")  # a clipped text or a collapsed layout fails the test
def test_chapter_packs_hold_every_figure_caption_and_quote(processed, tmp_path):
    figures = tmp_path / "figures"
    stale = figures / "tvang" / "01_gammel_figur.png"
    io.write_bytes(stale, b"old")
    chosen = "oversikt,dognbehandling,straff-hjelp,tvang"
    packs = {p.chapter.id: p for p in chapters.write_chapters(chosen, processed, figures)}

    overview = packs["oversikt"]
    assert [f["nn"] for f in overview.figures] == list(range(1, 8)) and not overview.skipped
    for pack in packs.values():
        for fig in pack.figures:
            stem = Path(fig["png"]).with_suffix("")
            for ext in ("png", "svg", "pdf", "csv", "json", "txt"):
                assert stem.with_suffix(f".{ext}").is_file(), (stem, ext)
            assert re.fullmatch(r"\d\d_[a-z_]+", stem.name)
            assert _png_width_ok(fig["png"], fig["width_cm"])
        document = docx.Document(str(pack.docx))
        assert len(document.inline_shapes) == len(pack.figures)
        images = [r for r in document.part.rels.values() if "image" in r.reltype]
        assert len(images) == len(pack.figures)
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
        assert captions == [f["title"] for f in pack.figures]
        alt = [s._inline.docPr.get("descr") for s in document.inline_shapes]
        assert alt == [f["alt_text"] for f in pack.figures]

    # The chapter on inpatient care quotes every organisation that takes a side, campaign once.
    document = docx.Document(str(packs["dognbehandling"].docx))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    positions = positions_table()
    takers = positions[
        (positions.position_id == "dognplasser") & positions.stance.isin(["support", "oppose", "mixed"])
    ]
    for org in takers["org_name"]:
        assert org in cells
    assert (
        f"«Vi i Fjordpartiet mener noe om dognplasser.»\n«Det gjelder {takers.iloc[0]['label'].lower()}.»"
        in cells
    )
    assert "(ikke offentlig)" in cells  # Omsorg Vest is not public: counted, never quoted
    assert not any("Vi i Omsorg Vest" in c for c in cells)
    doc_straff = docx.Document(str(packs["straff-hjelp"].docx))
    straff_cells = [c.text for t in doc_straff.tables for r in t.rows for c in r.cells]
    assert "Rusfri ungdom Nord m.fl. (kampanje, 3 brev)" in straff_cells
    assert not any(c.startswith("Rusfri ungdom Vest") for c in straff_cells)

    # Tvang has no positions and no matching theme: skipped with the reason, old files gone.
    assert packs["tvang"].figures == [] and "no theme" in packs["tvang"].skipped[0]["reason"]
    assert not stale.exists()

    manifest = charts.read_manifest(figures / "manifest.csv")
    written = sorted(str(Path(f["png"]).relative_to(figures)) for p in packs.values() for f in p.figures)
    assert sorted(manifest["file"]) == written
    assert set(manifest["notebook"]) == {"50_chapter_figures"}
    assert manifest["n"].eq(str(len(charts.drop_reference(SUBMISSIONS)))).all()
    gallery = (figures / "index.html").read_text(encoding="utf-8")
    for f in written:
        assert f'src="{f}"' in gallery
    assert "dognbehandling/dognbehandling.docx" in gallery


def test_missing_positions_and_themes_skip_with_reason(processed, tmp_path):
    for name in ("positions.csv", "themes.csv", "submission_themes.csv", "distinctive_terms.csv"):
        (processed / name).unlink()
    packs = chapters.write_chapters("oversikt,lar", processed, tmp_path / "figures")
    table = chapters.summary(packs)
    assert set(table.loc[table.status == "skrevet", "title"].str.extract(r"Figur \d+ (.*)")[0]) == {
        "Innspill etter organisasjonstype",
        "Innspill over tid",
    }
    skipped = table[table.status != "skrevet"]
    assert skipped["reason"].str.contains("not found").all()
    assert skipped["reason"].str.contains("positions.csv").any()
    document = docx.Document(str(packs[1].docx))
    assert any("positions.csv" in p.text for p in document.paragraphs)


# -------------------------------------------------------------------------------------- real corpora
def test_real_corpus_overview_never_counts_the_mandate(shared_corpus, tmp_path):
    result = ingest.ingest_folder(shared_corpus)
    processed = tmp_path / "processed"
    ingest.write_outputs(result, processed)
    packs = chapters.write_chapters("oversikt", processed, tmp_path / "figures")
    figs = {Path(f["png"]).stem: f for f in packs[0].figures}
    assert set(figs) >= {"01_innspill_per_organisasjonstype", "02_innspill_over_tid"}
    data = io.read_csv(tmp_path / "figures" / "oversikt" / "01_innspill_per_organisasjonstype.csv")
    assert data["n_letters"].sum() == 4 and "departement" not in set(data["org_type"])
    assert figs["01_innspill_per_organisasjonstype"]["source"].endswith("N = 4")


@pytest.mark.slow
def test_example_corpus_pipeline_renders_every_chapter_figure(example_pipeline):
    """The whole pipeline on the example corpus; then every figure it wrote is checked as a reader would."""
    proc, tmp_path = example_pipeline
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = tmp_path / "figures"
    manifest = charts.read_manifest(figures / "manifest.csv")
    manifest = manifest[manifest["notebook"] == "50_chapter_figures"]  # other notebooks add their own figures
    assert len(manifest) >= 2
    for row in manifest.itertuples():
        png = figures / row.file
        assert png.is_file() and _png_width_ok(png, float(row.width_cm))
        for ext in ("svg", "pdf", "csv"):
            assert png.with_suffix(f".{ext}").is_file()
        assert row.caption and row.alt_text and row.inputs_hash
    processed = tmp_path / "data" / "processed"
    subs = pd.read_parquet(processed / "submissions.parquet")
    n = len(charts.drop_reference(subs))
    assert (manifest["n"] == str(n)).all()
    if (processed / "positions.csv").is_file():
        assert (figures / "oversikt" / "05_standpunkter.png").is_file()
    if (processed / "submission_themes.csv").is_file():
        assert (figures / "oversikt" / "03_temaer_etter_organisasjonstype.png").is_file()
    for chapter in chapters.load_chapters():
        pack_docx = figures / chapter.id / f"{chapter.id}.docx"
        document = docx.Document(str(pack_docx))
        in_manifest = manifest[manifest["file"].str.startswith(f"{chapter.id}/")]
        assert len(document.inline_shapes) == len(in_manifest), chapter.id
    assert (figures / "index.html").is_file()

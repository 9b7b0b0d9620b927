"""Chapter packs: the figures, captions and quote tables each report chapter gets.

``config/chapters.yaml`` says which positions, themes and figure types a chapter shows (analysts edit it, not
code). :func:`write_chapter` draws them from the processed tables with :mod:`helpers.charts`, writes
``figures/<chapter>/<nn>_<what>.*`` (through ``charts.save_chart``: every format, the plotted numbers,
caption, alt text and a manifest row) and a Word file ``figures/<chapter>/<chapter>.docx`` with the
figures, captions and the quote tables for the chapter's positions. :func:`write_gallery` makes
``figures/index.html`` with every figure at a glance.

A figure whose input table is missing (positions or themes not run yet) or holds nothing for the chapter is
skipped with the reason; its old files are removed so a draft never picks up numbers from an earlier run.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from helpers import charts, config, io

CHAPTERS_FILE = config.CONFIG_DIR / "chapters.yaml"
POSITIONS_CODEBOOK = config.CONFIG_DIR / "positions.yaml"
FIGURE_TYPES = (
    "submissions_by_org_type",
    "submissions_over_time",
    "theme_by_org_type",
    "distinctive_terms",
    "position_bars",
    "org_position_matrix",
    "position_cooccurrence",
    "chapter_positions",
)
CHAPTER_KEYS = {"id", "number", "title", "mandate", "positions", "themes", "quotes", "figures"}
FIGURE_KEYS = {"type", "width", "top_n", "by", "name"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
STANCE_ORDER = {"support": 0, "mixed": 1, "oppose": 2}
PRIVATE_MARK = "(ikke offentlig)"
QUOTE_HEADER = ["Avsender", "Type", "Standpunkt", "Sitat", "Kilde"]


class ChapterConfigError(ValueError):
    """``chapters.yaml`` is wrong; the message names the file, line and reason."""


@dataclass(frozen=True)
class FigureSpec:
    type: str
    width: str | float = "full"
    options: tuple[tuple[str, Any], ...] = ()

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    number: int | str | None = None
    mandate: str = ""
    positions: tuple[str, ...] | str = ()
    themes: tuple[Any, ...] | str = ()
    quotes: bool = True
    figures: tuple[FigureSpec, ...] = ()


# ============================================================================================ config
def _lines_of_chapters(text: str) -> list[int]:
    """1-based line of each chapter entry, so a validation error can point at it."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    for key, value in getattr(root, "value", []) or []:
        if getattr(key, "value", None) == "chapters" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _codebook_entries(path: Path) -> list[tuple[str, dict]]:
    """(position id, entry) pairs of the positions codebook; empty when the file does not exist."""
    if not Path(path).is_file():
        return []
    data = config.load_yaml(path) or {}
    body = data.get("positions", data) if isinstance(data, dict) else data
    items = (
        body.items()
        if isinstance(body, dict)
        else ((d.get("id"), d) for d in body or [] if isinstance(d, dict))
    )
    return [(str(k), v) for k, v in items if k is not None and isinstance(v, dict)]


def known_position_ids(path: Path = POSITIONS_CODEBOOK) -> set[str] | None:
    """Position ids in the positions codebook, or None while it does not exist (then ids are not checked)."""
    return {k for k, _ in _codebook_entries(path)} or None


def position_labels(path: Path = POSITIONS_CODEBOOK) -> dict[str, str]:
    """Readable labels from the codebook (used when positions.csv has none)."""
    return {k: str(v["label"]) for k, v in _codebook_entries(path) if v.get("label")}


def _figure_spec(entry: Any, where: str) -> FigureSpec:
    if isinstance(entry, str):
        entry = {"type": entry}
    if not isinstance(entry, dict) or "type" not in entry:
        raise ChapterConfigError(f"{where}: a figure is a type name or a mapping with 'type', got {entry!r}")
    unknown = set(entry) - FIGURE_KEYS
    if unknown:
        raise ChapterConfigError(
            f"{where}: unknown figure key(s) {sorted(unknown)}; allowed: {sorted(FIGURE_KEYS)}"
        )
    if entry["type"] not in FIGURE_TYPES:
        raise ChapterConfigError(
            f"{where}: unknown figure type {entry['type']!r}; known: {', '.join(FIGURE_TYPES)}"
        )
    width = entry.get("width", "full")
    if width not in ("full", "half") and not isinstance(width, int | float):
        raise ChapterConfigError(f"{where}: width must be full, half or a number of cm, got {width!r}")
    if entry.get("by", "stance") not in ("stance", "org_type"):
        raise ChapterConfigError(f"{where}: by must be stance or org_type, got {entry['by']!r}")
    options = tuple(sorted((k, v) for k, v in entry.items() if k not in {"type", "width"}))
    return FigureSpec(entry["type"], width, options)


def _theme_selectors(value: Any, where: str) -> tuple[Any, ...] | str:
    if value in (None, "all"):
        return "all" if value == "all" else ()
    if not isinstance(value, list):
        raise ChapterConfigError(f"{where}: themes must be 'all' or a list of theme ids / {{terms: [...]}}")
    out: list[Any] = []
    for item in value:
        if isinstance(item, str):
            out.append(item)
        elif (
            isinstance(item, dict)
            and set(item) == {"terms"}
            and isinstance(item["terms"], list)
            and item["terms"]
        ):
            out.append(("terms", tuple(str(t) for t in item["terms"])))
        else:
            raise ChapterConfigError(
                f"{where}: theme selector must be an id like t03 or {{terms: [ord, ...]}}, got {item!r}"
            )
    return tuple(out)


def parse_chapters(
    data: Any, path: Path = CHAPTERS_FILE, text: str = "", known_positions: set[str] | None = None
) -> list[Chapter]:
    """Validate the parsed YAML and turn it into :class:`Chapter` objects (errors name file, line, reason)."""
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list) or not data["chapters"]:
        raise ChapterConfigError(f"{path}: expected a top-level 'chapters:' list with at least one chapter")
    lines = _lines_of_chapters(text)
    chapters, seen = [], set()
    for i, raw in enumerate(data["chapters"]):
        where = f"{path}:{lines[i]}" if i < len(lines) else f"{path}: chapter {i + 1}"
        if not isinstance(raw, dict):
            raise ChapterConfigError(f"{where}: a chapter must be a mapping, got {raw!r}")
        unknown = set(raw) - CHAPTER_KEYS
        if unknown:
            raise ChapterConfigError(
                f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(CHAPTER_KEYS)}"
            )
        cid = raw.get("id")
        if not isinstance(cid, str) or not _ID_RE.match(cid):
            raise ChapterConfigError(f"{where}: id must be lower-case letters, digits and '-', got {cid!r}")
        if cid in seen:
            raise ChapterConfigError(f"{where}: duplicate chapter id {cid!r}")
        seen.add(cid)
        where = f"{where} (chapter {cid})"
        if not isinstance(raw.get("title"), str) or not raw["title"].strip():
            raise ChapterConfigError(f"{where}: title is missing")
        positions = raw.get("positions", [])
        if positions == "all":
            pos: tuple[str, ...] | str = "all"
        elif isinstance(positions, list) and all(isinstance(p, str) for p in positions):
            if len(set(positions)) != len(positions):
                raise ChapterConfigError(f"{where}: a position is listed twice in {positions}")
            if known_positions is not None:
                bad = [p for p in positions if p not in known_positions]
                if bad:
                    raise ChapterConfigError(
                        f"{where}: unknown position id(s) {bad}; the codebook has {sorted(known_positions)}"
                    )
            pos = tuple(positions)
        else:
            raise ChapterConfigError(
                f"{where}: positions must be 'all' or a list of position ids, got {positions!r}"
            )
        figures = raw.get("figures", [])
        if not isinstance(figures, list) or not figures:
            raise ChapterConfigError(f"{where}: figures must be a non-empty list of figure types")
        specs = tuple(_figure_spec(f, where) for f in figures)
        if not isinstance(raw.get("quotes", True), bool):
            raise ChapterConfigError(f"{where}: quotes must be true or false")
        chapters.append(
            Chapter(
                id=cid,
                title=raw["title"].strip(),
                number=raw.get("number"),
                mandate=str(raw.get("mandate") or ""),
                positions=pos,
                themes=_theme_selectors(raw.get("themes"), where),
                quotes=raw.get("quotes", True),
                figures=specs,
            )
        )
    return chapters


def load_chapters(path: str | Path = CHAPTERS_FILE, check_positions: bool = True) -> list[Chapter]:
    """Read and validate ``chapters.yaml``. Position ids are checked against the codebook when it exists."""
    path = Path(path)
    if not path.is_file():
        raise ChapterConfigError(f"{path}: chapters file not found")
    text = path.read_text(encoding="utf-8")
    data = config.load_yaml(path)
    known = known_position_ids() if check_positions else None
    return parse_chapters(data, path, text, known)


def select_chapters(chapters: Sequence[Chapter], chapter: str) -> list[Chapter]:
    """``"all"`` or one id (or a comma list); an unknown id is an error naming the known ones."""
    if chapter in ("all", "", None):
        return list(chapters)
    wanted = [c.strip() for c in str(chapter).split(",") if c.strip()]
    ids = [c.id for c in chapters]
    bad = [w for w in wanted if w not in ids]
    if bad:
        raise ChapterConfigError(f"chapter {bad} not in {CHAPTERS_FILE.name}; known: {', '.join(ids)}")
    return [c for c in chapters if c.id in wanted]


def codebook_chapter_mismatches(chapters: Sequence[Chapter], path: Path = POSITIONS_CODEBOOK) -> list[str]:
    """Positions whose ``chapter`` in the positions codebook differs from where chapters.yaml puts them."""
    wanted = {k: v["chapter"] for k, v in _codebook_entries(path) if v.get("chapter")}
    placed = {p: c.id for c in chapters if c.positions != "all" for p in c.positions}
    return [
        f"{pid}: codebook says {wanted[pid]}, {CHAPTERS_FILE.name} has it in {placed.get(pid, 'no chapter')}"
        for pid in sorted(wanted)
        if placed.get(pid) != wanted[pid]
    ]


def uncovered_positions(chapters: Sequence[Chapter], known: set[str] | None) -> list[str]:
    """Codebook positions that no thematic chapter lists (they would only appear in the overview)."""
    if not known:
        return []
    listed = {p for c in chapters if c.positions != "all" for p in c.positions}
    return sorted(known - listed)


# ============================================================================================ tables
@dataclass
class Tables:
    """The processed tables a chapter pack draws from; a missing one is None and named in ``missing``."""

    submissions: pd.DataFrame | None = None
    positions: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    submission_themes: pd.DataFrame | None = None
    distinctive_terms: pd.DataFrame | None = None
    paths: dict[str, Path] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def n_submissions(self) -> int | None:
        if self.submissions is None:
            return None
        return len(charts.drop_reference(self.submissions))


TABLE_FILES = {
    "submissions": "submissions.parquet",
    "positions": "positions.csv",
    "themes": "themes.csv",
    "submission_themes": "submission_themes.csv",
    "distinctive_terms": "distinctive_terms.csv",
}
PRODUCED_BY = {
    "submissions": "10_ingest_submissions",
    "positions": "40_chart_positions",
    "themes": "30_cluster_themes",
    "submission_themes": "30_cluster_themes",
    "distinctive_terms": "30_cluster_themes",
}


def load_tables(processed_dir: str | Path) -> Tables:
    """Read whatever processed tables exist; each missing one is recorded with the step that makes it."""
    processed_dir = Path(processed_dir)
    tables = Tables()
    for name, filename in TABLE_FILES.items():
        path = processed_dir / filename
        if not path.is_file():
            tables.missing[name] = f"{path} not found (made by notebook {PRODUCED_BY[name]})"
            continue
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else io.read_csv(path)
        if name == "positions" and "position_id" in frame:
            frame = _mark_reference(frame, tables.submissions)
        setattr(tables, name, frame)
        tables.paths[name] = path
    return tables


def _mark_reference(positions: pd.DataFrame, submissions: pd.DataFrame | None) -> pd.DataFrame:
    """Never chart a reference document's 'positions' (the mandate takes none), whatever the input says."""
    if submissions is None or "submission_id" not in positions:
        return positions
    refs = set(submissions["submission_id"]) - set(charts.drop_reference(submissions)["submission_id"])
    return positions[~positions["submission_id"].isin(refs)].reset_index(drop=True)


def chapter_position_ids(chapter: Chapter, positions: pd.DataFrame | None) -> list[str]:
    if chapter.positions == "all":
        return [] if positions is None else list(dict.fromkeys(positions["position_id"]))
    return list(chapter.positions)


def match_themes(themes: pd.DataFrame, selectors: tuple[Any, ...] | str) -> list[str]:
    """Theme ids a chapter asks for: ids as given, and every theme whose label or top terms hold a seed word.

    Words match at the start of a term (``døgnplass`` matches ``døgnplassene``), case-insensitively, so a
    chapter finds its themes again after re-clustering changes their ids.
    """
    if themes is None or themes.empty:
        return []
    ids = themes["theme_id"].astype(str).tolist()
    if selectors == "all":
        return ids
    text_cols = [c for c in ("label", "label_auto", "top_terms", "terms") if c in themes.columns]
    haystack = (
        themes[text_cols].fillna("").astype(str).agg(" ".join, axis=1).str.lower() if text_cols else None
    )
    found: list[str] = []
    for sel in selectors:
        if isinstance(sel, str):
            if sel in ids:
                found.append(sel)
            continue
        words = [w.lower() for w in sel[1]]
        for tid, text in zip(ids, haystack if haystack is not None else [""] * len(ids), strict=True):
            tokens = re.findall(r"\w+", text)
            if any(tok.startswith(w) for w in words for tok in tokens):
                found.append(tid)
    return list(dict.fromkeys(found))


# ============================================================================================ figures
@dataclass
class PlannedFigure:
    nn: int
    spec: FigureSpec
    chart: charts.Chart | None = None
    reason: str = ""
    inputs: tuple[str, ...] = ()


def _labels(tables: Tables) -> dict[str, str]:
    labels = position_labels()
    if tables.positions is not None and "label" in tables.positions:
        labels.update(
            tables.positions.dropna(subset=["label"])
            .drop_duplicates("position_id")
            .set_index("position_id")["label"]
            .astype(str)
            .to_dict()
        )
    return labels


def draw_figure(spec: FigureSpec, chapter: Chapter, tables: Tables) -> tuple[charts.Chart, tuple[str, ...]]:
    """Draw one figure of a chapter; raises ``charts.EmptyChartError`` (with the reason) when it cannot."""
    n = tables.n_submissions
    labels = _labels(tables)
    width = spec.width

    def need(*names: str) -> None:
        for name in names:
            if getattr(tables, name) is None:
                raise charts.EmptyChartError(tables.missing.get(name, f"{name} table missing"))

    kind = spec.type
    if kind == "submissions_by_org_type":
        need("submissions")
        return charts.plot_submissions_by_org_type(tables.submissions, width=width), ("submissions",)
    if kind == "submissions_over_time":
        need("submissions")
        return charts.plot_submissions_over_time(tables.submissions, width=width), ("submissions",)
    if kind == "theme_by_org_type":
        need("submission_themes", "themes")
        wanted = match_themes(tables.themes, chapter.themes)
        if not wanted:
            raise charts.EmptyChartError(f"no theme in themes.csv matches {_selector_text(chapter.themes)}")
        table = charts.theme_by_org_type_table(
            tables.submission_themes, tables.submissions, tables.themes, wanted
        )
        return charts.plot_theme_by_org_type(table, width=width, n=n), (
            "submission_themes",
            "themes",
            "submissions",
        )
    if kind == "distinctive_terms":
        need("distinctive_terms")
        terms = tables.distinctive_terms
        if "org_type" not in terms.columns and "group" in terms.columns:
            terms = terms.rename(columns={"group": "org_type"})
        return (
            charts.plot_distinctive_terms(terms, top_n=int(spec.option("top_n", 8)), width=width, n=n),
            ("distinctive_terms",),
        )
    need("positions")
    ids = chapter_position_ids(chapter, tables.positions)
    if not ids:
        raise charts.EmptyChartError(f"chapter {chapter.id} lists no positions")
    order = ids if chapter.positions != "all" else None
    if kind == "position_bars":
        chart = charts.plot_position_bars(
            tables.positions, by=spec.option("by", "stance"), positions=order, width=width, labels=labels, n=n
        )
    elif kind == "chapter_positions":
        chart = charts.plot_chapter_positions(
            tables.positions, ids, chapter.title, width=width, labels=labels, n=n
        )
    elif kind == "org_position_matrix":
        chart = charts.plot_org_position_matrix(
            tables.positions, positions=order, width=width, labels=labels, n=n
        )
    elif kind == "position_cooccurrence":
        chart = charts.plot_position_cooccurrence(
            tables.positions, positions=order, width=width, labels=labels, n=n
        )
    else:  # pragma: no cover - FIGURE_TYPES is checked on load
        raise ValueError(f"unknown figure type {kind}")
    return chart, ("positions", "submissions")


def _selector_text(selectors: tuple[Any, ...] | str) -> str:
    if selectors == "all":
        return "all themes"
    parts = [s if isinstance(s, str) else "words " + ", ".join(s[1]) for s in selectors]
    return "; ".join(parts) or "no theme selector"


def plan_chapter(chapter: Chapter, tables: Tables) -> list[PlannedFigure]:
    """Draw every figure the chapter lists; the ones that cannot be drawn carry the reason instead."""
    planned = []
    for nn, spec in enumerate(chapter.figures, 1):
        try:
            chart, inputs = draw_figure(spec, chapter, tables)
            planned.append(PlannedFigure(nn, spec, chart, inputs=inputs))
        except charts.EmptyChartError as err:
            planned.append(PlannedFigure(nn, spec, None, str(err)))
    return planned


def figure_number(chapter: Chapter, k: int) -> str:
    return f"{chapter.number}.{k}" if chapter.number not in (None, "") else str(k)


# ============================================================================================ quotes
def quote_table(
    positions: pd.DataFrame, position_id: str, submissions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """ "Høringsinstansenes syn" for one position: sender, type, stance, the sentence(s), where they stand.

    Uses ``helpers.positions.quote_table`` when that module provides it; otherwise reads positions.csv's
    evidence columns directly (sentences joined by " | "). A campaign is one row
    ("X m.fl. (kampanje, N brev)").
    Columns: Avsender, Type, Standpunkt, Sitat, Kilde - ordered support, mixed, oppose.
    """
    try:
        from helpers import positions as positions_module  # noqa: PLC0415 - optional, written in parallel

        theirs = positions_module.quote_table(positions, position_id)
        cols = {
            "organisation": "Avsender",
            "org_name": "Avsender",
            "org_type": "Type",
            "stance": "Standpunkt",
            "sentence": "Sitat",
            "evidence": "Sitat",
            "location": "Kilde",
            "evidence_location": "Kilde",
        }
        theirs = theirs.rename(columns=cols)
        if set(QUOTE_HEADER) <= set(theirs.columns):
            out = theirs[QUOTE_HEADER].copy()
            out["Type"] = out["Type"].map(_type_word)
            out["Standpunkt"] = out["Standpunkt"].map(charts.stance_label)
            return out.reset_index(drop=True)
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        pass
    return _own_quote_table(_hide_private(positions, submissions), position_id)


def _hide_private(positions: pd.DataFrame, submissions: pd.DataFrame | None) -> pd.DataFrame:
    """A submission that is not public is counted but never quoted: its sentences read "(ikke offentlig)"."""
    if submissions is None or "is_public" not in submissions or "evidence" not in positions:
        return positions
    public = submissions.set_index("submission_id")["is_public"]
    private = positions["submission_id"].map(public).map(lambda v: str(v).lower() in {"false", "0", "nei"})
    out = positions.copy()
    out.loc[private, "evidence"] = PRIVATE_MARK
    out.loc[private, "evidence_location"] = ""
    return out


def _quote_sentences(parts: list[str]) -> str:
    """Each evidence sentence in «» on its own line; the "(ikke offentlig)" marker stays unquoted."""
    return "\n".join(p if p == PRIVATE_MARK else f"«{p}»" for p in parts if p)


def _type_word(org_type: object) -> str:
    """One organisation's type as a word in a table cell ("Kommune"; the figures use plural group labels)."""
    text = "" if pd.isna(org_type) else str(org_type)
    return text[:1].upper() + text[1:]


def _own_quote_table(positions: pd.DataFrame, position_id: str) -> pd.DataFrame:
    df = positions[(positions["position_id"] == position_id) & positions["stance"].isin(STANCE_ORDER)].copy()
    if df.empty:
        return pd.DataFrame(columns=QUOTE_HEADER)
    df["_voice"] = charts._voice_keys(df)  # noqa: SLF001 - the shared campaign rule
    sizes = df.groupby("_voice")["_voice"].transform("size")
    df = df.sort_values(["_voice", "org_name"]).drop_duplicates("_voice")
    names = (
        df["org_name"]
        .astype(str)
        .where(
            sizes.loc[df.index] == 1,
            df["org_name"].astype(str) + " m.fl. (kampanje, " + sizes.loc[df.index].astype(str) + " brev)",
        )
    )
    evidence = df.get("evidence", pd.Series("", index=df.index)).fillna("").astype(str)
    location = df.get("evidence_location", pd.Series("", index=df.index)).fillna("").astype(str)
    out = pd.DataFrame(
        {
            "Avsender": names,
            "Type": df["org_type"].map(_type_word),
            "Standpunkt": df["stance"].map(charts.stance_label),
            "Sitat": evidence.str.split(r"\s*\|\s*").map(_quote_sentences),
            "Kilde": location.str.replace(r"\s*\|\s*", "; ", regex=True),
            "_s": df["stance"].map(STANCE_ORDER),
            "_t": df["org_type"].astype(str),
        }
    )
    return out.sort_values(["_s", "_t", "Avsender"]).drop(columns=["_s", "_t"]).reset_index(drop=True)


# ============================================================================================ writing
@dataclass
class ChapterPack:
    chapter: Chapter
    figures: list[dict] = field(default_factory=list)  # written: nn, title, caption, alt_text, png, width_cm
    skipped: list[dict] = field(default_factory=list)  # nn, type, reason
    docx: Path | None = None


def _remove_stale(folder: Path, nn: int, keep: set[Path], manifest: Path, notebook: str) -> None:
    """Delete earlier outputs for figure number ``nn`` that this run did not write (and their manifest rows).

    Files another notebook registered in the manifest (e.g. notebook 20 drawing into ``oversikt/``) are left
    alone; only this notebook's own earlier figures and unregistered leftovers go.
    """
    current = charts.read_manifest(manifest)
    others = current[(current["notebook"] != notebook)]["file"].map(
        lambda f: Path(f).with_suffix("").as_posix()
    )
    protected = set(others)
    stale = [
        p
        for p in folder.glob(f"{nn:02d}_*")
        if p.is_file()
        and p not in keep
        and p.suffix != ".docx"
        and charts._relative(p.with_suffix(""), manifest.parent) not in protected  # noqa: SLF001
    ]
    for p in stale:
        p.unlink()
    gone = {charts._relative(p, manifest.parent) for p in stale}  # noqa: SLF001
    if gone and not current.empty and current["file"].isin(gone).any():
        io.write_csv(current[~current["file"].isin(gone)], manifest)


def write_chapter(
    chapter: Chapter,
    tables: Tables,
    figures_dir: str | Path,
    notebook: str = "50_chapter_figures",
    parameters: dict | None = None,
) -> ChapterPack:
    """Draw, export and document one chapter: figure files, manifest rows and the chapter's Word file."""
    figures_dir = Path(figures_dir)
    folder = figures_dir / chapter.id
    manifest = figures_dir / charts.MANIFEST_NAME
    pack = ChapterPack(chapter)
    k = 0
    for planned in plan_chapter(chapter, tables):
        if planned.chart is None:
            pack.skipped.append({"nn": planned.nn, "type": planned.spec.type, "reason": planned.reason})
            _remove_stale(folder, planned.nn, set(), manifest, notebook)
            continue
        k += 1
        chart = planned.chart
        target = folder / f"{planned.nn:02d}_{chart.name}"
        params = {
            "chapter": chapter.id,
            "figure": planned.spec.type,
            "width": planned.spec.width,
            **dict(planned.spec.options),
            **(parameters or {}),
        }
        inputs = [tables.paths[name] for name in planned.inputs if name in tables.paths]
        title = f"Figur {figure_number(chapter, k)} {chart.title}"
        written = charts.save_chart(
            chart,
            target,
            title=title,
            chapter=chapter.id,
            notebook=notebook,
            parameters=params,
            inputs=inputs,
            manifest=manifest,
        )
        _remove_stale(folder, planned.nn, set(written.values()), manifest, notebook)
        pack.figures.append(
            {
                "nn": planned.nn,
                "title": title,
                "caption": chart.caption,
                "alt_text": chart.alt_text,
                "png": written["png"],
                "width_cm": chart.width_cm,
                "source": charts.source_line(chart.n),
            }
        )
        charts.close(chart)
    _forget_dropped(figures_dir, chapter.id, notebook, {Path(f["png"]) for f in pack.figures}, manifest)
    pack.docx = write_chapter_docx(pack, tables, folder / f"{chapter.id}.docx")
    return pack


def _forget_dropped(
    figures_dir: Path, chapter_id: str, notebook: str, kept_png: set[Path], manifest: Path
) -> None:
    """Figures this notebook made for the chapter in an earlier run but no longer makes (e.g. removed from
    chapters.yaml): delete their files and manifest rows, so the folder holds only current figures."""
    current = charts.read_manifest(manifest)
    if current.empty:
        return
    kept = {charts._relative(p, figures_dir) for p in kept_png}  # noqa: SLF001
    mine = (
        (current["chapter"] == chapter_id) & (current["notebook"] == notebook) & ~current["file"].isin(kept)
    )
    for rel in current.loc[mine, "file"]:
        stem = (figures_dir / rel).with_suffix("")
        for p in stem.parent.glob(f"{stem.name}.*"):
            p.unlink()
    if mine.any():
        io.write_csv(current[~mine], manifest)


def _set_cell_text(cell, text: str, size_pt: float = 8, bold: bool = False) -> None:
    from docx.shared import Pt

    cell.text = ""
    lines = str(text).split("\n")
    para = cell.paragraphs[0]
    for i, line in enumerate(lines):
        run = para.add_run(line)
        run.font.size = Pt(size_pt)
        run.bold = bold
        if i < len(lines) - 1:
            run.add_break()


def build_chapter_document(pack: ChapterPack, tables: Tables):
    """The chapter's Word document (python-docx): heading, each figure with caption, source and alt text, then
    a quote table per position. Returned unsaved so tests and callers can inspect it."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    chapter = pack.chapter
    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    prefix = f"{chapter.number} " if chapter.number not in (None, "") else ""
    doc.add_heading(f"{prefix}{chapter.title}", level=1)
    intro = doc.add_paragraph(f"Figurer og sitater fra innspillene til kapittelet «{chapter.title}»")
    if chapter.mandate:
        intro.add_run(f" (mandatet: {chapter.mandate})")
    intro.add_run(
        ". Hver figur har en CSV-fil med tallene og en rad i figures/manifest.csv som viser kjøringen "
        "den kommer fra."
    )
    for fig in pack.figures:
        doc.add_paragraph(fig["title"], style="Caption")
        doc.add_picture(str(fig["png"]), width=Cm(fig["width_cm"]))
        picture = doc.inline_shapes[-1]
        picture._inline.docPr.set("descr", fig["alt_text"])  # noqa: SLF001 - alt text for screen readers
        picture._inline.docPr.set("title", fig["title"])  # noqa: SLF001
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.LEFT
        source = doc.add_paragraph(fig["source"])
        source.runs[0].font.size = Pt(8)
        doc.add_paragraph(fig["caption"])
    if pack.skipped:
        doc.add_heading("Figurer som ikke kunne lages i denne kjøringen", level=2)
        for s in pack.skipped:
            doc.add_paragraph(f"{s['nn']:02d} {s['type']}: {s['reason']}", style="List Bullet")
    if chapter.quotes:
        _add_quote_tables(doc, chapter, tables)
    return doc


def _add_quote_tables(doc, chapter: Chapter, tables: Tables) -> None:
    from docx.shared import Cm

    doc.add_heading("Høringsinstansenes syn", level=2)
    if tables.positions is None:
        doc.add_paragraph(
            f"Sitattabellene mangler: {tables.missing.get('positions', 'positions.csv mangler')}."
        )
        return
    labels = _labels(tables)
    for pid in chapter_position_ids(chapter, tables.positions):
        doc.add_heading(labels.get(pid, pid), level=3)
        quotes = quote_table(tables.positions, pid, tables.submissions)
        if quotes.empty:
            doc.add_paragraph("Ingen innspill tar stilling til dette standpunktet.")
            continue
        table = doc.add_table(rows=1, cols=len(QUOTE_HEADER))
        table.style = "Table Grid"
        for cell, head in zip(table.rows[0].cells, QUOTE_HEADER, strict=True):
            _set_cell_text(cell, head, bold=True)
        for row in quotes.itertuples(index=False):
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                _set_cell_text(cell, "" if pd.isna(value) else str(value))
        for col, width in zip(table.columns, (3.2, 2.6, 2.0, 6.2, 2.0), strict=True):
            for cell in col.cells:
                cell.width = Cm(width)


def write_chapter_docx(pack: ChapterPack, tables: Tables, target: str | Path) -> Path:
    """Save the chapter's Word file atomically."""
    doc = build_chapter_document(pack, tables)
    with io.atomic_path(Path(target)) as tmp:
        doc.save(str(tmp))
    return Path(target)


def write_chapters(
    chapter: str,
    processed_dir: str | Path,
    figures_dir: str | Path,
    chapters_file: str | Path = CHAPTERS_FILE,
    notebook: str = "50_chapter_figures",
    parameters: dict | None = None,
) -> list[ChapterPack]:
    """Build the packs for ``chapter`` (an id, a comma list or ``all``) and refresh the gallery."""
    chapters = load_chapters(chapters_file)
    tables = load_tables(processed_dir)
    packs = [
        write_chapter(c, tables, figures_dir, notebook, parameters)
        for c in select_chapters(chapters, chapter)
    ]
    write_gallery(figures_dir, chapters)
    return packs


def summary(packs: Sequence[ChapterPack]) -> pd.DataFrame:
    """One row per figure, written or skipped, for the notebook to show."""
    rows = []
    for pack in packs:
        for f in pack.figures:
            rows.append(
                {
                    "chapter": pack.chapter.id,
                    "nn": f["nn"],
                    "status": "skrevet",
                    "title": f["title"],
                    "file": Path(f["png"]).name,
                    "reason": "",
                }
            )
        for s in pack.skipped:
            rows.append(
                {
                    "chapter": pack.chapter.id,
                    "nn": s["nn"],
                    "status": "hoppet over",
                    "title": s["type"],
                    "file": "",
                    "reason": s["reason"],
                }
            )
    return (
        pd.DataFrame(rows, columns=["chapter", "nn", "status", "title", "file", "reason"])
        .sort_values(["chapter", "nn"], kind="stable")
        .reset_index(drop=True)
    )


# ============================================================================================ gallery
def gallery_html(
    manifest: pd.DataFrame, chapters: Sequence[Chapter] = (), docx: dict[str, str] | None = None
) -> str:
    """One self-contained HTML page with every figure in the manifest, by chapter (chapters.yaml order)."""
    order = {c.id: i for i, c in enumerate(chapters)}
    titles = {c.id: c.title for c in chapters}
    docx = docx or {}
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nb">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>Figurer til rapporten fra Rusbehandlingsutvalget</title>",
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#222;max-width:1200px}"
        "figure{margin:0 0 2.5em 0;border-top:1px solid #ddd;padding-top:1em}"
        "img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9em;line-height:1.4}"
        ".meta{color:#666;font-size:.8em}</style>",
        "</head>",
        "<body>",
        "<h1>Figurer til rapporten</h1>",
        f"<p>{len(manifest)} figurer. Hver figur finnes som PNG, SVG og PDF, med tallene i en CSV-fil; "
        "<code>manifest.csv</code> viser kjøringen hver figur kommer fra.</p>",
    ]
    frame = manifest.copy()
    frame["_o"] = frame["chapter"].map(order).fillna(len(order))
    for chapter_id, group in frame.sort_values(["_o", "chapter", "file"], kind="stable").groupby(
        "chapter", sort=False
    ):
        parts.append(f'<section id="{esc(chapter_id)}"><h2>{esc(titles.get(chapter_id, chapter_id))}</h2>')
        if chapter_id in docx:
            parts.append(f'<p><a href="{esc(docx[chapter_id])}">Word-fil for kapittelet</a></p>')
        for row in group.itertuples():
            stem = row.file[:-4] if row.file.endswith(".png") else row.file
            links = " · ".join(
                f'<a href="{esc(stem)}.{ext}">{ext.upper()}</a>' for ext in ("svg", "pdf", "csv")
            )
            parts.append(
                f'<figure><img src="{esc(row.file)}" alt="{esc(row.alt_text)}" loading="lazy">'
                f"<figcaption><strong>{esc(row.title)}</strong><br>{esc(row.caption)}<br>"
                f'<span class="meta">N = {esc(str(row.n))} · {esc(row.file)} · {links} · '
                f"notatbok {esc(row.notebook)} · {esc(row.time)} · inndata {esc(row.inputs_hash)}</span>"
                "</figcaption></figure>"
            )
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def write_gallery(figures_dir: str | Path, chapters: Sequence[Chapter] = ()) -> Path:
    """``figures/index.html`` from ``figures/manifest.csv`` (figures whose PNG is gone are left out)."""
    figures_dir = Path(figures_dir)
    manifest = charts.read_manifest(figures_dir / charts.MANIFEST_NAME)
    if not manifest.empty:
        manifest = manifest[[(figures_dir / f).is_file() for f in manifest["file"]]]
    docx = {c.id: f"{c.id}/{c.id}.docx" for c in chapters if (figures_dir / c.id / f"{c.id}.docx").is_file()}
    return io.write_text(figures_dir / "index.html", gallery_html(manifest, chapters, docx))


def describe(chapters: Sequence[Chapter]) -> pd.DataFrame:
    """The chapters as a table (for the notebook): id, title, positions, themes, figures."""
    return pd.DataFrame(
        [
            {
                "id": c.id,
                "title": c.title,
                "positions": c.positions if isinstance(c.positions, str) else ", ".join(c.positions),
                "themes": c.themes
                if isinstance(c.themes, str)
                else json.dumps(
                    [t if isinstance(t, str) else list(t[1]) for t in c.themes], ensure_ascii=False
                ),
                "figures": ", ".join(f.type for f in c.figures),
            }
            for c in chapters
        ]
    )

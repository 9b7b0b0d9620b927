"""House style, the report's figure types and export.

Three layers, each usable alone:

* **Style** (``load_style``, ``apply_style``, ``format_number``, ``number_formatter``, colours and labels):
  everything a reader sees - palette, Norwegian labels, sizes, fonts - comes from ``config/style.yaml`` so an
  analyst changes a colour or a word there, never here.
* **Figures** (``plot_*``): each takes a tidy table (columns documented in its docstring), computes the exact
  numbers it draws with a pure ``*_table`` function, and returns a :class:`Chart` - the matplotlib figure plus
  that table, a title, a caption and alt text. The figure carries no title of its own: in a NOU the title is
  the caption ("Figur 5.2 ...") set by the report, so a title inside the image would be printed twice.
* **Export** (``save_chart`` / ``save_figure``): the only way a figure leaves. PNG (300 dpi), SVG and PDF at
  the report's column width, the CSV of exactly the plotted numbers, a ``.json`` and a ``.txt`` sidecar with
  caption and alt text, all written atomically, and a row upserted into ``figures/manifest.csv`` (file,
  chapter, title, caption, N, data file, notebook, parameters, inputs hash, time) so a figure in a draft
  traces to its run.

Counting rules every figure shares: a campaign (near-identical letters, ``is_campaign``/``campaign_id``)
counts as ONE voice, and its extra letters are drawn hatched or noted ("7 brev, 1 kampanje"); calls the
secretariat has reviewed are drawn solid, machine-proposed ones lighter and hatched.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import json
import math
import re
import textwrap
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

if matplotlib.get_backend().lower().startswith(("tk", "qt", "gtk", "wx", "macosx")):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator, ScalarFormatter  # noqa: E402

from helpers import config, io  # noqa: E402

CM = 1 / 2.54
STYLE_FILE = config.CONFIG_DIR / "style.yaml"
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = [
    "file",
    "chapter",
    "title",
    "caption",
    "n",
    "data_file",
    "notebook",
    "parameters",
    "inputs_hash",
    "time",
    "width_cm",
    "formats",
    "alt_text",
]
DRAWN_STANCES = ("oppose", "mixed", "support")
ALL_STANCES = ("support", "oppose", "mixed", "mentions")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class StyleError(ValueError):
    """``config/style.yaml`` is missing something or holds a bad value; the message names file and key."""


class EmptyChartError(ValueError):
    """Nothing to draw (e.g. no position calls yet); the message says what was missing."""


# ================================================================================================ style
def _check_colour(path: Path, key: str, value: Any) -> None:
    if not isinstance(value, str) or not _HEX.match(value):
        raise StyleError(f"{path}: {key}: expected a colour like '#0072B2', got {value!r}")


def validate_style(style: Any, path: Path = STYLE_FILE) -> dict:
    """Check the keys every figure relies on, so a typo fails at load with the file and key named."""
    if not isinstance(style, dict):
        raise StyleError(f"{path}: expected a mapping at the top level")
    for section in (
        "font",
        "size",
        "source",
        "ink",
        "stance",
        "review",
        "campaign",
        "org_types",
        "labels",
        "months",
    ):
        if section not in style:
            raise StyleError(f"{path}: missing section '{section}'")
    font = style["font"]
    for key in ("family", "size", "small", "title", "source"):
        if key not in font:
            raise StyleError(f"{path}: font.{key} is missing")
    for key in ("size", "title", "source"):
        if float(font[key]) < float(font["small"]):
            raise StyleError(
                f"{path}: font.{key} = {font[key]} is below font.small = {font['small']} "
                "(text must stay legible at print size)"
            )
    for key in ("full_width_cm", "half_width_cm", "dpi"):
        if not isinstance(style["size"].get(key), int | float) or style["size"][key] <= 0:
            raise StyleError(f"{path}: size.{key} must be a positive number")
    if "{n}" not in str(style["source"].get("template", "")):
        raise StyleError(f"{path}: source.template must contain '{{n}}'")
    for stance in ALL_STANCES:
        _check_colour(path, f"stance.colours.{stance}", style["stance"].get("colours", {}).get(stance))
        if not style["stance"].get("labels", {}).get(stance):
            raise StyleError(f"{path}: stance.labels.{stance} is missing")
    for key, value in style["ink"].items():
        _check_colour(path, f"ink.{key}", value)
    for org_type, spec in style["org_types"].items():
        if not isinstance(spec, dict) or "colour" not in spec or not spec.get("label"):
            raise StyleError(f"{path}: org_types.{org_type} needs 'colour' and 'label'")
        _check_colour(path, f"org_types.{org_type}.colour", spec["colour"])
    colours = [s["colour"].upper() for s in style["org_types"].values()]
    stance_colours = {c.upper() for c in style["stance"]["colours"].values()}
    clash = sorted(set(colours) & stance_colours)
    if clash:
        raise StyleError(
            f"{path}: org type colour(s) {clash} are also stance colours; a colour must mean one thing"
        )
    if len(style["months"]) != 12:
        raise StyleError(f"{path}: months must list 12 abbreviations, found {len(style['months'])}")
    return style


@functools.lru_cache(maxsize=4)
def _load_style_cached(path: str, mtime: float) -> dict:
    return validate_style(config.load_yaml(Path(path)), Path(path))


def load_style(path: str | Path = STYLE_FILE) -> dict:
    """The validated house style (cached until the file changes)."""
    path = Path(path)
    if not path.is_file():
        raise StyleError(f"{path}: style file not found")
    return _load_style_cached(str(path), path.stat().st_mtime)


def _style() -> dict:
    return load_style()


def full_width_cm() -> float:
    return float(_style()["size"]["full_width_cm"])


def half_width_cm() -> float:
    return float(_style()["size"]["half_width_cm"])


FULL_WIDTH_CM = 16.0  # kept for callers that import the constants; the values in style.yaml win in plot_*
HALF_WIDTH_CM = 7.7
DPI = 300


def to_cm(width: str | float) -> float:
    """``"full"``, ``"half"`` or a number of centimetres."""
    if width == "full":
        return full_width_cm()
    if width == "half":
        return half_width_cm()
    return float(width)


def apply_style() -> None:
    """Set matplotlib's defaults to the house style (fonts, sizes, no top/right spines, stable SVG/PDF)."""
    st = _style()
    font, ink = st["font"], st["ink"]
    plt.rcParams.update(
        {
            "font.family": font["family"],
            "font.size": font["size"],
            "axes.titlesize": font["title"],
            "axes.titleweight": "bold",
            "axes.labelsize": font["size"],
            "xtick.labelsize": font["small"],
            "ytick.labelsize": font["size"],
            "legend.fontsize": font["small"],
            "legend.title_fontsize": font["size"],
            "figure.titlesize": font["title"],
            "text.color": ink["text"],
            "axes.labelcolor": ink["text"],
            "axes.edgecolor": ink["axis"],
            "xtick.color": ink["axis"],
            "ytick.color": ink["axis"],
            "xtick.labelcolor": ink["text"],
            "ytick.labelcolor": ink["text"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "axes.linewidth": 0.6,
            "xtick.major.width": 0.6,
            "ytick.major.width": 0.6,
            "hatch.linewidth": 0.6,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": st["size"]["dpi"],
            "axes.formatter.use_locale": False,
            "pdf.fonttype": 42,  # TrueType in the PDF: text stays text for the typesetter
            "svg.hashsalt": "rusinnspill",  # stable element ids: re-runs give identical SVGs
            "axes.unicode_minus": True,
        }
    )


def format_number(value: float, decimals: int = 0) -> str:
    """Norwegian number format: decimal comma, non-breaking space as thousands separator (``12 345,6``)."""
    text = f"{value:,.{decimals}f}"
    text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212") if text.startswith("-") else text


def format_percent(share: float, decimals: int = 0) -> str:
    """A share (0-1) as Norwegian running text: ``0.125 -> '12,5 prosent'``."""
    return f"{format_number(100 * share, decimals)} {_style()['labels']['percent_word']}"


def _auto_decimals(step: float) -> int:
    if step <= 0 or not math.isfinite(step):
        return 0
    return max(0, -int(math.floor(math.log10(step) + 1e-9)))


class NorwegianFormatter(Formatter):
    """Tick labels with a decimal comma and NBSP thousands; as many decimals as the tick spacing needs.

    ``absolute=True`` drops the sign (diverging bars: oppose counts are drawn left of zero but are counts).
    """

    def __init__(self, decimals: int | None = None, absolute: bool = False) -> None:
        self.decimals = decimals
        self.absolute = absolute
        self._ticks: Sequence[float] = ()

    def set_locs(self, locs: Sequence[float]) -> None:
        self._ticks = list(locs)

    def __call__(self, value: float, pos: int | None = None) -> str:
        v = abs(value) if self.absolute else value
        if self.decimals is not None:
            return format_number(v, self.decimals)
        ticks = np.sort(np.asarray(self._ticks, dtype=float))
        step = float(np.min(np.diff(ticks))) if len(ticks) > 1 else 1.0
        return format_number(v, _auto_decimals(step) if step < 1 else (0 if float(v).is_integer() else 1))


def number_formatter(decimals: int | None = None, absolute: bool = False) -> NorwegianFormatter:
    """A tick formatter in the house number format (see :class:`NorwegianFormatter`)."""
    return NorwegianFormatter(decimals=decimals, absolute=absolute)


def norwegian_ticks(fig: Figure) -> None:
    """Replace matplotlib's default (English: decimal point) number ticks on every axis with a decimal comma.

    Only ``ScalarFormatter`` axes are touched: category, date and already formatted axes keep their labels.
    """
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(number_formatter())


def source_line(n: int | None) -> str:
    """``Kilde: innspill til Rusbehandlingsutvalget, N = 1 234``."""
    if n is None:
        return _style()["source"].get("without_n") or _style()["source"]["template"].split(",")[0]
    return _style()["source"]["template"].format(n=format_number(n))


def stance_colour(stance: str) -> str:
    return _style()["stance"]["colours"].get(stance, _style()["ink"]["bar"])


def stance_label(stance: str) -> str:
    return _style()["stance"]["labels"].get(stance, stance)


def label(key: str) -> str:
    """A fixed phrase from ``style.yaml`` ``labels``."""
    labels = _style()["labels"]
    if key not in labels:
        raise StyleError(f"{STYLE_FILE}: labels.{key} is missing")
    return labels[key]


def org_type_colour(org_type: str) -> str:
    spec = _style()["org_types"].get(org_type)
    return spec["colour"] if spec else _style()["org_type_fallback"]["colour"]


def org_type_label(org_type: str) -> str:
    spec = _style()["org_types"].get(org_type)
    if spec:
        return spec["label"]
    text = str(org_type or "").strip()
    return text[:1].upper() + text[1:] if text else _style()["org_types"].get("ukjent", {}).get("label", "?")


def org_type_order(org_types: Iterable[str]) -> list[str]:
    """Organisation types in the fixed order of ``style.yaml`` (unknown types after, alphabetically)."""
    known = list(_style()["org_types"])
    present = list(dict.fromkeys(str(t) for t in org_types))
    return [t for t in known if t in present] + sorted(t for t in present if t not in known)


def _count(n: int, singular: str, plural: str) -> str:
    return f"{format_number(n)} {singular if n == 1 else plural}"


def _two_lines(text: str, width: int) -> str:
    """Wrap into at most two lines; a label longer than that is shortened with an ellipsis (the CSV and the
    caption keep the full label)."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False)
    if len(lines) <= 2:
        return "\n".join(lines)
    second = textwrap.shorten(" ".join(lines[1:]), width=width, placeholder=" …")
    return f"{lines[0]}\n{second}"


def wrap(text: str, width: int) -> str:
    return textwrap.fill(str(text), width=width, break_long_words=False, break_on_hyphens=False)


# ================================================================================================ chart
@dataclass
class Chart:
    """A drawn figure with exactly the numbers it shows (``data``) and the words that go with it."""

    fig: Figure
    data: pd.DataFrame
    name: str
    title: str
    caption: str
    alt_text: str
    n: int | None = None
    width_cm: float = FULL_WIDTH_CM
    notes: list[str] = field(default_factory=list)


def new_figure(
    width: str | float = "full", height_cm: float = 6.0, nrows: int = 1, ncols: int = 1, **kwargs: Any
) -> tuple[Figure, Any]:
    """A figure at the report's width with constrained layout (labels and legends are never cut off)."""
    apply_style()
    st = _style()["size"]
    h = min(max(height_cm, float(st["min_height_cm"])), float(st["max_height_cm"]))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(to_cm(width) * CM, h * CM), layout="constrained", **kwargs
    )
    return fig, axes


def _bar_height_cm(n_rows: int, extra_cm: float) -> float:
    return n_rows * float(_style()["size"]["bar_height_cm"]) + extra_cm


def _entry_width_pt(handle: Patch, fontsize: float) -> float:
    """Rough width of one legend entry (DejaVu Sans averages ~0.6 em per character)."""
    return (len(str(handle.get_label())) * 0.6 + 1.4 + 0.8 + 1.2) * fontsize


def _legend_below(fig: Figure, *groups: list) -> None:
    """One legend under the plot. Entries go in a single row when they fit the width; otherwise each group
    (e.g. stances, review status, organisation types) fills its own columns, padded with blank entries, so a
    reader finds related keys together instead of scattered column by column."""
    groups = tuple(g for g in groups if g)
    if not groups:
        return
    fontsize = float(_style()["font"]["small"])
    avail = fig.get_size_inches()[0] * 72 * 0.96
    flat = [h for g in groups for h in g]
    if sum(_entry_width_pt(h, fontsize) for h in flat) <= avail:
        handles, ncols = flat, len(flat)
    else:
        widest = max(_entry_width_pt(h, fontsize) for h in flat)
        max_cols = max(1, int(avail // widest))
        while len(groups) > max_cols:  # fewer columns than groups: the first groups share columns
            groups = (groups[0] + groups[1],) + groups[2:]
        rows = math.ceil(len(flat) / max_cols)
        while sum(math.ceil(len(g) / rows) for g in groups) > max_cols and rows < len(flat):
            rows += 1
        handles = []
        blank = Patch(visible=False, label=" ")
        for g in groups:
            cols = math.ceil(len(g) / rows)
            handles += list(g) + [blank] * (cols * rows - len(g))
        ncols = len(handles) // rows
        if ncols > max_cols:  # too wide even so: one plain column-major block
            handles, ncols = flat, max_cols
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=ncols,
        frameon=False,
        handlelength=1.4,
        columnspacing=1.2,
        fontsize=fontsize,
    )


def _fit_texts_x(
    fig: Figure, ax, texts: list[Text], symmetric: bool = False, pad_px: float = 4.0, max_growth: float = 5.0
) -> bool:
    """Widen the x-limits until every annotation (bar-end counts, campaign notes) lies inside the axes.

    Texts are anchored in data units but their width is in points, so the limits are grown a few times
    (each widening shrinks the scale and moves the texts inward). Growth is capped at ``max_growth`` times
    the original range: in a narrow figure a long note cannot fit however small the bars get, and the
    caller then shortens it. Returns whether everything fits.
    """
    texts = [t for t in texts if t.get_text().strip()]
    if not texts:
        return True
    x0_orig, x1_orig = ax.get_xlim()
    span = x1_orig - x0_orig
    for _ in range(8):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        x0, x1 = ax.get_xlim()
        per_px = (x1 - x0) / box.width
        over_r = max(t.get_window_extent(renderer).x1 - box.x1 for t in texts) + pad_px
        over_l = max(box.x0 - t.get_window_extent(renderer).x0 for t in texts) + pad_px
        if over_r <= 0 and over_l <= 0:
            return True
        grow_r, grow_l = max(over_r, 0) * per_px * 1.15, max(over_l, 0) * per_px * 1.15
        if symmetric:
            grow_r = grow_l = max(grow_r, grow_l)
        if (x1 + grow_r) - (x0 - grow_l) > max_growth * span:
            return False
        ax.set_xlim(x0 - grow_l, x1 + grow_r)
    return False


def _ensure_axes_height(fig: Figure, ax, needed_cm: float, shrink: bool = False) -> None:
    """Grow the figure until the plotting area is at least ``needed_cm`` tall (legends and wrapped labels
    take their share first, so a fixed figure height can squeeze the bars to nothing). With ``shrink`` the
    figure also loses height the plot does not need (a one-row heatmap should not be a tall block)."""
    for _ in range(4):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "axes sizes collapsed" while still too small
            fig.canvas.draw()
        have_cm = ax.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi / CM
        if needed_cm - 0.05 <= have_cm and (not shrink or have_cm <= needed_cm + 0.3):
            return
        w, h = fig.get_size_inches()
        fig.set_size_inches(w, max(h + (needed_cm - max(have_cm, 0.0)) * CM + 0.02, 2 * CM))


def _row_heights_cm(labels: Sequence[str]) -> float:
    """Height for horizontal bar rows: wrapped labels need room for every line."""
    base = float(_style()["size"]["bar_height_cm"])
    return sum(max(base, 0.36 * (str(lab).count("\n") + 1) + 0.16) for lab in labels)


def _count_axis(axis, absolute: bool = False) -> None:
    axis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    axis.set_major_formatter(number_formatter(decimals=0, absolute=absolute))


def _barh(ax, y: float, left: float, width: float, colour: str, machine: bool, gid: str, height: float = 0.7):
    """One horizontal bar segment; its ``gid`` names the data row it draws (tests read it back).

    Reviewed: solid. Machine-proposed: the same colour mixed with white and hatched in the full colour, so
    the difference survives greyscale printing and colour-vision deficiencies.
    """
    if width <= 0:
        return None
    kw: dict[str, Any] = {"edgecolor": "white", "linewidth": 0.4}
    if machine:
        rv = _style()["review"]
        kw.update(
            facecolor=_lighten(colour, rv["machine_alpha"]), hatch=rv["machine_hatch"], hatchcolor=colour
        )
    else:
        kw.update(facecolor=colour)
    bar = ax.barh(y, width, left=left, height=height, **kw)[0]
    bar.set_gid(gid)
    return bar


def _lighten(colour: str, amount: float) -> tuple[float, float, float]:
    """Mix ``colour`` with white (``amount`` = share of the colour kept): lighter, still opaque in print."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    return tuple(rgb * amount + (1 - amount))


def review_handles(sources: Iterable[str]) -> list[Patch]:
    """Legend entries that explain solid (reviewed) versus light hatched (machine-proposed) segments."""
    sources = set(sources)
    if "machine" not in sources:
        return []
    rv = _style()["review"]
    grey = "#777777"
    handles = [
        Patch(
            facecolor=_lighten(grey, rv["machine_alpha"]),
            hatch=rv["machine_hatch"],
            edgecolor="white",
            hatchcolor=grey,
            label=rv["labels"]["machine"],
        )
    ]
    if "review" in sources:
        handles.insert(0, Patch(facecolor=grey, edgecolor="white", label=rv["labels"]["reviewed"]))
    return handles


def _n_of(table: pd.DataFrame) -> int | None:
    for col in ("submission_id", "file"):
        if col in table.columns:
            return int(table[col].nunique())
    return None


# ================================================================================================ tables
def drop_reference(submissions: pd.DataFrame) -> pd.DataFrame:
    """Only real submissions: mandates and other reference documents never count as voices."""
    subs = submissions
    if "is_reference" in subs.columns:
        subs = subs[~subs["is_reference"].fillna(False).astype(bool)]
    if "doc_kind" in subs.columns:
        subs = subs[subs["doc_kind"].fillna("") != "mandat"]
    return subs


def _voice_keys(df: pd.DataFrame) -> pd.Series:
    """One key per voice: the campaign id for campaign letters, the submission id (or file) otherwise."""
    own = (
        df["submission_id"]
        if "submission_id" in df.columns
        else df.get("file", pd.Series(df.index, df.index))
    )
    own = own.astype(str)
    if "campaign_id" not in df.columns:
        return own
    is_campaign = (
        df["is_campaign"].fillna(False).astype(bool)
        if "is_campaign" in df.columns
        else (df["campaign_id"].notna() & (df["campaign_id"].astype(str) != ""))
    )
    cid = df["campaign_id"].astype("string")
    has_cid = is_campaign & cid.notna() & (cid != "")
    return own.where(~has_cid, "kampanje:" + cid.fillna(""))


def _campaign_ids(df: pd.DataFrame) -> pd.Series:
    keys = _voice_keys(df)
    return keys.where(keys.str.startswith("kampanje:"), None)


def submissions_by_org_type_table(submissions: pd.DataFrame) -> pd.DataFrame:
    """Letters and voices per organisation type (a campaign is one voice); reference documents dropped.

    Columns: org_type, org_type_label, n_letters, n_voices, n_campaign_extra (= letters beyond the first of
    each campaign, drawn hatched), n_campaigns. Sorted by letters, largest first.
    """
    subs = drop_reference(submissions).copy()
    if subs.empty:
        raise EmptyChartError(
            "no submissions to count (the table is empty or holds only reference documents)"
        )
    subs["org_type"] = subs["org_type"].fillna("ukjent").astype(str).replace("", "ukjent")
    subs["_voice"] = _voice_keys(subs)
    subs["_campaign"] = _campaign_ids(subs)
    grouped = subs.groupby("org_type", sort=False).agg(
        n_letters=("_voice", "size"), n_voices=("_voice", "nunique"), n_campaigns=("_campaign", "nunique")
    )
    out = grouped.reset_index()
    out["n_campaign_extra"] = out["n_letters"] - out["n_voices"]
    out["org_type_label"] = out["org_type"].map(org_type_label)
    out = out.sort_values(["n_letters", "org_type"], ascending=[False, True], kind="stable")
    return out[
        ["org_type", "org_type_label", "n_letters", "n_voices", "n_campaign_extra", "n_campaigns"]
    ].reset_index(drop=True)


def submissions_over_time_table(submissions: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Letters per month by organisation type, campaign letters apart; returns (table, letters without date).

    Columns: month (``YYYY-MM``), month_label (``nov. 2025``), org_type, is_campaign, n_letters. Every month
    between the first and the last letter appears (zero rows are kept so gaps show as gaps).
    """
    subs = drop_reference(submissions).copy()
    if subs.empty:
        raise EmptyChartError("no submissions to count over time")
    dates = pd.to_datetime(subs.get("received_date"), errors="coerce")
    n_undated = int(dates.isna().sum())
    subs = subs.assign(_date=dates).dropna(subset=["_date"])
    if subs.empty:
        raise EmptyChartError(f"none of the {n_undated} submissions has a received_date")
    subs["org_type"] = subs["org_type"].fillna("ukjent").astype(str).replace("", "ukjent")
    subs["is_campaign"] = _campaign_ids(subs).notna()
    subs["month"] = subs["_date"].dt.to_period("M")
    months = pd.period_range(subs["month"].min(), subs["month"].max(), freq="M")
    counts = subs.groupby(["month", "org_type", "is_campaign"]).size().rename("n_letters").reset_index()
    grid = pd.MultiIndex.from_product(
        [months, org_type_order(subs["org_type"]), [False, True]], names=["month", "org_type", "is_campaign"]
    )
    table = counts.set_index(["month", "org_type", "is_campaign"]).reindex(grid, fill_value=0).reset_index()
    # Keep the campaign column only for the org types that have campaign letters at all.
    has_campaign = table.groupby(["org_type", "is_campaign"])["n_letters"].transform("sum") > 0
    table = table[~table["is_campaign"] | has_campaign]
    names = _style()["months"]
    table["month_label"] = [f"{names[p.month - 1]} {p.year}" for p in table["month"]]
    table["month"] = table["month"].astype(str)
    table["n_letters"] = table["n_letters"].astype(int)
    return table[["month", "month_label", "org_type", "is_campaign", "n_letters"]].reset_index(
        drop=True
    ), n_undated


def _reviewed(df: pd.DataFrame) -> pd.Series:
    if "reviewed" in df.columns:
        return df["reviewed"].map(lambda v: str(v).strip().lower() in {"true", "1", "ja", "yes"})
    if "source" in df.columns:
        return df["source"].astype(str).eq("review")
    return pd.Series(False, index=df.index)


def position_bar_table(
    table: pd.DataFrame,
    by: str = "stance",
    positions: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The numbers a diverging position chart draws, from positions.csv OR from a stance_counts table.

    * positions.csv rows (one per submission x position: submission_id, org_type, position_id, label, stance,
      reviewed/source, is_campaign, campaign_id): voices are counted here - a campaign once.
    * stance_counts rows (position_id, label, org_type, stance, n_voices, n_letters, n_reviewed): taken as
      counted; ``n_reviewed`` is read as reviewed voices (capped at n_voices).

    Only support / oppose / mixed are drawn (``mentions`` take no side). Output columns: position_id, label,
    stance, org_type ("" when ``by="stance"``), source (review|machine), n_voices, n_letters, n_campaigns.
    ``positions`` filters and orders; ``labels`` overrides position labels.
    """
    if by not in {"stance", "org_type"}:
        raise ValueError(f"by must be 'stance' or 'org_type', got {by!r}")
    missing = {"position_id", "stance"} - set(table.columns)
    if missing:
        raise ValueError(f"position table lacks column(s) {sorted(missing)}; has {list(table.columns)}")
    df = table[table["stance"].isin(DRAWN_STANCES)].copy()
    if positions is not None:
        df = df[df["position_id"].isin(list(positions))]
    if df.empty:
        wanted = f" for {list(positions)}" if positions is not None else ""
        raise EmptyChartError(f"no support/oppose/mixed calls{wanted} to draw")
    df["org_type"] = df["org_type"].fillna("ukjent").astype(str) if "org_type" in df.columns else "ukjent"
    if "label" not in df.columns:
        df["label"] = df["position_id"]
    keys = ["position_id", "stance"] + (["org_type"] if by == "org_type" else [])

    if "n_voices" in df.columns:
        df["n_letters"] = df["n_letters"] if "n_letters" in df.columns else df["n_voices"]
        rev = df["n_reviewed"].clip(upper=df["n_voices"]) if "n_reviewed" in df.columns else 0
        parts = []
        for source, voices in (("review", rev), ("machine", df["n_voices"] - rev)):
            part = df.assign(source=source, n_voices=voices)
            share = np.where(
                df["n_voices"] > 0, part["n_voices"] / df["n_voices"].where(df["n_voices"] > 0, 1), 0
            )
            part["n_letters"] = np.round(df["n_letters"] * share).astype(int)
            part["n_campaigns"] = (
                (part["n_letters"] > part["n_voices"]).astype(int)
                if "n_campaigns" not in df
                else df["n_campaigns"]
            )
            parts.append(part)
        long = pd.concat(parts, ignore_index=True)
        out = (
            long.groupby(keys + ["source"], sort=False)
            .agg(
                label=("label", "first"),
                n_voices=("n_voices", "sum"),
                n_letters=("n_letters", "sum"),
                n_campaigns=("n_campaigns", "sum"),
            )
            .reset_index()
        )
    else:
        df["source"] = np.where(_reviewed(df), "review", "machine")
        df["_voice"] = _voice_keys(df)
        df["_campaign"] = _campaign_ids(df)
        out = (
            df.groupby(keys + ["source"], sort=False)
            .agg(
                label=("label", "first"),
                n_voices=("_voice", "nunique"),
                n_letters=("_voice", "size"),
                n_campaigns=("_campaign", "nunique"),
            )
            .reset_index()
        )
    out = out[out["n_voices"] > 0]
    if by == "stance":
        out["org_type"] = ""
    if labels:
        out["label"] = out["position_id"].map(labels).fillna(out["label"])
    order = list(positions) if positions is not None else _order_by_net_support(out)
    out["_p"] = out["position_id"].map({p: i for i, p in enumerate(order)})
    out["_s"] = out["stance"].map({s: i for i, s in enumerate(DRAWN_STANCES)})
    out["_o"] = out["org_type"].map({t: i for i, t in enumerate(org_type_order(out["org_type"]))})
    out["_r"] = out["source"].map({"review": 0, "machine": 1})
    out = out.sort_values(["_p", "_s", "_o", "_r"]).drop(columns=["_p", "_s", "_o", "_r"])
    cols = ["position_id", "label", "stance", "org_type", "source", "n_voices", "n_letters", "n_campaigns"]
    return out[cols].astype({"n_voices": int, "n_letters": int, "n_campaigns": int}).reset_index(drop=True)


def _order_by_net_support(table: pd.DataFrame) -> list[str]:
    """Positions with the most support first; among equals, the most voices first, then by id."""
    sign = table["stance"].map({"support": 1, "oppose": -1, "mixed": 0})
    net = (sign * table["n_voices"]).groupby(table["position_id"]).sum()
    total = table.groupby("position_id")["n_voices"].sum()
    frame = pd.DataFrame({"net": net, "total": total}).reset_index()
    frame = frame.sort_values(["net", "total", "position_id"], ascending=[False, False, True])
    return frame["position_id"].tolist()


# ============================================================================================ figures
def plot_submissions_by_org_type(submissions: pd.DataFrame, width: str | float = "full") -> Chart:
    """Who wrote: horizontal bars of submissions per organisation type, a campaign counting once.

    Input: ``submissions.parquet`` rows - org_type, and when present is_reference/doc_kind (reference
    documents such as the mandate are dropped), is_campaign/campaign_id, submission_id. Solid bar = voices;
    hatched extension = campaign letters beyond the first; the label says "7 brev, 1 kampanje".
    """
    data = submissions_by_org_type_table(submissions)
    ticks = [wrap(t, 34 if to_cm(width) > 10 else 20) for t in data["org_type_label"]]
    fig, ax = new_figure(width, _row_heights_cm(ticks) + 2.4)
    camp = _style()["campaign"]
    y = np.arange(len(data))
    notes = []
    for i, row in data.iterrows():
        colour = org_type_colour(row["org_type"])
        bar = ax.barh(i, row["n_voices"], color=colour, edgecolor="white", linewidth=0.4, height=0.7)[0]
        bar.set_gid(f"{row['org_type']}|voices")
        if row["n_campaign_extra"]:
            extra = ax.barh(
                i,
                row["n_campaign_extra"],
                left=row["n_voices"],
                height=0.7,
                edgecolor="white",
                facecolor=_lighten(colour, camp["alpha"]),
                hatch=camp["hatch"],
                hatchcolor=colour,
                linewidth=0.4,
            )[0]
            extra.set_gid(f"{row['org_type']}|campaign_extra")
        notes.append(
            ax.text(
                row["n_letters"],
                i,
                "\u2002" + _letters_note(row["n_letters"], row["n_campaigns"]),
                va="center",
                ha="left",
                fontsize=_style()["font"]["small"],
            )
        )
    ax.set_yticks(y, ticks)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlabel(label("n_submissions"))
    _count_axis(ax.xaxis)
    ax.set_xlim(0, data["n_letters"].max())
    ax.tick_params(axis="y", length=0)
    handles = []
    if data["n_campaign_extra"].sum():
        handles.append(
            Patch(
                facecolor=_lighten("#777777", camp["alpha"]),
                hatch=camp["hatch"],
                hatchcolor="#777777",
                edgecolor="white",
                label=camp["label"],
            )
        )
    _legend_below(fig, handles)
    _ensure_axes_height(fig, ax, _row_heights_cm(ticks))
    _fit_texts_x(fig, ax, notes)
    n_letters = int(data["n_letters"].sum())
    top = data.iloc[0]
    title = "Innspill etter organisasjonstype"
    caption = (
        f"Antall innspill etter type avsender. N = {format_number(n_letters)} innspill fra "
        f"{format_number(int(data['n_voices'].sum()))} avsendere; en kampanje (nesten like brev) teller "
        "som én avsender, og kampanjebrev utover det første er skravert."
    )
    alt = (
        f"Liggende stolpediagram over innspill per organisasjonstype. Flest innspill kom fra "
        f"{top['org_type_label'].lower()} ({format_number(top['n_letters'])}). "
        + "; ".join(f"{r.org_type_label}: {format_number(r.n_letters)}" for r in data.itertuples())
        + "."
    )
    return Chart(fig, data, "innspill_per_organisasjonstype", title, caption, alt, n_letters, to_cm(width))


def _letters_note(n_letters: int, n_campaigns: int) -> str:
    if not n_campaigns:
        return format_number(n_letters)
    camp = _style()["campaign"]
    template = camp["note"] if n_campaigns == 1 else camp["note_plural"]
    return template.format(letters=format_number(n_letters), campaigns=format_number(n_campaigns))


def plot_submissions_over_time(submissions: pd.DataFrame, width: str | float = "full") -> Chart:
    """Who wrote when: letters per month, stacked by organisation type; campaign letters hatched.

    Input: ``submissions.parquet`` rows - received_date (missing dates are counted and named in a note),
    org_type, optional is_campaign/campaign_id and is_reference/doc_kind.
    """
    data, n_undated = submissions_over_time_table(submissions)
    months = list(dict.fromkeys(data["month"]))
    labels_ = dict(zip(data["month"], data["month_label"], strict=False))
    fig, ax = new_figure(width, 7.0)
    camp = _style()["campaign"]
    bottom = np.zeros(len(months))
    x = np.arange(len(months))
    handles = {}
    for org_type in org_type_order(data["org_type"]):
        colour = org_type_colour(org_type)
        for is_campaign in (False, True):
            part = data[(data["org_type"] == org_type) & (data["is_campaign"] == is_campaign)]
            if part.empty or not part["n_letters"].sum():
                continue
            values = part.set_index("month")["n_letters"].reindex(months, fill_value=0).to_numpy()
            kw = dict(color=colour, edgecolor="white", linewidth=0.4)
            if is_campaign:
                kw = dict(
                    facecolor=_lighten(colour, camp["alpha"]),
                    hatch=camp["hatch"],
                    hatchcolor=colour,
                    edgecolor="white",
                    linewidth=0.4,
                )
            bars = ax.bar(x, values, bottom=bottom, width=0.75, **kw)
            for bar, month in zip(bars, months, strict=True):
                bar.set_gid(f"{month}|{org_type}|{is_campaign}")
            bottom += values
            handles.setdefault(org_type, Patch(color=colour, label=org_type_label(org_type)))
    totals = bottom
    step = max(1, math.ceil(len(months) / (12 if to_cm(width) > 10 else 6)))
    flat = len(months[::step]) <= (8 if to_cm(width) > 10 else 4)
    ax.set_xticks(
        x[::step],
        [labels_[m] for m in months[::step]],
        rotation=0 if flat else 45,
        ha="center" if flat else "right",
        rotation_mode="anchor",
    )
    ax.set_ylabel(label("n_submissions"))
    _count_axis(ax.yaxis)
    ax.set_ylim(0, max(totals.max() * 1.1, 1))
    legend = list(handles.values())
    if data["is_campaign"].any() and data.loc[data["is_campaign"], "n_letters"].sum():
        legend.append(
            Patch(
                facecolor=_lighten("#777777", camp["alpha"]),
                hatch=camp["hatch"],
                hatchcolor="#777777",
                edgecolor="white",
                label="Kampanjebrev",
            )
        )
    _legend_below(fig, legend)
    _ensure_axes_height(fig, ax, 4.5)
    notes = []
    if n_undated:
        note = f"{format_number(n_undated)} innspill {label('no_date')} er ikke med."
        notes.append(note)
        ax.text(
            1.0,
            1.0,
            note,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=_style()["font"]["small"],
        )
    n_dated = int(data["n_letters"].sum())
    busiest = int(np.argmax(totals))
    title = "Innspill over tid"
    caption = (
        f"Antall innspill per måned etter mottaksdato og type avsender. Kampanjebrev er skravert. "
        f"N = {format_number(n_dated + n_undated)}" + (f"; {notes[0]}" if notes else ".")
    )
    alt = (
        f"Stolpediagram over innspill per måned fra {labels_[months[0]]} til {labels_[months[-1]]}. "
        f"Flest kom i {labels_[months[busiest]]} ({format_number(int(totals[busiest]))})."
    )
    return Chart(
        fig, data, "innspill_over_tid", title, caption, alt, n_dated + n_undated, to_cm(width), notes
    )


def plot_position_bars(
    table: pd.DataFrame,
    by: str = "stance",
    positions: Sequence[str] | None = None,
    width: str | float = "full",
    labels: dict[str, str] | None = None,
    n: int | None = None,
    name: str = "standpunkter",
) -> Chart:
    """Diverging bars: who opposes (left of zero) and who supports (right) each position.

    Input: positions.csv rows or a stance_counts table (see :func:`position_bar_table` for columns).
    ``by="stance"`` colours by stance; ``by="org_type"`` splits support and oppose by organisation type (the
    org-type palette). Mixed views sit centred on zero. Bar length = voices (a campaign counts once); a
    campaign
    is noted at the bar end ("7 brev, 1 kampanje"). Reviewed segments are solid, machine-proposed ones light
    and hatched. Positions are ordered as given in ``positions``, else by net support.
    """
    data = position_bar_table(table, by=by, positions=positions, labels=labels)
    order = list(dict.fromkeys(data["position_id"]))
    if positions is not None:
        order = [p for p in positions if p in set(order)]
    wide = to_cm(width) > 10
    ticks = [wrap(_label_of(data, p), 34 if wide else 20) for p in order]
    fig, ax = new_figure(width, _row_heights_cm(ticks) + 3.4)
    small = _style()["font"]["small"]
    notes: list[Text] = []
    about: dict[int, tuple[str, str]] = {}
    extent = 0.0
    for i, pid in enumerate(order):
        rows = data[data["position_id"] == pid]
        mixed = rows[rows["stance"] == "mixed"]
        m = float(mixed["n_voices"].sum())
        left = -m / 2
        for r in mixed.itertuples():
            _barh(
                ax,
                i,
                left,
                r.n_voices,
                stance_colour("mixed"),
                r.source == "machine",
                f"{pid}|mixed|{r.org_type}|{r.source}",
            )
            left += r.n_voices
        if m:
            ax.text(0, i, format_number(m), ha="center", va="center", fontsize=small, zorder=5)
        for stance, direction in (("support", 1), ("oppose", -1)):
            part = rows[rows["stance"] == stance]
            pos = direction * m / 2
            for r in part.itertuples():
                colour = stance_colour(stance) if by == "stance" else org_type_colour(r.org_type)
                start = pos if direction > 0 else pos - r.n_voices
                _barh(
                    ax,
                    i,
                    start,
                    r.n_voices,
                    colour,
                    r.source == "machine",
                    f"{pid}|{stance}|{r.org_type}|{r.source}",
                )
                pos += direction * r.n_voices
            if not part.empty:
                text = _voices_note(
                    int(part["n_voices"].sum()), int(part["n_letters"].sum()), int(part["n_campaigns"].sum())
                )
                notes.append(
                    ax.text(
                        pos,
                        i,
                        ("\u2002" + text) if direction > 0 else (text + "\u2002"),
                        va="center",
                        ha="left" if direction > 0 else "right",
                        fontsize=small,
                    )
                )
                about[id(notes[-1])] = (_label_of(data, pid), stance_label(stance).lower())
            extent = max(extent, abs(pos))
    ax.axvline(0, color=_style()["ink"]["axis"], linewidth=0.6, zorder=0)
    ax.set_yticks(range(len(order)), ticks)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(-max(extent, 1.0), max(extent, 1.0))
    _count_axis(ax.xaxis, absolute=True)
    if wide:
        ax.set_xlabel(f"{label('diverging_left')}   {label('n_voices')}   {label('diverging_right')}")
    else:
        ax.set_xlabel(f"{label('n_voices_short')}\n{label('diverging_left')}   {label('diverging_right')}")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if by == "stance":
        keys = [
            Patch(color=stance_colour(s), label=stance_label(s))
            for s in DRAWN_STANCES
            if s in set(data["stance"])
        ]
    else:
        types = org_type_order(data.loc[data["stance"] != "mixed", "org_type"])
        keys = [Patch(color=org_type_colour(t), label=org_type_label(t)) for t in types]
        if (data["stance"] == "mixed").any():
            keys.append(Patch(color=stance_colour("mixed"), label=stance_label("mixed")))
    _legend_below(fig, keys, review_handles(data["source"]))
    _ensure_axes_height(fig, ax, _row_heights_cm(ticks))
    limits = ax.get_xlim()
    extra_notes = []
    if not _fit_texts_x(fig, ax, notes, symmetric=True):
        # Too narrow for "5 (7 brev, 1 kampanje)": keep the count at the bar, the campaign note goes to the
        # caption.
        for t in notes:
            if "(" in t.get_text():
                count, inner = t.get_text().strip().split(" (", 1)
                what, stance_word = about[id(t)]
                extra_notes.append(f"«{what}»: {count} {stance_word} ({inner}")
                t.set_text(t.get_text().split(" (")[0] + ("\u2002" if t.get_ha() == "right" else ""))
        ax.set_xlim(*limits)
        _fit_texts_x(fig, ax, notes, symmetric=True)
    n = n if n is not None else _n_of(table)
    title = (
        "Høringsinstansenes standpunkter" if len(order) > 1 else f"Standpunkt: {_label_of(data, order[0])}"
    )
    reviewed = data.loc[data["source"] == "review", "n_voices"].sum() / max(1, data["n_voices"].sum())
    caption = (
        f"Antall avsendere som støtter (til høyre) og går imot (til venstre) "
        f"{'hvert standpunkt' if len(order) > 1 else 'standpunktet'}; blandet syn står midt på. "
        "En kampanje teller som én avsender. Innspill som bare nevner temaet, er ikke med. "
        + _review_sentence(reviewed)
        + (f" Kampanjer: {'; '.join(extra_notes)}." if extra_notes else "")
    )
    alt_parts = []
    for pid in order:
        rows = data[data["position_id"] == pid]
        s = {st: int(rows.loc[rows["stance"] == st, "n_voices"].sum()) for st in DRAWN_STANCES}
        alt_parts.append(
            f"{_label_of(data, pid)}: {s['support']} støtter, {s['oppose']} går imot"
            + (f", {s['mixed']} blandet" if s["mixed"] else "")
        )
    alt = "Divergerende stolpediagram. " + "; ".join(alt_parts) + "."
    return Chart(fig, data, name, title, caption, alt, n, to_cm(width))


def _review_sentence(reviewed_share: float) -> str:
    if reviewed_share <= 0:
        return (
            "Ingen av tellingene er gjennomgått av sekretariatet ennå; alle er maskinelle forslag "
            "(lyse, skraverte)."
        )
    if reviewed_share >= 1:
        return "Alle tellingene er gjennomgått av sekretariatet."
    return (
        f"{format_percent(reviewed_share)} av tellingene er gjennomgått av sekretariatet; "
        "resten er maskinelle "
        "forslag (lyse, skraverte)."
    )


def _voices_note(voices: int, letters: int, campaigns: int) -> str:
    """``5`` or, when campaign letters are among them, ``5 (7 brev, 1 kampanje)``."""
    if letters <= voices:
        return format_number(voices)
    inner = _letters_note(letters, campaigns) if campaigns else f"{format_number(letters)} brev"
    return f"{format_number(voices)} ({inner})"


def _label_of(data: pd.DataFrame, position_id: str) -> str:
    hit = data.loc[data["position_id"] == position_id, "label"]
    return str(hit.iloc[0]) if len(hit) and pd.notna(hit.iloc[0]) else position_id


def plot_chapter_positions(
    table: pd.DataFrame,
    positions: Sequence[str],
    chapter_title: str = "",
    width: str | float = "full",
    labels: dict[str, str] | None = None,
    n: int | None = None,
) -> Chart:
    """The positions one chapter covers, in the chapter's order, split by organisation type.

    Input: as :func:`plot_position_bars`. A chapter shows few positions, so the org-type split (who stands
    where) fits; the overview chapter uses ``plot_position_bars(by="stance")`` for all positions.
    """
    chart = plot_position_bars(
        table,
        by="org_type",
        positions=positions,
        width=width,
        labels=labels,
        n=n,
        name="standpunkter_etter_organisasjonstype",
    )
    if chapter_title:
        chart.title = f"{chapter_title}: standpunkter etter type avsender"
    chart.caption = chart.caption.replace(
        "Antall avsendere", "Antall avsendere, fordelt på type avsender,", 1
    )
    return chart


# ---------------------------------------------------------------------------------------------- matrix
def org_position_table(
    table: pd.DataFrame, positions: Sequence[str] | None = None, labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """Organisation x position cells, a campaign collapsed into one row.

    Input: positions.csv rows (org_name, org_type, position_id, stance, optional label, reviewed/source,
    is_campaign/campaign_id, submission_id) or a wide matrix (index org_name, columns position ids, values
    stance strings; empty = no call). Two letters from one organisation that disagree make ``mixed``.
    Output: org_name (row label), org_type, position_id, label, stance, reviewed, row, col - the row and col
    order put similar organisations and positions next to each other (first principal component of the
    support=+1 / oppose=-1 matrix), unless ``positions`` fixes the columns.
    """
    if "position_id" not in table.columns:
        wide = table.copy()
        wide.index = wide.index.rename("org_name")
        long = wide.reset_index().melt(id_vars="org_name", var_name="position_id", value_name="stance")
        long = long[long["stance"].isin(ALL_STANCES)]
        long["org_type"] = "ukjent"
        table = long
    df = table[table["stance"].isin(ALL_STANCES)].copy()
    if positions is not None:
        df = df[df["position_id"].isin(list(positions))]
    if df.empty:
        raise EmptyChartError("no organisation has a call on these positions")
    df["org_type"] = df["org_type"].fillna("ukjent").astype(str) if "org_type" in df.columns else "ukjent"
    df["label"] = df["label"] if "label" in df.columns else df["position_id"]
    if labels:
        df["label"] = df["position_id"].map(labels).fillna(df["label"])
    df["reviewed"] = _reviewed(df)
    df["_voice"] = (
        _voice_keys(df) if ("submission_id" in df.columns or "campaign_id" in df.columns) else df["org_name"]
    )
    camp = df["_voice"].astype(str).str.startswith("kampanje:")
    if camp.any():
        sizes = (
            df[camp]
            .groupby("_voice")["submission_id" if "submission_id" in df.columns else "org_name"]
            .nunique()
        )
        firsts = df[camp].groupby("_voice")["org_name"].min()
        names = {k: f"{firsts[k]} m.fl. (kampanje, {sizes[k]} brev)" for k in sizes.index}
        df.loc[camp, "org_name"] = df.loc[camp, "_voice"].map(names)
    df["_code"] = df["stance"].map({"support": 1, "oppose": -1, "mixed": 0, "mentions": 0})
    # One cell per (row, position): agreeing letters keep their stance, disagreeing ones make it mixed.
    taken = df[df["stance"] != "mentions"]
    mentions = df[df["stance"] == "mentions"]

    def merge(group: pd.DataFrame) -> pd.Series:
        stances = set(group["stance"])
        stance = stances.pop() if len(stances) == 1 else "mixed"
        return pd.Series(
            {
                "stance": stance,
                "reviewed": bool(group["reviewed"].all()),
                "org_type": group["org_type"].mode().iloc[0],
                "label": group["label"].iloc[0],
            }
        )

    cells = (
        taken.groupby(["org_name", "position_id"]).apply(merge, include_groups=False).reset_index()
        if not taken.empty
        else pd.DataFrame(columns=["org_name", "position_id", "stance", "reviewed", "org_type", "label"])
    )
    only_mentions = mentions.merge(cells[["org_name", "position_id"]], how="left", indicator=True)
    only_mentions = only_mentions[only_mentions["_merge"] == "left_only"]
    if not only_mentions.empty:
        extra = (
            only_mentions.groupby(["org_name", "position_id"])
            .agg(
                stance=("stance", "first"),
                reviewed=("reviewed", "all"),
                org_type=("org_type", "first"),
                label=("label", "first"),
            )
            .reset_index()
        )
        cells = pd.concat([cells, extra], ignore_index=True)
    rows, cols = _coalition_order(cells, positions)
    cells["row"] = cells["org_name"].map({r: i for i, r in enumerate(rows)})
    cells["col"] = cells["position_id"].map({c: i for i, c in enumerate(cols)})
    cells = cells.sort_values(["row", "col"]).reset_index(drop=True)
    return cells[["org_name", "org_type", "position_id", "label", "stance", "reviewed", "row", "col"]]


def _coalition_order(cells: pd.DataFrame, positions: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Rows (and columns unless fixed) along the first principal component of the +1/-1/0 stance matrix.

    Organisations that take the same sides end up next to each other, so coalitions read as blocks.
    Deterministic: the component's sign is fixed (largest loading positive) and ties break by name.
    """
    codes = cells.assign(v=cells["stance"].map({"support": 1.0, "oppose": -1.0}).fillna(0.0))
    mat = codes.pivot_table(
        index="org_name", columns="position_id", values="v", aggfunc="sum", fill_value=0.0
    )
    present = codes.assign(v=1.0).pivot_table(
        index="org_name", columns="position_id", values="v", aggfunc="sum", fill_value=0.0
    )
    row_score = pd.Series(0.0, index=mat.index)
    col_score = pd.Series(0.0, index=mat.columns)
    if mat.shape[0] > 1 and mat.shape[1] > 1 and np.abs(mat.to_numpy()).sum() > 0:
        centred = mat.to_numpy() - mat.to_numpy().mean(axis=0)
        u, s, vt = np.linalg.svd(centred, full_matrices=False)
        sign = 1.0 if vt[0][np.argmax(np.abs(vt[0]))] >= 0 else -1.0
        row_score = pd.Series(np.round(u[:, 0] * s[0] * sign, 9), index=mat.index)
        col_score = pd.Series(np.round(vt[0] * sign, 9), index=mat.columns)
    rows = pd.DataFrame({"score": row_score, "n": present.sum(axis=1)}).reset_index()
    rows = rows.sort_values(["score", "n", "org_name"], ascending=[False, False, True])["org_name"].tolist()
    if positions is not None:
        cols = [p for p in positions if p in set(mat.columns)]
    else:
        frame = pd.DataFrame({"score": col_score, "n": present.sum(axis=0)}).reset_index()
        cols = frame.sort_values(["score", "n", "position_id"], ascending=[False, False, True])[
            "position_id"
        ].tolist()
    return rows, cols


def plot_org_position_matrix(
    table: pd.DataFrame,
    positions: Sequence[str] | None = None,
    width: str | float = "full",
    labels: dict[str, str] | None = None,
    n: int | None = None,
) -> Chart:
    """Organisation x position: one coloured cell per call (stance colours), coalitions as blocks.

    Input: see :func:`org_position_table`. A narrow column at the left shows each organisation's type
    (org-type
    palette). Machine-proposed cells are light and hatched; an empty cell means no call.
    """
    data = org_position_table(table, positions=positions, labels=labels)
    rows = data.drop_duplicates("row").sort_values("row")
    cols = data.drop_duplicates("col").sort_values("col")
    n_rows, n_cols = len(rows), len(cols)
    # Column heads stand upright (90°): at 45° long labels of neighbouring columns overlap. Two lines fit when
    # a column is at least 0.75 cm wide; narrower columns get one line, shortened with an ellipsis (the CSV
    # and the caption keep every full label).
    row_labels = [wrap(t, 36 if to_cm(width) > 10 else 22) for t in rows["org_name"]]
    row_label_cm = max(len(line) for t in row_labels for line in t.split("\n")) * 0.6 * 8 / 72 / CM
    col_cm = (to_cm(width) - row_label_cm - 1.2) / (n_cols + 0.4)
    col_labels = [
        _two_lines(t, 30) if col_cm >= 0.75 else textwrap.shorten(str(t), 44, placeholder=" …")
        for t in cols["label"]
    ]
    longest = max(len(line) for t in col_labels for line in t.split("\n"))
    head_cm = 0.4 + longest * 0.6 * float(_style()["font"]["small"]) / 72 / CM
    fig, ax = new_figure(width, _row_heights_cm(row_labels) + head_cm + 2.2)
    for r in rows.itertuples():
        chip = Rectangle(
            (-0.8, r.row - 0.4), 0.22, 0.8, facecolor=org_type_colour(r.org_type), edgecolor="none"
        )
        chip.set_gid(f"{r.org_name}|org_type")
        ax.add_patch(chip)
    for c in data.itertuples():
        colour = stance_colour(c.stance)
        face = colour if c.reviewed else _lighten(colour, _style()["review"]["machine_alpha"])
        cell = Rectangle(
            (c.col - 0.45, c.row - 0.45),
            0.9,
            0.9,
            facecolor=face,
            edgecolor="white",
            linewidth=0.4,
            hatch=None if c.reviewed else _style()["review"]["machine_hatch"],
            hatchcolor=colour,
        )
        cell.set_gid(f"{c.org_name}|{c.position_id}|{c.stance}")
        ax.add_patch(cell)
    grid = _style()["ink"]["grid"]
    for x in range(n_cols + 1):
        ax.axvline(x - 0.5, color=grid, linewidth=0.4, zorder=0)
    for y in range(n_rows + 1):
        ax.axhline(y - 0.5, xmin=0, color=grid, linewidth=0.4, zorder=0)
    ax.set_xlim(-0.85, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_aspect("auto")
    ax.set_xticks(
        range(n_cols),
        col_labels,
        rotation=90,
        ha="left",
        va="center",
        rotation_mode="anchor",
        fontsize=_style()["font"]["small"],
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(n_rows), row_labels)
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    stances = [s for s in ("support", "oppose", "mixed", "mentions") if s in set(data["stance"])]
    _legend_below(
        fig,
        [Patch(color=stance_colour(s), label=stance_label(s)) for s in stances],
        review_handles(np.where(data["reviewed"], "review", "machine")),
        [Patch(color=org_type_colour(t), label=org_type_label(t)) for t in org_type_order(rows["org_type"])],
    )
    _ensure_axes_height(fig, ax, _row_heights_cm(row_labels), shrink=True)
    n = n if n is not None else _n_of(table)
    title = "Hvem står hvor: organisasjoner og standpunkter"
    caption = (
        "Hver rad er en avsender (en kampanje er én rad), hver kolonne et standpunkt. Fargen viser om "
        "avsenderen støtter, går imot, har et blandet syn eller bare nevner standpunktet; tom rute betyr "
        "at innspillet ikke tar det opp. Avsendere med like standpunkter står ved siden av hverandre. "
        "Den smale fargestripen til venstre viser type avsender."
    )
    counts = data["stance"].value_counts()
    alt = (
        f"Rutenett med {_count(n_rows, 'avsender', 'avsendere')} og "
        f"{_count(n_cols, 'standpunkt', 'standpunkter')}. "
        + ", ".join(
            f"{format_number(int(counts.get(s, 0)))} ruter «{stance_label(s).lower()}»" for s in stances
        )
        + "."
    )
    return Chart(fig, data, "organisasjoner_og_standpunkter", title, caption, alt, n, to_cm(width))


# ------------------------------------------------------------------------------------------ co-occurrence
def cooccurrence_table(
    table: pd.DataFrame, positions: Sequence[str] | None = None, labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """Pairs of positions and how many organisations support both (the diagonal: support for one).

    Input: positions.csv rows (org_name or submission_id, position_id, stance; a campaign counts once), OR a
    square count matrix (index and columns position ids), OR a long table position_a, position_b, n.
    Output (lower triangle incl. the diagonal): position_a, position_b, label_a, label_b, n.
    """
    if {"position_a", "position_b", "n"} <= set(table.columns):
        long = table[["position_a", "position_b", "n"]].copy()
        ids = list(dict.fromkeys(list(long["position_a"]) + list(long["position_b"])))
        mat = pd.DataFrame(0, index=ids, columns=ids)
        for r in long.itertuples():
            mat.loc[r.position_a, r.position_b] = r.n
            mat.loc[r.position_b, r.position_a] = r.n
        table = mat
    if "position_id" in table.columns:
        df = table[table["stance"] == "support"].copy()
        if "submission_id" in df.columns or "campaign_id" in df.columns:
            df["_voice"] = _voice_keys(df)
        else:
            df["_voice"] = df["org_name"]
        df["_one"] = 1
        inc = df.pivot_table(
            index="_voice", columns="position_id", values="_one", aggfunc="max", fill_value=0
        )
        mat = inc.T @ inc
        if labels is None and "label" in df.columns:
            labels = df.drop_duplicates("position_id").set_index("position_id")["label"].to_dict()
    else:
        mat = table.copy()
        mat.index = mat.index.astype(str)
        mat.columns = mat.columns.astype(str)
    if positions is not None:
        keep = [p for p in positions if p in mat.index]
        mat = mat.loc[keep, keep]
    else:
        order = sorted(mat.index, key=lambda p: (-mat.loc[p, p], p))
        mat = mat.loc[order, order]
    if mat.empty or not np.asarray(mat.to_numpy()).sum():
        raise EmptyChartError("no organisation supports any of these positions")
    labels = labels or {}
    rows = []
    ids = list(mat.index)
    for i, a in enumerate(ids):
        for b in ids[: i + 1]:
            rows.append(
                {
                    "position_a": a,
                    "position_b": b,
                    "label_a": labels.get(a, a),
                    "label_b": labels.get(b, b),
                    "n": int(mat.loc[a, b]),
                }
            )
    return pd.DataFrame(rows)


def _sequential(value: float, vmax: float, colour: str) -> tuple[float, float, float]:
    """White to ``colour`` in proportion to value/vmax (the low end is still distinguishable from paper)."""
    t = 0.0 if vmax <= 0 else min(max(value / vmax, 0.0), 1.0)
    return _lighten(colour, 0.08 + 0.92 * t) if value > 0 else (1.0, 1.0, 1.0)


def _ink_on(rgb: Sequence[float]) -> str:
    r, g, b = rgb[:3]
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else _style()["ink"]["text"]


def plot_position_cooccurrence(
    table: pd.DataFrame,
    positions: Sequence[str] | None = None,
    width: str | float = "full",
    labels: dict[str, str] | None = None,
    n: int | None = None,
) -> Chart:
    """Which positions go together: a triangular grid of how many organisations support both.

    Input: see :func:`cooccurrence_table`. Each cell is shaded (white to blue) and carries its count; the
    diagonal holds the number supporting each position.
    """
    data = cooccurrence_table(table, positions=positions, labels=labels)
    ids = list(dict.fromkeys(data["position_a"]))
    names = dict(zip(data["position_a"], data["label_a"], strict=False))
    k = len(ids)
    wide = to_cm(width) > 10
    row_ticks = [f"{wrap(names[p], 34 if wide else 20)}  {i}" for i, p in enumerate(ids, 1)]
    fig, ax = new_figure(width, max(_row_heights_cm(row_ticks), k * 0.55) + 2.0)
    vmax = float(data["n"].max())
    colour = stance_colour("support")
    small = _style()["font"]["small"]
    idx = {p: i for i, p in enumerate(ids)}
    for r in data.itertuples():
        i, j = idx[r.position_a], idx[r.position_b]
        face = _sequential(r.n, vmax, colour)
        cell = Rectangle(
            (j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor=_style()["ink"]["grid"], linewidth=0.4
        )
        cell.set_gid(f"{r.position_a}|{r.position_b}")
        ax.add_patch(cell)
        ax.text(
            j,
            i,
            format_number(r.n),
            ha="center",
            va="center",
            fontsize=small,
            color=_ink_on(face),
            fontweight="bold" if i == j else "normal",
            gid=f"n|{r.position_a}|{r.position_b}",
        )
    ax.set_xlim(-0.5, k - 0.5)
    ax.set_ylim(k - 0.5, -0.5)
    # Rows carry the numbered labels; columns repeat only the number (a column is the row with that number).
    ax.set_yticks(range(k), row_ticks)
    ax.set_xticks(range(k), [str(i) for i in range(1, k + 1)], fontsize=small)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    _ensure_axes_height(fig, ax, max(_row_heights_cm(row_ticks), k * 0.55), shrink=True)
    n = n if n is not None else _n_of(table)
    off = data[data["position_a"] != data["position_b"]].sort_values("n", ascending=False)
    title = "Standpunkter som følges at"
    caption = (
        "Antall avsendere som støtter begge standpunktene (en kampanje teller én gang). Kolonnenummeret "
        "viser til raden med samme nummer. Diagonalen (uthevet) viser hvor mange som støtter hvert "
        "standpunkt."
    )
    alt = "Trekantet rutenett over standpunkter som støttes av de samme avsenderne."
    if not off.empty and off.iloc[0]["n"] > 0:
        top = off.iloc[0]
        alt += (
            f" Oftest sammen: «{top['label_a']}» og «{top['label_b']}» "
            f"({format_number(int(top['n']))} avsendere)."
        )
    return Chart(fig, data, "standpunkter_som_folges_at", title, caption, alt, n, to_cm(width))


# ---------------------------------------------------------------------------------------------- themes
def theme_by_org_type_table(
    submission_themes: pd.DataFrame,
    submissions: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    theme_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Average theme share per organisation type (each voice weighs equally; a campaign counts once).

    Inputs: ``submission_themes`` long (submission_id, theme_id, share) or wide (submission_id + one column
    per
    theme id); ``submissions`` gives org_type (and campaign columns) when submission_themes lacks org_type;
    ``themes`` (theme_id, label) gives readable labels. Shares may be 0-1 or 0-100: they are normalised to 0-1
    per submission. Output: theme_id, label, org_type, org_type_label, share (0-1), n_submissions.
    """
    st = submission_themes.copy()
    if "theme_id" not in st.columns:
        id_cols = [
            c
            for c in ("submission_id", "file", "org_name", "org_type", "is_campaign", "campaign_id")
            if c in st.columns
        ]
        st = st.melt(id_vars=id_cols, var_name="theme_id", value_name="share")
    value_col = next((c for c in ("share", "weight", "value") if c in st.columns), None)
    if value_col is None:
        raise ValueError(f"submission_themes has no share column; columns: {list(st.columns)}")
    st = st.rename(columns={value_col: "share"})
    st["share"] = pd.to_numeric(st["share"], errors="coerce").fillna(0.0)
    st["theme_id"] = st["theme_id"].astype(str)
    if submissions is not None:
        subs = drop_reference(submissions)
        extra = [
            c for c in ("org_type", "is_campaign", "campaign_id") if c in subs.columns and c not in st.columns
        ]
        st = st.merge(subs[["submission_id", *extra]], on="submission_id", how="inner")
    if "org_type" not in st.columns:
        raise ValueError("theme shares need org_type: pass the submissions table")
    totals = st.groupby("submission_id")["share"].transform("sum")
    st["share"] = np.where(totals > 0, st["share"] / totals.where(totals > 0, 1), 0.0)
    st["org_type"] = st["org_type"].fillna("ukjent").astype(str)
    st["_voice"] = _voice_keys(st)
    per_voice = st.groupby(["_voice", "org_type", "theme_id"], as_index=False)["share"].mean()
    out = (
        per_voice.groupby(["org_type", "theme_id"])
        .agg(share=("share", "mean"), n_submissions=("_voice", "nunique"))
        .reset_index()
    )
    labels = {}
    if themes is not None and "theme_id" in themes.columns:
        lab_col = "label" if "label" in themes.columns else themes.columns[1]
        labels = (
            themes.assign(theme_id=themes["theme_id"].astype(str)).set_index("theme_id")[lab_col].to_dict()
        )
    out["label"] = out["theme_id"].map(labels).fillna(out["theme_id"])
    if theme_ids is not None:
        out = out[out["theme_id"].isin([str(t) for t in theme_ids])]
    if out.empty:
        raise EmptyChartError("no theme shares to draw for these themes")
    out["org_type_label"] = out["org_type"].map(org_type_label)
    return out[["theme_id", "label", "org_type", "org_type_label", "share", "n_submissions"]].reset_index(
        drop=True
    )


def plot_theme_by_org_type(
    table: pd.DataFrame,
    width: str | float = "full",
    n: int | None = None,
    theme_order: Sequence[str] | None = None,
) -> Chart:
    """Heatmap: themes (rows) x organisation types (columns), cell = average share of the text, in prosent.

    Input: :func:`theme_by_org_type_table` output (theme_id, label, org_type, share 0-1[, n_submissions]).
    Numbers in the cells use a decimal comma; the column header says how many submissions each type has.
    """
    data = table.copy()
    data["org_type_label"] = data["org_type"].map(org_type_label)
    data["percent"] = (100 * data["share"]).round(1)
    types = org_type_order(data["org_type"])
    themes_ = (
        list(theme_order)
        if theme_order is not None
        else (data.groupby("theme_id")["share"].mean().sort_values(ascending=False).index.tolist())
    )
    labels = data.drop_duplicates("theme_id").set_index("theme_id")["label"].to_dict()
    wide = to_cm(width) > 10
    row_ticks = [wrap(labels.get(t, t), 38 if wide else 22) for t in themes_]
    n_by_type = data.groupby("org_type")["n_submissions"].max() if "n_submissions" in data else {}
    heads = [
        wrap(org_type_label(t), 16)
        + (f"\n(n = {format_number(int(n_by_type[t]))})" if len(n_by_type) else "")
        for t in types
    ]
    upright = len(types) > (5 if wide else 2)
    if upright:  # one line for the type, one for n: standing columns never overlap
        heads = [h.replace("\n(n", " (n", 1).replace("\n", " ", h.count("\n") - 1) for h in heads]
        heads = [h.replace(" (n", "\n(n", 1) for h in heads]
    head_lines = max(len(line) for h in heads for line in h.split("\n")) if upright else 2.5
    head_cm = 0.5 + head_lines * (0.6 if upright else 1.3) * float(_style()["font"]["small"]) / 72 / CM
    fig, ax = new_figure(width, max(_row_heights_cm(row_ticks), len(themes_) * 0.6) + head_cm + 1.6)
    vmax = float(data["percent"].max())
    small = _style()["font"]["small"]
    for r in data.itertuples():
        if r.theme_id not in themes_:
            continue
        i, j = themes_.index(r.theme_id), types.index(r.org_type)
        face = _sequential(r.percent, vmax, _style()["ink"]["sequential"])
        cell = Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="white", linewidth=0.6)
        cell.set_gid(f"{r.theme_id}|{r.org_type}")
        ax.add_patch(cell)
        ax.text(
            j,
            i,
            format_number(r.percent, 0),
            ha="center",
            va="center",
            fontsize=small,
            color=_ink_on(face),
            gid=f"pct|{r.theme_id}|{r.org_type}",
        )
    ax.set_xlim(-0.5, len(types) - 0.5)
    ax.set_ylim(len(themes_) - 0.5, -0.5)
    ax.set_xticks(
        range(len(types)),
        heads,
        rotation=90 if upright else 0,
        ha="left" if upright else "center",
        va="center" if upright else "bottom",
        rotation_mode="anchor",
        fontsize=small,
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(themes_)), row_ticks)
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(f"{label('share_percent')}", fontsize=small)
    _ensure_axes_height(fig, ax, max(_row_heights_cm(row_ticks), len(themes_) * 0.6), shrink=True)
    n = (
        n
        if n is not None
        else (int(data.groupby("org_type")["n_submissions"].max().sum()) if "n_submissions" in data else None)
    )
    title = "Temaer etter type avsender"
    caption = (
        "Gjennomsnittlig andel av innspillenes tekst som handler om hvert tema, etter type avsender, i "
        "prosent. Hvert innspill teller likt; en kampanje teller én gang."
    )
    top = data.sort_values("share", ascending=False).iloc[0]
    alt = (
        f"Varmekart med {_count(len(themes_), 'tema', 'temaer')} og {_count(len(types), 'type', 'typer')} "
        "avsendere. Høyest andel: "
        f"{top['org_type_label'].lower()} om «{top['label']}» ({format_percent(top['share'])})."
    )
    plotted = data[data["theme_id"].isin(themes_)][
        ["theme_id", "label", "org_type", "org_type_label", "share", "percent"]
        + (["n_submissions"] if "n_submissions" in data else [])
    ]
    return Chart(
        fig,
        plotted.reset_index(drop=True),
        "temaer_etter_organisasjonstype",
        title,
        caption,
        alt,
        n,
        to_cm(width),
    )


# ------------------------------------------------------------------------------------------ vocabulary
def distinctive_terms_table(terms: pd.DataFrame, top_n: int = 8, min_z: float = 0.0) -> pd.DataFrame:
    """The ``top_n`` most distinctive terms per organisation type (highest positive z first).

    Input: distinctive_terms.csv (org_type, term, and a z-score column: ``z``, ``zscore``, ``z_score`` or
    ``log_odds_z``). Output: org_type, org_type_label, term, z, rank.
    """
    zcol = next((c for c in ("z", "zscore", "z_score", "log_odds_z", "score") if c in terms.columns), None)
    if zcol is None or not {"org_type", "term"} <= set(terms.columns):
        raise ValueError(
            f"distinctive terms need org_type, term and a z column; columns: {list(terms.columns)}"
        )
    df = terms.rename(columns={zcol: "z"})[["org_type", "term", "z"]].copy()
    df["z"] = pd.to_numeric(df["z"], errors="coerce")
    df = df[df["z"] > min_z].sort_values(["org_type", "z", "term"], ascending=[True, False, True])
    df = df.groupby("org_type", sort=False).head(top_n)
    if df.empty:
        raise EmptyChartError("no term has a positive z-score for any organisation type")
    df["rank"] = df.groupby("org_type").cumcount() + 1
    df["org_type_label"] = df["org_type"].map(org_type_label)
    df["term"] = df["term"].astype(str).str.replace("_", " ", regex=False)
    order = {t: i for i, t in enumerate(org_type_order(df["org_type"]))}
    df = df.sort_values(["org_type", "rank"], key=lambda s: s.map(order) if s.name == "org_type" else s)
    return df[["org_type", "org_type_label", "term", "z", "rank"]].reset_index(drop=True)


def plot_distinctive_terms(
    terms: pd.DataFrame, top_n: int = 8, width: str | float = "full", n: int | None = None
) -> Chart:
    """Small multiples: each organisation type's most distinctive words (weighted log-odds z-scores).

    Input: distinctive_terms.csv (see :func:`distinctive_terms_table`). One panel per org type in its colour;
    a dotted line at z = 1,96 marks where a difference is unlikely to be chance.
    """
    data = distinctive_terms_table(terms, top_n=top_n)
    types = list(dict.fromkeys(data["org_type"]))
    ncols = 2 if (len(types) > 1 and to_cm(width) > 10) else 1
    nrows = math.ceil(len(types) / ncols)
    per_panel = data.groupby("org_type").size().max()
    fig, axes = new_figure(
        width, nrows * (per_panel * 0.42 + 1.5) + 1.0, nrows=nrows, ncols=ncols, squeeze=False
    )
    xmax = max(float(data["z"].max()) * 1.08, 2.2)
    small = _style()["font"]["small"]
    for k, org_type in enumerate(types):
        ax = axes[k // ncols][k % ncols]
        part = data[data["org_type"] == org_type]
        for r in part.itertuples():
            bar = ax.barh(r.rank - 1, r.z, color=org_type_colour(org_type), height=0.7)[0]
            bar.set_gid(f"{org_type}|{r.term}")
        ax.set_yticks(range(len(part)), part["term"].tolist(), fontsize=small)
        ax.set_ylim(per_panel - 0.5, -0.5)
        ax.set_xlim(0, xmax)
        ax.axvline(1.96, color=_style()["ink"]["axis"], linewidth=0.6, linestyle=":")
        ax.set_title(org_type_label(org_type), fontsize=_style()["font"]["size"], loc="left")
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_formatter(number_formatter())
        last_in_column = k + ncols >= len(types)
        if last_in_column:
            ax.set_xlabel(label("log_odds"), fontsize=small)
    for k in range(len(types), nrows * ncols):
        axes[k // ncols][k % ncols].remove()
    title = "Særpregede ord etter type avsender"
    caption = (
        "Ordene som skiller hver type avsender mest fra de andre (vektet log-odds med informativ "
        "Dirichlet-prior, Monroe mfl. 2008). Prikket linje: z = 1,96."
    )
    alt = (
        "Små stolpediagram, ett per type avsender: "
        + "; ".join(
            f"{org_type_label(t)}: " + ", ".join(data.loc[data["org_type"] == t, "term"].head(3))
            for t in types
        )
        + "."
    )
    return Chart(fig, data, "saerpregede_ord", title, caption, alt, n, to_cm(width))


# ================================================================================================ checks
def _drawn_ticks(axis) -> list:
    """The ticks matplotlib actually draws (inside the view limits); other Tick objects hold stale text."""
    try:
        return list(axis._update_ticks())  # noqa: SLF001 - the only way to ask which ticks are drawn
    except AttributeError:  # pragma: no cover - older/newer matplotlib
        return list(axis.get_major_ticks())


def _text_artists(fig: Figure) -> list[Text]:
    """Visible, non-empty texts that get drawn: figure and axes texts, labels, legends, tick labels."""
    tick_texts: set[int] = set()
    drawn: list[Text] = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_texts.update({id(tick.label1), id(tick.label2)})
            if ax.get_visible():
                drawn += [lab for tick in _drawn_ticks(axis) for lab in (tick.label1, tick.label2)]
    texts = [t for t in fig.findobj(Text) if id(t) not in tick_texts] + drawn
    return [
        t
        for t in texts
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]


def figure_texts(fig: Figure) -> list[str]:
    """Every visible piece of text drawn in the figure (ticks, labels, legend, notes)."""
    fig.canvas.draw()
    return [t.get_text() for t in _text_artists(fig)]


def outside_canvas(fig: Figure, tolerance_px: float = 1.0) -> list[str]:
    """Texts and legends that stick out of the canvas (would be cut off in print); empty when all fit."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    w, h = fig.bbox.width, fig.bbox.height
    bad = []
    for artist in (
        _text_artists(fig) + list(fig.legends) + [a.get_legend() for a in fig.axes if a.get_legend()]
    ):
        box = artist.get_window_extent(renderer)
        if (
            box.x0 < -tolerance_px
            or box.y0 < -tolerance_px
            or box.x1 > w + tolerance_px
            or box.y1 > h + tolerance_px
        ):
            name = artist.get_text() if isinstance(artist, Text) else type(artist).__name__
            bad.append(
                f"{name!r} at ({box.x0:.0f}, {box.y0:.0f})-({box.x1:.0f}, {box.y1:.0f}) in {w:.0f}x{h:.0f}"
            )
    return bad


def too_small_text(fig: Figure) -> list[str]:
    """Texts set below the house minimum (``font.small``) - illegible at print size."""
    minimum = float(_style()["font"]["small"])
    return [
        f"{t.get_text()!r} at {t.get_fontsize()} pt"
        for t in _text_artists(fig)
        if t.get_fontsize() < minimum - 1e-6
    ]


# ================================================================================================ export
def inputs_hash(inputs: Iterable[str | Path | pd.DataFrame] | None) -> str:
    """One sha256 over the inputs: files by content (name + sha256), data frames by their values."""
    h = hashlib.sha256()
    for item in inputs or []:
        if isinstance(item, pd.DataFrame):
            h.update(b"frame:")
            h.update(pd.util.hash_pandas_object(item.astype(str), index=False).to_numpy().tobytes())
            h.update(",".join(map(str, item.columns)).encode())
        else:
            path = Path(item)
            h.update(f"file:{path.name}:".encode())
            h.update((io.sha256_file(path) if path.is_file() else "missing").encode())
    return h.hexdigest()[:16]


def _layout_with_source(fig: Figure, width_cm_: float, text: str) -> None:
    """Fix the width, reserve a strip at the bottom for the source line and lay out everything above it."""
    source_pt = float(_style()["font"]["source"])
    strip_in = (source_pt * 1.5 + 4) / 72
    # The strip is added below the content (once per figure), so the plot keeps the size it was drawn at.
    h_content = getattr(fig, "_house_content_height", fig.get_size_inches()[1])
    fig._house_content_height = h_content
    w_in, h_in = width_cm_ * CM, h_content + strip_in
    fig.set_size_inches(w_in, h_in)
    strip = strip_in / h_in
    engine = fig.get_layout_engine()
    if engine is None or type(engine).__name__ != "ConstrainedLayoutEngine":
        fig.set_layout_engine("constrained")
    fig.get_layout_engine().set(rect=(0, strip, 1, 1 - strip))
    # A legend placed "outside lower" sits on the figure's bottom edge: pad it up to clear the source strip.
    for legend in fig.legends:
        if getattr(legend, "_outside_loc", None) == "lower":
            base = getattr(legend, "_house_pad", legend.borderaxespad)
            legend._house_pad = base
            legend.borderaxespad = base + strip * h_in * 72 / legend.prop.get_size_in_points()
    for t in list(fig.texts):
        if t.get_gid() == "source-line":
            t.remove()
    fig.text(
        0.005,
        2 / 72 / h_in,
        text,
        fontsize=source_pt,
        color=_style()["source"]["colour"],
        ha="left",
        va="bottom",
        gid="source-line",
    )


def save_figure(
    fig: Figure,
    target: str | Path,
    data: pd.DataFrame,
    source: str | None = None,
    width_cm: float | str = "full",
    *,
    n: int | None = None,
    title: str = "",
    caption: str = "",
    alt_text: str = "",
    chapter: str | None = None,
    notebook: str = "",
    parameters: dict | None = None,
    inputs: Iterable[str | Path | pd.DataFrame] | None = None,
    manifest: str | Path | None = None,
) -> dict[str, Path]:
    """Write ``target``.png (300 dpi) / .svg / .pdf / .csv / .json / .txt and upsert the manifest row.

    ``target`` is ``figures/<chapter>/<nn>_<what>`` without suffix. ``source`` defaults to the house source
    line with ``n``. The figure is set to the report width (``"full"``, ``"half"`` or cm) and laid out so
    nothing is cut off; a text that still sticks out gives a warning naming the file. ``data`` must be exactly
    the numbers drawn. The manifest (``figures/manifest.csv`` by default: the folder above the chapter folder)
    gets one row per figure, replaced on re-run, with a hash of ``inputs`` (files or tables) so a figure in a
    draft traces to the run and inputs that made it.
    """
    apply_style()
    target = Path(target)
    if target.suffix in {".png", ".svg", ".pdf", ".csv"}:
        target = target.with_suffix("")
    wcm = to_cm(width_cm)
    source = source or source_line(n)
    if n is None:
        found = re.search(r"N\s*=\s*(\d[\d\u00a0 ]*)", source)
        n = int(re.sub(r"\D", "", found.group(1))) if found else None
    _layout_with_source(fig, wcm, source)
    norwegian_ticks(fig)
    clipped = outside_canvas(fig)
    if clipped:
        warnings.warn(
            f"{target}.png: text outside the canvas (cut off in print): {'; '.join(clipped[:5])}",
            stacklevel=2,
        )
    written: dict[str, Path] = {}
    meta = {
        "png": {"Software": "rusinnspill"},
        "svg": {"Date": None, "Creator": "rusinnspill"},
        "pdf": {"CreationDate": None, "Creator": "rusinnspill", "Title": title or target.name},
    }
    for ext in ("png", "svg", "pdf"):
        path = target.with_name(f"{target.name}.{ext}")
        with io.atomic_path(path) as tmp:
            fig.savefig(tmp, format=ext, dpi=_style()["size"]["dpi"], bbox_inches=None, metadata=meta[ext])
        written[ext] = path
    written["csv"] = io.write_csv(data, target.with_name(f"{target.name}.csv"))
    chapter = chapter if chapter is not None else target.parent.name
    manifest_path = Path(manifest) if manifest else target.parent.parent / MANIFEST_NAME
    root = manifest_path.parent
    rel = _relative(written["png"], root)
    digest = inputs_hash(inputs) if inputs is not None else inputs_hash([data])
    record = {
        "file": rel,
        "chapter": chapter,
        "title": title,
        "caption": caption,
        "n": n if n is not None else "",
        "data_file": _relative(written["csv"], root),
        "notebook": notebook,
        "parameters": json.dumps(parameters or {}, ensure_ascii=False, sort_keys=True, default=str),
        "inputs_hash": digest,
        "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "width_cm": round(wcm, 2),
        "formats": "png,svg,pdf,csv",
        "alt_text": alt_text,
    }
    sidecar = {
        **record,
        "source": source,
        "parameters": parameters or {},
        "files": {k: _relative(v, root) for k, v in written.items()},
    }
    written["json"] = io.write_text(
        target.with_name(f"{target.name}.json"),
        json.dumps(sidecar, ensure_ascii=False, indent=2, default=str) + "\n",
    )
    written["txt"] = io.write_text(
        target.with_name(f"{target.name}.txt"), _caption_text(title, caption, alt_text, source)
    )
    written["manifest"] = update_manifest(manifest_path, record)
    return written


def save_chart(chart: Chart, target: str | Path, **meta: Any) -> dict[str, Path]:
    """Export a :class:`Chart` with its own data, title, caption, alt text, N and width."""
    meta.setdefault("n", chart.n)
    meta.setdefault("title", chart.title)
    meta.setdefault("caption", chart.caption)
    meta.setdefault("alt_text", chart.alt_text)
    return save_figure(chart.fig, target, chart.data, width_cm=chart.width_cm, **meta)


def _caption_text(title: str, caption: str, alt_text: str, source: str) -> str:
    parts = [
        f"Tittel: {title}" if title else "",
        f"Figurtekst: {caption}" if caption else "",
        f"Alternativ tekst: {alt_text}" if alt_text else "",
        source,
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def read_manifest(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=MANIFEST_COLUMNS)
    return io.read_csv(path, dtype=str, keep_default_na=False)


def update_manifest(path: str | Path, record: dict) -> Path:
    """Upsert ``record`` by ``file`` into the manifest, atomically and under a lock (two writers)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            current = read_manifest(path)
            for col in MANIFEST_COLUMNS:
                if col not in current.columns:
                    current[col] = ""
            row = pd.DataFrame(
                [{c: ("" if record.get(c) is None else str(record.get(c, ""))) for c in MANIFEST_COLUMNS}]
            )
            current = current[current["file"] != row.loc[0, "file"]]
            merged = pd.concat([current, row], ignore_index=True).sort_values("file", kind="stable")
            io.write_csv(merged[MANIFEST_COLUMNS], path)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return path


def close(chart_or_fig: Chart | Figure) -> None:
    """Free the figure's memory after export (notebooks draw dozens)."""
    plt.close(chart_or_fig.fig if isinstance(chart_or_fig, Chart) else chart_or_fig)

"""Tables for the report from positions.csv: counts, the organisation x position matrix, co-occurrence and
the quote tables ("høringsinstansenes syn") exported to Markdown, Word and Excel.

Counting rule: a campaign (near-identical letters from several senders) is one VOICE but several LETTERS;
tables give both so the writer can say "17 innspill (12 stemmer)".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers import io
from helpers.positions.aggregate import CALLS, NOT_PUBLIC, SEP

STANCE_CODE = {"support": 1, "oppose": -1, "mixed": 0}
STANCE_NB = {"support": "støtter", "oppose": "går imot", "mixed": "delt", "mentions": "nevner"}
QUOTE_COLUMNS = ["organisation", "org_type", "stance", "sentence", "location", "reviewed"]
QUOTE_HEADERS_NB = {
    "organisation": "Høringsinstans",
    "org_type": "Type",
    "stance": "Syn",
    "sentence": "Sitat",
    "location": "Kilde",
    "reviewed": "Gjennomgått",
}


def voice_key(positions: pd.DataFrame) -> pd.Series:
    """One key per voice: the campaign id for campaign copies, else the submission id."""
    camp = positions["campaign_id"] if "campaign_id" in positions else pd.Series("", index=positions.index)
    is_c = (
        positions["is_campaign"].astype(bool)
        if "is_campaign" in positions
        else pd.Series(False, index=positions.index)
    )
    camp = camp.fillna("").astype(str)
    return np.where(is_c & (camp != ""), "campaign:" + camp, positions["submission_id"].astype(str))


def stance_counts(positions: pd.DataFrame) -> pd.DataFrame:
    """position_id, label, org_type, stance, n_voices (a campaign once), n_letters, n_reviewed; calls
    only."""
    df = positions[positions["stance"].isin(CALLS)].copy()
    cols = ["position_id", "label", "org_type", "stance", "n_voices", "n_letters", "n_reviewed"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["_voice"] = voice_key(df)
    df["_reviewed"] = df["reviewed"].astype(bool) if "reviewed" in df else False
    df["org_type"] = df["org_type"].fillna("ukjent").replace("", "ukjent")
    out = (
        df.groupby(["position_id", "label", "org_type", "stance"], sort=False)
        .agg(n_voices=("_voice", "nunique"), n_letters=("_voice", "size"), n_reviewed=("_reviewed", "sum"))
        .reset_index()
    )
    out["n_reviewed"] = out["n_reviewed"].astype(int)
    return out[cols].sort_values(["position_id", "stance", "org_type"]).reset_index(drop=True)


def _org_stance(stances: pd.Series) -> float:
    """One organisation's stance on a position over its letters: +1, -1, 0 (mixed) or NaN (no call)."""
    codes = {STANCE_CODE[s] for s in stances if s in STANCE_CODE}
    if not codes:
        return np.nan
    if codes == {1}:
        return 1.0
    if codes == {-1}:
        return -1.0
    return 0.0


def org_position_matrix(positions: pd.DataFrame, order: str = "pca") -> pd.DataFrame:
    """Organisation x position: +1 support, -1 oppose, 0 mixed, NaN no call; a campaign is one row.

    Rows and columns are ordered so that coalitions show as blocks: by the first principal component of the
    filled matrix (NaN = 0), i.e. organisations that take the same sides sit together, and positions that
    the same organisations support sit together. ``order="none"`` keeps alphabetical order.
    """
    df = positions[positions["stance"].isin(CALLS)].copy()
    if df.empty:
        return pd.DataFrame()
    is_c = df["is_campaign"].astype(bool) if "is_campaign" in df else False
    camp = df["campaign_id"].fillna("").astype(str) if "campaign_id" in df else ""
    df["row"] = np.where(is_c & (camp != ""), "Kampanje " + pd.Series(camp, index=df.index), df["org_name"])
    mat = df.pivot_table(index="row", columns="position_id", values="stance", aggfunc=_org_stance)
    mat.index.name, mat.columns.name = "org_name", "position_id"
    if order == "none" or min(mat.shape) < 2:
        return mat.sort_index()
    filled = mat.fillna(0.0).to_numpy(dtype=float)
    centred = filled - filled.mean(axis=0)
    try:
        u, s, vt = np.linalg.svd(centred, full_matrices=False)
        row_score, col_score = u[:, 0] * s[0], vt[0]
    except np.linalg.LinAlgError:
        row_score, col_score = filled.sum(axis=1), filled.sum(axis=0)
    if np.allclose(row_score, 0):
        row_score = filled.sum(axis=1)
    rows = np.lexsort((mat.index.to_numpy(dtype=str), -np.round(row_score, 9)))
    cols = np.lexsort((mat.columns.to_numpy(dtype=str), -np.round(col_score, 9)))
    return mat.iloc[rows, cols]


def position_cooccurrence(positions: pd.DataFrame) -> pd.DataFrame:
    """Position x position: how many organisations (a campaign once) support both. Diagonal: support."""
    df = positions[positions["stance"] == "support"].copy()
    if df.empty:
        return pd.DataFrame()
    df["_voice"] = voice_key(df)
    onehot = pd.crosstab(df["_voice"], df["position_id"]).clip(upper=1)
    co = onehot.T @ onehot
    co.index.name, co.columns.name = "position_id", "position_id"
    return co


def quote_table(positions: pd.DataFrame, position_id: str, include_mentions: bool = False) -> pd.DataFrame:
    """ "Høringsinstansenes syn" for one position: one row per evidence sentence (organisation, org_type,
    stance, sentence, location, reviewed), supporters first. Non-public letters appear with their stance
    and location, the sentence replaced by "(ikke offentlig)"."""
    stances = ("support", "mixed", "oppose") + (("mentions",) if include_mentions else ())
    df = positions[(positions["position_id"] == position_id) & positions["stance"].isin(stances)]
    rows = []
    for r in df.itertuples(index=False):
        locs = str(r.evidence_location).split(SEP) if r.evidence_location else [""]
        texts = [NOT_PUBLIC] * len(locs) if r.evidence == NOT_PUBLIC else str(r.evidence).split(SEP)
        if len(texts) != len(locs):  # a sentence holding " | " itself: keep the whole evidence once
            texts, locs = [str(r.evidence)], [SEP.join(locs)]
        for text, loc in zip(texts, locs, strict=True):
            rows.append(
                {
                    "organisation": r.org_name,
                    "org_type": r.org_type,
                    "stance": r.stance,
                    "sentence": text,
                    "location": loc,
                    "reviewed": bool(r.reviewed),
                }
            )
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    rank = {s: i for i, s in enumerate(stances)}
    return (
        out.assign(_r=out["stance"].map(rank))
        .sort_values(["_r", "organisation"], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def _for_export(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["stance"] = out["stance"].map(STANCE_NB).fillna(out["stance"])
    out["reviewed"] = np.where(out["reviewed"].astype(bool), "ja", "maskin")
    return out.rename(columns=QUOTE_HEADERS_NB)


def _markdown(df: pd.DataFrame, title: str) -> str:
    def cell(v) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = [f"# {title}", "", "| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def export_quote_table(df: pd.DataFrame, path: str | Path, title: str | None = None) -> dict[str, Path]:
    """Write the quote table as ``<path>.md``, ``.docx`` (Word table) and ``.xlsx`` (Excel), with Norwegian
    headers; returns the paths written. All writes are atomic (helpers.io)."""
    from docx import Document
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".md", ".docx", ".xlsx") else path
    title = title or "Høringsinstansenes syn"
    nb = _for_export(df)
    written = {"md": io.write_text(base.with_suffix(".md"), _markdown(nb, title))}

    doc = Document()
    doc.add_heading(title, level=1)
    table = doc.add_table(rows=1, cols=len(nb.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, nb.columns, strict=True):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in nb.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    with io.atomic_path(base.with_suffix(".docx")) as tmp:
        doc.save(str(tmp))
    written["docx"] = base.with_suffix(".docx")

    wb = Workbook()
    ws = wb.active
    ws.title = "Syn"
    ws.append(list(nb.columns))
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in nb.itertuples(index=False):
        ws.append([str(v) for v in row])
    widths = {"Sitat": 90, "Kilde": 40, "Høringsinstans": 30}
    for i, name in enumerate(nb.columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(name, 16)
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    with io.atomic_path(base.with_suffix(".xlsx")) as tmp:
        wb.save(str(tmp))
    written["xlsx"] = base.with_suffix(".xlsx")
    return written

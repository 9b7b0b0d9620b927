"""Campaign detection: near-copies grouped, additions kept, unrelated letters and mandates left alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import campaigns, segments
from helpers.cleaning import Block


def _frames(texts: list[str], kinds: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Submissions and sentence segments for plain texts (one paragraph block per line)."""
    rows, seg_frames = [], []
    for i, text in enumerate(texts):
        sid = f"s{i:04d}"
        blocks = [Block("paragraph", line) for line in text.split("\n") if line.strip()]
        full, cols, _ = segments.assemble(sid, blocks)
        rows.append({"submission_id": sid, "file": f"f{i:04d}.txt", "text": full, "received_date": pd.NaT,
                     "is_reference": (kinds or ["innspill"] * len(texts))[i] == "mandat"})
        seg_frames.append(pd.DataFrame({"submission_id": sid, **cols}))
    return pd.DataFrame(rows), pd.concat(seg_frames, ignore_index=True)


def _letter(rng: np.random.Generator, vocab: list[str], n_sent: int = 12) -> list[str]:
    return [" ".join(rng.choice(vocab, size=int(rng.integers(8, 16)))).capitalize() + "."
            for _ in range(n_sent)]


@pytest.fixture(scope="module")
def vocab() -> list[str]:
    rng = np.random.default_rng(7)
    letters = list("abcdefghijklmnoprstuvyæøå")
    return sorted({"".join(rng.choice(letters, size=int(rng.integers(3, 10)))) for _ in range(4000)})


def test_campaign_copies_grouped_with_their_additions(vocab: list[str]) -> None:
    rng = np.random.default_rng(1)
    template = _letter(rng, vocab)
    copies = []
    for town in ("Nordby", "Sørby", "Vestby"):
        sents = list(template)
        sents[0] = f"Lokallaget i {town} sender dette brevet."
        sents.insert(6, f"I {town} har vi egne erfaringer med dette arbeidet over mange år.")
        copies.append("\n".join(sents))
    others = ["\n".join(_letter(rng, vocab)) for _ in range(5)]
    subs, segs = _frames(copies + others)
    out = campaigns.find_campaigns(subs, segs).set_index("submission_id")
    members = out[out["is_campaign"]]
    assert list(members.index) == ["s0000", "s0001", "s0002"]
    assert members["campaign_id"].nunique() == 1 and (members["campaign_size"] == 3).all()
    template_sid = members["campaign_id"].iloc[0].removeprefix("campaign-")
    assert members.at[template_sid, "campaign_additions"] == ""
    for sid in members.index.drop(template_sid):
        added = members.at[sid, "campaign_additions"].split("\n")
        assert len(added) == 2 and all(("Lokallaget i" in a) or ("har vi egne" in a) for a in added)
    assert not out.loc[["s0003", "s0004", "s0005", "s0006", "s0007"], "is_campaign"].any()
    # a strict threshold keeps edited copies apart
    strict = campaigns.find_campaigns(subs, segs, threshold=0.99)
    assert not strict["is_campaign"].any()


def test_many_letters_use_lsh_and_still_find_the_campaign(vocab: list[str]) -> None:
    rng = np.random.default_rng(2)
    base = _letter(rng, vocab, 15)
    texts = ["\n".join(_letter(rng, vocab)) for _ in range(campaigns.SMALL_POOL + 100)]
    for k in range(4):
        edited = list(base)
        edited[k] = f"Sendt fra gruppe nummer {k} i fylket."
        texts.insert(k * 97, "\n".join(edited))
    subs, segs = _frames(texts)
    pairs = zip(subs["submission_id"], subs["text"], strict=True)
    sigs = pd.Series({sid: campaigns.signature(t) for sid, t in pairs})
    out = campaigns.find_campaigns(subs, segs, signatures=sigs)
    found = set(out.loc[out["is_campaign"], "submission_id"])
    assert found == {f"s{k * 97:04d}" for k in range(4)}


def test_reference_documents_never_join_a_campaign(vocab: list[str]) -> None:
    rng = np.random.default_rng(3)
    text = "\n".join(_letter(rng, vocab))
    subs, segs = _frames([text, text + "\nEn ekstra setning her.", text],
                         kinds=["innspill", "innspill", "mandat"])
    out = campaigns.find_campaigns(subs, segs).set_index("submission_id")
    assert out.loc[["s0000", "s0001"], "is_campaign"].all()
    assert not out.at["s0002", "is_campaign"]
    with pytest.raises(ValueError, match="threshold"):
        campaigns.find_campaigns(subs, segs, threshold=1.5)

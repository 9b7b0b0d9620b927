"""Atomic writes: a failed write leaves the previous file intact and no temporary file behind."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from helpers import io


def test_failed_write_keeps_previous_output(tmp_path):
    target = tmp_path / "table.csv"
    io.write_csv(pd.DataFrame({"org_name": ["Brattvik kommune"]}), target)
    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        with io.atomic_path(target) as tmp:
            tmp.write_text("half a ta", encoding="utf-8")
            raise RuntimeError("killed mid-write")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
    assert before.startswith("\ufeff".encode()) and "Brattvik kommune" in before.decode("utf-8-sig")


def test_written_files_follow_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = io.write_text(tmp_path / "a.txt", "æøå")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8") == "æøå"

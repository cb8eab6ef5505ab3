"""Documents generated from the declarations must match what is committed."""

from __future__ import annotations

from pathlib import Path

import pytest

from jjis.docs import generated_files, render_settings
from jjis.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", sorted(generated_files(ROOT)), ids=lambda p: p.name)
def test_committed_document_is_the_generated_one(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == generated_files(ROOT)[path], (
        f"{path} is out of date: run `jjis docs`")


def test_every_setting_is_documented() -> None:
    text = render_settings()
    for s in SETTINGS:
        assert f"`{s.name}`" in text and s.help in text

from __future__ import annotations

from pathlib import Path

import pytest

from jjis.errors import JjisError
from jjis.settings import Config, band_label, inherited, load_config


def test_defaults_and_file_values(tmp_path: Path) -> None:
    cfg = tmp_path / "jjis.toml"
    cfg.write_text('[population]\nages = [0, 17]\n[population.ages_by_area]\n"US-TX" = [10, 16]\n')
    c = load_config(cfg, explicit=True)
    assert c["population.ages_by_area"] == {"US-TX": [10, 16]}
    assert c["publication.disclosure_threshold"] == 5
    assert inherited(c, "population.ages_by_area", ["US-TX-01", "US-TX", "US"], "population.ages") == [10, 16]
    assert inherited(c, "population.ages_by_area", ["US-CA", "US"], "population.ages") == [0, 17]


def test_age_group_labels() -> None:
    assert Config().age_group_labels == ["under_14", "14_15", "16_17", "unknown"]
    assert band_label(10, 13) == "10_13"


@pytest.mark.parametrize("text,words", [
    ("[population]\nage = [0, 17]\n", "population.age, which is not a setting"),
    ("[population]\nages = [17, 0]\n", "not a range"),
    ("[indicators]\ndetention_kinds = ['jail']\n", "allowed:"),
    ("[population\n", "not valid TOML"),
])
def test_bad_configuration_is_refused_with_a_clear_sentence(tmp_path: Path, text: str, words: str) -> None:
    cfg = tmp_path / "jjis.toml"
    cfg.write_text(text)
    with pytest.raises(JjisError, match=words):
        load_config(cfg, explicit=True)


def test_a_named_configuration_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(JjisError, match="does not exist"):
        load_config(tmp_path / "nope.toml", explicit=True)
    assert load_config(tmp_path / "nope.toml", explicit=False)["population.ages"] == [0, 17]

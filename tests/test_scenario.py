"""Scenario files: loading, extends, overrides and clear errors."""

from __future__ import annotations

import pytest

from model import ScenarioError, load_scenario
from model.scenario import all_keys


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_scenarios_load(scenarios_dir):
    files = sorted(scenarios_dir.glob("*.toml"))
    assert len(files) >= 8
    for path in files:
        scenario = load_scenario(path)
        assert scenario.name
        assert scenario["description"], f"{path.name} needs a description"


def test_extends_chain_and_overrides(tmp_path):
    write(tmp_path, "base.toml", 'name = "base"\n[team]\ncare = 4\nhours_in_wijk = 20\n')
    write(tmp_path, "mid.toml", 'extends = "base.toml"\nname = "mid"\n[team]\ncare = 5\n')
    leaf = write(tmp_path, "leaf.toml", 'extends = "mid.toml"\nname = "leaf"\n[team]\nmandate = "full"\n')
    scenario = load_scenario(leaf, overrides={"team.hours_in_wijk": 16, "parameters.worsening_rate": 0.03})
    assert scenario["team.care"] == 5
    assert scenario["team.mandate"] == "full"
    assert scenario["team.hours_in_wijk"] == 16.0
    assert scenario.parameters["worsening_rate"] == 0.03
    assert len(scenario.chain) == 3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[team]\nmandaat = "full"\n', "did you mean team.mandate"),
        ('[teem]\ncare = 2\n', "unknown section [teem]"),
        ('[team]\ncare = "two"\n', "team.care must be an integer"),
        ('[team]\nmandate = "partial"\n', 'use "none" | "derived" | "full"'),
        ('[team]\nturnover_per_year = 1.5\n', "out of range"),
        ('[team]\nduo_visits = "yes"\n', "true or false"),
        ('[parameters]\nworsening_rat = 0.1\n', "did you mean worsening_rate"),
        ('[parameters]\nworsening_rate = -0.1\n', "must not be negative"),
        ('[team\ncare = 2\n', "TOML syntax error"),
    ],
)
def test_bad_content_gives_one_clear_line(tmp_path, text, fragment):
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert fragment in message
    assert str(path) in message
    assert "\n" not in message


def test_file_problems(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="empty"):
        load_scenario(write(tmp_path, "empty.toml", "  \n"))
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x00\xff\xfe\x01")
    with pytest.raises(ScenarioError, match="not a text file|binary"):
        load_scenario(binary)
    a = write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="circular extends"):
        load_scenario(a)
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(write(tmp_path, "orphan.toml", 'extends = "nowhere.toml"\n'))


def test_override_unknown_key_is_rejected():
    with pytest.raises(ScenarioError, match="did you mean team.mandate"):
        load_scenario(overrides={"team.mandat": "full"})


def test_interface_keys_exist():
    keys = set(all_keys())
    for key in ("run.years", "run.burn_in_weeks", "run.replications", "run.seed", "neighbourhood.residents",
                "neighbourhood.width", "neighbourhood.height", "team.community", "team.individual",
                "team.care", "team.hours_per_week", "team.hours_in_wijk", "team.mandate",
                "team.duo_visits", "team.turnover_per_year", "team.specialist_agreements",
                "volunteers.share"):
        assert key in keys

"""`wijkteam calibrate` and its files: targets and calibration files, the distance, a tiny ABC-SMC
end to end, resuming from its database, and the one-line errors for bad input."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from experiments.calibration import Distance, load_calibration
from experiments.national import FIGURES
from experiments.targets import OUTPUTS, load_targets
from model import ScenarioError, load_scenario

from test_cli import ROOT, wijkteam

TARGETS = """
name = "tiny"
[targets.youth_starts]
output = "youth_entries_per_1000_youths"
value = 64.0
interval = [48.0, 85.0]
unit = "per 1,000 youths a year"
year = 2021
source = "CBS"
[targets.debt]
output = "problematic_debt_share"
value = 0.077
interval = [0.058, 0.103]
unit = "share of households"
year = 2020
source = "CBS"
[targets.by_gp]
output = "youth_gp_share"
value = 0.36
interval = [0.27, 0.45]
unit = "share"
year = 2021
source = "CBS"
role = "check"
"""

CALIBRATION = """
name = "tiny"
scenario = "{scenario}"
targets = "targets/tiny.toml"
replications = 1
seed = 5
first_year = 0
[overrides]
"neighbourhood.residents" = 500
"neighbourhood.width" = 20
"neighbourhood.height" = 20
"run.years" = 1
"run.burn_in_weeks" = 8
[parameters]
incidence_debt = [0.008, 0.02]
gp_visit_rate = [0.02, 0.08]
[abc]
population = 6
generations = {generations}
"""


def write_files(tmp_path: Path, generations: int = 1, targets: str = TARGETS) -> Path:
    (tmp_path / "targets").mkdir(exist_ok=True)
    (tmp_path / "targets" / "tiny.toml").write_text(targets)
    text = CALIBRATION.format(scenario=ROOT / "scenarios" / "current_practice.toml", generations=generations)
    path = tmp_path / "calibration.toml"
    path.write_text(text)
    return path


def test_the_bundled_targets_cover_the_issue_figures_and_name_real_outputs():
    targets = load_targets(ROOT / "data" / "targets" / "netherlands.toml")
    outputs = {t.output for t in targets.fitted}
    assert {"youth_entries_per_1000_youths", "youth_in_care_per_1000_youths", "wmo_in_care_per_1000",
            "mental_treated_per_1000_adults", "problematic_debt_share", "debt_applications_per_1000_households",
            "spend_youth_per_resident", "spend_wmo_per_resident", "spend_insurer_ggz_per_resident",
            "crisis_share"} <= outputs
    assert all(t.low < t.value < t.high and t.source for t in targets.targets)
    assert set(OUTPUTS) == {f.name for f in FIGURES}


def test_the_bundled_calibration_file_is_valid():
    calibration = load_calibration(ROOT / "experiments" / "calibration_netherlands.toml")
    assert calibration.base.name == "current-practice"
    assert 6 <= len(calibration.priors) <= 10


def test_distance_is_zero_at_the_targets_and_one_at_the_interval_edges(tmp_path):
    targets = load_targets(write_files(tmp_path).parent / "targets" / "tiny.toml")
    distance = Distance(targets)
    assert distance({"youth_entries_per_1000_youths": 64.0, "problematic_debt_share": 0.077,
                     "youth_gp_share": 0.0}) == 0.0
    # one target at its upper edge, the other at its lower edge: both scaled differences are 1
    assert distance({"youth_entries_per_1000_youths": 85.0, "problematic_debt_share": 0.058,
                     "youth_gp_share": 0.9}) == pytest.approx(1.0)
    # a check target never enters the distance; a missing figure (no entries at all) is infinitely far
    assert distance({"youth_entries_per_1000_youths": float("nan"), "problematic_debt_share": 0.077,
                     "youth_gp_share": 0.36}) == float("inf")


@pytest.mark.parametrize(("old", "new", "message"), [
    ('output = "problematic_debt_share"', 'output = "problematic_debts_share"',
     "unknown output 'problematic_debts_share' (did you mean problematic_debt_share?)"),
    ("interval = [0.058, 0.103]", "interval = [0.103, 0.058]", "has low above high"),
    ("interval = [0.058, 0.103]", "interval = [0.08, 0.103]", "must lie strictly inside its interval"),
    ('role = "check"', 'role = "maybe"', "role must be one of fit, check"),
    ('source = "CBS"\n[targets.debt]', '[targets.debt]', "source is missing"),
])
def test_bad_targets_get_one_line_naming_file_and_key(tmp_path, old, new, message):
    assert old in TARGETS
    path = write_files(tmp_path, targets=TARGETS.replace(old, new, 1)).parent / "targets" / "tiny.toml"
    with pytest.raises(ScenarioError) as error:
        load_targets(path)
    assert message in str(error.value) and str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_a_targets_file_outside_a_targets_folder_is_refused(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TARGETS)
    with pytest.raises(ScenarioError, match="lives in a folder named targets/"):
        load_targets(path)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("gp_visit_rate = [0.02, 0.08]", "gp_visit_rate = [0.01, 0.08]",
     "gp_visit_rate = [0.01, 0.08] lies outside the parameter's range"),
    ("gp_visit_rate = [0.02, 0.08]", "gp_visit_rat = [0.02, 0.08]",
     "unknown parameter 'gp_visit_rat' (did you mean gp_visit_rate?)"),
    ("gp_visit_rate = [0.02, 0.08]", "gp_visit_rate = [0.08, 0.02]", "needs low below high"),
    ('targets = "targets/tiny.toml"', 'targets = "targets/none.toml"', "targets 'targets/none.toml' not found"),
    ("population = 6", "populaton = 6", "unknown key 'populaton' (did you mean population?)"),
])
def test_bad_calibration_files_get_one_line(tmp_path, old, new, message):
    path = write_files(tmp_path)
    path.write_text(path.read_text().replace(old, new))
    result = wijkteam("check", path)
    assert result.returncode == 2
    assert message in result.stderr and str(path) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_check_names_both_file_kinds(tmp_path):
    path = write_files(tmp_path)
    result = wijkteam("check", path, tmp_path / "targets" / "tiny.toml")
    assert result.returncode == 0, result.stderr
    assert "calibration tiny, 2 parameters against 2 targets" in result.stdout
    assert "targets tiny, 2 to fit, 1 to check" in result.stdout


def test_a_tiny_calibration_runs_end_to_end_and_resumes_from_its_database(tmp_path):
    path = write_files(tmp_path, generations=1)
    out = tmp_path / "out"
    first = wijkteam("calibrate", path, "--out", out, "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "generation 1/1: epsilon" in first.stderr
    for name in ("posterior.parquet", "calibrated.toml", "fit.csv", "manifest.json", "figures/fit.png",
                 "figures/posterior.png"):
        assert (out / name).exists(), name
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert {"parameters.incidence_debt", "parameters.gp_visit_rate", "weight", "generation"} <= set(posterior)
    assert len(posterior) == 6 and posterior["weight"].sum() == pytest.approx(1.0)
    fit = pd.read_csv(out / "fit.csv")
    assert list(fit["target"]) == ["youth_starts", "debt", "by_gp"]
    assert {"observed", "low", "high", "model_median", "model_p5", "model_p95", "replication_sd",
            "within"} <= set(fit)
    assert (fit["model_p5"] <= fit["model_median"]).all() and (fit["model_median"] <= fit["model_p95"]).all()
    # the calibrated values are a [parameters] table a scenario can use
    calibrated = tomllib.loads((out / "calibrated.toml").read_text())["parameters"]
    assert 0.008 <= calibrated["incidence_debt"] <= 0.02
    scenario = tmp_path / "calibrated_scenario.toml"
    scenario.write_text(f'name = "calibrated"\nextends = "{ROOT / "scenarios" / "current_practice.toml"}"\n'
                        + (out / "calibrated.toml").read_text())
    assert load_scenario(scenario).parameters["incidence_debt"] == pytest.approx(calibrated["incidence_debt"])

    # the same file asking for a second generation resumes: one generation more, the first one kept
    write_files(tmp_path, generations=2)
    second = wijkteam("calibrate", path, "--out", out, "--workers", "2")
    assert second.returncode == 0, second.stderr
    assert "1 of 2 generations done" in second.stderr and "generation 2/2" in second.stderr
    assert "generation 1/2" not in second.stderr
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert sorted(posterior["generation"].unique()) == [0, 1]

    # a different calibration in the same folder is refused, nothing is mixed
    path.write_text(path.read_text().replace("seed = 5", "seed = 6"))
    third = wijkteam("calibrate", path, "--out", out)
    assert third.returncode == 2 and "holds a different calibration" in third.stderr


def test_compare_sets_current_practice_beside_the_national_figures(tmp_path):
    from test_cli import TINY

    paths = []
    for name, base in (("no-team", "no_team.toml"), ("current-practice", "current_practice.toml")):
        path = tmp_path / f"{name}.toml"
        path.write_text(TINY.format(name=name, base=ROOT / "scenarios" / base, extra=""))
        paths.append(path)
    out = tmp_path / "out"
    result = wijkteam("compare", *paths, "--out", out, "--quiet", "--workers", "1", "--replications", "1",
                      "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "current-practice against national statistics" in result.stdout
    assert "wmo_in_care_per_1000" in result.stdout.split("against national statistics")[1]
    national = pd.read_csv(out / "national.csv")
    assert set(national["scenario"]) == {"no-team", "current-practice"}
    assert set(national["figure"]) == set(OUTPUTS)


def test_a_killed_calibration_resumes_after_its_last_finished_generation(tmp_path):
    """Ctrl-C in the middle of generation 2 keeps generation 1 in the database; the same command
    then runs generation 2 only."""
    import os
    import signal
    import subprocess
    import sys

    path = write_files(tmp_path, generations=2)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "experiments.cli", "calibrate", str(path), "--out", str(out),
                                "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    seen = ""
    while "generation 1/2" not in seen:  # the per-generation line; the in-generation bar uses \r
        chunk = process.stderr.readline()
        assert chunk, "the calibration ended before its first generation line"
        seen += chunk
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGINT
    assert "finished generations are kept" in rest and "Traceback" not in rest
    again = wijkteam("calibrate", path, "--out", out, "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert "1 of 2 generations done" in again.stderr and "generation 2/2" in again.stderr
    assert sorted(pd.read_parquet(out / "posterior.parquet")["generation"].unique()) == [0, 1]


KNOWN_MISSES = {
    # measured at the calibrated defaults; the README and ODD 9.1 say why
    "youth_spending": "the model's youths are 0-19 (22% of residents), CBS's spending covers 0-22, and its youths "
                      "in care fall short of CBS's stock (measured: 209 euros per resident against 307)",
    "wmo_spending": "Wmo clients lie in the upper part of their interval (87 per 1,000 against 72) at CBS's price "
                    "per client (measured: 424 euros per resident against 308, the interval ends at 411)",
}


@pytest.mark.slow
def test_the_calibrated_defaults_reproduce_the_national_figures():
    """Current practice at the calibrated defaults, as the bundled calibration ran it (3,000
    residents, years 1-3 after the 20-year burn-in) but with four fresh replications: every
    fitted target within its interval, except the known misses."""
    from experiments.calibration import load_calibration, simulate

    calibration = load_calibration(ROOT / "experiments" / "calibration_netherlands.toml")
    calibration.seed, calibration.replications = 99, 4
    figures = simulate(calibration, {}).mean()
    outside = {t.name: round(figures[t.output], 3) for t in calibration.targets.fitted
               if not t.within(figures[t.output]) and t.name not in KNOWN_MISSES}
    assert not outside, outside

"""End-to-end tests of the `wijkteam` command line: run, compare, check and bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from model.recorder import INTERFACE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
TINY = """
name = "{name}"
description = "a tiny wijk for tests"
extends = "{base}"
[run]
years = 1
burn_in_weeks = 8
replications = 2
[neighbourhood]
residents = 600
width = 20
height = 20
{extra}
"""


def wijkteam(*args, timeout=300):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "experiments.cli", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def tiny(tmp_path, name, extra=""):
    path = tmp_path / f"{name}.toml"
    path.write_text(TINY.format(name=name, base=ROOT / "scenarios" / "recommended.toml", extra=extra))
    return path


def test_run_writes_the_report(tmp_path):
    scenario = tiny(tmp_path, "tiny")
    out = tmp_path / "out"
    result = wijkteam("run", scenario, "--out", out, "--quiet", "--workers", "1", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "Second-line entries" in result.stdout
    frame = pd.read_parquet(out / "timeseries.parquet")
    for column in ("scenario", "replication", "week", "year", *INTERFACE_COLUMNS):
        assert column in frame.columns
    assert frame.replication.nunique() == 2
    summary = pd.read_csv(out / "summary.csv")
    for outcome in ("second_line_entries_per_1000", "crisis_entries_per_1000", "cost_team", "cost_second_line",
                    "cost_total", "mean_first_contact_severity", "final_team_competence"):
        assert {f"{outcome}_mean", f"{outcome}_p05", f"{outcome}_p95"} <= set(summary.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["versions"]["mesa"] and manifest["replication_seeds"]
    assert manifest["scenarios"][0]["resolved"]["team"]["mandate"] == "derived"
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert len(figures) >= 4
    assert not list(out.glob(".*partial"))


def test_compare_uses_common_random_numbers(tmp_path):
    a = tiny(tmp_path, "with-team")
    b = tiny(tmp_path, "without-team", "[team]\ncommunity = 0\nindividual = 0\ncare = 0\n")
    out = tmp_path / "cmp"
    result = wijkteam("compare", a, b, "--out", out, "--quiet", "--seed", "5", "--workers", "2")
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out / "timeseries.parquet")
    burn_in = frame[frame.week < 0].pivot_table(index=["replication", "week"], columns="scenario",
                                                values="mean_severity")
    pd.testing.assert_series_equal(burn_in["with-team"], burn_in["without-team"], check_names=False)
    assert "with-team" in result.stdout and "without-team" in result.stdout


def test_same_numbers_in_one_process_or_a_pool(tmp_path):
    scenario = tiny(tmp_path, "tiny")
    one = wijkteam("run", scenario, "--out", tmp_path / "one", "--quiet", "--workers", "1")
    two = wijkteam("run", scenario, "--out", tmp_path / "two", "--quiet", "--workers", "2")
    assert one.returncode == two.returncode == 0
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one" / "timeseries.parquet"),
                                  pd.read_parquet(tmp_path / "two" / "timeseries.parquet"))


def test_check_and_help():
    result = wijkteam("check", *sorted((ROOT / "scenarios").glob("*.toml")))
    assert result.returncode == 0 and "recommended.toml: ok" in result.stdout
    for command in ("run", "compare", "check"):
        helped = wijkteam(command, "--help")
        assert helped.returncode == 0 and "examples:" in helped.stdout


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[team]\nmandaat = "full"\n', "did you mean team.mandate"),
        ('[team\n', "TOML syntax error"),
        ('[team]\ncare = "many"\n', "must be an integer"),
        ('[team]\nturnover_per_year = 3\n', "out of range"),
        ('[team]\nduo_visits = "yes"\n', "true or false"),
        ('extends = "missing.toml"\n', "does not exist"),
        ('', "empty"),
    ],
)
def test_bad_scenarios_give_one_line_and_status_2(tmp_path, content, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    for command in (("check", path), ("run", path, "--out", tmp_path / "out")):
        result = wijkteam(*command)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert fragment in lines[0] and str(path) in lines[0]
        assert "Traceback" not in result.stderr


def test_other_bad_input(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)))
    cycle_a, cycle_b = tmp_path / "a.toml", tmp_path / "b.toml"
    cycle_a.write_text('extends = "b.toml"\n')
    cycle_b.write_text('extends = "a.toml"\n')
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    cases = [
        (("check", tmp_path / "missing.toml"), "file not found"),
        (("check", binary), "not a text file"),
        (("check", cycle_a), "circular extends"),
        (("run", ROOT / "scenarios" / "recommended.toml", "--out", blocked / "sub"), "cannot write the output directory"),
        (("run", ROOT / "scenarios" / "recommended.toml", "--replications", "0"), "must be at least 1"),
        (("compare", ROOT / "scenarios" / "recommended.toml"), "at least two"),
    ]
    for args, fragment in cases:
        result = wijkteam(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_interrupt_leaves_no_complete_looking_file(tmp_path):
    scenario = tiny(tmp_path, "slow")
    scenario.write_text(scenario.read_text().replace("years = 1", "years = 30").replace("replications = 2",
                                                                                       "replications = 50"))
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "experiments.cli", "run", str(scenario), "--out", str(out),
                                "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    first_line = process.stderr.readline()  # the progress bar: imports are done, the runs have begun
    time.sleep(2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    stderr = first_line + stderr
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not (out / "timeseries.parquet").exists()
    assert not (out / "summary.csv").exists()
    assert not (out / "manifest.json").exists()


def test_bundled_scenarios_are_listed_and_named_where_a_file_is_expected(tmp_path):
    listed = wijkteam("scenarios")
    assert listed.returncode == 0, listed.stderr
    assert "no-team" in listed.stdout and "The null alternative" in listed.stdout
    out = tmp_path / "out"
    result = wijkteam("compare", "no-team", "recommended", "--years", "1", "--replications", "1", "--quiet",
                      "--workers", "1", "--out", out)
    assert result.returncode == 0, result.stderr
    assert {"no-team", "recommended"} <= set(pd.read_parquet(out / "timeseries.parquet")["scenario"])
    typo = wijkteam("run", "no-tem")
    assert typo.returncode == 2 and typo.stderr.count("\n") == 1 and "no-team" in typo.stderr


def test_an_installed_wheel_carries_the_scenarios_and_runs_without_the_clone(tmp_path):
    """pip install . (not editable): the bundled scenarios, the posterior, the translations and the
    report's template travel as package data."""
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    target = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                                *map(str, wheels.glob("wijkteam-*.whl"))], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    # the installed files come first on the path, and the clone is not on it: run from elsewhere
    env = dict(os.environ, PYTHONPATH=str(target), NUMBA_CACHE_DIR=str(tmp_path / "numba"))
    code = ("import scenarios, model, dashboards.runs as runs, experiments.cli as cli; "
            "assert str(scenarios.directory()).startswith(%r), scenarios.directory(); "
            "assert model.__file__.startswith(%r), model.__file__; "
            "assert len(runs.bundled_scenarios()) == len(scenarios.bundled()) >= 10; "
            "import experiments.posterior as posterior; assert posterior.BUNDLED.is_relative_to(%r); "
            "assert len(runs.posterior_draws(3)) == 3; "
            "import translations; assert str(translations.directory()).startswith(%r); "
            "from experiments.language import Language; assert Language('nl').gettext('Total') == 'Totaal'; "
            "from experiments.council_report import template_environment; "
            "template_environment(Language('nl')).get_template('report.html.j2'); "
            "raise SystemExit(cli.main(['check', 'no-team', 'recommended', '--quiet']))") % (str(target), str(target), str(target), str(target))
    checked = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr

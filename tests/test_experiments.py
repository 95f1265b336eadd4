"""Experiments: validation of experiment files, sweeps, common random numbers, resuming after a kill,
identical numbers on every executor, and the Sobol'/Morris machinery (Ishigami with known indices).

Runs use a tiny wijk (400 residents, 20x20 grid, 1 year, 8 weeks of burn-in), so the file stays fast.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.executors import ExecutorError, execute
from experiments.experiment import load_experiment, run_experiment
from experiments.files import OutputError
from experiments.runs import replication_seeds
from experiments.sensitivity import SensitivitySpec, analyse, parameter_ranges, sample
from experiments.storage import Store
from experiments.summary import HEADLINE
from model import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
RECOMMENDED = ROOT / "scenarios" / "recommended.toml"
TINY = """
"neighbourhood.residents" = 400
"neighbourhood.width" = 20
"neighbourhood.height" = 20
"run.years" = 1
"run.burn_in_weeks" = 8
"""
SWEEP = """
name = "tiny-sweep"
scenario = "{scenario}"
replications = 2
seed = 11
[overrides]
{tiny}
[sweep]
"team.mandate" = ["none", "derived", "full"]
"team.hours_in_wijk" = [8, 24]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def sweep_file(directory: Path, extra: str = "") -> Path:
    return write(directory, "sweep.toml", SWEEP.format(scenario=RECOMMENDED, tiny=TINY) + extra)


def wijkteam(*args, timeout=300, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "experiments.cli", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny sweep run uninterrupted, sequentially, in this process."""
    directory = tmp_path_factory.mktemp("reference")
    path = sweep_file(directory)
    frame = run_experiment(path, directory / "out", workers=1, progress=False)
    return path, directory / "out", frame


# --- validation ------------------------------------------------------------------------------

BAD = [
    ('[sweep]\n"team.mandaat" = ["none"]', "did you mean team.mandate?"),
    ('[sweep]\n"parameters.worsening_rat" = [0.01]', "did you mean parameters.worsening_rate?"),
    ('[sweep]\n"team.mandate" = []', "non-empty list"),
    ('[sweep]\n"team.mandate" = ["some"]', '"none" | "derived" | "full"'),
    ('[sweep]\n"team.hours_in_wijk" = [8, 48]', "allowed 0 to 40"),
    ('[sensitivity]\nmethod = "sobol"\nsamples = 8\n[sensitivity.parameters]\n"team.hours_in_wijk" = [20, 10]',
     "low must be less than high"),
    ('[sensitivity]\nmethod = "sobol"\nsamples = 8\n[sensitivity.parameters]\n"team.hours_in_wijk" = [4]',
     "range [low, high]"),
    ('[sensitivity]\nmethod = "fast"\nsamples = 8\n[sensitivity.parameters]\n"team.hours_in_wijk" = [4, 8]',
     '"sobol" | "morris"'),
    ('[sensitivity]\nmethod = "sobol"\nsamples = 8\n[sensitivity.parameters]\n"team.mandate" = [0, 1]',
     "not numeric"),
    ('[sensitivity]\nmethod = "sobol"\nsamples = 10\n[sensitivity.parameters]\n"team.hours_in_wijk" = [4, 8]',
     "power of 2"),
    ('[sensitivity]\nmethod = "morris"\nsamples = 4\n[sensitivity.parameters]\n"team.hour_in_wijk" = [4, 8]',
     "did you mean team.hours_in_wijk?"),
    ('[sweep]\n"team.care" = [1]\n[sensitivity]\nmethod = "morris"', "not both"),
    ('replicatoins = 3\n[sweep]\n"team.care" = [1]', "did you mean replications?"),
    ('[sweep]\n"run.seed" = [1, 2]', "top-level `seed`"),
]


@pytest.mark.parametrize("body, message", BAD)
def test_bad_experiment_files_name_file_key_and_what_is_allowed(tmp_path, body, message):
    path = write(tmp_path, "bad.toml", f'name = "bad"\nscenario = "{RECOMMENDED}"\n{body}\n')
    with pytest.raises(ScenarioError) as error:
        load_experiment(path)
    text = str(error.value)
    assert message in text
    assert str(path) in text and "\n" not in text


@pytest.mark.parametrize("content, message", [
    ('name = "x"\nscenario = "nowhere.toml"\n[sweep]\n"team.care" = [1]', "not found"),
    ('name = "x"\n[sweep]\n"team.care" = [1]', "scenario is missing"),
    ("", "empty"),
    ("name = \n", "TOML syntax error"),
])
def test_missing_scenario_and_unreadable_files(tmp_path, content, message, capsys):
    path = write(tmp_path, "bad.toml", content)
    with pytest.raises(ScenarioError, match=message):
        load_experiment(path)
    if content.startswith("name"):  # the CLI: one line on stderr, exit 2
        assert main(["check", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err


# interface.md's two experiment examples, word for word (only the scenario path is ours)
INTERFACE_HEAD = """name = "mandate-by-hours"
scenario = "{scenario}"   # relative to this file
replications = 5
seed = 1
[overrides]                    # applied to every run
"neighbourhood.residents" = 3000
"""
INTERFACE_SWEEP = """[sweep]                        # full factorial over these keys
"team.mandate" = ["none", "derived", "full"]
"team.hours_in_wijk" = [8, 16, 24, 32]
"""
INTERFACE_SENSITIVITY = """[sensitivity]
method = "sobol"               # "sobol" | "morris"
samples = 256                  # SALib's N
[sensitivity.parameters]       # ranges for any numeric scenario key
"team.hours_in_wijk" = [4, 36]
"team.turnover_per_year" = [0.0, 0.4]
"""


@pytest.mark.parametrize("body, points", [(INTERFACE_SWEEP, 12), (INTERFACE_SENSITIVITY, 256 * 4)])
def test_the_interface_examples_are_valid_experiments(tmp_path, body, points, capsys):
    """Users copy these; hours in the wijk up to 36 against a 32-hour contract mean 'all of them'."""
    path = write(tmp_path, "interface.toml", INTERFACE_HEAD.format(scenario=RECOMMENDED) + body)
    experiment = load_experiment(path)
    assert len(experiment.points) == points and len(experiment.runs()) == 5 * points
    assert main(["check", str(path)]) == 0


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\x00\x01\x02scenario")
    with pytest.raises(ScenarioError, match="binary|not valid UTF-8"):
        load_experiment(path)


def test_integer_keys_are_rounded_when_sampled(tmp_path):
    path = write(tmp_path, "m.toml", f'scenario = "{RECOMMENDED}"\nreplications = 1\n[sensitivity]\n'
                 'method = "morris"\nsamples = 4\n[sensitivity.parameters]\n"team.individual" = [1, 6]\n'
                 '"neighbourhood.residents" = [400, 900]\n"parameters.follow_up_weeks" = [13, 52]\n')
    experiment = load_experiment(path)
    for point in experiment.points:
        for key in ("team.individual", "neighbourhood.residents", "parameters.follow_up_weeks"):
            assert type(point[key]) is int


# --- sweeps, common random numbers, storage --------------------------------------------------

def test_sweep_writes_one_row_per_run_with_varied_keys_and_outcomes(reference):
    _, out, frame = reference
    stored = pd.read_parquet(out / "runs.parquet")
    pd.testing.assert_frame_equal(stored, frame)
    assert len(frame) == 3 * 2 * 2 and frame["run_id"].is_unique
    for column in ("team.mandate", "team.hours_in_wijk", "replication", "seed", *HEADLINE):
        assert column in frame.columns
    assert set(frame["team.mandate"]) == {"none", "derived", "full"}
    assert set(frame["team.hours_in_wijk"]) == {8.0, 24.0}
    assert frame[list(HEADLINE)].notna().all().all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and manifest["runs_done"] == 12
    assert "tiny-sweep" in manifest["experiment"]["content"]
    assert manifest["scenario"]["resolved"]["neighbourhood"]["residents"] == 400
    assert len(list((out / "parts").glob("part-*.parquet"))) == 12


def test_a_sweep_summarises_each_cell_in_a_table_and_figures(reference):
    _, out, frame = reference
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary[["team.mandate", "team.hours_in_wijk"]].itertuples(index=False, name=None)) == [
        (mandate, hours) for mandate in ("none", "derived", "full") for hours in (8.0, 24.0)]
    assert (summary["replications"] == 2).all()
    cell = frame[(frame["team.mandate"] == "full") & (frame["team.hours_in_wijk"] == 8)]
    row = summary.iloc[4]
    for outcome in HEADLINE:
        assert row[f"{outcome}_mean"] == pytest.approx(cell[outcome].mean())
        assert row[f"{outcome}_p05"] <= row[f"{outcome}_mean"] <= row[f"{outcome}_p95"]
    figures = sorted(path.name for path in (out / "figures").glob("*.png"))
    assert figures == ["sweep_cost_total.png", "sweep_mean_first_contact_severity.png",
                       "sweep_second_line_entries_per_1000.png"]


def test_common_random_numbers_across_cells(reference):
    _, _, frame = reference
    seeds = replication_seeds(11, 2)
    for k, group in frame.groupby("replication"):
        assert set(group["seed"]) == {seeds[k]}
    # the seed matters: the same cell differs between replications
    cell = frame[(frame["team.mandate"] == "full") & (frame["team.hours_in_wijk"] == 24)]
    assert cell["cost_total"].nunique() == 2


def test_repeating_a_finished_experiment_runs_nothing(reference, tmp_path):
    path, out, frame = reference
    before = {p.name: p.stat().st_mtime_ns for p in (out / "parts").iterdir()}
    again = run_experiment(path, out, workers=1, progress=False)
    pd.testing.assert_frame_equal(again, frame)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "parts").iterdir()} == before


def test_a_directory_of_another_experiment_is_refused(reference, tmp_path, capsys):
    _, out, _ = reference
    other = sweep_file(tmp_path).read_text().replace("seed = 11", "seed = 12")
    path = write(tmp_path, "other.toml", other)
    with pytest.raises(OutputError, match="different experiment"):
        run_experiment(path, out, workers=1, progress=False)
    assert main(["experiment", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "different experiment" in err


def start_and_wait_for_parts(path, out, parts: int):
    """Start an experiment in a subprocess and return it once ``parts`` runs are stored (or after 2 minutes)."""
    process = wijkteam("experiment", path, "--out", out, "--workers", "1", "--quiet")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "parts").glob("part-*.parquet"))) < parts:
        time.sleep(0.02)
    return process


def test_finished_runs_are_read_from_runs_parquet_and_the_parts_written_after_it(tmp_path):
    """Re-reading thousands of one-row part files took minutes; the part files still say what finished."""
    store = Store(tmp_path, experiment=None)
    store.parts.mkdir()
    rows = [{"run_id": f"r{i}", "replication": 0, "seed": i, "outcome": i / 10} for i in range(3)]
    store.add(rows[:2])
    store.write_runs(rows[:2], columns=list(rows[0]))
    store.add(rows[2:])                                  # finished after the last rebuild
    (store.parts / "part-r0.parquet").unlink()           # no part file: to be run again
    (store.parts / "part-r1.parquet").write_text("torn")  # its row is read from runs.parquet
    assert store.load_parts() == {"r1": rows[1], "r2": rows[2]}
    (tmp_path / "runs.parquet").write_text("torn")       # then the parts alone; a torn one goes again
    assert store.load_parts() == {"r2": rows[2]}
    assert not (store.parts / "part-r1.parquet").exists()


def test_resume_after_kill_loses_nothing_and_duplicates_nothing(reference, tmp_path):
    path, _, frame = reference
    out = tmp_path / "out"
    process = start_and_wait_for_parts(path, out, 3)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    parts_at_kill = len(list((out / "parts").glob("part-*.parquet")))
    assert 3 <= parts_at_kill, "the experiment never wrote a part"
    result = wijkteam("experiment", path, "--out", out, "--workers", "2", "--quiet")
    _, stderr = result.communicate(timeout=300)
    assert result.returncode == 0, stderr
    resumed = pd.read_parquet(out / "runs.parquet")
    assert resumed["run_id"].is_unique and len(resumed) == len(frame)
    pd.testing.assert_frame_equal(resumed, frame)
    assert len(list((out / "parts").glob("part-*.parquet"))) == len(frame)
    assert not list((out / "parts").glob(".*partial"))


def test_ctrl_c_exits_130_and_keeps_finished_runs(reference, tmp_path):
    path, _, frame = reference
    out = tmp_path / "out"
    process = start_and_wait_for_parts(path, out, 2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the experiment finished before Ctrl-C arrived")
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "resume" in stderr
    partial = pd.read_parquet(out / "runs.parquet")
    assert 2 <= len(partial) < len(frame)
    expected = frame.set_index("run_id").loc[partial["run_id"]].reset_index()
    pd.testing.assert_frame_equal(partial, expected)


# --- executors --------------------------------------------------------------------------------

def test_same_numbers_sequential_process_pool_and_dask(reference, tmp_path):
    path, _, frame = reference
    pooled = run_experiment(path, tmp_path / "pool", workers=2, progress=False)
    pd.testing.assert_frame_equal(pooled, frame)
    try:
        from distributed import LocalCluster
    except ImportError:
        pytest.skip("Dask distributed is not installed (pip install distributed); sequential = pool checked")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = run_experiment(path, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(on_dask, frame)


def test_missing_dask_is_one_clear_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ExecutorError, match="not installed"):
        list(execute([("id", None, 1, 0)], scheduler="tcp://127.0.0.1:1"))


# --- sensitivity ------------------------------------------------------------------------------

def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_machinery_recovers_the_ishigami_indices():
    spec = SensitivitySpec(method="sobol", samples=2048, num_resamples=200,
                           parameters={f"x{i}": (-np.pi, np.pi) for i in (1, 2, 3)})
    design = sample(spec, seed=3)
    assert len(design) == 2048 * (3 + 2)
    indices, _ = analyse(spec, design, pd.DataFrame({"y": ishigami(design)}), seed=3)
    assert list(indices.columns) == ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "n"]
    assert sorted(set(indices["n"])) == [1024, 2048]
    full = indices[indices["n"] == 2048].set_index("parameter")
    np.testing.assert_allclose(full["S1"], [0.314, 0.442, 0.0], atol=0.04)
    np.testing.assert_allclose(full["ST"], [0.558, 0.442, 0.244], atol=0.04)
    assert (full["S1_conf"] > 0).all() and (full["ST_conf"] < 0.1).all()


def test_morris_machinery_on_ishigami():
    spec = SensitivitySpec(method="morris", samples=50, levels=4, num_resamples=200,
                           parameters={f"x{i}": (-np.pi, np.pi) for i in (1, 2, 3)})
    design = sample(spec, seed=1)
    assert len(design) == 50 * 4
    indices, _ = analyse(spec, design, pd.DataFrame({"y": ishigami(design)}), seed=1)
    assert {"output", "parameter", "mu_star", "mu_star_conf", "sigma"} <= set(indices.columns)
    table = indices.set_index("parameter")
    assert (table["mu_star"] > 0).all()
    assert table.loc["x3", "sigma"] > table.loc["x3", "mu"]  # x3 acts only through its interaction with x1


def test_morris_on_the_model_end_to_end(tmp_path):
    path = write(tmp_path, "morris.toml", f'name = "tiny-morris"\nscenario = "{RECOMMENDED}"\nreplications = 2\n'
                 f'seed = 5\n[overrides]\n{TINY}\n[sensitivity]\nmethod = "morris"\nsamples = 2\n'
                 '[sensitivity.parameters]\n"team.individual" = [1, 5]\n"parameters.worsening_rate" = [0.01, 0.03]\n')
    out = tmp_path / "out"
    frame = run_experiment(path, out, workers=2, progress=False)
    assert len(frame) == 2 * 3 * 2
    assert {"sample", "team.individual", "parameters.worsening_rate"} <= set(frame.columns)
    assert frame["team.individual"].dtype.kind == "i"
    for sample_index, group in frame.groupby("sample"):
        assert list(group["seed"]) == replication_seeds(5, 2)
    indices = pd.read_csv(out / "indices.csv")
    assert {"output", "parameter", "mu_star", "mu_star_conf", "sigma"} <= set(indices.columns)
    noise = pd.read_csv(out / "noise.csv")
    assert {"output", "mean_replication_se", "variance_across_points", "se_to_variance"} <= set(noise.columns)
    assert list((out / "figures").glob("morris_*.png"))



def test_sobol_on_the_model_end_to_end(tmp_path):
    path = write(tmp_path, "sobol.toml", f'name = "tiny-sobol"\nscenario = "{RECOMMENDED}"\nreplications = 1\n'
                 f'seed = 5\n[overrides]\n{TINY}\n[sensitivity]\nmethod = "sobol"\nsamples = 4\n'
                 '[sensitivity.parameters]\n"team.hours_in_wijk" = [4, 32]\n"parameters.worsening_rate" = [0.01, 0.03]\n')
    out = tmp_path / "out"
    frame = run_experiment(path, out, workers=2, progress=False)
    assert len(frame) == 4 * (2 + 2)
    indices = pd.read_csv(out / "indices.csv")
    assert {"output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "n"} <= set(indices.columns)
    assert set(indices["n"]) == {2, 4}  # the convergence check: N/2 and N
    assert set(indices["parameter"]) == {"team.hours_in_wijk", "parameters.worsening_rate"}
    assert list((out / "figures").glob("sobol_*.png"))

# --- bundled experiment files -----------------------------------------------------------------

def test_every_bundled_experiment_passes_check(capsys):
    files = sorted((ROOT / "experiments").glob("*.toml"))
    assert {f.name for f in files} >= {"team_size_by_composition.toml", "mandate_by_hours.toml",
                                       "morris_screening.toml", "sobol_key_parameters.toml"}
    assert main(["check", *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok (experiment") + out.count(": ok (calibration") == len(files)
    assert out.count(": ok (calibration") == 1


def test_morris_screening_covers_the_whole_parameter_table():
    experiment = load_experiment(ROOT / "experiments" / "morris_screening.toml")
    assert experiment.sensitivity.parameters == parameter_ranges()


def test_costs_per_resident_a_year_let_wijken_of_different_sizes_compare():
    """The same cost per head in a wijk of 6,500 and one of 8,000 gives the same per-resident figure."""
    from experiments.summary import headline_outcomes

    weeks = np.arange(-4, 104)
    frames = []
    for name, residents in (("small", 6500), ("large", 8000)):
        frame = pd.DataFrame({"scenario": name, "replication": 0, "week": weeks, "residents": float(residents)})
        for column in ("second_line_entries", "crisis_entries", "cost_team", "cost_total_discounted",
                       "first_contacts", "first_contact_severity", "team_competence"):
            frame[column] = 0.0
        frame["cost_second_line"] = residents * 2.0  # 2 euros per resident a week
        frame["cost_total"] = residents * 3.0
        frames.append(frame)
    outcomes = headline_outcomes(pd.concat(frames, ignore_index=True)).set_index("scenario")
    assert outcomes.loc["large", "cost_total"] > outcomes.loc["small", "cost_total"]
    for name in ("small", "large"):
        assert outcomes.loc[name, "cost_second_line_per_resident_year"] == pytest.approx(104.0)
        assert outcomes.loc[name, "cost_total_per_resident_year"] == pytest.approx(156.0)

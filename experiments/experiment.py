"""Experiment files: sweeps and sensitivity analyses over scenario keys.

An experiment file (TOML, see ``../shared/design/interface.md``) names a base
scenario, the replications and root seed, overrides applied to every run, and
either a ``[sweep]`` (full factorial over dotted keys) or a ``[sensitivity]``
table (Sobol' or Morris over numeric keys with ranges). Everything is checked
when the file is loaded, including every cell or sample point, so a bad value
is reported before the first run starts, in one line naming the file, the key
and what is allowed.

Each run is one (cell or sample point, replication k). Replication k uses the
same seed in every cell and sample point (common random numbers).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from model import Scenario, ScenarioError, load_scenario
from model.scenario import read_toml, suggest

from .interrupts import raise_if_interrupted
from .keys import check_key, check_top_level, dotted, file_name, with_file_overrides, is_number, numeric_kind, whole_number
from .runs import replication_seeds

if TYPE_CHECKING:
    from .sensitivity import SensitivitySpec
# experiments.sensitivity is imported where it is used, so that `python -m experiments.sensitivity`
# runs a module that the package has not imported yet

TOP_LEVEL = ("name", "description", "scenario", "replications", "seed", "overrides", "sweep", "sensitivity")
SENSITIVITY_KEYS = ("method", "samples", "second_order", "levels", "parameters", "num_resamples", "over",
                    "posterior")
METHODS = ("sobol", "morris")
OVER = ("prior", "posterior")
@dataclass(frozen=True)
class Run:
    """One run of an experiment: a cell or sample point and a replication."""

    run_id: str
    point: int
    values: dict[str, Any]
    replication: int
    seed: int


@dataclass
class Experiment:
    name: str
    path: str
    text: str
    table: dict[str, Any]
    scenario_path: Path
    base: Scenario                      # the base scenario with [overrides] applied
    replications: int
    seed: int
    overrides: dict[str, Any]
    sweep: dict[str, list[Any]] | None = None
    sensitivity: SensitivitySpec | None = None
    points: list[dict[str, Any]] = field(default_factory=list)   # cells or sample points, validated
    design: Any = None                  # the SALib sample matrix (unrounded), for the analysis

    @property
    def kind(self) -> str:
        return "sweep" if self.sweep is not None else "sensitivity"

    @property
    def varied(self) -> list[str]:
        return list(self.sweep) if self.sweep is not None else self.sensitivity.names

    @property
    def seeds(self) -> list[int]:
        return replication_seeds(self.seed, self.replications)

    def runs(self) -> list[Run]:
        """Every run, in (point, replication) order; replication k has the same seed everywhere."""
        seeds = self.seeds
        out = []
        for index, values in enumerate(self.points):
            for k, seed in enumerate(seeds):
                out.append(Run(run_id=run_id(values, k, index if self.sensitivity else None),
                               point=index, values=values, replication=k, seed=seed))
        return out

    def scenario_for(self, run: Run) -> Scenario:
        return self.base.with_overrides(run.values, source=f"{self.path} (point {run.point})")

    def fingerprint(self) -> str:
        """Identifies the experiment's content: the parsed file and the resolved base scenario."""
        content = {"experiment": self.table, "base": self.base.values}
        if self.sensitivity is not None and self.sensitivity.over == "posterior":
            content["points"] = self.points  # the draws: a changed posterior is another experiment
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def run_id(values: dict[str, Any], replication: int, sample: int | None = None) -> str:
    """A stable id from the varied values and the replication (and the sample index, for sensitivity)."""
    payload = {"values": sorted((key, repr(value)) for key, value in values.items()), "replication": replication}
    if sample is not None:
        payload["sample"] = sample
    return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def is_experiment_table(table: dict[str, Any]) -> bool:
    return "scenario" in table or isinstance(table.get("sweep"), dict) or isinstance(table.get("sensitivity"), dict)


def looks_like_experiment(path: str | Path) -> bool:
    """True for an experiment file (top-level `scenario`, [sweep] or [sensitivity]); errors as ScenarioError."""
    return is_experiment_table(read_toml(Path(path)))


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file, its scenario and every run it will make."""
    path = Path(path)
    source = str(path)
    table = read_toml(path)
    text = path.read_text(encoding="utf-8")
    check_top_level(source, table, TOP_LEVEL)

    name = file_name(source, table, path)
    if "description" in table and not isinstance(table["description"], str):
        raise ScenarioError(f"{source}: description must be a string")

    if "scenario" not in table:
        raise ScenarioError(f"{source}: scenario is missing; give the base scenario file, "
                            "relative to this file (scenario = \"../scenarios/recommended.toml\")")
    scenario_file = table["scenario"]
    if not isinstance(scenario_file, str) or not scenario_file:
        raise ScenarioError(f"{source}: scenario must be a file name (a string), got {scenario_file!r}")
    scenario_path = path.parent / scenario_file
    if not scenario_path.exists():
        raise ScenarioError(f"{source}: scenario '{scenario_file}' not found ({scenario_path} does not exist)")
    base = load_scenario(scenario_path)

    replications = whole_number(source, "replications", table.get("replications", base["run.replications"]), 1, 10000)
    seed = whole_number(source, "seed", table.get("seed", base["run.seed"]), 0, 2**63 - 1)

    overrides, base = with_file_overrides(source, table, base)

    has_sweep, has_sensitivity = "sweep" in table, "sensitivity" in table
    if has_sweep == has_sensitivity:
        raise ScenarioError(f"{source}: give either a [sweep] or a [sensitivity] table"
                            + (", not both" if has_sweep else ""))

    experiment = Experiment(name=name, path=source, text=text, table=table, scenario_path=scenario_path,
                            base=base, replications=replications, seed=seed, overrides=overrides)
    if has_sweep:
        _load_sweep(experiment, table["sweep"])
    else:
        _load_sensitivity(experiment, table["sensitivity"])
    return experiment


def _load_sweep(experiment: Experiment, sweep: Any) -> None:
    source = experiment.path
    if not isinstance(sweep, dict) or not sweep:
        raise ScenarioError(f"{source}: [sweep] must list at least one dotted key with a list of values")
    sweep = dotted(source, sweep, "sweep")
    canonical: dict[str, list[Any]] = {}
    for key, values in sweep.items():
        check_key(source, key, "sweep")
        if key in experiment.overrides:
            raise ScenarioError(f"{source}: {key} is both in [overrides] and in [sweep]; keep one")
        if not isinstance(values, list) or not values:
            raise ScenarioError(f"{source}: [sweep] {key} must be a non-empty list of values, got {values!r}")
        checked = [experiment.base.with_overrides({key: v}, source=f"{source} [sweep]")[key] for v in values]
        if len(set(map(repr, checked))) != len(checked):
            raise ScenarioError(f"{source}: [sweep] {key} lists the same value twice: {values!r}")
        canonical[key] = checked
    experiment.sweep = canonical
    keys = list(canonical)
    points = [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*canonical.values())]
    for values in points:  # every cell, so inconsistent combinations fail before running
        experiment.base.with_overrides(values, source=f"{source} [sweep] cell {values}")
    experiment.points = points


def _load_sensitivity(experiment: Experiment, table: Any) -> None:
    from .sensitivity import SensitivitySpec, sample

    source = experiment.path
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: sensitivity must be a table ([sensitivity])")
    for key in table:
        if key not in SENSITIVITY_KEYS:
            raise ScenarioError(f"{source}: [sensitivity] unknown key '{key}'{suggest(key, list(SENSITIVITY_KEYS))}; "
                                f"allowed: {', '.join(SENSITIVITY_KEYS)}")
    over = table.get("over", "prior")
    if over not in OVER:
        raise ScenarioError(f"{source}: [sensitivity] over = {over!r} is not allowed; use \"prior\" (the ranges of "
                            "[sensitivity.parameters]) | \"posterior\" (a calibration's posterior)")
    if over == "posterior":
        _load_posterior_sensitivity(experiment, table)
        return
    if "posterior" in table:
        raise ScenarioError(f"{source}: [sensitivity] posterior applies with over = \"posterior\" only")
    method = table.get("method")
    if method not in METHODS:
        raise ScenarioError(f"{source}: [sensitivity] method = {method!r} is not allowed; use \"sobol\" | \"morris\" "
                            "(or \"pawn\" with over = \"posterior\")")
    if "samples" not in table:
        raise ScenarioError(f"{source}: [sensitivity] samples is missing (SALib's N: base samples for sobol, "
                            "trajectories for morris)")
    samples = whole_number(source, "sensitivity.samples", table["samples"], 2 if method == "morris" else 4)
    if method == "sobol" and samples & (samples - 1):
        raise ScenarioError(f"{source}: sensitivity.samples = {samples} must be a power of 2 for sobol "
                            "(Sobol' sequence), e.g. 64, 128, 256")
    second_order = table.get("second_order", False)
    if not isinstance(second_order, bool):
        raise ScenarioError(f"{source}: sensitivity.second_order must be true or false, got {second_order!r}")
    if second_order and method != "sobol":
        raise ScenarioError(f"{source}: sensitivity.second_order applies to sobol only")
    levels = whole_number(source, "sensitivity.levels", table.get("levels", 4), 2, 100)
    if "levels" in table and method != "morris":
        raise ScenarioError(f"{source}: sensitivity.levels applies to morris only")
    num_resamples = whole_number(source, "sensitivity.num_resamples", table.get("num_resamples", 1000), 10, 100000)

    parameters = table.get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise ScenarioError(f"{source}: [sensitivity.parameters] must give at least one dotted key = [low, high]")
    parameters = dotted(source, parameters, "sensitivity.parameters")
    ranges: dict[str, tuple[float, float]] = {}
    integer = set()
    where = f"{source} [sensitivity.parameters]"
    for key, bounds in parameters.items():
        check_key(source, key, "sensitivity.parameters")
        if key in experiment.overrides:
            raise ScenarioError(f"{source}: {key} is both in [overrides] and in [sensitivity.parameters]; keep one")
        kind = numeric_kind(key)
        if kind is None:
            raise ScenarioError(f"{where}: {key} is not numeric; sensitivity ranges need a numeric key "
                                "(use a [sweep] for choices and true/false keys)")
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(is_number(b) for b in bounds)):
            raise ScenarioError(f"{where}: {key} must be a range [low, high] of two numbers, got {bounds!r}")
        low, high = float(bounds[0]), float(bounds[1])
        if not low < high:
            raise ScenarioError(f"{where}: {key} = {bounds!r}: low must be less than high")
        for end in (bounds[0], bounds[1]):
            experiment.base.with_overrides({key: _cast(kind, end)}, source=where)
        if kind is int:
            integer.add(key)
            if math.floor(high + 0.5) - math.floor(low + 0.5) < 1:
                raise ScenarioError(f"{where}: {key} is a whole number; the range {bounds!r} holds only one value")
        ranges[key] = (low, high)
    if method == "morris" and len(ranges) < 1:
        raise ScenarioError(f"{where}: morris needs at least one parameter")

    spec = SensitivitySpec(method=method, samples=samples, parameters=ranges, second_order=second_order,
                           levels=levels, num_resamples=num_resamples, integer=frozenset(integer))
    experiment.sensitivity = spec
    design = sample(spec, experiment.seed)
    experiment.design = design
    points = [point_values(spec, row) for row in design]
    for index, values in enumerate(points):  # every sampled point as it will run, before any run
        experiment.base.with_overrides(values, source=f"{where} sample {index}")
    experiment.points = points


def _load_posterior_sensitivity(experiment: Experiment, table: dict[str, Any]) -> None:
    """Sample points drawn from a calibration's posterior: which uncertainty still matters after the
    calibration. The points come from a smoothed posterior (``draw_smoothed``): its few effective
    particles repeated would look like structure. Sobol' and Morris need independent ranges,
    which a posterior is not, so the indices are PAWN's, which take any sample."""
    from .posterior import BUNDLED, draw_smoothed, load_posterior
    from .sensitivity import SensitivitySpec

    source = experiment.path
    method = table.get("method", "pawn")
    if method != "pawn":
        raise ScenarioError(f"{source}: [sensitivity] over = \"posterior\" needs method = \"pawn\": {method!r} "
                            "needs independent ranges, and a posterior's parameters are neither independent nor uniform")
    for key in ("parameters", "second_order", "levels", "num_resamples"):
        if key in table:
            raise ScenarioError(f"{source}: [sensitivity] {key} does not apply over the posterior "
                                "(the posterior's fitted parameters are the inputs)")
    if "samples" not in table:
        raise ScenarioError(f"{source}: [sensitivity] samples is missing (the number of posterior draws, e.g. 128)")
    samples = whole_number(source, "sensitivity.samples", table["samples"], 16, 100000)
    folder = table.get("posterior")
    if folder is not None and (not isinstance(folder, str) or not folder):
        raise ScenarioError(f"{source}: [sensitivity] posterior must name a calibration's folder relative to this "
                            f"file, got {folder!r}")
    posterior = load_posterior(BUNDLED if folder is None else Path(source).parent / folder)
    clash = sorted(set(posterior.keys) & set(experiment.overrides))
    if clash:
        raise ScenarioError(f"{source}: {clash[0]} is both in [overrides] and in the posterior; keep one")
    draws = draw_smoothed(posterior, samples, experiment.seed)
    design = pd.DataFrame(draws.values, columns=list(posterior.keys)).to_numpy(dtype=float)
    ranges = {key: (float(design[:, i].min()), float(design[:, i].max())) for i, key in enumerate(posterior.keys)}
    experiment.sensitivity = SensitivitySpec(
        method="pawn", samples=samples, parameters=ranges, over="posterior",
        integer=frozenset(key for key in posterior.keys if numeric_kind(key) is int))
    experiment.design = design
    experiment.points = draws.values
    for index, values in enumerate(experiment.points):
        experiment.base.with_overrides(values, source=f"{source} posterior draw {index}")


def _cast(kind: type, value: float) -> Any:
    return int(math.floor(value + 0.5)) if kind is int else float(value)


def point_values(spec: SensitivitySpec, row) -> dict[str, Any]:
    """A sample row as scenario values: integer keys rounded to the nearest whole number."""
    return {key: _cast(int if key in spec.integer else float, float(x)) for key, x in zip(spec.names, row, strict=True)}


def result_columns(experiment: Experiment) -> list[str]:
    from .summary import HEADLINE

    lead = ["run_id"] + (["sample"] if experiment.sensitivity else [])
    return [*lead, *experiment.varied, "replication", "seed", *HEADLINE]


def run_experiment(experiment: Experiment | str | Path, out: Path, workers: int | None = None,
                   scheduler: Any = None, progress: bool = True) -> pd.DataFrame:
    """Run every missing run of an experiment into ``out`` and return all runs (``runs.parquet``).

    Finished runs are stored one by one (``out/parts/``), so a killed experiment
    resumes where it stopped when called again with the same ``out``. When every
    run has finished, a sweep gets ``summary.csv`` and ``figures/``, a sensitivity
    analysis ``indices.csv``, ``noise.csv`` and ``figures/``.
    """
    import time

    from .executors import execute
    from .progress import Progress
    from .storage import Store

    if not isinstance(experiment, Experiment):
        experiment = load_experiment(experiment)
    store = Store(Path(out), experiment)
    finished = store.open()
    runs = experiment.runs()
    planned = {run.run_id: run for run in runs}
    order = {run.run_id: i for i, run in enumerate(runs)}
    done = {key: row for key, row in finished.items() if key in planned}
    missing = [run for run in runs if run.run_id not in done]
    columns = result_columns(experiment)

    def ordered() -> list[dict[str, Any]]:
        return [done[key] for key in sorted(done, key=order.__getitem__)]

    tasks = [(run.run_id, experiment.scenario_for(run), run.seed, run.replication) for run in missing]
    label = experiment.name if not done else f"{experiment.name} ({len(done)} of {len(runs)} runs already done)"
    bar = Progress(len(tasks), label, quiet=not progress)
    last_rebuild = time.monotonic()
    try:
        for key, outcomes in execute(tasks, workers=workers, scheduler=scheduler):
            run = planned[key]
            row: dict[str, Any] = {"run_id": key}
            if experiment.sensitivity:
                row["sample"] = run.point
            row.update(run.values)
            row.update({"replication": run.replication, "seed": run.seed})
            row.update(outcomes)
            store.add([row])
            done[key] = row
            raise_if_interrupted()
            bar.advance()
            if time.monotonic() - last_rebuild > 20:
                store.write_runs(ordered(), columns)
                store.write_manifest(done=len(done), complete=False)
                last_rebuild = time.monotonic()
    finally:
        bar.close()
        if done:
            store.write_runs(ordered(), columns)
        store.write_manifest(done=len(done), complete=len(done) == len(runs))
    frame = store.write_runs(ordered(), columns)
    if experiment.sensitivity:
        from .sensitivity import analyse_experiment
        from .summary import HEADLINE

        analyse_experiment(experiment, frame, Path(out), list(HEADLINE))
    else:
        from .sweep_summary import analyse_sweep

        analyse_sweep(experiment, frame, Path(out))
    return frame

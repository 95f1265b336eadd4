"""Calibration files and `wijkteam calibrate`: ABC-SMC of chosen parameters against a targets file.

A calibration file (TOML, interface.md) names a base scenario, a targets file,
replications and a root seed, overrides applied to every run, the parameters to
fit with their prior ranges (inside the parameter table's ranges) and the
ABC-SMC settings. pyabc does the inference: a weighted posterior per
generation, multicore or Dask samplers, and an SQLite database that a killed
calibration resumes from, generation by generation.

The distance between a simulation and the targets is the root of the weighted
mean of squared scaled differences (``Target.scaled_difference``: 1 at the
edge of a target's interval), so figures in different units weigh alike and a
wide interval asks for less. Every particle runs the same replication seeds
(common random numbers): the same parameters always give the same figures,
and the noise between replications is measured apart at the posterior
(``fit.csv``) rather than hidden in the acceptance.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model import Scenario, ScenarioError, load_scenario
from model.parameters import parameter_table
from model.scenario import read_toml, suggest

from .keys import check_key, check_top_level, file_name, with_file_overrides, numeric_kind, whole_number
from .national import replication_figures
from .runs import replication_seeds, run_replication
from .targets import Targets, load_targets

TOP_LEVEL = ("name", "description", "scenario", "targets", "replications", "seed", "first_year", "overrides",
             "parameters", "abc")
ABC_KEYS = ("population", "generations", "minimum_epsilon")


@dataclass
class Calibration:
    name: str
    path: str
    table: dict[str, Any]
    base: Scenario                       # the base scenario with [overrides] applied
    targets: Targets
    replications: int
    seed: int
    first_year: int                      # figures are measured from this year after the team's start
    priors: dict[str, tuple[float, float]]   # dotted scenario key -> (low, high), uniform
    population: int
    generations: int
    minimum_epsilon: float

    @property
    def seeds(self) -> list[int]:
        return replication_seeds(self.seed, self.replications)

    def fingerprint(self) -> str:
        """Identifies the calibration's content: the parsed file, the targets and the resolved base.
        The number of generations is left out (asking for more continues the same calibration),
        and so are the fitted parameters' defaults (every particle sets them)."""
        abc = {k: v for k, v in self.table.get("abc", {}).items() if k not in ("generations", "minimum_epsilon")}
        content = {"calibration": {**self.table, "abc": abc}, "targets": [t.__dict__ for t in self.targets.targets],
                   "base": {k: v for k, v in self.base.values.items() if k not in self.priors}}
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def is_calibration_table(table: dict[str, Any]) -> bool:
    return isinstance(table.get("targets"), str)


def _prior_key(source: str, name: str) -> str:
    """A [parameters] entry names a parameter of the table (or a dotted numeric scenario key)."""
    key = name if "." in name else f"parameters.{name}"
    if "." not in name and name not in parameter_table():
        raise ScenarioError(f"{source}: [parameters] unknown parameter '{name}'"
                            f"{suggest(name, list(parameter_table()))}; see model/parameters.toml")
    check_key(source, key, "parameters")
    if numeric_kind(key) is None:
        raise ScenarioError(f"{source}: [parameters] {name} is not numeric; only numbers can be fitted")
    return key


def _prior(source: str, name: str, key: str, value: Any) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)):
        raise ScenarioError(f"{source}: [parameters] {name} must be a prior range [low, high], got {value!r}")
    low, high = float(value[0]), float(value[1])
    if not low < high:
        raise ScenarioError(f"{source}: [parameters] {name} = [{low:g}, {high:g}] needs low below high")
    if key.startswith("parameters."):
        spec = parameter_table()[key[len("parameters."):]]
        table_low, table_high = spec.low, spec.high
        if low < table_low or high > table_high:
            raise ScenarioError(f"{source}: [parameters] {name} = [{low:g}, {high:g}] lies outside the parameter's "
                                f"range [{table_low:g}, {table_high:g}] in model/parameters.toml")
    return low, high


def load_calibration(path: str | Path) -> Calibration:
    """Read and validate a calibration file, its scenario, its targets and its priors."""
    path = Path(path)
    source = str(path)
    table = read_toml(path)
    check_top_level(source, table, TOP_LEVEL)
    name = file_name(source, table, path)
    for key, example in (("scenario", "../scenarios/current_practice.toml"),
                         ("targets", "../data/targets/netherlands.toml")):
        if not isinstance(table.get(key), str) or not table[key]:
            raise ScenarioError(f"{source}: {key} must name a file relative to this one ({key} = \"{example}\")")
        if not (path.parent / table[key]).exists():
            raise ScenarioError(f"{source}: {key} '{table[key]}' not found ({path.parent / table[key]} does not exist)")
    base = load_scenario(path.parent / table["scenario"])
    targets = load_targets(Path(os.path.normpath(path.parent / table["targets"])))

    replications = whole_number(source, "replications", table.get("replications", 1), 1, 100)
    seed = whole_number(source, "seed", table.get("seed", base["run.seed"]), 0, 2**63 - 1)
    first_year = whole_number(source, "first_year", table.get("first_year", 0), 0)
    overrides, base = with_file_overrides(source, table, base)
    if first_year >= base["run.years"]:
        raise ScenarioError(f"{source}: first_year = {first_year} leaves nothing to measure in a run of "
                            f"{base['run.years']} years; allowed 0 to {base['run.years'] - 1}")

    entries = table.get("parameters")
    if not isinstance(entries, dict) or not entries:
        raise ScenarioError(f"{source}: [parameters] is missing; give each parameter to fit with its prior "
                            "range (worsening_rate = [0.01, 0.03])")
    priors = {}
    for entry, value in entries.items():
        key = _prior_key(source, entry)
        priors[key] = _prior(source, entry, key, value)

    abc = table.get("abc", {})
    if not isinstance(abc, dict):
        raise ScenarioError(f"{source}: abc must be a table ([abc]) with {', '.join(ABC_KEYS)}")
    for key in abc:
        if key not in ABC_KEYS:
            raise ScenarioError(f"{source}: [abc] unknown key '{key}'{suggest(key, list(ABC_KEYS))}; "
                                f"allowed: {', '.join(ABC_KEYS)}")
    population = whole_number(source, "[abc] population", abc.get("population", 200), 2, 100000)
    generations = whole_number(source, "[abc] generations", abc.get("generations", 8), 1, 1000)
    minimum_epsilon = abc.get("minimum_epsilon", 0.0)
    if isinstance(minimum_epsilon, bool) or not isinstance(minimum_epsilon, (int, float)) or minimum_epsilon < 0:
        raise ScenarioError(f"{source}: [abc] minimum_epsilon must be a number of at least 0, got {minimum_epsilon!r}")
    return Calibration(name=name, path=source, table=table, base=base, targets=targets, replications=replications,
                       seed=seed, first_year=first_year, priors=priors, population=population,
                       generations=generations, minimum_epsilon=float(minimum_epsilon))


def scenario_at(calibration: Calibration, values: dict[str, float]) -> Scenario:
    """The base scenario with fitted values set (integers rounded, as parameters are)."""
    cast = {key: (round(value) if numeric_kind(key) is int else float(value)) for key, value in values.items()}
    return calibration.base.with_overrides(cast, source=f"{calibration.path} (particle)")


def simulate(calibration: Calibration, values: dict[str, float]):
    """Every target's figure per replication at these parameter values (a DataFrame, a row per replication)."""
    import pandas as pd

    scenario = scenario_at(calibration, values)
    frames = [run_replication(scenario, seed, k) for k, seed in enumerate(calibration.seeds)]
    return replication_figures(pd.concat(frames, ignore_index=True), calibration.first_year)


class Simulator:
    """pyabc's model: parameter values in, the mean figure over replications out (picklable for Dask)."""

    def __init__(self, calibration: Calibration):
        self.calibration = calibration
        self.outputs = sorted({t.output for t in calibration.targets.targets})

    def __call__(self, parameters) -> dict[str, float]:
        values = {key: float(parameters[key]) for key in self.calibration.priors}
        figures = simulate(self.calibration, values).mean()
        return {output: float(figures[output]) for output in self.outputs}


class Distance:
    """Root of the weighted mean squared scaled difference over the fitted targets."""

    def __init__(self, targets: Targets):
        self.targets = targets.fitted

    def __call__(self, simulated: dict, observed: dict | None = None, *args) -> float:
        total = weights = 0.0
        for target in self.targets:
            value = simulated[target.output]
            if not math.isfinite(value):
                return math.inf
            total += target.weight * target.scaled_difference(value) ** 2
            weights += target.weight
        return math.sqrt(total / weights)

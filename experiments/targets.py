"""Targets files: observed figures a calibration fits, or checks, the model against.

A targets file (TOML, under a ``targets/`` folder) lists figures such as
"youth-care trajectories started per 1,000 youths a year", each with its
observed value, the interval within which the model counts as matching, the
unit, year and source, and the model output that measures it (a name of
``experiments.national.FIGURES``). ``role = "fit"`` targets enter the
calibration's distance; ``role = "check"`` targets are patterns reported beside
the fit but never fitted (pattern-oriented validation, Grimm et al. 2005).
Everything is validated on loading, with one-line errors like scenario files'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model import ScenarioError
from model.scenario import read_toml, suggest

from .keys import check_top_level, file_name
from .national import FIGURES

OUTPUTS = tuple(figure.name for figure in FIGURES)
TARGET_KEYS = ("output", "value", "interval", "unit", "year", "source", "role", "weight", "note")
REQUIRED = ("output", "value", "interval", "unit", "year", "source")
ROLES = ("fit", "check")
TOP_LEVEL = ("name", "description", "targets")


@dataclass(frozen=True)
class Target:
    name: str
    output: str
    value: float
    low: float
    high: float
    unit: str
    year: str
    source: str
    role: str = "fit"
    weight: float = 1.0
    note: str = ""

    def scaled_difference(self, simulated: float) -> float:
        """The distance of a simulated value in units of the interval's half on that side:
        0 at the observed value, 1 at the interval's edge."""
        side = self.high - self.value if simulated >= self.value else self.value - self.low
        return (simulated - self.value) / side

    def within(self, simulated: float) -> bool:
        return self.low <= simulated <= self.high


@dataclass(frozen=True)
class Targets:
    name: str
    path: str
    description: str
    targets: tuple[Target, ...]

    @property
    def fitted(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.role == "fit")


def _number(source: str, where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScenarioError(f"{source}: {where} must be a finite number, got {value!r}")
    return float(value)


def _target(source: str, name: str, table: Any) -> Target:
    where = f"[targets.{name}]"
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: {where} must be a table with {', '.join(REQUIRED)}")
    for key in table:
        if key not in TARGET_KEYS:
            raise ScenarioError(f"{source}: {where} unknown key '{key}'{suggest(key, list(TARGET_KEYS))}; "
                                f"allowed: {', '.join(TARGET_KEYS)}")
    for key in REQUIRED:
        if key not in table:
            raise ScenarioError(f"{source}: {where} {key} is missing; a target needs {', '.join(REQUIRED)}")
    output = table["output"]
    if output not in OUTPUTS:
        raise ScenarioError(f"{source}: {where} output: unknown output {output!r}"
                            f"{suggest(str(output), list(OUTPUTS))}; allowed: {', '.join(OUTPUTS)}")
    value = _number(source, f"{where} value", table["value"])
    interval = table["interval"]
    if not isinstance(interval, list) or len(interval) != 2:
        raise ScenarioError(f"{source}: {where} interval must be [low, high], got {interval!r}")
    low, high = (_number(source, f"{where} interval", bound) for bound in interval)
    if low > high:
        raise ScenarioError(f"{source}: {where} interval [{low:g}, {high:g}] has low above high")
    if not low < value < high:
        raise ScenarioError(f"{source}: {where} value {value:g} must lie strictly inside its interval "
                            f"[{low:g}, {high:g}]")
    role = table.get("role", "fit")
    if role not in ROLES:
        raise ScenarioError(f"{source}: {where} role must be one of {', '.join(ROLES)}, got {role!r}")
    weight = _number(source, f"{where} weight", table.get("weight", 1.0))
    if weight <= 0:
        raise ScenarioError(f"{source}: {where} weight must be above 0, got {weight:g}")
    for key in ("unit", "source", "note"):
        if not isinstance(table.get(key, ""), str):
            raise ScenarioError(f"{source}: {where} {key} must be a string")
    year = table["year"]
    if isinstance(year, bool) or not isinstance(year, (int, str)):
        raise ScenarioError(f"{source}: {where} year must be a year (2021) or a span (\"2017-2022\"), got {year!r}")
    return Target(name=name, output=output, value=value, low=low, high=high, unit=table["unit"], year=str(year),
                  source=table["source"], role=role, weight=weight, note=table.get("note", ""))


def is_targets_table(table: dict[str, Any]) -> bool:
    return isinstance(table.get("targets"), dict) and "scenario" not in table


def load_targets(path: str | Path) -> Targets:
    """Read and validate a targets file."""
    path = Path(path)
    source = str(path)
    table = read_toml(path)
    check_top_level(source, table, TOP_LEVEL)
    if path.resolve().parent.name != "targets":
        raise ScenarioError(f"{source}: a targets file lives in a folder named targets/ "
                            "(e.g. data/targets/my_wijk.toml)")
    entries = table.get("targets")
    if not isinstance(entries, dict) or not entries:
        raise ScenarioError(f"{source}: no [targets.<name>] tables; give at least one observed figure")
    targets = tuple(_target(source, name, entry) for name, entry in entries.items())
    if not any(t.role == "fit" for t in targets):
        raise ScenarioError(f"{source}: every target has role = \"check\"; at least one must be fitted")
    name = file_name(source, table, path)
    return Targets(name=name, path=source, description=str(table.get("description", "")), targets=targets)

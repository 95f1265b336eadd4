"""The parameter table: defaults, ranges and sources of every model constant.

The table lives in ``parameters.toml`` beside this file so that researchers can
read and cite it without reading code. Scenarios override entries through
their ``[parameters]`` section.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("parameters.toml")

WEEKS_PER_YEAR = 52  # one step is one week; a model year is 52 of them


def weekly_chance(yearly_rate: float):
    """The weekly chance of an event with ``yearly_rate`` events a year (small rates: rate / 52)."""
    return yearly_rate / WEEKS_PER_YEAR


@dataclass(frozen=True)
class ParameterSpec:
    """One row of the parameter table."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    source: str

    @property
    def is_integer(self) -> bool:
        return isinstance(self.default, int)


@cache
def parameter_table() -> dict[str, ParameterSpec]:
    """Read the table once per process; rows in file order."""
    with TABLE_PATH.open("rb") as handle:
        raw = tomllib.load(handle)
    table = {}
    for name, row in raw.items():
        low, high = row["range"]
        table[name] = ParameterSpec(
            name=name,
            default=row["default"],
            low=low,
            high=high,
            unit=row["unit"],
            source=row["source"],
        )
    return table


def default_parameters() -> dict[str, float]:
    """The defaults as a plain dict, the form scenarios store them in."""
    return {name: spec.default for name, spec in parameter_table().items()}


class Parameters:
    """Attribute access to resolved parameter values (``params.worsening_rate``)."""

    def __init__(self, values: dict[str, float]):
        self.__dict__.update(values)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Parameters({len(self.__dict__)} values)"

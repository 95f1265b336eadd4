"""Checks shared by the experiment and calibration files: dotted keys, their kinds, whole numbers.

Each raises ScenarioError with one line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import math
from typing import Any

from model import ScenarioError
from model.parameters import parameter_table
from model.scenario import SCHEMA, all_keys, suggest

# keys an experiment or calibration may not vary or override: the file sets them itself
RESERVED = {
    "run.seed": "set the experiment's top-level `seed` instead",
    "run.replications": "set the experiment's top-level `replications` instead",
    "name": "the runs keep the base scenario's name",
    "description": "the runs keep the base scenario's description",
}


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def whole_number(source: str, key: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{source}: {key} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        allowed = f"at least {low}" if high is None else f"{low} to {high}"
        raise ScenarioError(f"{source}: {key} = {value!r} is out of range; allowed {allowed}")
    return value


def check_key(source: str, key: str, where: str) -> None:
    if key.startswith("parameters."):
        name = key[len("parameters."):]
        table = parameter_table()
        if name not in table:
            raise ScenarioError(f"{source}: [{where}] unknown parameter '{name}'"
                                f"{suggest(name, list(table)).replace('mean ', 'mean parameters.')}; "
                                "see model/parameters.toml for the allowed names")
    elif key not in SCHEMA:
        raise ScenarioError(f"{source}: [{where}] unknown key '{key}'{suggest(key, all_keys())}")
    if key in RESERVED:
        raise ScenarioError(f"{source}: [{where}] cannot set '{key}'; {RESERVED[key]}")


def numeric_kind(key: str) -> type | None:
    """int or float for numeric keys, None for strings and booleans."""
    if key.startswith("parameters."):
        spec = parameter_table().get(key[len("parameters."):])
        return None if spec is None else (int if spec.is_integer else float)
    spec = SCHEMA.get(key)
    return spec.kind if spec and spec.kind in (int, float) else None


def dotted(source: str, table: dict[str, Any], where: str) -> dict[str, Any]:
    """Accept both `"team.mandate" = ...` and nested `[where.team] mandate = ...`."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                if isinstance(subvalue, dict):
                    raise ScenarioError(f"{source}: [{where}] {key}.{sub} must be a value, not a table")
                flat[f"{key}.{sub}"] = subvalue
        else:
            flat[key] = value
    return flat


def check_top_level(source: str, table: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in table:
        if key not in allowed:
            raise ScenarioError(f"{source}: unknown key '{key}'{suggest(key, list(allowed))}; "
                                f"allowed: {', '.join(allowed)}")


def file_name(source: str, table: dict[str, Any], path) -> str:
    """The file's `name`, or its stem when it has none."""
    name = table.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"{source}: name must be a non-empty string, got {name!r}")
    return name


def with_file_overrides(source: str, table: dict[str, Any], base):
    """The file's [overrides] (checked dotted keys) and the base scenario with them applied."""
    overrides = table.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ScenarioError(f"{source}: overrides must be a table ([overrides]) of dotted keys")
    overrides = dotted(source, overrides, "overrides")
    for key in overrides:
        check_key(source, key, "overrides")
    return overrides, base.with_overrides(overrides, source=f"{source} [overrides]")

"""Scenario files: TOML with `extends`, dotted overrides and strict validation.

A scenario answers one policy question ("what if our team had 6 people and
24 hours in the wijk?"). Every key is declared in ``SCHEMA`` or in the
parameter table; anything else is an error naming the file, the key and what
is allowed, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import copy
import difflib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .parameters import parameter_table


class ScenarioError(ValueError):
    """A scenario (or experiment) file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Key:
    """Declaration of one scenario key: its type, default and allowed values."""

    kind: type
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None
    help: str = ""


MANDATES = ("none", "derived", "full")

SCHEMA: dict[str, Key] = {
    "name": Key(str, "unnamed", help="short name used in tables and figures"),
    "description": Key(str, "", help="the question this scenario answers"),
    "run.years": Key(int, 10, 1, 30, help="years after the team starts"),
    "run.burn_in_weeks": Key(int, 1040, 0, 1560, help="weeks of the traditional regime before the team starts"),
    "run.replications": Key(int, 10, 1, 10000, help="replications per scenario"),
    "run.seed": Key(int, 1, 0, 2**63 - 1, help="root seed"),
    "neighbourhood.residents": Key(int, 6500, 100, 1_000_000, help="residents in the wijk"),
    "neighbourhood.width": Key(int, 60, 10, 2000, help="grid width in cells"),
    "neighbourhood.height": Key(int, 60, 10, 2000, help="grid height in cells"),
    "team.community": Key(int, 2, 0, 40, help="community-building generalists (samenlevingsopbouw)"),
    "team.individual": Key(int, 3, 0, 40, help="individual-support generalists (maatschappelijk werk)"),
    "team.care": Key(int, 2, 0, 40, help="care generalists (wijkverpleegkundige)"),
    "team.hours_per_week": Key(float, 32.0, 8, 40, help="contract hours per professional"),
    "team.hours_in_wijk": Key(
        float, 24.0, 0, 40,
        help="hours per professional per week in the team and the wijk (capped at the contract's hours less admin)",
    ),
    "team.mandate": Key(str, "derived", choices=MANDATES, help="who decides on provisions"),
    "team.duo_visits": Key(bool, True, help="duo home visits"),
    "team.turnover_per_year": Key(float, 0.10, 0.0, 1.0, help="share of the team leaving per year"),
    "team.specialist_agreements": Key(bool, True, help="agreements on consultation, referral and de-escalation"),
    "volunteers.share": Key(float, 0.05, 0.0, 0.5, help="share of adult residents who volunteer"),
    "volunteers.coordination_hours": Key(
        float, 2.0, 0.0, 40.0, help="hours per community worker per week coordinating volunteers"
    ),
}

SECTIONS = sorted({key.split(".")[0] for key in SCHEMA if "." in key} | {"parameters"})
TOP_LEVEL = sorted({key for key in SCHEMA if "." not in key} | {"extends"} | set(SECTIONS))


@dataclass
class Scenario:
    """A resolved, validated scenario: flat dotted keys to values."""

    values: dict[str, Any]
    path: str = "<memory>"
    chain: tuple[str, ...] = field(default_factory=tuple)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def parameters(self) -> dict[str, float]:
        prefix = "parameters."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}

    @property
    def team_size(self) -> int:
        return sum(self.values[f"team.{kind}"] for kind in ("community", "individual", "care"))

    def with_overrides(self, overrides: dict[str, Any], source: str = "override") -> Scenario:
        """A copy with dotted keys replaced (validated like file content)."""
        values = copy.deepcopy(self.values)
        for key, value in overrides.items():
            values[key] = _validate_value(source, key, value)
        return Scenario(values=values, path=self.path, chain=self.chain)

    def nested(self) -> dict[str, Any]:
        """The scenario as nested tables, the shape of a TOML file."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            head, _, tail = key.partition(".")
            if tail:
                out.setdefault(head, {})[tail] = value
            else:
                out[key] = value
        return out


def all_keys() -> list[str]:
    """Every valid dotted key: the schema plus one per parameter-table row."""
    return list(SCHEMA) + [f"parameters.{name}" for name in parameter_table()]


def default_values() -> dict[str, Any]:
    values = {key: spec.default for key, spec in SCHEMA.items()}
    values.update({f"parameters.{n}": s.default for n, s in parameter_table().items()})
    return values


def suggest(key: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if not match:
        # compare the last component too ("team.mandaat" vs "team.mandate")
        tails = {c.split(".")[-1]: c for c in candidates}
        tail_match = difflib.get_close_matches(key.split(".")[-1], list(tails), n=1, cutoff=0.6)
        match = [tails[tail_match[0]]] if tail_match else []
    return f" (did you mean {match[0]}?)" if match else ""


def _type_name(kind: type) -> str:
    return {int: "an integer", float: "a number", bool: "true or false", str: "a string"}[kind]


def _validate_value(source: str, key: str, value: Any) -> Any:
    """Check one dotted key and value; return the value in its canonical type."""
    if key.startswith("parameters."):
        name = key[len("parameters."):]
        table = parameter_table()
        if name not in table:
            raise ScenarioError(
                f"{source}: unknown parameter '{name}'{suggest(name, list(table))}; "
                "see model/parameters.toml for the allowed names"
            )
        spec = table[name]
        kind = int if spec.is_integer else float
        key_spec = Key(kind, spec.default, low=None, high=None)
    elif key in SCHEMA:
        key_spec = SCHEMA[key]
    else:
        raise ScenarioError(f"{source}: unknown key '{key}'{suggest(key, all_keys())}")

    kind = key_spec.kind
    if kind is bool:
        if not isinstance(value, bool):
            raise ScenarioError(f"{source}: {key} must be true or false, got {value!r}")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ScenarioError(f"{source}: {key} must be a string, got {value!r}")
        if key_spec.choices and value not in key_spec.choices:
            allowed = " | ".join(f'"{c}"' for c in key_spec.choices)
            raise ScenarioError(f"{source}: {key} = {value!r} is not allowed; use {allowed}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{source}: {key} must be {_type_name(kind)}, got {value!r}")
    if kind is int:
        if isinstance(value, float):
            if not value.is_integer():
                raise ScenarioError(f"{source}: {key} must be a whole number, got {value!r}")
            value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ScenarioError(f"{source}: {key} must be a finite number, got {value!r}")
    if key.startswith("parameters.") and value < 0:
        raise ScenarioError(f"{source}: {key} must not be negative, got {value!r}")
    if key_spec.low is not None and not (key_spec.low <= value <= key_spec.high):
        raise ScenarioError(
            f"{source}: {key} = {value!r} is out of range; allowed {key_spec.low} to {key_spec.high}"
        )
    return value


def _flatten(source: str, table: dict[str, Any]) -> dict[str, Any]:
    """Nested TOML tables to dotted keys, rejecting unknown sections early."""
    flat: dict[str, Any] = {}
    for head, value in table.items():
        if head == "extends":
            continue
        if isinstance(value, dict):
            if head not in SECTIONS:
                raise ScenarioError(f"{source}: unknown section [{head}]{suggest(head, SECTIONS)}")
            for sub, subvalue in value.items():
                if isinstance(subvalue, dict):
                    raise ScenarioError(f"{source}: {head}.{sub} must be a value, not a table")
                flat[f"{head}.{sub}"] = subvalue
        else:
            if head in SECTIONS:
                raise ScenarioError(f"{source}: {head} must be a table ([{head}])")
            flat[head] = value
    return flat


def read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ScenarioError(f"{path}: file not found")
    if path.is_dir():
        raise ScenarioError(f"{path}: is a directory, not a scenario file")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    if not raw.strip():
        raise ScenarioError(f"{path}: file is empty; a scenario needs at least a name")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a text file (not valid UTF-8); expected TOML") from None
    if "\x00" in text:
        raise ScenarioError(f"{path}: binary content; expected a TOML text file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: TOML syntax error: {error}") from None


def _resolve_file(path: Path, seen: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Read a file and the chain it extends; later files override earlier ones."""
    resolved = str(path.resolve())
    if resolved in seen:
        cycle = " -> ".join(Path(p).name for p in (*seen, resolved))
        raise ScenarioError(f"{path}: circular extends ({cycle})")
    table = read_toml(path)
    seen = (*seen, resolved)
    values: dict[str, Any] = {}
    chain: tuple[str, ...] = ()
    if "extends" in table:
        parent = table["extends"]
        if not isinstance(parent, str) or not parent:
            raise ScenarioError(f"{path}: extends must be a file name (a string), got {parent!r}")
        parent_path = (path.parent / parent)
        if not parent_path.exists():
            raise ScenarioError(f"{path}: extends '{parent}' but {parent_path} does not exist")
        values, chain = _resolve_file(parent_path, seen)
    own = _flatten(str(path), table)
    for key, value in own.items():
        values[key] = _validate_value(str(path), key, value)
    return values, (*chain, str(path))


def load_scenario(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, resolve (`extends`) and validate a scenario file.

    ``path=None`` gives the built-in defaults. ``overrides`` take dotted keys,
    e.g. ``{"team.mandate": "full", "parameters.worsening_rate": 0.03}``.
    """
    values = default_values()
    chain: tuple[str, ...] = ()
    source = "<defaults>"
    if path is not None:
        path = Path(path)
        own, chain = _resolve_file(path, ())
        values.update(own)
        source = str(path)
        if "name" not in own:
            values["name"] = path.stem
    scenario = Scenario(values=values, path=source, chain=chain)
    if overrides:
        scenario = scenario.with_overrides(overrides, source=f"{source} (overrides)")
    return scenario

"""The parameter table: complete, sourced, and the only home of model constants."""

from __future__ import annotations

import re
from pathlib import Path

from model import parameter_table

ROOT = Path(__file__).resolve().parents[1]
CODE = [path for folder in ("model", "agents", "experiments") for path in (ROOT / folder).rglob("*.py")]
# a parameter is read as an attribute of the parameter object: p.name, params.name, self.params.name
READ = re.compile(r"\bp(?:arams)?\.([a-z_][a-z0-9_]*)\b")


def test_every_row_has_unit_range_and_source():
    table = parameter_table()
    assert len(table) > 60
    for name, spec in table.items():
        assert spec.unit.strip(), name
        assert len(spec.source.strip()) > 10, name
        assert spec.low <= spec.default <= spec.high, f"{name}: default outside its range"


def test_code_uses_only_parameters_in_the_table():
    table = parameter_table()
    used = set()
    for path in CODE:
        used |= set(READ.findall(path.read_text()))
    used -= {"parameters"}
    missing = sorted(name for name in used if name not in table)
    assert not missing, f"used in code but not in parameters.toml: {missing}"


def test_every_parameter_is_used_somewhere():
    table = parameter_table()
    read = {name for path in CODE for name in READ.findall(path.read_text())}
    unused = [name for name in table if name not in read]  # whole names: p.rate_x does not read rate
    assert not unused, f"parameters in the table that no code reads: {unused}"

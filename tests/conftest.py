"""Shared helpers: small, fast scenarios for mechanism tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model import load_scenario  # noqa: E402

SMALL = {
    "neighbourhood.residents": 2500,
    "neighbourhood.width": 40,
    "neighbourhood.height": 40,
    "run.years": 3,
    "run.burn_in_weeks": 52,
}
NO_TEAM = {"team.community": 0, "team.individual": 0, "team.care": 0}


def small_scenario(**overrides):
    """The recommended scenario shrunk for fast tests; dotted keys with '__' for '.'."""
    values = dict(SMALL)
    values.update({key.replace("__", "."): value for key, value in overrides.items()})
    return load_scenario(ROOT / "scenarios" / "recommended.toml", overrides=values)


@pytest.fixture
def scenarios_dir() -> Path:
    return ROOT / "scenarios"

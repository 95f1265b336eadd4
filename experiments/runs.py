"""Replications of one scenario, with seeds shared across scenarios.

Replication k of every scenario gets the same seed (common random numbers),
so two scenarios compared side by side differ by their settings, not by noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import Scenario, WijkteamModel


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent seeds for replications 0..n-1, derived from one root seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, np.uint64)[0]) for child in children]


def run_replication(scenario: Scenario, seed: int, replication: int = 0) -> pd.DataFrame:
    """One full run (burn-in and horizon) as a weekly DataFrame."""
    model = WijkteamModel(scenario, rng=seed)
    model.run()
    frame = model.timeseries()
    frame.insert(0, "replication", replication)
    frame.insert(0, "scenario", scenario.name)
    return frame


def run_scenario(scenario: Scenario, replications: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """Weekly timeseries of ``replications`` runs, stacked (see interface.md for the columns)."""
    replications = scenario["run.replications"] if replications is None else replications
    seed = scenario["run.seed"] if seed is None else seed
    seeds = replication_seeds(seed, replications)
    frames = [run_replication(scenario, s, k) for k, s in enumerate(seeds)]
    return pd.concat(frames, ignore_index=True)

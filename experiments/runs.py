"""Replications of scenarios, with seeds shared across scenarios.

Replication k of every scenario gets the same seed (common random numbers),
so two scenarios compared side by side differ by their settings, not by noise.
Runs are independent, so they can go to a process pool; the result does not
depend on where a run was executed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
import pandas as pd

from model import Scenario, WijkteamModel

from .interrupts import raise_if_interrupted


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


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_scenarios(scenarios: list[Scenario], replications: int, seed: int, workers: int | None = None,
                  on_done: Callable[[], None] | None = None) -> pd.DataFrame:
    """All replications of several scenarios with common random numbers, in a process pool.

    Rows come back in scenario order, then replication order, whatever the
    order in which runs finished.
    """
    seeds = replication_seeds(seed, replications)
    jobs = [(i, k, scenario, s) for i, scenario in enumerate(scenarios) for k, s in enumerate(seeds)]
    workers = default_workers() if workers is None else workers
    results: dict[tuple[int, int], pd.DataFrame] = {}
    if workers <= 1 or len(jobs) == 1:
        for i, k, scenario, s in jobs:
            results[(i, k)] = run_replication(scenario, s, k)
            raise_if_interrupted()
            if on_done:
                on_done()
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures = {pool.submit(run_replication, scenario, s, k): (i, k) for i, k, scenario, s in jobs}
            try:
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    raise_if_interrupted()
                    if on_done:
                        on_done()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return pd.concat([results[key] for key in sorted(results)], ignore_index=True)

"""Replications of scenarios, with seeds shared across scenarios.

Replication k of every scenario gets the same seed (common random numbers),
so two scenarios compared side by side differ by their settings, not by noise.
Scenarios that differ only in their team live through the same burn-in, so
the burn-in is run once per replication and each scenario continues from a
copy of it (``WijkteamModel.continue_as``; the same numbers as separate runs).

With parameter draws (``experiments.posterior``), run j = d * R + k is
replication k of draw d: every scenario gets the same draws and the same seeds.
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
from model.wijkteam_model import burn_in_settings

from .interrupts import raise_if_interrupted


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent seeds for replications 0..n-1, derived from one root seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, np.uint64)[0]) for child in children]


def _frame(model: WijkteamModel, scenario: Scenario, replication: int, draw: int | None) -> pd.DataFrame:
    frame = model.timeseries()
    if draw is not None:
        frame.insert(0, "draw", draw)
    frame.insert(0, "replication", replication)
    frame.insert(0, "scenario", scenario.name)
    return frame


def run_replication(scenario: Scenario, seed: int, replication: int = 0) -> pd.DataFrame:
    """One full run (burn-in and horizon) as a weekly DataFrame."""
    model = WijkteamModel(scenario, rng=seed)
    model.run()
    return _frame(model, scenario, replication, None)


def run_sharing_burn_in(scenarios: list[Scenario], seed: int, replication: int = 0,
                        draw: int | None = None) -> list[pd.DataFrame]:
    """One replication of scenarios that differ only in their team: the burn-in once, then each
    scenario's horizon from a copy of it."""
    if len(scenarios) == 1 and draw is None:
        return [run_replication(scenarios[0], seed, replication)]
    world = WijkteamModel(scenarios[0], rng=seed)
    world.run_burn_in()
    frames = []
    for i, scenario in enumerate(scenarios):
        if i < len(scenarios) - 1:
            model = world.continue_as(scenario)
        else:
            model = world
            model.take_team_of(scenario)
        model.run()
        frames.append(_frame(model, scenario, replication, draw))
    return frames


def burn_in_groups(scenarios: list[Scenario]) -> list[list[int]]:
    """Scenario indices grouped by what their burn-in reads, in order of first appearance."""
    groups: dict[tuple, list[int]] = {}
    for i, scenario in enumerate(scenarios):
        groups.setdefault(burn_in_settings(scenario), []).append(i)
    return list(groups.values())


def run_scenario(scenario: Scenario, replications: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """Weekly timeseries of ``replications`` runs, stacked (see interface.md for the columns)."""
    replications = scenario["run.replications"] if replications is None else replications
    seed = scenario["run.seed"] if seed is None else seed
    seeds = replication_seeds(seed, replications)
    frames = [run_replication(scenario, s, k) for k, s in enumerate(seeds)]
    return pd.concat(frames, ignore_index=True)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _jobs(scenarios: list[Scenario], replications: int, seed: int,
          draws: list[dict[str, float]] | None) -> list[tuple[list[int], list[Scenario], int, int, int | None]]:
    """(scenario indices, scenarios, seed, run number, draw) for every burn-in to run."""
    n_draws = 1 if draws is None else len(draws)
    seeds = replication_seeds(seed, n_draws * replications)
    jobs = []
    for d in range(n_draws):
        world = scenarios if draws is None else [s.with_overrides(draws[d], source="posterior draw")
                                                 for s in scenarios]
        for k in range(replications):
            run = d * replications + k
            for group in burn_in_groups(world):
                jobs.append((group, [world[i] for i in group], seeds[run], run, None if draws is None else d))
    return jobs


def run_scenarios(scenarios: list[Scenario], replications: int, seed: int, workers: int | None = None,
                  on_done: Callable[[int], None] | None = None,
                  draws: list[dict[str, float]] | None = None) -> pd.DataFrame:
    """All replications of several scenarios with common random numbers, in a process pool.

    ``draws``: parameter values (dotted keys) for each posterior draw; every scenario gets
    every draw. Rows come back in scenario order, then run order, whatever the order in which
    runs finished. ``on_done(n)`` is told after every burn-in how many scenario runs it finished.
    """
    jobs = _jobs(scenarios, replications, seed, draws)
    workers = default_workers() if workers is None else workers
    results: dict[tuple[int, int], pd.DataFrame] = {}

    def collect(group: list[int], run: int, frames: list[pd.DataFrame]) -> None:
        for i, frame in zip(group, frames, strict=True):
            results[(i, run)] = frame
        raise_if_interrupted()
        if on_done:
            on_done(len(group))

    if workers <= 1 or len(jobs) == 1:
        for group, world, s, run, draw in jobs:
            collect(group, run, run_sharing_burn_in(world, s, run, draw))
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures = {pool.submit(run_sharing_burn_in, world, s, run, draw): (group, run)
                       for group, world, s, run, draw in jobs}
            try:
                for future in as_completed(futures):
                    collect(*futures[future], future.result())
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    return pd.concat([results[key] for key in sorted(results)], ignore_index=True)

"""Two base rates set outside the ABC calibration: evictions and bijstand.

Both are levels of the current-practice scenario fitted to one national figure, with the rest
of the model at its calibrated defaults:

- ``eviction_rate``: the weekly chance that makes current practice evict the Aedes share of
  corporation households. Evictions are too rare in a wijk to count, so the chance is the
  national rate over the share of corporation households at risk (severe arrears, nobody
  helping), measured week by week (evictions are too few to change that share).
- ``bijstand_threshold`` and ``bijstand_exit_threshold``: the work-and-income severities at which
  a household goes on and leaves bijstand, found by bisection so that current practice has
  CBS's share of households on bijstand and, as far as the model can, CBS's yearly outflow
  (how long a spell lasts).

``python -m experiments.base_rates`` prints the values to put in model/parameters.toml.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from agents.vocabulary import SPEC_DEBT, TEAM
from model.parameters import WEEKS_PER_YEAR, parameter_table
from model.scenario import load_scenario
from model.wijkteam_model import WijkteamModel

import scenarios
from experiments.targets import load_targets

NATIONAL_TARGETS = Path(__file__).resolve().parent.parent / "data" / "targets" / "netherlands.toml"
BISECTIONS = 6


def at_risk_share(model: WijkteamModel) -> float:
    """The share of corporation households this week that an eviction could reach."""
    res, housing = model.residents, model.housing
    protected = np.zeros(res.n_households, bool)
    protected[res.household[model.second_line.rows_of_kind(SPEC_DEBT)]] = True
    protected[res.household[res.rows(TEAM)]] = True
    debt = model.problems.household_debt.take(res.household_starts)
    at_risk = housing.corporation_rent & ~protected & (debt >= model.params.crisis_threshold)
    return np.count_nonzero(at_risk) / max(1, np.count_nonzero(housing.corporation_rent))


def measure(replications: int, years: int, seed: int, **parameters: float) -> tuple[float, float, float]:
    """Current practice after the team's start: the mean share of corporation households at risk
    of eviction, the share of households on bijstand and the yearly share of them that leaves."""
    overrides = {"run.years": years, **{f"parameters.{name}": value for name, value in parameters.items()}}
    scenario = load_scenario(scenarios.find("current-practice"), overrides=overrides)
    at_risk, on_bijstand, exits = [], [], 0
    for seq in np.random.SeedSequence(seed).spawn(replications):
        model = WijkteamModel(scenario, rng=seq)
        while model.running:
            model.step()
            if model.week > 0:
                exits += model.income.count["bijstand_exits"]
                on_bijstand.append(np.count_nonzero(model.income.on_bijstand))
                if model.week % 4 == 0:
                    at_risk.append(at_risk_share(model))
    households = model.residents.n_households
    outflow = exits * WEEKS_PER_YEAR / max(1, sum(on_bijstand))
    return float(np.mean(at_risk)), float(np.mean(on_bijstand)) / households, outflow


def bisect(rises_with_x, target: float, low: float, high: float) -> float:
    """The x in [low, high] at which ``rises_with_x(x)``, increasing in x, meets ``target``."""
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        low, high = (low, middle) if rises_with_x(middle) > target else (middle, high)
    return (low + high) / 2


def bijstand_thresholds(share: float, outflow: float, replications: int, years: int,
                        seed: int) -> tuple[float, float, float]:
    """Entry and exit severities that give ``share`` of households on bijstand and ``outflow`` of
    them leaving a year, and the outflow they give. A household cannot leave above the level it
    entered at, so the fastest outflow is with both levels equal; if even that is below the
    target, both stay equal (the nearest the model comes). Otherwise the exit level is found by
    bisection below the entry level, each with the entry level that gives the share (the share
    falls as the entry rises; the outflow rises with the exit level)."""
    spec = parameter_table()["bijstand_threshold"]

    def entry_for(exit_level: float | None) -> float:
        def share_at(entry: float) -> float:
            level = entry if exit_level is None else exit_level
            return measure(replications, years, seed, bijstand_threshold=entry, bijstand_exit_threshold=level)[1]

        return bisect(lambda entry: -share_at(entry), -share, spec.low, spec.high)

    def outflow_at(entry: float, exit_level: float) -> float:
        return measure(replications, years, seed, bijstand_threshold=entry, bijstand_exit_threshold=exit_level)[2]

    same = entry_for(None)
    fastest = outflow_at(same, same)
    if fastest <= outflow:
        return same, same, fastest
    low = parameter_table()["bijstand_exit_threshold"].low
    exit_level = bisect(lambda level: outflow_at(entry_for(level), level), outflow, low, same)
    entry = entry_for(exit_level)
    return entry, exit_level, outflow_at(entry, exit_level)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    targets = {t.name: t for t in load_targets(NATIONAL_TARGETS).targets}
    evictions = targets["evictions"].value / 1000 / WEEKS_PER_YEAR  # per corporation household-week
    share_at_risk, _, _ = measure(args.replications, args.years, args.seed)
    print(f"corporation households at risk of eviction: {share_at_risk:.4f}")
    print(f"eviction_rate = {evictions / share_at_risk:.4g}")
    entry, exit_level, reached = bijstand_thresholds(targets["bijstand"].value, targets["bijstand_outflow"].value,
                                                     args.replications, args.years, args.seed)
    print(f"bijstand_threshold = {entry:.3f}")
    print(f"bijstand_exit_threshold = {exit_level:.3f}")
    print(f"bijstand outflow a year: {reached:.3f} (target {targets['bijstand_outflow'].value:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

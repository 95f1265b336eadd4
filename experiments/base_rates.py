"""Two base rates set by one ratio each, outside the ABC calibration: evictions and bijstand.

Both are levels of the current-practice scenario fitted to one national figure, with the rest
of the model at its calibrated defaults:

- ``eviction_rate``: the weekly chance that makes current practice evict the Aedes share of
  corporation households. Evictions are too rare in a wijk to count, so the chance is the
  national rate over the share of corporation households at risk (severe arrears, nobody
  helping), measured week by week (evictions are too few to change that share).
- ``bijstand_threshold``: the work-and-income severity above which the CBS share of
  households lives on bijstand, the quantile of the households' worst such severity.

``python -m experiments.base_rates`` prints the values to put in model/parameters.toml.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from agents.vocabulary import ADULT, SPEC_DEBT, TEAM, WORK
from model.parameters import WEEKS_PER_YEAR
from model.scenario import load_scenario
from model.wijkteam_model import WijkteamModel

import scenarios
from experiments.targets import load_targets

NATIONAL_TARGETS = Path(__file__).resolve().parent.parent / "data" / "targets" / "netherlands.toml"


def at_risk_share(model: WijkteamModel) -> float:
    """The share of corporation households this week that an eviction could reach."""
    res, housing = model.residents, model.housing
    protected = np.zeros(res.n_households, bool)
    protected[res.household[model.second_line.rows_of_kind(SPEC_DEBT)]] = True
    protected[res.household[res.rows(TEAM)]] = True
    debt = model.problems.household_debt.take(res.household_starts)
    at_risk = housing.corporation_rent & ~protected & (debt >= model.params.crisis_threshold)
    return np.count_nonzero(at_risk) / max(1, np.count_nonzero(housing.corporation_rent))


def worst_work_problem(model: WijkteamModel) -> np.ndarray:
    """Each household's worst work-and-income severity among its working-age members."""
    res = model.residents
    work = np.where(res.age == ADULT, res.severity[WORK], 0.0)
    return np.maximum.reduceat(work, res.household_starts)


def measure(replications: int, years: int, seed: int) -> tuple[float, np.ndarray]:
    """Mean share at risk of eviction, and every household-week's worst work problem."""
    scenario = load_scenario(scenarios.find("current-practice"), overrides={"run.years": years})
    shares, work = [], []
    for seq in np.random.SeedSequence(seed).spawn(replications):
        model = WijkteamModel(scenario, rng=seq)
        while model.running:
            model.step()
            if model.week > 0 and model.week % 4 == 0:
                shares.append(at_risk_share(model))
                work.append(worst_work_problem(model))
    return float(np.mean(shares)), np.concatenate(work)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    targets = {t.name: t for t in load_targets(NATIONAL_TARGETS).targets}
    evictions = targets["evictions"].value / 1000 / WEEKS_PER_YEAR  # per corporation household-week
    bijstand = targets["bijstand"].value
    share_at_risk, work = measure(args.replications, args.years, args.seed)
    print(f"corporation households at risk of eviction: {share_at_risk:.4f}")
    print(f"eviction_rate = {evictions / share_at_risk:.4g}")
    print(f"bijstand_threshold = {np.quantile(work, 1.0 - bijstand):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

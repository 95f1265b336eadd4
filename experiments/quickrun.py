"""A short run of one scenario against the no-team counterfactual, summarised on the terminal.

This is `make run` until the full command line lands:
    python -m experiments.quickrun scenarios/recommended.toml [--replications N]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from model import ScenarioError, load_scenario

from .runs import run_scenario
from .summary import headline_outcomes

NO_TEAM = {"team.community": 0, "team.individual": 0, "team.care": 0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", help="scenario file, e.g. scenarios/recommended.toml")
    parser.add_argument("--replications", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    counterfactual = scenario.with_overrides({**NO_TEAM, "name": "no-team"})
    rows = []
    for sc in (counterfactual, scenario):
        start = time.perf_counter()
        frame = run_scenario(sc, replications=args.replications, seed=args.seed)
        outcomes = headline_outcomes(frame)
        rows.append((sc.name, outcomes, time.perf_counter() - start))
    print(f"\n{scenario.name}: {scenario['neighbourhood.residents']} residents, {scenario['run.years']} years, "
          f"{args.replications} replications (same seeds for both)\n")
    names = ["second_line_entries_per_1000", "crisis_entries_per_1000", "mean_first_contact_severity",
             "final_team_competence", "cost_team", "cost_second_line", "cost_total"]
    print(f"{'outcome':32s}" + "".join(f"{name:>20s}" for name, _, _ in rows))
    for outcome in names:
        cells = []
        for _, table, _ in rows:
            value = float(np.mean(table[outcome]))
            cells.append(f"{value:20,.0f}" if outcome.startswith("cost") else f"{value:20.3f}")
        print(f"{outcome:32s}" + "".join(cells))
    print("\n" + "  ".join(f"{name}: {seconds:.1f}s" for name, _, seconds in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast is one run? Resident-weeks per second of a 10-year weekly run.

    python benchmarks/model_speed.py [--residents 10000] [--years 10] [--repeat 3]

Prints the best of ``repeat`` runs (burn-in included in the weeks counted).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import WijkteamModel, load_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    scenario = load_scenario(root / "scenarios" / "recommended.toml",
                             overrides={"neighbourhood.residents": args.residents, "run.years": args.years})
    weeks = scenario["run.burn_in_weeks"] + 52 * args.years
    best = float("inf")
    for seed in range(args.repeat):
        start = time.perf_counter()
        model = WijkteamModel(scenario, rng=seed)
        model.run()
        best = min(best, time.perf_counter() - start)
    print(f"{args.residents} residents, {weeks} weeks: best of {args.repeat} = {best:.2f} s, "
          f"{args.residents * weeks / best:,.0f} resident-weeks/s")


if __name__ == "__main__":
    main()

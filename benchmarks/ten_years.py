"""Ten years of a 10,000-resident wijk, scenario by scenario: the model issue's speed target.

    python benchmarks/ten_years.py [--residents 10000] [--repeat 3] [scenario ...]

The model issue asks for "a 10-year weekly run of a 10,000-resident wijk in
about one second on one core". The throughput benchmark measures one
scenario (the recommended team); what a week costs depends on what the team
does (a team that walks the streets costs more than a swamped one), so
this times the 520 weeks after the burn-in (measured, not prorated) for each
key scenario, best of ``repeat``, and prints beside them what drives the cost:
caseload and presence hours in the last year. Plain Mesa's agent-steps per
second are printed too, as a reading of how busy the machine was.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.throughput import boltzmann_seconds, timed_run  # noqa: E402
from model import WijkteamModel, load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KEY_SCENARIOS = ("no_team", "current_practice", "recommended", "full_mandate")
TARGET_SECONDS = 1.0


def time_scenario(name: str, residents: int, repeat: int) -> dict:
    """Best seconds of the burn-in and of the 10 years after it, over ``repeat`` seeds."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml",
                             overrides={"neighbourhood.residents": residents, "run.years": 10})
    burn_in = years = math.inf
    for seed in range(repeat):
        run = timed_run(scenario, seed)
        burn_in, years = min(burn_in, run["burn_in"]), min(years, run["years"])
    last_year = run["model"].timeseries().query("year == 9")
    return {"scenario": name, "burn_in_seconds": burn_in, "burn_in_weeks": scenario["run.burn_in_weeks"],
            "seconds": years, "caseload": last_year["team_caseload"].mean(),
            "presence_hours": last_year["presence_hours"].mean()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", default=list(KEY_SCENARIOS), help="bundled scenario names")
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    WijkteamModel(load_scenario(), rng=0).step()  # warm-up: imports, caches
    mesa_rate = args.residents * 20 / boltzmann_seconds(args.residents, 20, seed=0)
    print(f"{args.residents:,} residents, 520 weeks after the burn-in, best of {args.repeat} "
          f"(target: about {TARGET_SECONDS:.0f} s; plain Mesa at {mesa_rate:,.0f} agent-steps/s now)")
    for name in args.scenarios:
        r = time_scenario(name, args.residents, args.repeat)
        print(f"{name:18s} 10 years {r['seconds']:5.2f} s ({r['seconds'] / 520 * 1e3:.2f} ms a week)  "
              f"burn-in {r['burn_in_seconds']:.2f} s for {r['burn_in_weeks']} weeks  "
              f"last year: caseload {r['caseload']:5.0f}, presence {r['presence_hours']:5.1f} h a week", flush=True)


if __name__ == "__main__":
    main()

"""Ten years of a 10,000-resident wijk, scenario by scenario, beside the numpy kernel anchor.

    python benchmarks/ten_years.py [--residents 10000] [--repeat 3] [scenario ...]

The throughput benchmark holds the goal for one scenario, the recommended
team. What a week costs depends on what the team does (a team that walks the
streets and takes many cases does more work than a swamped one), so this
times the 520 weeks with the team (after the 156-week burn-in, timed apart)
for each key scenario, best of ``repeat`` with the shared numpy kernel
(benchmarks/shared_anchors.py) measured in between, and prints beside them what
drives the cost: caseload and presence hours in the last year. A scenario far
below the recommended one's ratio is where to look next.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shared_anchors import load_anchors  # noqa: E402
from model import WijkteamModel, load_scenario  # noqa: E402

anchors = load_anchors()
KEY_SCENARIOS = ("no_team", "current_practice", "recommended", "full_mandate")
BURN_IN_WEEKS = 156


def time_scenario(name: str, residents: int, repeat: int) -> dict:
    """Best seconds of the burn-in and of the 10 years after it, and the best kernel
    rate measured between the runs."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml", overrides={
        "neighbourhood.residents": residents, "run.years": 10, "run.burn_in_weeks": BURN_IN_WEEKS})
    burn_in = years = math.inf
    kernel = 0.0
    for _ in range(repeat):
        kernel = max(kernel, anchors.kernel())
        model = WijkteamModel(scenario, rng=1)
        start = time.perf_counter()
        model.run_burn_in()
        burnt_in = time.perf_counter()
        model.run()
        burn_in, years = min(burn_in, burnt_in - start), min(years, time.perf_counter() - burnt_in)
    last_year = model.timeseries().query("year == 9")
    return {"scenario": name, "burn_in_seconds": burn_in, "seconds": years,
            "resident_weeks_per_s": residents * 520 / years, "kernel": kernel,
            "caseload": last_year["team_caseload"].mean(), "presence_hours": last_year["presence_hours"].mean()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", default=list(KEY_SCENARIOS), help="bundled scenario names")
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warm_up = load_scenario(ROOT / "scenarios" / "recommended.toml",
                            overrides={"neighbourhood.residents": 1000, "run.years": 1})
    WijkteamModel(warm_up, rng=99).run()  # loads (or compiles) the kernels
    print(f"{args.residents:,} residents, the 520 weeks with the team after {BURN_IN_WEEKS} burn-in weeks, "
          f"best of {args.repeat}; 'of kernel': resident-weeks/s over the numpy kernel's")
    for name in args.scenarios:
        r = time_scenario(name, args.residents, args.repeat)
        print(f"{name:18s} 10 years {r['seconds']:5.2f} s = {r['resident_weeks_per_s']:>10,.0f} resident-weeks/s "
              f"({r['resident_weeks_per_s'] / r['kernel']:.2f} of kernel)  burn-in {r['burn_in_seconds']:.2f} s  "
              f"last year: caseload {r['caseload']:5.0f}, presence {r['presence_hours']:5.1f} h a week", flush=True)


if __name__ == "__main__":
    main()

"""Scaling: cost per resident-week and peak memory from 2,000 to 100,000 residents.

    python benchmarks/scaling.py [--sizes 2000 5000 10000 20000 50000 100000] [--years 10] [--quick]

Nothing in the model may grow faster than the number of residents: the cost
per resident-week must stay flat to 100,000 residents (issue 16). Each size
runs the recommended scenario (156 burn-in weeks, then 10 years) in a fresh
process, so that peak memory is that run's own, on a grid scaled with the
population (60 x 60 cells per 6,500 residents, as in the bundled scenario),
after a small warm-up run that loads the compiled kernels. Beside each run
the same process measures the shared numpy kernel (benchmarks/shared_anchors.py),
so that each size is also given as a share of the kernel's speed, which a
busy hour moves less than a time. Small wijken pay a fixed cost per week
(the team's decisions, recording), so the comparison that shows "nothing
quadratic" is 10,000 against the largest size. ``--quick`` stops at 20,000.
Goals of the earlier performance issue, still printed: 100,000 residents for
10 years within 20 s and 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shared_anchors import load_anchors  # noqa: E402

anchors = load_anchors()

GOAL_SECONDS_100K = 20.0
GOAL_MEMORY_MIB = 2048.0
FLAT = 1.2  # the largest size's cost per resident-week over that at 10,000 residents


def one_run(residents: int, years: int) -> dict:
    """Run one size in this process and report time and peak memory, and the kernel anchor's speed."""
    from model import WijkteamModel, load_scenario

    warm_up = load_scenario(ROOT / "scenarios" / "recommended.toml",
                            overrides={"neighbourhood.residents": 500, "run.years": 1})
    WijkteamModel(warm_up, rng=99).run()  # loads (or compiles) the kernels
    kernel = max(anchors.kernel() for _ in range(2))
    side = max(20, round(60 * math.sqrt(residents / 6500)))
    scenario = load_scenario(ROOT / "scenarios" / "recommended.toml", overrides={
        "neighbourhood.residents": residents, "neighbourhood.width": side, "neighbourhood.height": side,
        "run.years": years, "run.burn_in_weeks": 156})
    weeks = scenario["run.burn_in_weeks"] + 52 * years
    start = time.perf_counter()
    model = WijkteamModel(scenario, rng=1)
    model.run()
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"residents": residents, "grid": side, "weeks": weeks, "seconds": seconds,
            "us_per_resident_week": seconds / (residents * weeks) * 1e6, "peak_mib": peak_mib,
            "kernel_us_per_resident_week": 1e6 / kernel, "of_kernel": residents * weeks / seconds / kernel}


def fixed_and_proportional(rows: list[dict]) -> tuple[float, float]:
    """Least-squares fit of seconds per week = fixed + per resident x residents.

    The fixed part (ms per week) is what a week costs whatever the size: the
    calls that run once a week, on small arrays or none. It is what limits
    the throughput of a 10,000-resident wijk; the proportional part (us per
    resident-week) is what limits a whole municipality.
    """
    residents = np.array([r["residents"] for r in rows], float)
    per_week = np.array([r["seconds"] / r["weeks"] for r in rows])
    slope, intercept = np.polyfit(residents, per_week, 1)
    return intercept * 1e3, slope * 1e6


def measure(sizes, years: int) -> list[dict]:
    rows = []
    for residents in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(residents), "--years", str(years)],
                             check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 10_000, 20_000, 50_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="sizes 2,000 to 20,000 only")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, args.years)))
        return
    sizes = [size for size in args.sizes if size <= 20_000] if args.quick else args.sizes
    rows = measure(sizes, args.years)
    print(f"recommended scenario, 156 burn-in weeks + {args.years} years; 'kernel': the numpy kernel anchor "
          f"measured in the same process; 'of kernel': the model's resident-weeks/s over the kernel's")
    print(f"{'residents':>10} {'grid':>8} {'seconds':>8} {'us/resident-week':>17} {'kernel us':>10} "
          f"{'of kernel':>10} {'peak MiB':>9}")
    for r in rows:
        print(f"{r['residents']:>10,} {r['grid']:>4}x{r['grid']:<3} {r['seconds']:>8.2f} "
              f"{r['us_per_resident_week']:>17.3f} {r['kernel_us_per_resident_week']:>10.3f} "
              f"{r['of_kernel']:>10.2f} {r['peak_mib']:>9.0f}")
    summary: dict = {"rows": rows, "years": args.years}
    if len(rows) >= 2:
        fixed_ms, per_resident_us = fixed_and_proportional(rows)
        share_10k = fixed_ms / (fixed_ms + per_resident_us * 10_000 / 1000)
        print(f"fitted cost of a week: {fixed_ms:.2f} ms that does not grow with the residents "
              f"+ {per_resident_us:.3f} us per resident ({share_10k:.0%} of a 10,000-resident week is the fixed part)")
    by_size = {r["residents"]: r for r in rows}
    largest = by_size[max(by_size)]
    if 10_000 in by_size and largest["residents"] > 10_000:
        base = by_size[10_000]
        ratio = largest["us_per_resident_week"] / base["us_per_resident_week"]
        against_kernel = base["of_kernel"] / largest["of_kernel"]
        summary.update(flat_ratio=ratio, flat_ratio_against_kernel=against_kernel, largest=largest["residents"],
                       flat=max(ratio, against_kernel) <= FLAT)
        print(f"cost per resident-week at {largest['residents']:,} / at 10,000 residents: {ratio:.2f} "
              f"({against_kernel:.2f} against the kernel measured beside each; flat is <= {FLAT}: "
              f"{'met' if summary['flat'] else 'NOT met'})")
    if 100_000 in by_size:
        big = by_size[100_000]
        print(f"100,000 residents, {args.years} years: {big['seconds']:.1f} s (goal {GOAL_SECONDS_100K:.0f} s), "
              f"peak {big['peak_mib']:.0f} MiB (goal {GOAL_MEMORY_MIB:.0f} MiB)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()

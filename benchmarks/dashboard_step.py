"""One step of the dashboard's Explore view at 5,000 residents: the model step plus every redraw.

Measures what the browser waits for after Step: ``model.step()``, updating the
map and the five live plots, and encoding each to PNG for the browser,
exactly as the Explore view does (figures are built once per model and
redrawn over a cached background, see dashboards/drawing.py). The dashboard
is only usable if a step feels immediate: the budget (issues 6 and 16) is
100 ms on average at 5,000 residents.

    python benchmarks/dashboard_step.py [--residents 5000] [--weeks 52] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboards.dashboard_model import DashboardModel  # noqa: E402
from dashboards.drawing import PLOTS, live_figures  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=52, help="steps to time (after a warm-up of 5)")
    parser.add_argument("--budget-ms", type=float, default=100.0)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    model = DashboardModel(residents=args.residents)
    parts = {"model step": [], "map": [], "plots": []}

    def one_step():
        t0 = time.perf_counter()
        model.step()
        t1 = time.perf_counter()
        figures = live_figures(model)
        figures["map"].png(model)
        t2 = time.perf_counter()
        for name in PLOTS:
            figures[name].png(model)
        t3 = time.perf_counter()
        return t1 - t0, t2 - t1, t3 - t2

    for _ in range(5):
        one_step()
    for _ in range(args.weeks):
        for name, seconds in zip(parts, one_step(), strict=True):
            parts[name].append(seconds * 1000)
    total = [sum(v) for v in zip(*parts.values(), strict=True)]
    total.sort()
    for name, values in parts.items():
        print(f"{name:>12}: {sum(values) / len(values):6.1f} ms")
    mean = sum(total) / len(total)
    p95 = total[int(0.95 * (len(total) - 1))]
    print(f"{'total':>12}: {mean:6.1f} ms per step (95th percentile {p95:.1f} ms) at {args.residents} residents, "
          f"budget {args.budget_ms:.0f} ms: {'OK' if mean <= args.budget_ms else 'OVER'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "residents": args.residents, "mean_ms": mean, "p95_ms": p95, "budget_ms": args.budget_ms,
            "within_budget": mean <= args.budget_ms,
            "parts_ms": {name: sum(values) / len(values) for name, values in parts.items()}}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

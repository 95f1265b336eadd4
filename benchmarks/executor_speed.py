"""How fast do experiment runs go through the executors? Runs per second and overhead per run.

    python benchmarks/executor_speed.py [--runs 8] [--residents 600] [--years 1]

Times the same small runs three ways: one after the other in this process
(the model's own time), through the executor with 1 worker, and through the
local process pool with 2 workers. The executor overhead per run is the pool
time (with 1 worker, so no parallel gain hides it) minus the sequential time,
divided by the runs. Prints the figures; not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from experiments.executors import execute, execute_run, process_pool  # noqa: E402
from experiments.runs import replication_seeds  # noqa: E402
from model import load_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--residents", type=int, default=600)
    parser.add_argument("--years", type=int, default=1)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    side = max(20, int((args.residents / 1.5) ** 0.5))
    scenario = load_scenario(root / "scenarios" / "recommended.toml", overrides={
        "neighbourhood.residents": args.residents, "neighbourhood.width": side, "neighbourhood.height": side,
        "run.years": args.years, "run.burn_in_weeks": 8})
    tasks = [(str(k), scenario, seed, k) for k, seed in enumerate(replication_seeds(1, args.runs))]
    execute_run(tasks[0])  # warm up imports and caches

    def timed(label, results):
        start = time.perf_counter()
        count = sum(1 for _ in results)
        elapsed = time.perf_counter() - start
        print(f"{label:34s} {count} runs in {elapsed:6.2f} s = {count / elapsed:6.2f} runs/s")
        return elapsed

    print(f"{args.runs} runs of {args.residents} residents, {args.years} year(s) + 8 weeks burn-in")
    sequential = timed("sequential (this process)", execute(tasks, workers=1))
    pool_1 = timed("process pool, 1 worker", process_pool(tasks, 1))
    timed("process pool, 2 workers", execute(tasks, workers=2))
    overhead = (pool_1 - sequential) / args.runs
    print(f"executor overhead per run (pool with 1 worker minus sequential): {overhead * 1000:.0f} ms "
          f"(includes starting the worker process once)")


if __name__ == "__main__":
    main()

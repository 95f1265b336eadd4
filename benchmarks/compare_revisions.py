"""Is this checkout faster than another revision? Interleaved runs, the same hour.

    python benchmarks/compare_revisions.py REVISION [--residents 10000] [--weeks 676] [--repeat 4]

Checks REVISION (any git revision, e.g. ``HEAD~3`` or ``main``) out into a
temporary worktree and times the same run there and here, alternating, each
run in a fresh process, CPU time of the weekly steps only, after a small
warm-up run in the same process (a new worktree has no numba cache yet, and
compiling is not what is compared). The best of each side is compared. On a
shared machine whose speed changes by the hour this is the fair comparison of
two versions: both sides see the same hours.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import sys, time
sys.path.insert(0, '.')
from model import WijkteamModel, load_scenario
warm_up = load_scenario('scenarios/recommended.toml', overrides={{'neighbourhood.residents': 500, 'run.years': 1}})
WijkteamModel(warm_up, rng=99).run()
scenario = load_scenario('scenarios/recommended.toml', overrides={{'neighbourhood.residents': {residents}}})
model = WijkteamModel(scenario, rng=1)
start = time.process_time()
for _ in range({weeks}):
    model.step()
print(time.process_time() - start)
"""


def one_run(checkout: Path, residents: int, weeks: int) -> float:
    code = RUN.format(residents=residents, weeks=weeks)
    done = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision")
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=676, help="weeks from the start of the burn-in (at most 676)")
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(other), args.revision],
                       cwd=ROOT, check=True)
        try:
            times: dict[str, list[float]] = {args.revision: [], "this checkout": []}
            for _ in range(args.repeat):
                times[args.revision].append(one_run(other, args.residents, args.weeks))
                times["this checkout"].append(one_run(ROOT, args.residents, args.weeks))
                print(" ".join(f"{name}: {values[-1]:.2f} s" for name, values in times.items()), flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    best_other, best_here = min(times[args.revision]), min(times["this checkout"])
    print(f"{args.residents:,} residents, {args.weeks} weeks, best of {args.repeat}: {args.revision} {best_other:.2f} s, "
          f"this checkout {best_here:.2f} s ({best_other / best_here:.2f} times as fast)")


if __name__ == "__main__":
    main()

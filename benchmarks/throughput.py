"""Throughput: resident-weeks per second of a whole run, beside the shared speed anchors.

    python benchmarks/throughput.py [--residents 10000] [--years 10] [--repeat 3] [--json FILE]

The speed goal of issue 16, measured as it is stated: a whole run of the
recommended scenario (10,000 residents, 156 burn-in weeks and 10 years with
the team: building the model and every week) against the shared anchors
(benchmarks/shared_anchors.py) in the same process. Goals: at least 0.4 of the
numpy kernel's resident-weeks per second and at least 60 times plain Mesa's
agent-steps per second. The runs and the anchors alternate, best of
``repeat`` each, so that a busy hour slows both sides.

What the first call costs is shown apart, because the best of several runs
hides it: the model's numba kernels are compiled on the first call and cached
on disk. Two fresh processes import the model and run the first week of the
burn-in and the first week of the team (so that the kernels of both regimes
are called) in a 500-resident wijk, with one new, empty numba cache folder: the
first compiles and writes the cache, the second must load it and compile
nothing. The run in this process then starts with a warm-up run (a small wijk,
one year) that loads the kernels from the project's own cache.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.compile_timer import install  # noqa: E402
from benchmarks.shared_anchors import load_anchors  # noqa: E402

anchors = load_anchors()

GOAL_OF_KERNEL = 0.4
GOAL_OF_MESA = 60.0
SCENARIO = ROOT / "scenarios" / "recommended.toml"

FIRST_CALL = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from benchmarks.compile_timer import install, kernel_cache_stats
compile_timer = install()
from model import WijkteamModel, load_scenario
imported = time.perf_counter()
scenario = load_scenario({scenario!r}, overrides={{
    "neighbourhood.residents": 500, "run.burn_in_weeks": 1, "run.years": 1}})
model = WijkteamModel(scenario, rng=1)
built = time.perf_counter()
model.step()  # the burn-in's only week
model.step()  # the team's first week
first = time.perf_counter()
model.step()
model.step()
again = time.perf_counter()
print(json.dumps({{
    "import_s": imported - start, "build_s": built - imported, "first_weeks_s": first - built,
    "later_weeks_s": again - first, "compile_s": compile_timer.seconds, "compiled": compile_timer.functions,
    **kernel_cache_stats()}}))
"""


def first_call(cache_dir: Path) -> dict:
    """A fresh process: import the model, build a 500-resident wijk and run its first two weeks
    (one of the burn-in, one with the team) with numba's cache in ``cache_dir``."""
    code = FIRST_CALL.format(root=str(ROOT), scenario=str(SCENARIO))
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache_dir)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the first-call process failed:\n{done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - start
    return result


def sources() -> dict[str, int]:
    """Modification times of the model's source files: a change between the two first-call
    processes invalidates the kernels' cache entries, which would look like a cache that fails."""
    return {str(path): path.stat().st_mtime_ns for folder in ("model", "agents") for path in (ROOT / folder).rglob("*.py")}


def first_call_pair(attempts: int = 3) -> tuple[dict, dict]:
    """The first and second process on one new, empty cache folder; tried again (up to
    ``attempts`` times) if the model's sources changed while they ran."""
    for _ in range(attempts):
        before = sources()
        with tempfile.TemporaryDirectory(prefix="wijkteam-numba-cache-") as cache:
            cold = first_call(Path(cache))
            warm = first_call(Path(cache))
        if sources() == before:
            return cold, warm
    warm["sources_changed"] = True
    return cold, warm


def scenario_for(residents: int, years: int, burn_in_weeks: int = 156):
    from model import load_scenario

    return load_scenario(SCENARIO, overrides={"neighbourhood.residents": residents, "run.years": years,
                                              "run.burn_in_weeks": burn_in_weeks})


def whole_run(scenario, seed: int = 1) -> dict:
    """Seconds to build the model, for the burn-in and for the years with the team."""
    from model import WijkteamModel

    start = time.perf_counter()
    model = WijkteamModel(scenario, rng=seed)
    built = time.perf_counter()
    model.run_burn_in()
    burnt_in = time.perf_counter()
    model.run()
    end = time.perf_counter()
    return {"build_s": built - start, "burn_in_s": burnt_in - built, "years_s": end - burnt_in,
            "total_s": end - start}


def measure(residents: int = 10_000, years: int = 10, repeat: int = 3) -> dict:
    """The first-call processes, the warm-up, then ``repeat`` rounds of the anchors and a whole run."""
    cold, warm = first_call_pair()

    timer = install()
    start = time.perf_counter()
    import model  # noqa: F401

    import_s = time.perf_counter() - start
    warm_up_scenario = scenario_for(1000, 1)
    warm_up = whole_run(warm_up_scenario, seed=99)
    warm_up.update(import_s=import_s, compile_s=timer.seconds, compiled=timer.functions)

    scenario = scenario_for(residents, years)
    weeks = scenario["run.burn_in_weeks"] + 52 * years
    runs, mesa, kernel = [], [], []
    for _ in range(repeat):
        mesa.append(anchors.boltzmann())
        kernel.append(anchors.kernel())
        runs.append(whole_run(scenario, seed=1))
    best = min(runs, key=lambda r: r["total_s"])
    best_steps = min(r["burn_in_s"] + r["years_s"] for r in runs)
    rate = residents * weeks / best["total_s"]
    mesa_rate, kernel_rate = max(mesa), max(kernel)
    return {
        "residents": residents, "years": years, "burn_in_weeks": scenario["run.burn_in_weeks"], "weeks": weeks,
        "repeat": repeat, "best_run": best, "resident_weeks_per_s": rate,
        "resident_weeks_per_s_steps_only": residents * weeks / best_steps,
        "kernel_resident_weeks_per_s": kernel_rate, "mesa_agent_steps_per_s": mesa_rate,
        "of_kernel": rate / kernel_rate, "of_mesa": rate / mesa_rate,
        "goal_of_kernel": GOAL_OF_KERNEL, "goal_of_mesa": GOAL_OF_MESA,
        "meets_kernel_goal": rate / kernel_rate >= GOAL_OF_KERNEL, "meets_mesa_goal": rate / mesa_rate >= GOAL_OF_MESA,
        "first_call_cold": cold, "first_call_warm": warm, "warm_up": warm_up,
        "compiled_during_runs": timer.functions - warm_up["compiled"],
    }


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def first_call_line(label: str, r: dict) -> str:
    return (f"{label}: import {r['import_s']:.2f} s, build {r['build_s']:.2f} s, first two weeks "
            f"{r['first_weeks_s']:.2f} s (the next two {r['later_weeks_s'] * 1e3:.0f} ms); {r['kernels']} kernels: "
            f"{r['loaded_from_cache']} loaded from the disk cache, {r['cache_misses']} compiled "
            f"({r['compiled']} numba compilations, {r['compile_s']:.2f} s); whole process {r['process_s']:.2f} s")


def report(r: dict) -> str:
    best, w = r["best_run"], r["warm_up"]
    lines = [
        "first call (a fresh process, 500 residents, one burn-in week and one team week, a new numba cache):",
        "  " + first_call_line("first process ", r["first_call_cold"]),
        "  " + first_call_line("second process", r["first_call_warm"]),
        f"warm-up here  : import {w['import_s']:.2f} s, a 1,000-resident run of 1 year {w['total_s']:.2f} s; "
        f"{w['compiled']} numba compilations ({w['compile_s']:.2f} s)"
        + (" (all loaded from the project's cache)" if w["compiled"] == 0 else " (the project's cache was stale)"),
        f"wijkteam model: {r['residents']:,} residents x {r['weeks']} weeks ({r['burn_in_weeks']} burn-in + "
        f"{r['years']} years), best of {r['repeat']}: build {best['build_s']:.2f} s + burn-in {best['burn_in_s']:.2f} s "
        f"+ years {best['years_s']:.2f} s = {r['resident_weeks_per_s']:,.0f} resident-weeks/s "
        f"({r['resident_weeks_per_s_steps_only']:,.0f} without building the model)",
        f"numpy kernel  : {r['kernel_resident_weeks_per_s']:,.0f} resident-weeks/s (anchors.kernel, best of {r['repeat']})",
        f"plain Mesa    : {r['mesa_agent_steps_per_s']:,.0f} agent-steps/s (anchors.boltzmann, best of {r['repeat']})",
        f"ratio to the numpy kernel: {r['of_kernel']:.2f} (goal >= {GOAL_OF_KERNEL}: {verdict(r['meets_kernel_goal'])})",
        f"ratio to plain Mesa      : {r['of_mesa']:.1f} (goal >= {GOAL_OF_MESA:.0f}: {verdict(r['meets_mesa_goal'])})",
    ]
    if r["first_call_warm"].get("sources_changed"):
        lines.append("warning: the model's sources changed while the first-call processes ran, "
                     "so the second may have compiled what the first had cached")
    if r["compiled_during_runs"]:
        lines.append(f"warning: {r['compiled_during_runs']} numba compilations during the timed runs")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10, help="years with the team, after 156 burn-in weeks")
    parser.add_argument("--repeat", type=int, default=3, help="whole runs (and anchor pairs); the best counts")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.residents < 100 or args.years < 1 or args.repeat < 1:
        parser.error("--residents must be at least 100, --years and --repeat at least 1")
    r = measure(args.residents, args.years, args.repeat)
    print(report(r))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(r, indent=2) + "\n")


if __name__ == "__main__":
    main()

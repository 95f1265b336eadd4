"""Run every benchmark and write a short report (``make bench``).

    python benchmarks/run_all.py [--out results/benchmarks] [--quick]

The report is where issue 16's speed goals are checked: it opens with the goals
and the ratios measured against the shared anchors (benchmarks/shared_anchors.py),
then the first call (numba's compile time, and that a second process pays
none), and then what each benchmark printed. Each benchmark runs in its own
process; this script adds the machine they ran on and writes ``report.md``
(and the benchmarks' figures as JSON) in the output directory. ``--quick``
runs each once and stops the scaling series at 20,000 residents, for a check
that everything still runs. Exits with status 1 if a benchmark failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import mesa
    import numba
    import numpy

    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, numpy {numpy.__version__}, "
            f"numba {numba.__version__}, Mesa {mesa.__version__}; {platform.system()} {platform.release()}")


def suite(out: Path, quick: bool) -> list[tuple[str, str | None, list[str]]]:
    """(title, name of its JSON figures or None, command line) for each benchmark, in order."""
    once = ["--repeat", "1"] if quick else []
    return [
        ("Throughput beside the anchors", "throughput", ["throughput.py", *once, "--json", str(out / "throughput.json")]),
        ("Scaling to a whole municipality", "scaling",
         ["scaling.py", *(["--quick"] if quick else []), "--json", str(out / "scaling.json")]),
        ("Dashboard step (Explore view)", "dashboard_step",
         ["dashboard_step.py", "--json", str(out / "dashboard_step.json")]),
        ("Ten years of a 10,000-resident wijk, by scenario", None, ["ten_years.py", *once]),
        ("Where a week goes", None, ["profile_week.py"]),
        ("Experiment executors", None, ["executor_speed.py"]),
    ]


def mark(met: bool) -> str:
    return "met" if met else "**not met**"


def goals(figures: dict) -> str:
    """The goals of issue 16 and what was measured, as a Markdown table and the first call below it."""
    rows = []
    t = figures.get("throughput")
    if t:
        rows.append((f"resident-weeks/s at least {t['goal_of_kernel']} of the numpy kernel's", f"{t['of_kernel']:.2f}",
                     mark(t["meets_kernel_goal"])))
        rows.append((f"at least {t['goal_of_mesa']:.0f} times plain Mesa's agent-steps/s", f"{t['of_mesa']:.1f}",
                     mark(t["meets_mesa_goal"])))
    else:
        rows.append(("throughput against the anchors", "no figures", "**failed**"))
    s = figures.get("scaling")
    if s and "flat_ratio" in s:
        worst = max(s["flat_ratio"], s["flat_ratio_against_kernel"])
        rows.append((f"cost per resident-week flat: at {s['largest']:,} residents at most 1.2 times that at 10,000",
                     f"{s['flat_ratio']:.2f} ({s['flat_ratio_against_kernel']:.2f} against the kernel)",
                     mark(worst <= 1.2)))
    else:
        rows.append(("cost per resident-week flat to 100,000 residents", "no figures", "**failed**"))
    d = figures.get("dashboard_step")
    if d:
        rows.append((f"Explore step at {d['residents']:,} residents within {d['budget_ms']:.0f} ms",
                     f"{d['mean_ms']:.0f} ms ({d['mean_ms'] / d['budget_ms']:.2f} of the budget)",
                     mark(d["within_budget"])))
    else:
        rows.append(("Explore step within 100 ms", "no figures", "**failed**"))
    if t:
        cold, warm = t["first_call_cold"], t["first_call_warm"]
        rows.append(("compiled kernels cached on disk: a second process compiles nothing",
                     f"{warm['cache_misses']} compiled, {warm['loaded_from_cache']} loaded",
                     mark(warm["cache_misses"] == 0 and warm["compiled"] == 0)))
    table = ["| goal (issue 16) | measured | |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    text = "\n".join(table) + "\n"
    if t:
        best = t["best_run"]
        text += (f"\nThroughput: a whole run of {t['residents']:,} residents, {t['burn_in_weeks']} burn-in weeks and "
                 f"{t['years']} years of the recommended scenario (building the model included), best of "
                 f"{t['repeat']}, alternating with the anchors in the same process after a warm-up run: "
                 f"{t['resident_weeks_per_s']:,.0f} resident-weeks/s ({best['total_s']:.2f} s); numpy kernel "
                 f"{t['kernel_resident_weeks_per_s']:,.0f} resident-weeks/s, plain Mesa (Boltzmann) "
                 f"{t['mesa_agent_steps_per_s']:,.0f} agent-steps/s.\n")
        text += ("\nFirst call, apart from the ratios: a fresh process imports the model and runs a 500-resident "
                 "wijk's first burn-in week and first team week, twice, with one new numba cache folder:\n\n"
                 "| process | import | build | first two weeks | the next two | kernels compiled | kernels loaded from the cache "
                 "| numba compile time |\n|---|---|---|---|---|---|---|---|\n")
        for label, r in (("first (empty cache)", cold), ("second (cache on disk)", warm)):
            text += (f"| {label} | {r['import_s']:.2f} s | {r['build_s']:.2f} s | {r['first_weeks_s']:.2f} s | "
                     f"{r['later_weeks_s'] * 1e3:.0f} ms | {r['cache_misses']} | {r['loaded_from_cache']} | "
                     f"{r['compile_s']:.2f} s |\n")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sections, figures, failed = [], {}, []
    for title, name, command in suite(out, args.quick):
        print(f"== {title}", flush=True)
        if name:
            (out / f"{name}.json").unlink(missing_ok=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / command[0]), *command[1:]],
                              cwd=ROOT, capture_output=True, text=True)
        output = (done.stdout + (done.stderr if done.returncode else "")).strip()
        print(output, flush=True)
        status = ""
        if done.returncode:
            status = f" (failed, exit status {done.returncode})"
            failed.append(title)
        elif name:
            figures[name] = json.loads((out / f"{name}.json").read_text())
        shown = " ".join(part if not part.startswith(str(out)) else Path(part).name for part in command)
        sections.append(f"## {title}{status}\n\n`python benchmarks/{shown}` "
                        f"({time.perf_counter() - start:.0f} s)\n\n```\n{output}\n```\n")
    summary = goals(figures)
    report = out / "report.md"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report.write_text(f"# Benchmark report\n\n{stamp}, on {machine()}"
                      f"{' (--quick)' if args.quick else ''}.\n\n## Goals\n\n{summary}\n" + "\n".join(sections))
    print(f"\n{summary}")
    print(f"report: {report.relative_to(ROOT) if report.is_relative_to(ROOT) else report}")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

"""Run every benchmark and write a short report (``make bench``).

    python benchmarks/run_all.py [--out results/benchmarks] [--quick]

Each benchmark runs in its own process and prints its own figures against the
anchors it measures beside it; this script collects what they print, adds
the machine they ran on, and writes ``report.md`` in the output directory.
``--quick`` shortens the scaling series (up to 20,000 residents) for a check
that everything still runs.
"""

from __future__ import annotations

import argparse
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
    import numpy

    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
            f"numpy {numpy.__version__}, Mesa {mesa.__version__}; {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scaling = ["--sizes", "2000", "5000", "10000", "20000"] if args.quick else []
    suite = [
        ("Throughput against plain Mesa", ["throughput.py"] + (["--repeat", "1"] if args.quick else [])),
        ("Ten years of a 10,000-resident wijk, by scenario",
         ["ten_years.py"] + (["--repeat", "1"] if args.quick else [])),
        ("Scaling to a whole municipality", ["scaling.py"] + scaling),
        ("Dashboard step (Explore view)", ["dashboard_step.py"]),
        ("Experiment executors", ["executor_speed.py"]),
    ]
    sections = []
    for title, command in suite:
        print(f"== {title}", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / command[0]), *command[1:]],
                              cwd=ROOT, capture_output=True, text=True)
        output = (done.stdout + (done.stderr if done.returncode else "")).strip()
        print(output, flush=True)
        status = "" if done.returncode == 0 else f" (failed, exit status {done.returncode})"
        sections.append(f"## {title}{status}\n\n`python benchmarks/{' '.join(command)}` "
                        f"({time.perf_counter() - start:.0f} s)\n\n```\n{output}\n```\n")
    args.out.mkdir(parents=True, exist_ok=True)
    report = args.out / "report.md"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report.write_text(f"# Benchmark report\n\n{stamp}, on {machine()}.\n\n" + "\n".join(sections))
    print(f"report: {report.relative_to(ROOT) if report.is_relative_to(ROOT) else report}")


if __name__ == "__main__":
    main()

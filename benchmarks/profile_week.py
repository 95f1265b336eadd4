"""Where does a week go? Wall-clock time per model function, per simulated week.

    python benchmarks/profile_week.py [--residents 10000] [--years 10] [--top 30] [--scenario recommended]

Wraps the model's weekly functions with timers (nested functions count inside
their callers too) and runs a bundled scenario once (by default the recommended one;
what a week costs depends on what the team does, so try others too). Cheaper and easier
to read than a full profiler; use it first when speeding up the model, then
cProfile or pyinstrument on the functions it points at.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model import WijkteamModel, casework, contacts, load_scenario  # noqa: E402  (model first: agents import it)
from agents.generalist import GeneralistAgent  # noqa: E402
from model.neighbourhood import Neighbourhood  # noqa: E402
from model.residents import Residents  # noqa: E402
from model.team import Team  # noqa: E402
from model.volunteering import VolunteerPool  # noqa: E402
from model import wijkteam_model  # noqa: E402

TIMED = {
    Residents: ("households_moving", "life_events", "household_debt", "progress_problems", "draw_newcomers"),
    WijkteamModel: ("_team_week", "_second_line_week", "_record", "_replace_residents", "_end_trajectories"),
    VolunteerPool: ("week", "_groups", "_hand_over", "_one_off_tasks", "_recruit", "leave", "reciprocity"),
    Team: ("learn", "update_overload", "turnover", "effective_competence"),
    Neighbourhood: ("record_presence", "coverage"),
    GeneralistAgent: ("plan_week",),
    wijkteam_model: ("walk_together",),
    casework: ("demand_per_member", "intake", "mandate_decisions", "team_help", "refer", "close_cases",
               "follow_up", "second_line_help", "assign_workers"),
    contacts: ("traditional_contacts", "team_contacts", "update_familiarity_and_trust", "desk_handles"),
}


def timed(seconds: Counter, label: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label] += time.perf_counter() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--scenario", default="recommended", help="a bundled scenario's name")
    args = parser.parse_args()
    seconds: Counter = Counter()
    for owner, names in TIMED.items():
        prefix = getattr(owner, "__name__", str(owner)).rsplit(".", 1)[-1]
        for name in names:
            setattr(owner, name, timed(seconds, f"{prefix}.{name}", getattr(owner, name)))
    scenario = load_scenario(ROOT / "scenarios" / f"{args.scenario}.toml",
                             overrides={"neighbourhood.residents": args.residents, "run.years": args.years})
    weeks = scenario["run.burn_in_weeks"] + 52 * args.years
    start = time.perf_counter()
    WijkteamModel(scenario, rng=1).run()
    total = time.perf_counter() - start
    print(f"{args.residents:,} residents, {weeks} weeks: {total:.2f} s, {total / weeks * 1e3:.2f} ms per week")
    for label, value in seconds.most_common(args.top):
        print(f"{label:40s} {value / weeks * 1e3:7.3f} ms per week {100 * value / total:5.1f}%")


if __name__ == "__main__":
    main()

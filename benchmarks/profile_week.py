"""Where does a week go? Milliseconds per week in each phase of the week, burn-in and team years apart.

    python benchmarks/profile_week.py [--residents 10000] [--years 10] [--scenario recommended]

The first thing to look at when speeding up the model: it times every phase of
``WijkteamModel.WEEK`` (and the modules' ``start_week``, the week's outputs and
their recording) inside a whole run, after a warm-up run that loads the
compiled kernels, and prints them sorted by their cost in a week with the
team. The burn-in (no team) and the years with the team are averaged apart,
because they do different work. "rest of the step" is what the step costs
outside the timed parts. Timing the phases by name rather than by function
keeps this working while the modules change inside; use cProfile or
pyinstrument on the phase it points at.
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

from model import WijkteamModel, load_scenario  # noqa: E402
from model import wijkteam_model  # noqa: E402

START_TEAM = "team starts (week 0)"
REST = "rest of the step"


class PhaseTimer:
    """Times a model's phases per regime: wraps the bound methods on the instances, so the
    model's own ``step`` runs unchanged and calls them (Mesa's wrapper of ``step`` included)."""

    def __init__(self, model: WijkteamModel):
        self.model = model
        self.seconds = {"burn-in": Counter(), "team years": Counter()}
        self.weeks = Counter()
        self.step_seconds = Counter()
        start_team = model._start_team_if_due

        def start_team_and_wrap_it():
            had_team = model.team is not None
            start_team()
            if not had_team and model.team is not None:
                self._wrap_modules()

        model._start_team_if_due = self._timed(START_TEAM, start_team_and_wrap_it)
        model.outputs = self._timed("outputs()", model.outputs)
        model.recorder.record = self._timed("recorder.record", model.recorder.record)
        self._wrap_modules()

    @property
    def regime(self) -> str:
        return "burn-in" if self.model.week < 0 else "team years"

    def _timed(self, label: str, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[self.regime][label] += time.perf_counter() - start
        wrapper.timed = True
        return wrapper

    def _wrap(self, module, method: str, label: str) -> None:
        if not getattr(getattr(module, method), "timed", False):
            setattr(module, method, self._timed(label, getattr(module, method)))

    def _wrap_modules(self) -> None:
        names = dict.fromkeys([name for name, _ in wijkteam_model.WEEK]
                              + list(getattr(wijkteam_model, "REPORTING", ())))
        for name in names:
            module = getattr(self.model, name, None)
            if module is not None and hasattr(module, "start_week"):
                self._wrap(module, "start_week", "start_week (every module)")
        for name, phase in wijkteam_model.WEEK:
            module = getattr(self.model, name, None)
            if module is not None:
                self._wrap(module, phase, f"{name}.{phase}")

    def step(self) -> None:
        regime = self.regime
        start = time.perf_counter()
        self.model.step()
        self.step_seconds[regime] += time.perf_counter() - start
        self.weeks[regime] += 1

    def table(self) -> list[tuple[str, float, float]]:
        """(label, ms per burn-in week, ms per team week), sorted by the team week."""
        seconds = {regime: counts + Counter({REST: self.step_seconds[regime] - sum(counts.values())})
                   for regime, counts in self.seconds.items()}
        labels = set(seconds["burn-in"]) | set(seconds["team years"]) | {REST}
        rows = [(label, *(seconds[regime][label] / max(1, self.weeks[regime]) * 1e3
                          for regime in ("burn-in", "team years"))) for label in labels]
        return sorted(rows, key=lambda row: (row[2], row[1]), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--burn-in-weeks", type=int, default=156)
    parser.add_argument("--scenario", default="recommended", help="a bundled scenario's name")
    args = parser.parse_args()

    def scenario(residents, years):
        return load_scenario(ROOT / "scenarios" / f"{args.scenario}.toml", overrides={
            "neighbourhood.residents": residents, "run.years": years, "run.burn_in_weeks": args.burn_in_weeks})

    WijkteamModel(scenario(1000, 1), rng=99).run()  # warm-up: loads (or compiles) the kernels
    model = WijkteamModel(scenario(args.residents, args.years), rng=1)
    timer = PhaseTimer(model)
    start = time.perf_counter()
    while model.running:
        timer.step()
    total = time.perf_counter() - start
    rows = timer.table()
    team_week = sum(row[2] for row in rows)
    burn_in_week = sum(row[1] for row in rows)
    print(f"{args.scenario}, {args.residents:,} residents: {timer.weeks['burn-in']} burn-in weeks and "
          f"{timer.weeks['team years']} team weeks in {total:.2f} s")
    print(f"{'phase':34s} {'burn-in ms/week':>16s} {'team ms/week':>13s} {'share':>6s}")
    for label, burn_in, team in rows:
        share = team / team_week if team_week else 0.0
        print(f"{label:34s} {burn_in:16.3f} {team:13.3f} {share:6.1%}")
    print(f"{'whole step':34s} {burn_in_week:16.3f} {team_week:13.3f}")


if __name__ == "__main__":
    main()

"""Is a new version of one model function faster inside the model's week?

A function timed in a tight loop runs with warm caches and tells little about
its cost inside the week, where each numpy call costs two to five times as
much and a few calls more can outweigh fewer elements. Whole-run timings, on
the other hand, drown a change of 1% in the machine's noise. This runs the
model once and, week by week, alternates between the current function and an
alternative, timing only that function: both versions see the same weeks and
the same hour of the machine. Use it from Python with the alternative you are
trying:

    from benchmarks.compare_in_place import compare_in_place
    from model.volunteering import VolunteerPool
    compare_in_place(VolunteerPool, "_recruit", my_recruit)  # prints microseconds per week

Run as a script it compares a function with itself (an A/A test), which shows
the noise of the method, e.g. a few microseconds per week:

    python benchmarks/compare_in_place.py model.residents:Residents.household_debt

What it has decided so far (10,000 residents): drawing the few recruits by
rejection beat listing the pool for ``rng.choice`` (110 vs 190 us a week);
one ``lexsort`` beat a permutation and a sort at intake (196 vs 222 us);
household maxima gathered slot by slot beat the padded table (80 vs 116 us);
but geometric gaps for moving households, twice as fast in a tight loop, were
slower in the week (111 vs 102 us), and a lookup table's ``take`` on the status
codes costs the same as two comparisons there. Newcomers' draws made ahead in
batches beat drawing them each week (210 vs 260 us), and one buffer in the
problem update beat two (392 vs 415 us); skipping the zeros in
``add_to_columns`` was slower (238 vs 217 us), as were a masked copy instead of
multiplying by the eligibility (775 vs 455 us) and ``maximum`` and ``minimum``
instead of ``clip``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import WijkteamModel, load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def compare_in_place(owner, name: str, alternative, residents: int = 10_000, weeks: int = 500,
                     warm_up: int | None = None, scenario: str = "recommended", seed: int = 1) -> dict[str, float]:
    """Microseconds a week spent in ``owner.name`` and in ``alternative`` in one run, alternating weekly.

    ``owner`` is the class or module the model looks the function up on (a module function
    must be looked up as ``module.function`` by its callers to be replaced). ``warm_up``
    weeks (by default the burn-in and four weeks of the team) run first with the current
    version; ``weeks`` more alternate.
    """
    settings = load_scenario(ROOT / "scenarios" / f"{scenario}.toml",
                             overrides={"neighbourhood.residents": residents})
    run_weeks = settings["run.burn_in_weeks"] + 52 * settings["run.years"]
    warm_up = settings["run.burn_in_weeks"] + 4 if warm_up is None else warm_up
    if warm_up + weeks > run_weeks:
        raise ValueError(f"warm_up + weeks = {warm_up + weeks}, but the scenario {scenario!r} runs {run_weeks} weeks")
    model = WijkteamModel(settings, rng=seed)
    current = getattr(owner, name)
    seconds = {"current": 0.0, "alternative": 0.0}
    calls = {"current": 0, "alternative": 0}

    def timed(function, side):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            result = function(*args, **kwargs)
            seconds[side] += time.perf_counter() - start
            calls[side] += 1
            return result
        return wrapper

    versions = {"current": timed(current, "current"), "alternative": timed(alternative, "alternative")}
    try:
        for _ in range(warm_up):
            model.step()
        for week in range(weeks):
            setattr(owner, name, versions["alternative" if week % 2 else "current"])
            model.step()
    finally:
        setattr(owner, name, current)
    per_week = {side: seconds[side] / (weeks / 2) * 1e6 for side in seconds}
    print(f"{name}: current {per_week['current']:.1f} us a week ({calls['current']} calls), "
          f"alternative {per_week['alternative']:.1f} us a week ({calls['alternative']} calls); "
          f"{residents:,} residents, {weeks} weeks alternating")
    return per_week


def resolve(target: str):
    """``package.module:Class.function`` or ``package.module:function`` -> (owner, name)."""
    module_name, _, path = target.partition(":")
    owner = importlib.import_module(module_name)
    *owners, name = path.split(".")
    for attribute in owners:
        owner = getattr(owner, attribute)
    return owner, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", help="e.g. model.residents:Residents.household_debt")
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=500, help="weeks that alternate, after the burn-in")
    args = parser.parse_args()
    try:
        owner, name = resolve(args.target)
        function = getattr(owner, name)
    except (ImportError, AttributeError, ValueError) as error:
        parser.error(f"target {args.target!r}: {error} (expected e.g. model.residents:Residents.household_debt)")
    try:
        compare_in_place(owner, name, function, residents=args.residents, weeks=args.weeks)
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()

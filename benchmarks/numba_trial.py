"""Trial, not part of the model: would a numba kernel for the weekly problem update pay off?

    pip install numba   # not a dependency of the project
    python benchmarks/numba_trial.py [--residents 10000 100000]

Evidence for a decision the planners have kept for themselves: issue
"Performance" allows numba only where numpy cannot express a loop, and the
problem update (``Residents.progress_problems``) is expressed in numpy. This
script runs the recommended scenario to a settled state, then applies one
week's problem update twice to the same state: through the model's numpy
code, and through a fused numba loop that performs the same single-precision
operations in the same order. It checks that both give the same numbers bit
for bit and prints both times. Not run by ``make bench``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import WijkteamModel, load_scenario  # noqa: E402
from model.residents import SEVERITY_DTYPE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

try:
    import numba
except ImportError:  # pragma: no cover - the trial needs numba, the project does not
    sys.exit("numba_trial.py needs numba, which the project does not install: pip install numba")


@numba.njit(cache=True)
def progress_kernel(s, eligible, removal, growth, debt_excess,
                    floor, spill_other, spill_from_debt, spill_into_debt, other_excess):  # pragma: no cover
    """``Residents._progress_block`` for all residents in two passes over memory (debt is row 0)."""
    n_domains, n = s.shape
    zero, one = np.float32(0.0), np.float32(1.0)
    for i in range(n):
        other_excess[i] = max(s[1, i] - floor, zero)
    for d in range(2, n_domains):
        for i in range(n):
            other_excess[i] = other_excess[i] + max(s[d, i] - floor, zero)
    for d in range(n_domains):
        for i in range(n):
            if d == 0:
                spill = other_excess[i] * spill_into_debt
            else:
                shared = spill_other * other_excess[i] + spill_from_debt * debt_excess[i]
                spill = max(s[d, i] - floor, zero) * -spill_other + shared
            spill = spill * eligible[d, i] - removal[d, i]
            s[d, i] = min(max(s[d, i] * growth[i] + spill, zero), one)


def trial(residents: int, weeks: int = 50) -> None:
    scenario = load_scenario(ROOT / "scenarios" / "recommended.toml", overrides={"neighbourhood.residents": residents})
    model = WijkteamModel(scenario, rng=1)
    for _ in range(scenario["run.burn_in_weeks"] + 52):
        model.step()
    res, p = model.residents, model.params
    res.relapse_timer[:] = 0  # the numpy path would count them down between repeats
    rng = np.random.default_rng(0)
    removal = res.start_removal(np.empty_like(res.severity))
    removal += (rng.random(res.severity.shape) * 0.01).astype(SEVERITY_DTYPE)  # the week's help
    engaged = (rng.random(res.n) * 0.5).astype(SEVERITY_DTYPE)  # single precision, as in the model
    start_state = res.severity.copy()

    elapsed = time.perf_counter()
    for _ in range(weeks):
        res.severity[...] = start_state
        res.progress_problems(removal, engaged)
    numpy_seconds = (time.perf_counter() - elapsed) / weeks
    expected = res.severity.copy()

    # the inputs exactly as progress_problems computes them (no relapse timers running)
    growth = 1.0 + p.worsening_rate * (1.0 - engaged)
    debt_excess = np.maximum(res.debt_of_household - p.spill_floor, np.zeros(res.n, SEVERITY_DTYPE))
    f32 = np.float32
    args = (res.eligible, removal, growth, debt_excess,
            f32(p.spill_floor), f32(p.spill_other), f32(p.spill_from_debt), f32(p.spill_into_debt),
            np.empty(res.n, SEVERITY_DTYPE))
    severity = start_state.copy()
    progress_kernel(severity, *args)  # compile
    elapsed = time.perf_counter()
    for _ in range(weeks):
        severity[...] = start_state
        progress_kernel(severity, *args)
    numba_seconds = (time.perf_counter() - elapsed) / weeks
    same = np.array_equal(severity, expected)
    print(f"{residents:>7,} residents: numpy {numpy_seconds * 1e6:7.0f} us, numba {numba_seconds * 1e6:7.0f} us per week "
          f"({numpy_seconds / numba_seconds:.1f} times as fast); identical: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print(f"numba {numba.__version__}, numpy {np.__version__}")
    for residents in args.residents:
        trial(residents)


if __name__ == "__main__":
    main()

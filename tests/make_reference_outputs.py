"""Write the fixed-seed reference outputs that speed work must leave unchanged.

    python tests/make_reference_outputs.py

Run this only for an intended change of the model's behaviour, and say so in
the commit: ``test_reference_outputs.py`` compares every run against this file
so that a refactoring or a speed-up cannot change a single number unnoticed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model import WijkteamModel, load_scenario  # noqa: E402

REFERENCE_FILE = ROOT / "tests" / "data" / "reference_outputs.csv"
# one scenario per branch of the code: no team, mandate none without agreements or duo
# visits, derived with everything, full mandate; small and short, with moving and turnover
SCENARIOS = ("no_team", "current_practice", "recommended", "full_mandate")
OVERRIDES = {"neighbourhood.residents": 2000, "neighbourhood.width": 40, "neighbourhood.height": 40,
             "run.years": 3, "run.burn_in_weeks": 52, "team.turnover_per_year": 0.3}
SEED = 7
EVERY_WEEKS = 13  # quarterly rows keep the file small; any change propagates into them


def reference_outputs() -> pd.DataFrame:
    """The quarterly outputs of each reference scenario for the fixed seed."""
    frames = []
    for name in SCENARIOS:
        scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml", overrides=OVERRIDES)
        model = WijkteamModel(scenario, rng=SEED)
        model.run()
        frame = model.timeseries()
        frame = frame[frame["week"] % EVERY_WEEKS == 0].copy()
        frame.insert(0, "scenario", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


if __name__ == "__main__":
    reference_outputs().to_csv(REFERENCE_FILE, index=False, float_format="%.17g")
    print(f"wrote {REFERENCE_FILE.relative_to(ROOT)}")

"""The team's derived effects beside the Dutch studies, and the patterns the fit did not use.

    python -m experiments.validation [--replications 8] [--out docs/validation/effects.md]

Nothing here is fitted: the calibration fits current practice's levels
(data/targets/netherlands.toml), and what a team changes against the no-team
world follows from the mechanisms. The studies (../shared/design/evidence.md)
measured other things in other ways, so each row says what the model's number
is and how it compares; a disagreement is reported, not tuned away.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from model import load_scenario

from .national import figure_values
from .runs import run_scenarios

ROOT = Path(__file__).resolve().parents[1]
WORLDS = ("no_team", "current_practice", "recommended")  # files; their scenarios are named with hyphens
PROFILES = ("young_deprived", "ageing_village")


def per_replication(frame: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Per scenario and replication, over team years [first, last): yearly rates per 1,000 residents
    and costs per resident a year."""
    late = frame[(frame["year"] >= years[0]) & (frame["year"] < years[1])]
    weekly = late.groupby(["scenario", "replication"], sort=False).mean(numeric_only=True)
    out = pd.DataFrame(index=weekly.index)
    per_1000 = 52 * 1000 / weekly["residents"]
    out["wmo_referrals_per_1000"] = weekly["referrals_wmo"] * per_1000
    out["wmo_entries_per_1000"] = weekly["entries_wmo"] * per_1000
    out["youth_in_care_per_1000_youths"] = weekly["in_care_youth"] / weekly["youths"] * 1000
    out["second_line_entries_per_1000"] = weekly["second_line_entries"] * per_1000
    out["cost_team_per_resident"] = weekly["cost_team"] * 52 / weekly["residents"]
    out["cost_second_line_per_resident"] = weekly["cost_second_line"] * 52 / weekly["residents"]
    out["cost_total_per_resident"] = weekly["cost_total"] * 52 / weekly["residents"]
    return out.reset_index()


def against_no_team(table: pd.DataFrame, scenario: str, column: str) -> tuple[float, float, float]:
    """The scenario's value relative to no team (ratio - 1) per replication: mean, 5th, 95th percentile."""
    base = table[table["scenario"] == "no-team"].set_index("replication")[column]
    other = table[table["scenario"] == scenario].set_index("replication")[column]
    change = (other / base - 1.0).to_numpy()
    return float(change.mean()), float(np.quantile(change, 0.05)), float(np.quantile(change, 0.95))


def saving_per_team_euro(table: pd.DataFrame, scenario: str) -> tuple[float, float, float]:
    """Second-line cost avoided per euro of team cost (common random numbers per replication)."""
    base = table[table["scenario"] == "no-team"].set_index("replication")
    other = table[table["scenario"] == scenario].set_index("replication")
    ratio = ((base["cost_second_line_per_resident"] - other["cost_second_line_per_resident"])
             / other["cost_team_per_resident"]).to_numpy()
    return float(ratio.mean()), float(np.quantile(ratio, 0.05)), float(np.quantile(ratio, 0.95))


def _range(values: tuple[float, float, float], percent: bool = True) -> str:
    mean, low, high = values
    if percent:
        return f"{mean:+.0%} [{low:+.0%}, {high:+.0%}]"
    return f"{mean:.2f} [{low:.2f}, {high:.2f}]"


def effects_markdown(frame: pd.DataFrame, profiles: pd.DataFrame, replications: int) -> str:
    early, late = per_replication(frame, (0, 3)), per_replication(frame, (5, 10))
    rows = [
        ("Wmo referrals where teams work, first years (CPB 2019: grew 14% more 2015-2017 where wijkteams "
         "worked)", "current practice against no team, Wmo referrals per 1,000, years 0-2",
         _range(against_no_team(early, "current-practice", "wmo_referrals_per_1000"))),
        ("", "the recommended team, the same", _range(against_no_team(early, "recommended", "wmo_referrals_per_1000"))),
        ("Youth-care use with active wijkteams (CPB 2021: grew 23% more among low-income youths, 40% among "
         "youths with a migration background)", "current practice against no team, youths in care, years 0-2",
         _range(against_no_team(early, "current-practice", "youth_in_care_per_1000_youths"))),
        ("", "the recommended team, the same",
         _range(against_no_team(early, "recommended", "youth_in_care_per_1000_youths"))),
        ("Second-line entries", "current practice against no team, years 5-9",
         _range(against_no_team(late, "current-practice", "second_line_entries_per_1000"))),
        ("", "the recommended team, the same", _range(against_no_team(late, "recommended", "second_line_entries_per_1000"))),
        ("Return on the team (Rotterdam's early teams: a societal return of 4-15%, in about half the cases "
         "little changed; LPBL's 13 MKBAs; De Nooij 2021: 1.90 euros per euro for intensive help to multi-problem "
         "families)", "second-line cost avoided per team euro, current practice, years 5-9",
         _range(saving_per_team_euro(late, "current-practice"), percent=False)),
        ("", "the same, the recommended team", _range(saving_per_team_euro(late, "recommended"), percent=False)),
    ]
    lines = ["| study | model measure | model: mean [5-95% over replications] |", "|---|---|---|"]
    lines += [f"| {study} | {measure} | {value} |" for study, measure, value in rows]
    lines += ["", "Gradient between neighbourhood profiles (each with its own team as bundled; years 1-9):", "",
              "| profile | youth-care starts per 1,000 youths | youths in care per 1,000 | Wmo clients per 1,000 | "
              "problematic debts (households) |", "|---|---|---|---|---|"]
    for name, frame_ in profiles.groupby("scenario", sort=False):
        values = figure_values(frame_, first_year=1)
        lines.append(f"| {name} | {values['youth_entries_per_1000_youths']:.0f} | "
                     f"{values['youth_in_care_per_1000_youths']:.0f} | {values['wmo_in_care_per_1000']:.0f} | "
                     f"{values['problematic_debt_share']:.1%} |")
    lines += ["", f"{replications} replications per scenario with common random numbers, the bundled scenarios at "
              "their own sizes; made by `python -m experiments.validation`."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "validation" / "effects.md")
    args = parser.parse_args(argv)
    worlds = [load_scenario(ROOT / "scenarios" / f"{name}.toml") for name in WORLDS]
    frame = run_scenarios(worlds, args.replications, args.seed, args.workers)
    profiles = run_scenarios([load_scenario(ROOT / "scenarios" / f"{name}.toml") for name in PROFILES],
                             args.replications, args.seed, args.workers)
    text = ("# The team's derived effects beside the Dutch studies\n\n"
            "Nothing in this table was fitted (see README, Calibration).\n\n"
            + effects_markdown(frame, profiles, args.replications) + "\n")
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

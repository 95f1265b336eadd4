"""Headline outcomes of a run over the horizon after burn-in (interface.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

HEADLINE = (
    "second_line_entries_per_1000",
    "crisis_entries_per_1000",
    "cost_team",
    "cost_second_line",
    "cost_total",
    "cost_total_discounted",
    "cost_second_line_per_resident_year",
    "cost_total_per_resident_year",
    "mean_first_contact_severity",
    "final_team_competence",
)


def headline_outcomes(timeseries: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and replication with the headline outcomes.

    Entries are per 1,000 residents per year; costs are euros over the horizon
    (team, second line, and the total including volunteers and the desk), and
    per resident a year, so that wijken of different sizes compare.
    """
    after = timeseries[timeseries["week"] >= 0]
    rows = []
    for (scenario, replication), run in after.groupby(["scenario", "replication"], sort=False):
        years = len(run) / 52.0
        per_1000_year = 1000.0 / run["residents"].mean() / years
        contacts = run["first_contacts"].sum()
        rows.append({
            "scenario": scenario,
            "replication": replication,
            "second_line_entries_per_1000": run["second_line_entries"].sum() * per_1000_year,
            "crisis_entries_per_1000": run["crisis_entries"].sum() * per_1000_year,
            "cost_team": run["cost_team"].sum(),
            "cost_second_line": run["cost_second_line"].sum(),
            "cost_total": run["cost_total"].sum(),
            "cost_total_discounted": run["cost_total_discounted"].sum(),
            "cost_second_line_per_resident_year": run["cost_second_line"].sum() / run["residents"].mean() / years,
            "cost_total_per_resident_year": run["cost_total"].sum() / run["residents"].mean() / years,
            "mean_first_contact_severity": (
                float(np.nansum(run["first_contact_severity"] * run["first_contacts"]) / contacts)
                if contacts else np.nan
            ),
            "final_team_competence": float(run["team_competence"].iloc[-13:].mean()),
        })
    return pd.DataFrame(rows)


def summarise(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Mean and 5th/95th percentiles over replications, per scenario."""
    grouped = outcomes.groupby("scenario", sort=False)[list(HEADLINE)]
    mean = grouped.mean().add_suffix("_mean")
    low = grouped.quantile(0.05).add_suffix("_p05")
    high = grouped.quantile(0.95).add_suffix("_p95")
    return pd.concat([mean, low, high], axis=1).reset_index()

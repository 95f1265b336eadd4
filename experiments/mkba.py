"""The comparison as an MKBA (maatschappelijke kosten-batenanalyse) counts it: per actor.

The first scenario is the null alternative, every other one a project alternative (as in
LPBL's MKBA-tool for sociale wijkteams). For each actor and each of its budget lines, the
benefit of an alternative is what the actor spends less than under the null alternative,
discounted to the team's start (the net present value, NCW); the municipality's budget
after two years is the same difference, undiscounted, over the first two years (the
tool's "begroting na 2 jaar"). The residents' gains are not in euros: problem-years and
evictions avoided. Runs are paired (same draw, same seed), so every interval is over
pairs: the posterior's parameter uncertainty and run-to-run noise.

Bijstand is a transfer: what the municipality saves the household no longer receives. It
is shown as the municipality's line but left out of the societal balance; the household's
earnings from work, which would be its benefit, are outside the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.parameters import WEEKS_PER_YEAR

from .decision import HIGH, LOW
from .language import N_


@dataclass(frozen=True)
class Line:
    """One budget line of one actor, and the timeseries column that holds it (euros a week)."""

    actor: str
    name: str
    column: str
    transfer: bool = False


LINES = (
    Line(N_("municipality"), N_("wijkteam and volunteers"), "cost_municipality_team"),
    Line(N_("municipality"), N_("youth care"), "cost_municipality_youth"),
    Line(N_("municipality"), N_("Wmo support"), "cost_municipality_wmo"),
    Line(N_("municipality"), N_("debt counselling"), "cost_municipality_debt"),
    Line(N_("municipality"), N_("work and income trajectories"), "cost_municipality_work"),
    Line(N_("municipality"), N_("bijstand benefits (a transfer)"), "cost_income_support", transfer=True),
    Line(N_("health insurer"), N_("GGZ and district nursing"), "cost_insurer"),
    Line(N_("housing corporation"), N_("evictions"), "cost_housing_corporation"),
)
MUNICIPAL_BUDGET = tuple(line.column for line in LINES if line.actor == "municipality" and not line.transfer)
SOCIETY = N_("society (without transfers)")
RESIDENTS = N_("residents")
TOTAL = N_("total")
BUDGET = N_("budget after 2 years")
# the residents' gains, not in euros: (name, column, per week or a count)
RESIDENT_OUTCOMES = (
    (N_("problem-years"), "residents_noticeable_problem", WEEKS_PER_YEAR),
    (N_("evictions"), "evictions", 1),
)
BUDGET_YEARS = 2


def discount_factors(weeks: np.ndarray, rate: float) -> np.ndarray:
    """The factor that brings a week's euros back to the team's start."""
    return (1.0 + rate) ** (-weeks / WEEKS_PER_YEAR)


def per_run(timeseries: pd.DataFrame, rate: float) -> pd.DataFrame:
    """Per scenario and run: every line's discounted cost over the horizon, the municipal budget
    of the first two years, the residents' outcomes and the mean number of residents."""
    after = timeseries[timeseries["week"] >= 0]
    factor = discount_factors(after["week"].to_numpy(dtype=float), rate)
    columns = {line.column: after[line.column].to_numpy() * factor for line in LINES}
    first_years = (after["week"] < BUDGET_YEARS * WEEKS_PER_YEAR).to_numpy()
    columns["budget_2_years"] = after[list(MUNICIPAL_BUDGET)].sum(axis=1).to_numpy() * first_years
    for name, column, per in RESIDENT_OUTCOMES:
        columns[name] = after[column].to_numpy() / per
    frame = pd.DataFrame(columns, index=after.index)
    frame[["scenario", "replication"]] = after[["scenario", "replication"]]
    sums = frame.groupby(["scenario", "replication"], sort=False).sum()
    sums["residents"] = after.groupby(["scenario", "replication"], sort=False)["residents"].mean()
    return sums


def _interval(values: np.ndarray) -> dict[str, float]:
    return {"mean": float(values.mean()), "p05": float(np.quantile(values, LOW)),
            "p95": float(np.quantile(values, HIGH)), "probability_positive": float(np.mean(values > 0))}


def mkba_table(timeseries: pd.DataFrame, rate: float) -> pd.DataFrame:
    """mkba.csv: per project alternative, actor and line, the benefit against the null alternative
    (euros saved, discounted; for the residents, problem-years and evictions avoided), in total
    and per resident, with its 5-95% over paired runs and the share of pairs in which it is positive."""
    sums = per_run(timeseries, rate)
    names = list(pd.unique(timeseries["scenario"]))
    null = sums.loc[names[0]]
    rows = []
    for name in names[1:]:
        project = sums.loc[name]
        pairs = project.index.intersection(null.index)
        saved = null.loc[pairs] - project.loc[pairs]
        residents = project.loc[pairs, "residents"]

        def row(actor: str, line: str, unit: str, values: pd.Series) -> dict:
            total = _interval(values.to_numpy(dtype=float))
            each = _interval((values / residents).to_numpy(dtype=float))
            return {"scenario": name, "versus": names[0], "actor": actor, "line": line, "unit": unit,
                    **total, **{f"per_resident_{key}": value for key, value in each.items()
                                if key != "probability_positive"}, "pairs": len(pairs)}

        for line in LINES:
            rows.append(row(line.actor, line.name, "euros", saved[line.column]))
        for actor in dict.fromkeys(line.actor for line in LINES):
            columns = [line.column for line in LINES if line.actor == actor and not line.transfer]
            rows.append(row(actor, TOTAL, "euros", saved[columns].sum(axis=1)))
        society = [line.column for line in LINES if not line.transfer]
        rows.append(row(SOCIETY, TOTAL, "euros", saved[society].sum(axis=1)))
        rows.append(row("municipality", BUDGET, "euros (undiscounted)", saved["budget_2_years"]))
        for outcome, _, _ in RESIDENT_OUTCOMES:
            rows.append(row(RESIDENTS, outcome, outcome, saved[outcome]))
    return pd.DataFrame(rows)


def actor_costs(timeseries: pd.DataFrame, rate: float) -> pd.DataFrame:
    """Per scenario, actor and line: what it costs over the horizon, discounted (euros), in total and
    per resident, with its 5-95% over runs; and the residents' problem-years and evictions."""
    sums = per_run(timeseries, rate)
    rows = []
    for name in pd.unique(timeseries["scenario"]):
        runs = sums.loc[name]

        def row(actor: str, line: str, unit: str, values: pd.Series) -> dict:
            total = _interval(values.to_numpy(dtype=float))
            each = _interval((values / runs["residents"]).to_numpy(dtype=float))
            return {"scenario": name, "actor": actor, "line": line, "unit": unit,
                    **{key: value for key, value in total.items() if key != "probability_positive"},
                    "per_resident_mean": each["mean"], "runs": len(runs)}

        for line in LINES:
            rows.append(row(line.actor, line.name, "euros", runs[line.column]))
        society = [line.column for line in LINES if not line.transfer]
        rows.append(row(SOCIETY, TOTAL, "euros", runs[society].sum(axis=1)))
        for outcome, _, _ in RESIDENT_OUTCOMES:
            rows.append(row(RESIDENTS, outcome, outcome, runs[outcome]))
    return pd.DataFrame(rows)


def learning_years(timeseries: pd.DataFrame, share: float = 0.9) -> pd.Series:
    """Per scenario with a team: the years until the team's median competence first reaches
    ``share`` of its level in the last year (how long the learning curve takes)."""
    after = timeseries[timeseries["week"] >= 0]
    out = {}
    for name, frame in after.groupby("scenario", sort=False):
        yearly = frame.groupby("year")["team_competence"].median()
        if not len(yearly) or yearly.iloc[-1] <= 0:
            continue
        reached = np.flatnonzero(yearly.to_numpy() >= share * yearly.iloc[-1])
        out[name] = float(reached[0] + 1)
    return pd.Series(out, dtype=float)

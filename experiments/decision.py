"""What a council asks of a comparison: how likely a scenario does better than the first, and when it
pays for itself.

Runs are paired: run j of every scenario has the same parameter draw and the
same seed, so the difference of a pair is the scenarios' difference, not chance.
Every share and interval below is over those pairs, and so over the posterior's
parameter uncertainty as well as over run-to-run noise when the runs carry draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.parameters import WEEKS_PER_YEAR

from .language import Language, chosen
from .summary import HEADLINE

LOW, HIGH = 0.05, 0.95


def paired_differences(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per scenario after the first and per run: each headline outcome minus the first scenario's."""
    names = list(pd.unique(outcomes["scenario"]))
    first = outcomes[outcomes["scenario"] == names[0]].set_index("replication")[list(HEADLINE)]
    frames = []
    for name in names[1:]:
        other = outcomes[outcomes["scenario"] == name].set_index("replication")[list(HEADLINE)]
        difference = (other - first).dropna(how="all").reset_index()
        difference.insert(0, "scenario", name)
        frames.append(difference)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["scenario", "replication"])


def decision_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """decision.csv (interface.md): per scenario after the first and per headline outcome, the share
    of paired runs in which the scenario's outcome is lower, and the mean difference with its
    5th and 95th percentiles."""
    versus = str(pd.unique(outcomes["scenario"])[0])
    rows = []
    for name, pairs in paired_differences(outcomes).groupby("scenario", sort=False):
        for outcome in HEADLINE:
            difference = pairs[outcome].dropna().to_numpy(dtype=float)
            if not len(difference):
                continue
            rows.append({"scenario": name, "versus": versus, "outcome": outcome,
                         "probability_lower": float(np.mean(difference < 0)),
                         "mean_difference": float(difference.mean()),
                         "difference_p05": float(np.quantile(difference, LOW)),
                         "difference_p95": float(np.quantile(difference, HIGH)), "pairs": len(difference)})
    return pd.DataFrame(rows)


def whole_years(timeseries: pd.DataFrame):
    """The weeks after the start grouped per scenario, run and year, and which groups are whole years."""
    grouped = timeseries[timeseries["week"] >= 0].groupby(["scenario", "replication", "year"], sort=False)
    return grouped, grouped["week"].count() == WEEKS_PER_YEAR


def against_first(per_year: pd.Series, names: list[str], column: str, sign: float = 1.0) -> pd.DataFrame:
    """Per scenario after the first, run and year: ``sign`` x (the scenario's value - the first's)."""
    frames = []
    for name in names[1:]:
        difference = (sign * (per_year.loc[name] - per_year.loc[names[0]])).dropna().rename(column).reset_index()
        difference.insert(0, "scenario", name)
        frames.append(difference)
    if not frames:
        return pd.DataFrame(columns=["scenario", "replication", "year", column])
    return pd.concat(frames, ignore_index=True)


def cumulative_balance(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per scenario after the first, per run and year after the start: the first scenario's total
    cost so far minus this scenario's (positive: the scenario has paid for itself so far)."""
    grouped, whole = whole_years(timeseries)
    so_far = grouped["cost_total"].sum()[whole].groupby(level=["scenario", "replication"], sort=False).cumsum()
    return against_first(so_far, list(pd.unique(timeseries["scenario"])), "balance", sign=-1.0)


def break_even_years(balance: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and run: the number of years after which the cumulative balance turns positive
    and stays positive to the horizon (NaN: not within the horizon)."""
    rows = []
    for (name, run), years in balance.groupby(["scenario", "replication"], sort=False):
        positive = years.sort_values("year")["balance"].to_numpy() > 0
        never_after = np.flatnonzero(~positive)
        first_lasting = 0 if not len(never_after) else never_after[-1] + 1
        rows.append({"scenario": name, "replication": run,
                     "break_even_year": float(first_lasting + 1) if first_lasting < len(positive) else np.nan})
    return pd.DataFrame(rows)


def break_even_summary(balance: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: the share of runs that break even within the horizon, and the median and
    5-95% of the break-even year with runs that never do counted as later than any year."""
    rows = []
    horizon = int(balance["year"].max()) + 1 if len(balance) else 0
    for name, runs in break_even_years(balance).groupby("scenario", sort=False):
        years = runs["break_even_year"].fillna(np.inf).to_numpy()
        rows.append({"scenario": name, "horizon_years": horizon, "share_within_horizon": float(np.isfinite(years).mean()),
                     "median": float(np.quantile(years, 0.5, method="inverted_cdf")),
                     "p05": float(np.quantile(years, LOW, method="inverted_cdf")),
                     "p95": float(np.quantile(years, HIGH, method="inverted_cdf"))})
    return pd.DataFrame(rows)


def year_words(value: float, horizon: int, lang: Language | None = None) -> str:
    """A break-even year in words; never breaking even is later than the horizon."""
    tr = chosen(lang)
    return (tr("after year {year}").format(year=horizon) if not np.isfinite(value)
            else tr("year {year}").format(year=f"{value:.0f}"))


def _years(n: int, tr: Language) -> str:
    return tr("1 year") if n == 1 else tr("{n} years").format(n=n)


def _money(euros: float, tr: Language) -> str:
    return tr.money(euros, signed=True, short=True)


def decision_text(decision: pd.DataFrame, break_even: pd.DataFrame, horizon_years: int, uncertainty: str,
                  lang: Language | None = None) -> str:
    """The decision in plain words, one paragraph per scenario against the first."""
    tr = chosen(lang)
    lines = [tr("Against {first} ({uncertainty}):").format(first=decision["versus"].iloc[0], uncertainty=uncertainty)
             ] if len(decision) else []
    span = _years(horizon_years, tr)
    for name, rows in decision.groupby("scenario", sort=False):
        rows = rows.set_index("outcome")
        cost, entries = rows.loc["cost_total"], rows.loc["second_line_entries_per_1000"]
        lines.append("- " + tr("chance that {name} costs less than {first} over {span}: {chance} (difference {mean}, "
                               "5-95% {low} to {high})").format(
            name=name, first=cost["versus"], span=span, chance=tr.percent(cost["probability_lower"]),
            mean=_money(cost["mean_difference"], tr), low=_money(cost["difference_p05"], tr),
            high=_money(cost["difference_p95"], tr)))
        lines.append("  " + tr("chance of fewer second-line entries: {chance} ({difference} per 1,000 residents a "
                               "year)").format(chance=tr.percent(entries["probability_lower"]),
                                               difference=("+" if entries["mean_difference"] > 0 else "")
                                               + tr.number(entries["mean_difference"], 1)))
        even = break_even[break_even["scenario"] == name]
        if len(even):
            row = even.iloc[0]
            if row["share_within_horizon"] == 0:
                lines.append("  " + tr("pays for itself: not within {span} in any run").format(span=span))
            else:
                lines.append("  " + tr("pays for itself within {span} in {share} of runs; median break-even {median} "
                                       "(5-95%: {low} to {high})").format(
                    span=span, share=tr.percent(row["share_within_horizon"]),
                    median=year_words(row["median"], horizon_years, tr),
                    low=year_words(row["p05"], horizon_years, tr), high=year_words(row["p95"], horizon_years, tr)))
    return "\n".join(lines)

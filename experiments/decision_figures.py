"""The decision's figures: each scenario's difference to the first over time, and the spread of its
balance at the horizon.

Both are drawn from paired runs (``experiments.decision``): the band is the 5-95%
of the pairs, and so includes parameter uncertainty when the runs carry posterior draws.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .decision import HIGH, LOW, against_first, break_even_summary, cumulative_balance, whole_years
from .figures import localise_axes, save_png, scenario_colours
from .language import Language, chosen


def yearly_entry_differences(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Per scenario after the first, per run and year: second-line entries per 1,000 residents
    in that year minus the first scenario's."""
    grouped, whole = whole_years(timeseries)
    rate = (grouped["second_line_entries"].sum() / grouped["residents"].mean() * 1000.0)[whole]
    return against_first(rate, list(pd.unique(timeseries["scenario"])), "difference")


def _band(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    grouped = frame.groupby(["scenario", "year"], sort=False)[column]
    return pd.DataFrame({"low": grouped.quantile(LOW), "median": grouped.median(), "high": grouped.quantile(HIGH)})


def difference_figure(timeseries: pd.DataFrame, uncertainty: str, lang: Language | None = None) -> Figure:
    """Entries and the cumulative balance against the first scenario, year by year, with bands."""
    tr = chosen(lang)
    names = [str(n) for n in pd.unique(timeseries["scenario"])]
    colours = scenario_colours(names)
    entries = _band(yearly_entry_differences(timeseries), "difference")
    balance = cumulative_balance(timeseries)
    money = _band(balance.assign(balance=balance["balance"] / 1e6), "balance")
    even = break_even_summary(balance).set_index("scenario")
    fig = Figure(figsize=(11, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    for name in names[1:]:
        colour = colours[name]
        for ax, band in ((left, entries), (right, money)):
            part = band.xs(name, level="scenario")
            years = part.index.to_numpy(dtype=float) + 1  # the end of each year after the start
            ax.fill_between(years, part["low"], part["high"], color=colour, alpha=0.2, lw=0)
            ax.plot(years, part["median"], color=colour, lw=1.8, marker="o", ms=3)
        if name in even.index and np.isfinite(even.loc[name, "median"]):
            right.axvline(even.loc[name, "median"], color=colour, ls=":", lw=1.4)
    for ax in (left, right):
        ax.axhline(0, color="0.3", lw=1)
        ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        ax.set_xlabel(tr("Years since the team started"))
        ax.grid(color="0.92", lw=0.8)
        ax.set_axisbelow(True)
    first = names[0]
    left.set_ylabel(tr("Second-line entries per 1,000 residents a year\nminus those of {first}").format(first=first))
    left.set_title(tr("Fewer entries below zero"), fontsize=10)
    right.set_ylabel(tr("Cumulative balance against {first} (EUR m)\n"
                        "total cost of {first} so far minus this one's").format(first=first))
    right.set_title(tr("Paid for itself above zero; dotted: median break-even year"), fontsize=10)
    fig.suptitle(tr("Each scenario against {first}, in the same worlds").format(first=first) + f"\n{uncertainty}",
                 fontsize=10)
    handles = [Line2D([], [], color=colours[n], lw=2, label=n) for n in names[1:]]
    handles.append(Patch(color="0.6", alpha=0.35, label=tr("line: median; band over paired runs: 5-95%")))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=9, frameon=False)
    return localise_axes(fig, tr)


def balance_figure(timeseries: pd.DataFrame, uncertainty: str, lang: Language | None = None) -> Figure:
    """The spread of each scenario's balance at the horizon: how often does it pay for itself?"""
    tr = chosen(lang)
    names = [str(n) for n in pd.unique(timeseries["scenario"])]
    colours = scenario_colours(names)
    balance = cumulative_balance(timeseries)
    horizon = balance["year"].max()
    final = balance[balance["year"] == horizon]
    fig = Figure(figsize=(9, 1.6 + 1.1 * (len(names) - 1)), layout="constrained")
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)  # jitter for legibility only
    labels = []
    for row, name in enumerate(names[1:]):
        values = final.loc[final["scenario"] == name, "balance"].to_numpy() / 1e6
        labels.append(f"{name}\n" + tr("costs less in {share}").format(share=tr.percent(np.mean(values > 0)))
                      if len(values) else name)
        ax.scatter(values, row + rng.uniform(-0.18, 0.18, len(values)), s=14, color=colours[name], alpha=0.7)
        if len(values):
            low, middle, high = np.quantile(values, [LOW, 0.5, HIGH])
            ax.plot([low, high], [row, row], color=colours[name], lw=3, alpha=0.5)
            ax.plot([middle], [row], marker="|", ms=18, mew=2.5, color=colours[name])
    ax.axvline(0, color="0.3", lw=1)
    ax.set_yticks(range(len(names) - 1), labels)
    ax.invert_yaxis()
    ax.set_xlabel(tr("Balance after {years} years against {first} (EUR m; positive: costs less)")
                  .format(years=horizon + 1, first=names[0]))
    ax.set_title(tr("One dot per paired run; bar: 5-95%, tick: median") + f"\n{uncertainty}", fontsize=10)
    ax.grid(axis="x", color="0.92", lw=0.8)
    ax.set_axisbelow(True)
    return localise_axes(fig, tr)


def write_decision_figures(timeseries: pd.DataFrame, outdir: Path, uncertainty: str,
                           lang: Language | None = None) -> list[Path]:
    """difference_to_first.png and balance_distribution.png, for two or more scenarios."""
    if timeseries["scenario"].nunique() < 2:
        return []
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in (("difference_to_first.png", difference_figure), ("balance_distribution.png", balance_figure)):
        save_png(make(timeseries, uncertainty, lang=lang), outdir / name)
        written.append(outdir / name)
    return written

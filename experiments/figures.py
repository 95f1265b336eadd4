"""The report's figures: PNGs that show how the scenarios differ, drawn from the weekly timeseries.

Every figure shows uncertainty over replications (5-95% band or error bar), so a
difference between scenarios can be told apart from run-to-run noise. Each
scenario keeps one colour in every figure (order of first appearance), so a
reader can follow it from page to page.

Figures are built as plain ``matplotlib.figure.Figure`` objects on the Agg
backend: they never enter pyplot's global registry, so nothing stays open
after a figure is saved, and the module works in a headless worker. Each PNG
is written to a temporary name in the output directory and moved into place
when complete, so an interrupted run never leaves a half-written file under
the final name.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: reports are written by batch runs and worker processes

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .files import atomic_path  # noqa: E402
from .language import N_, Language, chosen  # noqa: E402

DPI = 120
WEEKS_PER_YEAR = 52
LOW, HIGH = 0.05, 0.95
MIN_WEEKS_FOR_RATE = 13  # a rolling rate from fewer weeks is mostly noise
LEARNING_WINDOW = (52, 208)  # weeks after the start: years 2-4, when a team is expected to mature

BURN_IN_COLOUR = "0.88"
LEARNING_COLOUR = "#fbe7b5"

HOLDERS = (
    ("cost_municipality_team", N_("Municipality:\nteam budget (wijkteam)")),
    ("cost_municipality_youth", N_("Municipality:\nyouth care (Jeugdwet)")),
    ("cost_municipality_wmo", N_("Municipality:\nsocial support (Wmo)")),
    ("cost_municipality_debt", N_("Municipality:\ndebt counselling (Wgs)")),
    ("cost_municipality_work", N_("Municipality:\nwork and income (Participatiewet)")),
    ("cost_insurer", N_("Health insurer\n(Zvw)")),
)
ACTIVITIES = (
    ("casework_hours", N_("Casework")),
    ("presence_hours", N_("Presence in the neighbourhood")),
    ("networking_hours", N_("Networking")),
    ("coordination_hours", N_("Coordination")),
    ("admin_hours", N_("Administration")),
)
ACTIVITY_COLOURS = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#b3b3b3")
NUMERIC = ("residents", "second_line_entries", "team_competence", "mean_trust",
           *(c for c, _ in HOLDERS), *(c for c, _ in ACTIVITIES), "volunteer_hours")
REQUIRED = ("scenario", "replication", "week")


def write_figures(timeseries: pd.DataFrame, outdir: Path, lang: Language | None = None) -> list[Path]:
    """Write the report's PNGs into ``outdir`` and return their paths, in a fixed order.

    ``timeseries`` is one or more frames from ``run_scenario`` stacked: one row
    per scenario, replication and week. Missing numeric columns and NaN values
    leave gaps or empty bars instead of failing, so a partial frame still
    gives a report.
    """
    missing = [c for c in REQUIRED if c not in timeseries.columns]
    if missing:
        raise ValueError(f"timeseries lacks the column(s) {', '.join(missing)}")
    if timeseries.empty:
        raise ValueError("timeseries is empty: nothing to draw")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    frame, colours = prepare(timeseries)
    plots: tuple[tuple[str, Callable[..., Figure]], ...] = (
        ("second_line_entries.png", second_line_figure),
        ("competence_and_trust.png", competence_trust_figure),
        ("costs_per_budget_holder.png", costs_figure),
        ("hours_by_activity.png", hours_figure),
    )
    written = []
    for name, plot in plots:
        path = outdir / name
        save_png(plot(frame, colours, lang=lang), path)
        written.append(path)
    return written


# --- data -----------------------------------------------------------------------------------------

def prepare(timeseries: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Only the columns the figures use, numeric, with scenarios as an ordered category.

    The category keeps the order of first appearance through every groupby, so
    bars and legends list scenarios in the order the user gave them.
    """
    names = [str(n) for n in pd.unique(timeseries["scenario"].astype(str))]
    frame = pd.DataFrame({
        "scenario": pd.Categorical(timeseries["scenario"].astype(str), categories=names, ordered=True),
        "replication": timeseries["replication"].to_numpy(),
        "week": pd.to_numeric(timeseries["week"], errors="coerce").to_numpy(),
    })
    for column in NUMERIC:
        present = column in timeseries.columns
        frame[column] = pd.to_numeric(timeseries[column], errors="coerce").to_numpy(dtype=float) if present else np.nan
    frame = frame.dropna(subset=["week"]).sort_values(["scenario", "replication", "week"], kind="stable")
    if frame.empty:
        raise ValueError("timeseries has no valid weeks: nothing to draw")
    return frame.reset_index(drop=True), scenario_colours(names)


def scenario_colours(names: list[str]) -> dict[str, str]:
    """One colour per scenario, the same in every figure (tab10, tab20 beyond ten scenarios)."""
    palette = matplotlib.colormaps["tab10" if len(names) <= 10 else "tab20"].colors
    return {name: mcolors.to_hex(palette[i % len(palette)]) for i, name in enumerate(names)}


def _runs(frame: pd.DataFrame):
    return frame.groupby(["scenario", "replication"], observed=True, sort=False)


def rolling_rate(frame: pd.DataFrame, column: str) -> pd.Series:
    """Annual rate per 1,000 residents from a trailing 52-week window, per replication.

    Equal to the rolling 52-week sum / residents * 1000 once 52 weeks exist;
    in a run's first weeks the mean so far is annualised (at least 13 weeks),
    so the curve does not ramp up from zero just because the window is short.
    """
    def trailing_mean(series: pd.Series) -> pd.Series:
        return series.rolling(WEEKS_PER_YEAR, min_periods=MIN_WEEKS_FOR_RATE).mean()

    runs = _runs(frame)
    entries = runs[column].transform(trailing_mean)
    residents = runs["residents"].transform(trailing_mean)
    rate = entries * WEEKS_PER_YEAR / residents.where(residents > 0) * 1000.0
    return rate.replace([np.inf, -np.inf], np.nan)


def bands(frame: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """Median and 5-95% of ``values`` over replications, per scenario and week (NaN ignored)."""
    data = pd.DataFrame({"scenario": frame["scenario"], "week": frame["week"], "value": values})
    grouped = data.groupby(["scenario", "week"], observed=True)["value"]
    return pd.DataFrame({
        "low": grouped.quantile(LOW),
        "median": grouped.median(),
        "high": grouped.quantile(HIGH),
    })


def run_spread(per_run: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Mean, 5th and 95th percentile over replications of per-run values, per scenario.

    The percentiles are NaN where fewer than two replications have a value:
    one run says nothing about the spread, so no error bar is drawn.
    """
    grouped = per_run.groupby(level="scenario", observed=True, sort=True)
    enough = grouped.count() >= 2
    return grouped.mean(), grouped.quantile(LOW).where(enough), grouped.quantile(HIGH).where(enough)


def _error(mean: pd.Series, low: pd.Series, high: pd.Series) -> np.ndarray:
    """Asymmetric error bar lengths; NaN (no bar drawn) where the spread is undefined."""
    below = (mean - low).to_numpy(dtype=float).clip(min=0)
    above = (high - mean).to_numpy(dtype=float).clip(min=0)
    return np.vstack([below, above])


# --- drawing helpers ---------------------------------------------------------------------------

def timeline(ax: Axes, frame: pd.DataFrame, learning_window: bool = False, labels: bool = True,
             lang: Language | None = None) -> None:
    """Burn-in shading, the team-start line and (optionally) the learning window, in years."""
    tr = chosen(lang)
    first, last = frame["week"].min() / WEEKS_PER_YEAR, frame["week"].max() / WEEKS_PER_YEAR
    text = {"transform": ax.get_xaxis_transform(), "fontsize": 8, "color": "0.25"}
    if first < 0:
        ax.axvspan(first, 0, color=BURN_IN_COLOUR, lw=0, zorder=0)
        if labels:
            ax.text(first / 2, 0.97, tr("burn-in (no team)"), rotation=90, ha="center", va="top", **text)
    if learning_window:
        start = LEARNING_WINDOW[0] / WEEKS_PER_YEAR
        end = min(LEARNING_WINDOW[1] / WEEKS_PER_YEAR, last)
        if end > start:
            ax.axvspan(start, end, color=LEARNING_COLOUR, lw=0, zorder=0)
            if labels:
                ax.text((start + end) / 2, 0.97, tr("2-4 year learning window"), ha="center", va="top", **text)
    if first <= 0 <= last:
        ax.axvline(0, color="0.3", ls="--", lw=1, zorder=1)
        if labels:
            ax.text(0, 0.97, " " + tr("team starts"), ha="left", va="top", **text)
    ax.set_xlim(first, last)
    ax.xaxis.set_major_locator(ticker.MultipleLocator(0.5 if last - first <= 4 else 1 if last - first <= 12 else 2))
    ax.grid(axis="y", color="0.92", lw=0.8)
    ax.set_axisbelow(True)


def median_band(ax: Axes, summary: pd.DataFrame, colours: dict[str, str]) -> None:
    """One median line and 5-95% band per scenario; with one replication the band is the line."""
    for name, colour in colours.items():
        if name not in summary.index.get_level_values("scenario"):
            continue
        part = summary.xs(name, level="scenario")
        years = part.index.to_numpy(dtype=float) / WEEKS_PER_YEAR
        ax.fill_between(years, part["low"], part["high"], color=colour, alpha=0.2, lw=0, zorder=2)
        ax.plot(years, part["median"], color=colour, lw=1.8, zorder=3)


def scenario_legend(fig: Figure, colours: dict[str, str], extra: list | None = None,
                    lang: Language | None = None) -> None:
    """Scenario legend under the plot, with what the line and the band mean."""
    tr = chosen(lang)
    handles = [Line2D([], [], color=c, lw=2, label=n) for n, c in colours.items()]
    handles += extra or [Patch(color="0.6", alpha=0.35, label=tr("line: median; band over replications: 5-95%"))]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=9, frameon=False)


def _colour_ticklabels(ax: Axes, colours: dict[str, str]) -> None:
    for label in ax.get_xticklabels():
        label.set_color(colours.get(label.get_text(), "black"))
        label.set_fontweight("bold")


def _ylim_from(summary: pd.DataFrame, headroom: float = 1.2) -> float:
    top = np.nanmax(summary[["median", "high"]].to_numpy(dtype=float)) if len(summary) else np.nan
    return float(top * headroom) if np.isfinite(top) and top > 0 else 1.0


def _scenario_axis(ax: Axes, names: list[str], colours: dict[str, str]) -> None:
    ax.set_xticks(range(len(names)), names)
    rotate = len(names) > 4 or max((len(n) for n in names), default=0) > 14
    if rotate:
        ax.tick_params(axis="x", labelrotation=25)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    _colour_ticklabels(ax, colours)
    ax.grid(axis="y", color="0.92", lw=0.8)
    ax.set_axisbelow(True)


# --- figures ----------------------------------------------------------------------------------

def second_line_figure(frame: pd.DataFrame, colours: dict[str, str], lang: Language | None = None) -> Figure:
    """Second-line entries over time: does a team keep residents out of specialist care, and when?"""
    tr = chosen(lang)
    summary = bands(frame, rolling_rate(frame, "second_line_entries"))
    fig = Figure(figsize=(9, 5.2), layout="constrained")
    ax = fig.add_subplot()
    timeline(ax, frame, lang=tr)
    median_band(ax, summary, colours)
    ax.set_ylim(0, _ylim_from(summary))
    ax.set_xlabel(tr("Years since the team started (negative: burn-in)"))
    ax.set_ylabel(tr("Second-line entries\nper 1,000 residents per year"))
    ax.set_title(tr("Entries into second-line care, rolling 52-week rate"), fontsize=11)
    scenario_legend(fig, colours, lang=tr)
    return localise_axes(fig, tr)


def competence_trust_figure(frame: pd.DataFrame, colours: dict[str, str], lang: Language | None = None) -> Figure:
    """Team competence and residents' trust: the slow mechanisms that make a team work after 2-4 years."""
    tr = chosen(lang)
    fig = Figure(figsize=(9, 7), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    panels = (
        ("team_competence", tr("Team competence, 0-1"), tr("Team competence")),
        ("mean_trust", tr("Residents' mean trust, 0-1"), tr("Residents' trust in the team")),
    )
    for ax, (column, ylabel, title) in zip(axes, panels, strict=True):
        timeline(ax, frame, learning_window=True, lang=tr)
        median_band(ax, bands(frame, frame[column]), colours)
        ax.set_ylim(-0.02, 1.15)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=11, loc="left")
    axes[-1].set_xlabel(tr("Years since the team started (negative: burn-in)"))
    scenario_legend(fig, colours, lang=tr)
    return localise_axes(fig, tr)


def costs_figure(frame: pd.DataFrame, colours: dict[str, str], lang: Language | None = None) -> Figure:
    """Who pays over the horizon: a team costs the municipality but may save youth care, Wmo and insurer.

    Bars are the mean over replications of each run's total after the team
    starts; the total is the sum of the four budget holders, so the bars add up.
    """
    tr = chosen(lang)
    after = frame[frame["week"] >= 0]
    columns = [c for c, _ in HOLDERS]
    per_run = _runs(after)[columns].sum(min_count=1)
    per_run["total"] = per_run[columns].sum(axis=1, min_count=1)
    per_run = per_run / 1e6
    mean, low, high = run_spread(per_run)
    names = [n for n in colours if n in mean.index]
    mean, low, high = (t.reindex(names) for t in (mean, low, high))

    groups = [*(wrapped(tr(label)) for _, label in HOLDERS), tr("Total")]
    width = 0.8 / max(len(names), 1)
    fig = Figure(figsize=(min(13, max(9, 6 + 0.8 * len(names))), 5.4), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(groups))
    for i, name in enumerate(names):
        x = positions - 0.4 + width * (i + 0.5)
        row = [*columns, "total"]
        bars = ax.bar(x, mean.loc[name, row].to_numpy(dtype=float), width * 0.92, color=colours[name],
                      yerr=_error(mean.loc[name, row], low.loc[name, row], high.loc[name, row]),
                      error_kw={"elinewidth": 1, "capsize": 3, "ecolor": "0.2"}, label=name)
        if len(names) <= 5:
            ax.bar_label(bars, labels=[tr.number(v, 2) for v in mean.loc[name, row].to_numpy(dtype=float)],
                         fontsize=7, padding=2, label_type="edge")
    ax.axvline(len(groups) - 1.5, color="0.6", ls=":", lw=1)
    ax.set_xticks(positions, groups, fontsize=9)
    ax.set_ylabel(tr("Mean cost over the horizon (million EUR)"))
    weeks = _runs(after).size()
    years = weeks.iloc[0] / WEEKS_PER_YEAR if len(weeks) and weeks.nunique() == 1 else None
    span = (tr("({years} years after the team started)").format(years=tr.number(years, 0 if years == int(years) else 1))
            if years else tr("(after the team started)"))
    ax.set_title(tr("Costs per budget holder over the horizon") + " " + span, fontsize=11)
    ax.set_ylim(bottom=0)
    ax.margins(y=0.12)
    ax.grid(axis="y", color="0.92", lw=0.8)
    ax.set_axisbelow(True)
    handles = [Patch(color=colours[n], label=n) for n in names]
    handles.append(Line2D([], [], color="0.2", marker="_", markersize=8, lw=1,
                          label=tr("error bar over replications: 5-95%")))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=9, frameon=False)
    return localise_axes(fig, tr)


def hours_figure(frame: pd.DataFrame, colours: dict[str, str], lang: Language | None = None) -> Figure:
    """How the team spends its week: casework versus presence and networking, and volunteers alongside.

    Per scenario, a stacked bar of team hours by activity and, beside it, a
    hatched bar of volunteer hours (same unit, so they compare directly). Bars
    are the mean over replications of each run's mean weekly hours after the
    team starts; error bars are the 5-95% spread of the team total and of the
    volunteer hours.
    """
    tr = chosen(lang)
    after = frame[frame["week"] >= 0]
    columns = [c for c, _ in ACTIVITIES]
    per_run = _runs(after)[[*columns, "volunteer_hours"]].mean()
    per_run["total"] = per_run[columns].sum(axis=1, min_count=1)
    mean, low, high = run_spread(per_run)
    names = [n for n in colours if n in mean.index]
    mean, low, high = (t.reindex(names) for t in (mean, low, high))

    fig = Figure(figsize=(min(14, max(9, 2 + 1.3 * len(names))), 5.8), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(names))
    team_x, volunteer_x, width = x - 0.2, x + 0.2, 0.38
    bottom = np.zeros(len(names))
    for (column, label), colour in zip(ACTIVITIES, ACTIVITY_COLOURS, strict=True):
        heights = np.nan_to_num(mean[column].to_numpy(dtype=float), nan=0.0)
        ax.bar(team_x, heights, width, bottom=bottom, color=colour, edgecolor="white", lw=0.5)
        bottom += heights
    error = {"fmt": "none", "ecolor": "0.2", "elinewidth": 1, "capsize": 3}
    total = mean["total"].to_numpy(dtype=float)
    ax.errorbar(team_x, np.nan_to_num(total, nan=0.0), yerr=_error(mean["total"], low["total"], high["total"]),
                **error)
    volunteers = np.nan_to_num(mean["volunteer_hours"].to_numpy(dtype=float), nan=0.0)
    ax.bar(volunteer_x, volunteers, width, color=[colours[n] for n in names], alpha=0.45, hatch="//",
           edgecolor=[colours[n] for n in names], lw=1)
    ax.errorbar(volunteer_x, volunteers,
                yerr=_error(mean["volunteer_hours"], low["volunteer_hours"], high["volunteer_hours"]), **error)

    upper = np.nan_to_num(high[["total", "volunteer_hours"]].to_numpy(dtype=float), nan=0.0)
    top = float(max(np.max(upper, initial=0.0), np.max(np.nan_to_num(total, nan=0.0), initial=0.0),
                    np.max(volunteers, initial=0.0)))
    for i, value in enumerate(total):
        if not np.isfinite(value) or value <= 0:
            ax.text(team_x[i], top * 0.02 if top > 0 else 0.02, tr("no team"), ha="center", va="bottom",
                    fontsize=9, color="0.35", style="italic", rotation=90)
        else:
            label_at = max(value, upper[i, 0])
            ax.text(team_x[i], label_at + top * 0.015, f"{tr.number(value)} " + tr("h"), ha="center", va="bottom", fontsize=8,
                    color="0.2")
    _scenario_axis(ax, names, colours)
    ax.set_ylim(0, top * 1.12 if top > 0 else 1.0)
    ax.set_ylabel(tr("Mean hours per week after the team started"))
    ax.set_title(tr("Team hours by activity and volunteer hours"), fontsize=11)

    handles = [Patch(color=c, label=tr(label)) for (_, label), c in zip(ACTIVITIES, ACTIVITY_COLOURS, strict=True)]
    handles.append(Patch(facecolor="white", edgecolor="0.4", hatch="//",
                         label=tr("Volunteers, in the scenario's colour")))
    handles.append(Line2D([], [], color="0.2", marker="_", markersize=8, lw=1,
                          label=tr("error bar over replications: 5-95%")))
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8.5, frameon=False)
    return localise_axes(fig, tr)


def wrapped(label: str, width: int = 18) -> str:
    """A long tick label on several short lines, so that neighbours do not overlap."""
    return "\n".join(textwrap.fill(line, width, break_long_words=False) for line in label.split("\n"))


def localise_axes(fig: Figure, lang: Language) -> Figure:
    """Number ticks in the reader's format (0,5 in Dutch); axes with named ticks keep their names."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ticker.ScalarFormatter):
                axis.set_major_formatter(ticker.FuncFormatter(lambda value, _: lang.tick(value)))
    return fig


# --- writing ----------------------------------------------------------------------------------

def save_png(fig: Figure, path: Path) -> None:
    """Save beside the target under a temporary name, then rename: never a half-written PNG."""
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI)
    finally:
        fig.clear()

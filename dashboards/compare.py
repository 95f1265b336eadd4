"""Compare: two to four scenarios side by side, with replications run in the background.

By default every scenario runs the same draws from the bundled posterior
(parameter uncertainty), so the 90% intervals (5th-95th percentile over the
runs) say how sure the numbers are, and the decision is put in plain words:
the chance that a scenario costs less than the first, and when it pays for
itself. Then the report's figures with uncertainty bands (``experiments.figures``)
and where the costs and savings land per budget holder. Everything can be
downloaded as CSV and PNG.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import solara
import solara.lab

from experiments import figures
from experiments.decision import break_even_summary, cumulative_balance, decision_table, year_words
from experiments.decision_figures import balance_figure, difference_figure
from experiments.posterior import bundled_available, describe_runs
from experiments.summary import headline_outcomes, summarise

from .explore import explore_model
from .dashboard_model import DEFAULTS
from .runs import RESIDENT_CHOICES, YOUR_SETTINGS, bundled_scenarios, run_cached
from .widgets import Md, PngImage, RunProgress, figure_png, fmt

OUTCOMES = (
    ("second_line_entries_per_1000", "Entries into second-line care (tweede lijn) per 1,000 residents a year"),
    ("crisis_entries_per_1000", "Crisis entries per 1,000 residents a year"),
    ("mean_first_contact_severity", "Severity of problems at first contact (0-1; lower is earlier)"),
    ("final_team_competence", "Team competence at the end (0-1)"),
    ("cost_team", "Cost of the wijkteam (euro)"),
    ("cost_second_line", "Cost of second-line care (euro)"),
    ("cost_total", "Total cost (euro)"),
    ("cost_second_line_per_resident_year", "Cost of second-line care per resident a year (euro)"),
    ("cost_total_per_resident_year", "Total cost per resident a year (euro)"),
)
FIGURES = (
    ("second_line_entries.png", "Entries into second-line care", figures.second_line_figure),
    ("costs_per_budget_holder.png", "Costs per budget holder", figures.costs_figure),
    ("competence_and_trust.png", "Competence and trust", figures.competence_trust_figure),
    ("hours_by_activity.png", "Hours by activity", figures.hours_figure),
)
DECISION_FIGURES = (
    ("difference_to_first.png", "Against the first scenario, year by year", difference_figure),
    ("balance_distribution.png", "Balance at the horizon, run by run", balance_figure),
)
MAX_SCENARIOS = 4

selected = solara.reactive(["current-practice", "recommended"])
with_posterior = solara.reactive(bundled_available())
draws = solara.reactive(8)
replications = solara.reactive(1)
residents = solara.reactive(2000)
years = solara.reactive(6)


@dataclass
class Comparison:
    names: list[str]
    replications: int
    draws: int  # posterior draws per scenario (0: parameters fixed)
    residents: int
    years: int
    headline: pd.DataFrame  # one row per scenario: mean, p05, p95 of each outcome
    budgets: pd.DataFrame  # mean cost per budget holder and scenario, euros over the horizon
    decision: pd.DataFrame  # decision.csv: chance lower and mean difference against the first
    break_even: pd.DataFrame  # per scenario: share within the horizon, median and 5-95% break-even year
    pngs: dict[str, bytes]
    timeseries_csv: bytes
    summary_csv: bytes
    seconds: float


def budget_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Mean over replications of each run's cost per budget holder after the team started."""
    columns = [c for c, _ in figures.HOLDERS]
    after = timeseries[timeseries["week"] >= 0]
    per_run = after.groupby(["scenario", "replication"], sort=False)[columns].sum()
    table = per_run.groupby(level="scenario", sort=False).mean()
    table["total"] = table.sum(axis=1)
    return table


def summarise_comparison(timeseries: pd.DataFrame, reps: int, n_draws: int, n_residents: int, n_years: int,
                         seconds: float) -> Comparison:
    names = [str(n) for n in pd.unique(timeseries["scenario"])]
    outcomes = headline_outcomes(timeseries)
    headline = summarise(outcomes).set_index("scenario").reindex(names)
    budgets = budget_table(timeseries).reindex(names)
    frame, colours = figures.prepare(timeseries)
    pngs = {filename: figure_png(make(frame, colours)) for filename, _, make in FIGURES}
    words = describe_runs(reps, n_draws)
    pngs |= {filename: figure_png(make(timeseries, words)) for filename, _, make in DECISION_FIGURES}
    summary = headline.join(budgets.add_prefix("mean_"), how="left").reset_index()
    return Comparison(names, reps, n_draws, n_residents, n_years, headline, budgets, decision_table(outcomes),
                      break_even_summary(cumulative_balance(timeseries)), pngs,
                      timeseries.to_csv(index=False).encode(), summary.to_csv(index=False).encode(), seconds)


@solara.lab.task(prefer_threaded=True)
def comparison(keys: list[str], reps: int, n_draws: int, n_residents: int, n_years: int,
               inputs: dict) -> Comparison:
    started = time.perf_counter()
    timeseries = run_cached(keys, reps, n_residents, n_years, inputs,
                            progress=lambda share: setattr(comparison, "progress", share), draws=n_draws)
    comparison.progress = 100.0
    return summarise_comparison(timeseries, reps, n_draws, n_residents, n_years, time.perf_counter() - started)


def _euros(value: float) -> str:
    return f"€ {fmt(abs(value))} {'more' if value > 0 else 'less'}"


def decision_markdown(result: Comparison) -> str:
    """The chance that each scenario costs less than the first, and when it pays for itself."""
    base, lines = result.names[0], []
    even = result.break_even.set_index("scenario") if len(result.break_even) else pd.DataFrame()
    for name, rows in result.decision.groupby("scenario", sort=False):
        rows = rows.set_index("outcome")
        cost, entries = rows.loc["cost_total"], rows.loc["second_line_entries_per_1000"]
        text = (f"- Chance that **{name}** costs less than **{base}** over {result.years} years: "
                f"**{cost['probability_lower']:.0%}** (on average {_euros(cost['mean_difference'])}; "
                f"90% interval {fmt(cost['difference_p05'])} to {fmt(cost['difference_p95'])} euro). "
                f"Chance of fewer entries into second-line care: {entries['probability_lower']:.0%}.")
        if name in even.index:
            row = even.loc[name]
            if row["share_within_horizon"] == 0:
                text += f" It does not pay for itself within {result.years} years in any run."
            else:
                text += (f" It pays for itself within {result.years} years in {row['share_within_horizon']:.0%} "
                         f"of runs; median break-even year: {year_words(row['median'], result.years)} (90% interval "
                         f"{year_words(row['p05'], result.years)} to {year_words(row['p95'], result.years)}).")
        lines.append(text)
    return "\n".join(lines)


def headline_markdown(result: Comparison) -> str:
    head = "| Outcome over the years after the team started | " + " | ".join(result.names) + " |"
    rows = [head, "|---|" + "---|" * len(result.names)]
    for column, label in OUTCOMES:
        cells = []
        for name in result.names:
            row = result.headline.loc[name]
            mean, low, high = row[f"{column}_mean"], row[f"{column}_p05"], row[f"{column}_p95"]
            several = result.replications * max(1, result.draws) > 1
            interval = f" ({fmt(low)} – {fmt(high)})" if several and np.isfinite(mean) else ""
            cells.append(f"**{fmt(mean)}**{interval}")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def savings_markdown(result: Comparison) -> str:
    base = result.names[0]
    head = "| Budget holder | " + " | ".join(result.names) + " |"
    rows = [head, "|---|" + "---|" * len(result.names)]
    labels = {c: label.replace("\n", " ") for c, label in figures.HOLDERS} | {"total": "**Total**"}
    for column, label in labels.items():
        cells = []
        for name in result.names:
            value = result.budgets.loc[name, column]
            cell = f"€ {fmt(value)}"
            if name != base:
                diff = value - result.budgets.loc[base, column]
                cell += f" ({'saves' if diff < 0 else 'costs'} € {fmt(abs(diff))})"
            cells.append(cell)
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


@solara.component
def ScenarioPicker():
    chosen = selected.value

    def toggle(key: str, on: bool):
        keys = [k for k in selected.value if k != key]
        selected.value = keys + [key] if on else keys

    options = [(YOUR_SETTINGS, "Your settings from Explore (as last built with Reset)")]
    options += [(b.key, b.description) for b in bundled_scenarios().values()]
    with solara.Column(gap="0px"):
        for key, description in options:
            solara.Checkbox(label=key, value=key in chosen, on_value=lambda on, key=key: toggle(key, on),
                            style="margin-top: 0px")
            solara.Text(description[:220] + ("…" if len(description) > 220 else ""),
                        style="font-size: 12px; color: #555; margin: -14px 0 6px 32px")


@solara.component
def FigureGrid(result: Comparison, shown):
    """Figures two by two, each with its PNG download."""
    with solara.GridFixed(columns=2):
        for filename, title, _ in shown:
            with solara.Card(title):
                PngImage(result.pngs[filename])
                solara.FileDownload(result.pngs[filename], filename=filename, label="Download PNG",
                                    mime_type="image/png")


@solara.component
def Results(result: Comparison):
    Md(f"### Results: {describe_runs(result.replications, result.draws)}; {result.years} years, "
       f"{result.residents:,} residents ({result.seconds:.0f} s)")
    if result.draws:
        Md("Numbers are the mean over all runs; between brackets the 90% interval (5% of runs came out "
           "lower, 5% higher). The runs differ in the model's uncertain parameters (drawn from the "
           "calibration's posterior) and in chance; every scenario gets the same draws, so differences "
           "come from the settings.")
    else:
        solara.Warning("Parameters fixed: the intervals show chance only and are far too narrow for a decision. "
                       "Switch on parameter uncertainty for honest odds.", dense=True)
    Md(f"### How likely is it to pay off?\n{decision_markdown(result)}")
    FigureGrid(result, DECISION_FIGURES)
    Md("### Outcomes")
    Md(headline_markdown(result))
    Md(f"### Where do the savings land?\nCosts over the {result.years} years after the team started, "
                    f"per budget holder, compared with **{result.names[0]}**.")
    Md(savings_markdown(result))
    with solara.Row():
        solara.FileDownload(result.summary_csv, filename="summary.csv", label="Download the numbers (CSV)",
                            mime_type="text/csv")
        solara.FileDownload(result.timeseries_csv, filename="timeseries.csv",
                            label="Download the weekly data (CSV)", mime_type="text/csv")
    FigureGrid(result, FIGURES)


@solara.component
def Compare():
    keys = selected.value
    ok = 2 <= len(keys) <= MAX_SCENARIOS
    running = comparison.pending

    def start():
        model = explore_model.value
        inputs = dict(model.inputs) if model is not None else dict(DEFAULTS)
        n_draws = int(draws.value) if with_posterior.value else 0
        comparison(list(keys), int(replications.value), n_draws, int(residents.value), int(years.value), inputs)

    with solara.Column(style="padding: 12px; max-width: 1400px"):
        Md("## Compare scenarios\nPick two to four scenarios, then press **Run comparison**. "
           "Each is run many times, with different values of the model's uncertain parameters and "
           "different chance, so you can see how sure the differences are, and how likely a scenario "
           "is to cost less than the first one. The page stays usable while they run.")
        with solara.Columns([3, 2]):
            with solara.Card("Scenarios"):
                ScenarioPicker()
            with solara.Card("Run settings"), solara.Column():
                solara.Checkbox(label="Include parameter uncertainty (the calibration's posterior)",
                                value=with_posterior, disabled=not bundled_available())
                if not bundled_available():
                    solara.Text("The bundled posterior is missing from this installation.",
                                style="font-size: 12px; color: #a33")
                if with_posterior.value:
                    solara.SliderInt("Posterior draws per scenario", value=draws, min=2, max=24, thumb_label="always")
                    solara.Text("Each draw is a set of the model's uncertain parameters that fits the Dutch "
                                "statistics; more draws give steadier odds.", style="font-size: 12px; color: #555")
                label = "Replications per draw" if with_posterior.value else "Replications per scenario"
                solara.SliderInt(label, value=replications, min=1, max=10, thumb_label="always")
                solara.Text("Residents in the wijk (fewer is faster)")
                solara.ToggleButtonsSingle(value=residents, values=list(RESIDENT_CHOICES))
                solara.Text("Years after the team starts")
                solara.ToggleButtonsSingle(value=years, values=[2, 4, 6, 10])
                per_scenario = replications.value * (draws.value if with_posterior.value else 1)
                runs = len(keys) * per_scenario
                solara.Text(f"{len(keys)} scenario(s) chosen, {runs} runs.", style="font-size: 13px")
                if not ok:
                    solara.Warning(f"Choose between 2 and {MAX_SCENARIOS} scenarios.", dense=True)
                solara.Button("Run comparison", color="primary", on_click=start, disabled=not ok or running)
                if running:
                    RunProgress(comparison.progress, f"of {runs} runs done")
        if comparison.error:
            solara.Error(f"The comparison failed: {comparison.exception}")
        elif comparison.value is not None:
            Results(comparison.value)

"""Compare: two to four scenarios side by side, with replications run in the background.

Headline outcomes with 90% intervals (5th-95th percentile over replications),
the report's figures with uncertainty bands (``experiments.figures``), and
where the costs and savings land per budget holder. Everything can be
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
)
FIGURES = (
    ("second_line_entries.png", "Entries into second-line care", figures.second_line_figure),
    ("costs_per_budget_holder.png", "Costs per budget holder", figures.costs_figure),
    ("competence_and_trust.png", "Competence and trust", figures.competence_trust_figure),
    ("hours_by_activity.png", "Hours by activity", figures.hours_figure),
)
MAX_SCENARIOS = 4

selected = solara.reactive(["current-practice", "recommended"])
replications = solara.reactive(4)
residents = solara.reactive(2000)
years = solara.reactive(6)


@dataclass
class Comparison:
    names: list[str]
    replications: int
    residents: int
    years: int
    headline: pd.DataFrame  # one row per scenario: mean, p05, p95 of each outcome
    budgets: pd.DataFrame  # mean cost per budget holder and scenario, euros over the horizon
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


def summarise_comparison(timeseries: pd.DataFrame, reps: int, n_residents: int, n_years: int,
                         seconds: float) -> Comparison:
    names = [str(n) for n in pd.unique(timeseries["scenario"])]
    headline = summarise(headline_outcomes(timeseries)).set_index("scenario").reindex(names)
    budgets = budget_table(timeseries).reindex(names)
    frame, colours = figures.prepare(timeseries)
    pngs = {filename: figure_png(make(frame, colours)) for filename, _, make in FIGURES}
    summary = headline.join(budgets.add_prefix("mean_"), how="left").reset_index()
    return Comparison(names, reps, n_residents, n_years, headline, budgets, pngs,
                      timeseries.to_csv(index=False).encode(), summary.to_csv(index=False).encode(), seconds)


@solara.lab.task(prefer_threaded=True)
def comparison(keys: list[str], reps: int, n_residents: int, n_years: int, inputs: dict) -> Comparison:
    started = time.perf_counter()
    timeseries = run_cached(keys, reps, n_residents, n_years, inputs,
                            progress=lambda share: setattr(comparison, "progress", share))
    comparison.progress = 100.0
    return summarise_comparison(timeseries, reps, n_residents, n_years, time.perf_counter() - started)


def headline_markdown(result: Comparison) -> str:
    head = "| Outcome over the years after the team started | " + " | ".join(result.names) + " |"
    rows = [head, "|---|" + "---|" * len(result.names)]
    for column, label in OUTCOMES:
        cells = []
        for name in result.names:
            row = result.headline.loc[name]
            mean, low, high = row[f"{column}_mean"], row[f"{column}_p05"], row[f"{column}_p95"]
            interval = f" ({fmt(low)} – {fmt(high)})" if result.replications > 1 and np.isfinite(mean) else ""
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
def Results(result: Comparison):
    Md(f"### Results: {result.replications} replication(s) of {result.years} years, "
                    f"{result.residents:,} residents ({result.seconds:.0f} s)")
    Md("Numbers are the mean over replications; between brackets the 90% interval "
                    "(5% of runs came out lower, 5% higher). Every scenario gets the same random "
                    "draws, so differences come from the settings, not from chance.")
    Md(headline_markdown(result))
    Md(f"### Where do the savings land?\nCosts over the {result.years} years after the team started, "
                    f"per budget holder, compared with **{result.names[0]}**.")
    Md(savings_markdown(result))
    with solara.Row():
        solara.FileDownload(result.summary_csv, filename="summary.csv", label="Download the numbers (CSV)",
                            mime_type="text/csv")
        solara.FileDownload(result.timeseries_csv, filename="timeseries.csv",
                            label="Download the weekly data (CSV)", mime_type="text/csv")
    with solara.GridFixed(columns=2):
        for filename, title, _ in FIGURES:
            with solara.Card(title):
                PngImage(result.pngs[filename])
                solara.FileDownload(result.pngs[filename], filename=filename, label="Download PNG",
                                    mime_type="image/png")


@solara.component
def Compare():
    keys = selected.value
    ok = 2 <= len(keys) <= MAX_SCENARIOS
    running = comparison.pending

    def start():
        model = explore_model.value
        inputs = dict(model.inputs) if model is not None else dict(DEFAULTS)
        comparison(list(keys), int(replications.value), int(residents.value), int(years.value), inputs)

    with solara.Column(style="padding: 12px; max-width: 1400px"):
        Md("## Compare scenarios\nPick two to four scenarios, then press **Run comparison**. "
                        "Each is run several times (replications) with different random draws, so you "
                        "can see how sure the differences are. The page stays usable while they run.")
        with solara.Columns([3, 2]):
            with solara.Card("Scenarios"):
                ScenarioPicker()
            with solara.Card("Run settings"), solara.Column():
                solara.SliderInt("Replications per scenario", value=replications, min=1, max=10, thumb_label="always")
                solara.Text("Residents in the wijk (fewer is faster)")
                solara.ToggleButtonsSingle(value=residents, values=list(RESIDENT_CHOICES))
                solara.Text("Years after the team starts")
                solara.ToggleButtonsSingle(value=years, values=[2, 4, 6, 10])
                runs = len(keys) * replications.value
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

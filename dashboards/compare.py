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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import solara
import solara.lab

from experiments import figures
from experiments.decision import break_even_summary, cumulative_balance, decision_table, year_words
from experiments.decision_figures import balance_figure, difference_figure
from experiments.council_report import report_html
from experiments.language import N_, Language
from experiments.mkba import BUDGET, RESIDENTS, SOCIETY, TOTAL, mkba_table
from experiments.mkba_figures import actor_figure
from experiments.report import discount_rate
from experiments.posterior import Uncertainty, bundled_available, describe_runs
from experiments.summary import headline_outcomes, summarise

from .explore import explore_model
from .dashboard_model import DEFAULTS
from .runs import (
    RESIDENT_CHOICES,
    SUMMARIES,
    YOUR_SETTINGS,
    build_scenario,
    bundled_posterior,
    bundled_scenarios,
    posterior_draws,
    run_cached,
)
from .widgets import Caption, Md, PngImage, RunProgress, figure_png, lang, language, money, number, percent, tr

OUTCOMES = (
    ("second_line_entries_per_1000", N_("Entries into second-line care (tweede lijn) per 1,000 residents a year")),
    ("crisis_entries_per_1000", N_("Crisis entries per 1,000 residents a year")),
    ("mean_first_contact_severity", N_("Severity of problems at first contact (0-1; lower is earlier)")),
    ("final_team_competence", N_("Team competence at the end (0-1)")),
    ("cost_team", N_("Cost of the wijkteam")),
    ("cost_second_line", N_("Cost of second-line care")),
    ("cost_total", N_("Total cost")),
    ("cost_second_line_per_resident_year", N_("Cost of second-line care per resident a year")),
    ("cost_total_per_resident_year", N_("Total cost per resident a year")),
)
FIGURES = (
    ("second_line_entries.png", N_("Entries into second-line care"), figures.second_line_figure),
    ("costs_per_budget_holder.png", N_("Costs per budget holder"), figures.costs_figure),
    ("competence_and_trust.png", N_("Competence and trust"), figures.competence_trust_figure),
    ("hours_by_activity.png", N_("Hours by activity"), figures.hours_figure),
)
DECISION_FIGURES = (
    ("difference_to_first.png", N_("Against the first scenario, year by year"), difference_figure),
    ("balance_distribution.png", N_("Balance at the horizon, run by run"), balance_figure),
)
MKBA_FIGURE = ("mkba_per_actor.png", N_("Costs and benefits per actor"), None)
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
    timeseries: pd.DataFrame
    timeseries_csv: bytes
    summary_csv: bytes
    seconds: float
    scenarios: list = field(default_factory=list)  # the scenarios as run, for the report
    mkba: pd.DataFrame = field(default_factory=pd.DataFrame)  # mkba.csv: NCW per actor against the first
    pngs: dict[str, dict[str, bytes]] = field(default_factory=dict)  # language code -> file name -> PNG
    reports: dict[str, bytes] = field(default_factory=dict)  # language code -> report.html


def budget_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Mean over replications of each run's cost per budget holder after the team started."""
    columns = [c for c, _ in figures.HOLDERS]
    after = timeseries[timeseries["week"] >= 0]
    per_run = after.groupby(["scenario", "replication"], sort=False)[columns].sum()
    table = per_run.groupby(level="scenario", sort=False).mean()
    table["total"] = table.sum(axis=1)
    return table


def summarise_comparison(timeseries: pd.DataFrame, reps: int, n_draws: int, n_residents: int, n_years: int,
                         seconds: float, scenarios: list | None = None) -> Comparison:
    names = [str(n) for n in pd.unique(timeseries["scenario"])]
    outcomes = headline_outcomes(timeseries)
    headline = summarise(outcomes).set_index("scenario").reindex(names)
    budgets = budget_table(timeseries).reindex(names)
    summary = headline.join(budgets.add_prefix("mean_"), how="left").reset_index()
    rate = discount_rate(scenarios[0]) if scenarios else 0.0
    mkba = mkba_table(timeseries, rate) if scenarios else pd.DataFrame()
    return Comparison(names, reps, n_draws, n_residents, n_years, headline, budgets, decision_table(outcomes),
                      break_even_summary(cumulative_balance(timeseries)), timeseries,
                      timeseries.to_csv(index=False).encode(), summary.to_csv(index=False).encode(), seconds,
                      scenarios or [], mkba)


def figure_pngs(result: Comparison, lang: Language) -> dict[str, bytes]:
    """The comparison's figures in ``lang``: drawn once per language and kept on the result,
    so switching the language redraws them once."""
    if lang.code not in result.pngs:
        frame, colours = figures.prepare(result.timeseries)
        pngs = {filename: figure_png(make(frame, colours, lang=lang)) for filename, _, make in FIGURES}
        words = describe_runs(result.replications, result.draws, lang=lang)
        pngs |= {filename: figure_png(make(result.timeseries, words, lang=lang))
                 for filename, _, make in DECISION_FIGURES}
        if not result.mkba.empty:
            pngs[MKBA_FIGURE[0]] = figure_png(actor_figure(result.mkba, lang=lang))
        result.pngs[lang.code] = pngs
    return result.pngs[lang.code]


def report_bytes(result: Comparison, lang: Language) -> bytes:
    """report.html in ``lang``, as the command line's --report writes it (made on first download)."""
    if lang.code not in result.reports:
        words = describe_runs(result.replications, result.draws, lang=lang)
        uncertainty = Uncertainty(bundled_posterior(), posterior_draws(result.draws)) if result.draws else None
        result.reports[lang.code] = report_html(result.timeseries, result.scenarios, words, uncertainty,
                                                lang=lang).encode()
    return result.reports[lang.code]


@solara.lab.task(prefer_threaded=True)
def comparison(keys: list[str], reps: int, n_draws: int, n_residents: int, n_years: int,
               inputs: dict, code: str) -> Comparison:
    """The runs and their summary in the background; the figures are drawn there too, in language ``code``."""
    started = time.perf_counter()
    timeseries = run_cached(keys, reps, n_residents, n_years, inputs,
                            progress=lambda share: setattr(comparison, "progress", share), draws=n_draws)
    comparison.progress = 100.0
    scenarios = [build_scenario(key, n_residents, n_years, inputs) for key in keys]
    result = summarise_comparison(timeseries, reps, n_draws, n_residents, n_years, time.perf_counter() - started,
                                  scenarios)
    figure_pngs(result, Language(code))
    return result


def years_words(n: int) -> str:
    return tr("1 year") if n == 1 else tr("{n} years").format(n=n)


def difference_words(euros: float) -> str:
    """A difference in cost: "EUR 12.345 more" or "EUR 12.345 less"."""
    amount = money(abs(euros))
    return tr("{amount} more").format(amount=amount) if euros > 0 else tr("{amount} less").format(amount=amount)


def break_even_words(row: pd.Series, horizon: int) -> str:
    """When a scenario pays for itself, over the runs."""
    if row["share_within_horizon"] == 0:
        return tr("It does not pay for itself within {years} in any run.").format(years=years_words(horizon))
    return tr("It pays for itself within {years} in {share} of runs; median break-even year: {median} "
              "(90% interval {low} to {high}).").format(
        years=years_words(horizon), share=percent(row["share_within_horizon"]),
        median=year_words(row["median"], horizon, lang=lang()), low=year_words(row["p05"], horizon, lang=lang()),
        high=year_words(row["p95"], horizon, lang=lang()))


def decision_markdown(result: Comparison) -> str:
    """The chance that each scenario costs less than the first, and when it pays for itself."""
    base, lines = result.names[0], []
    even = result.break_even.set_index("scenario") if len(result.break_even) else pd.DataFrame()
    for name, rows in result.decision.groupby("scenario", sort=False):
        rows = rows.set_index("outcome")
        cost, entries = rows.loc["cost_total"], rows.loc["second_line_entries_per_1000"]
        text = tr("Chance that **{name}** costs less than **{base}** over {years}: **{chance}** (on average "
                  "{difference}; 90% interval {low} to {high}). Chance of fewer entries into second-line care: "
                  "{fewer}.").format(
            name=name, base=base, years=years_words(result.years), chance=percent(cost["probability_lower"]),
            difference=difference_words(cost["mean_difference"]), low=money(cost["difference_p05"], signed=True),
            high=money(cost["difference_p95"], signed=True), fewer=percent(entries["probability_lower"]))
        if name in even.index:
            text += " " + break_even_words(even.loc[name], result.years)
        lines.append("- " + text)
    return "\n".join(lines)


def outcome_cell(column: str, value: float) -> str:
    return money(value) if column.startswith("cost_") else number(value)


def headline_markdown(result: Comparison) -> str:
    head = f"| {tr('Outcome over the years after the team started')} | " + " | ".join(result.names) + " |"
    rows = [head, "|---|" + "---|" * len(result.names)]
    several = result.replications * max(1, result.draws) > 1
    for column, label in OUTCOMES:
        cells = []
        for name in result.names:
            row = result.headline.loc[name]
            mean, low, high = row[f"{column}_mean"], row[f"{column}_p05"], row[f"{column}_p95"]
            interval = f" ({outcome_cell(column, low)} – {outcome_cell(column, high)})" \
                if several and np.isfinite(mean) else ""
            cells.append(f"**{outcome_cell(column, mean)}**{interval}")
        rows.append(f"| {tr(label)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def savings_cell(value: float, base_value: float | None) -> str:
    """A budget holder's cost, and against the first scenario what it saves or costs more."""
    if base_value is None:
        return money(value)
    diff = value - base_value
    change = tr("saves {amount}") if diff < 0 else tr("costs {amount} more")
    return f"{money(value)} ({change.format(amount=money(abs(diff)))})"


def savings_markdown(result: Comparison) -> str:
    base = result.names[0]
    head = f"| {tr('Budget holder')} | " + " | ".join(result.names) + " |"
    rows = [head, "|---|" + "---|" * len(result.names)]
    labels = {c: tr(label).replace("\n", " ") for c, label in figures.HOLDERS} | {"total": f"**{tr('Total')}**"}
    for column, label in labels.items():
        cells = [savings_cell(result.budgets.loc[name, column],
                              None if name == base else result.budgets.loc[base, column]) for name in result.names]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def mkba_markdown(result: Comparison) -> str:
    """Per project alternative: each actor's net present value against the first scenario, per resident,
    the chance of a benefit; the municipal budget after two years; the residents' gains."""
    base, lines = result.names[0], []
    for name, rows in result.mkba.groupby("scenario", sort=False):
        lines += [f"**{name}** {tr('against')} **{base}**", "",
                  f"| {tr('Actor')} | {tr('Net present value')} | {tr('Per resident')} | {tr('Chance of a benefit')} |",
                  "|---|---|---|---|"]
        for row in rows.itertuples():
            if row.line == TOTAL:
                label = tr(row.actor) if row.actor != SOCIETY else f"**{tr(row.actor)}**"
            elif row.line == BUDGET:
                label = tr("municipality: budget after 2 years (undiscounted)")
            elif row.actor == RESIDENTS:
                label = tr("residents: {outcome} avoided").format(outcome=tr(row.line))
            else:
                continue
            euros = row.unit.startswith("euros")
            value = money(row.mean, signed=True) if euros else number(row.mean, 1)
            each = money(row.per_resident_mean, signed=True) if euros else number(row.per_resident_mean * 1000, 1) \
                + " " + tr("per 1,000")
            lines.append(f"| {label} | {value} ({money(row.p05, signed=True) if euros else number(row.p05, 1)} – "
                         f"{money(row.p95, signed=True) if euros else number(row.p95, 1)}) | {each} | "
                         f"{percent(row.probability_positive)} |")
        lines.append("")
    return "\n".join(lines)


def scenario_summary(key: str) -> str:
    """What a scenario asks, translated where we have a summary, else its file's description."""
    if key in SUMMARIES:
        return tr(SUMMARIES[key])
    description = bundled_scenarios()[key].description
    return description[:220] + ("…" if len(description) > 220 else "")


@solara.component
def ScenarioPicker():
    chosen = selected.value

    def toggle(key: str, on: bool):
        keys = [k for k in selected.value if k != key]
        selected.value = keys + [key] if on else keys

    options = [(YOUR_SETTINGS, tr("Your settings from Explore (as last built with Reset)"))]
    options += [(key, scenario_summary(key)) for key in bundled_scenarios()]
    with solara.Column(gap="0px"):
        for key, description in options:
            solara.Checkbox(label=key, value=key in chosen, on_value=lambda on, key=key: toggle(key, on),
                            style="margin-top: 0px")
            solara.Text(description, style="font-size: 12px; color: #555; margin: -14px 0 6px 32px")


@solara.component
def FigureGrid(result: Comparison, shown):
    """Figures two by two, each with its PNG download, in the session's language."""
    pngs = figure_pngs(result, lang())
    with solara.GridFixed(columns=2):
        for filename, title, _ in shown:
            with solara.Card(tr(title)):
                PngImage(pngs[filename])
                solara.FileDownload(pngs[filename], filename=filename, label=tr("Download PNG"),
                                    mime_type="image/png")


MKBA_HELP = N_(
    "As the MKBA counts it: what each actor spends less than under the first scenario (positive: a benefit), "
    "discounted to the team's start, with the range of the middle 90 percent of runs. Bijstand is a transfer, "
    "so it is the municipality's but not society's; the residents' gains are not in euros. The report has "
    "every budget line.")


PARAMETER_UNCERTAINTY_HELP = N_(
    "Numbers are the mean over all runs; between brackets the range of the middle 90 percent of runs (5 percent "
    "came out lower, 5 percent higher). The runs differ in the model's uncertain parameters (drawn from the calibration's posterior) "
    "and in chance; every scenario gets the same draws, so differences come from the settings.")


@solara.component
def Results(result: Comparison):
    runs = describe_runs(result.replications, result.draws, lang=lang())
    Md("### " + tr("Results: {runs}; {years}, {residents} residents ({seconds} s)").format(
        runs=runs, years=years_words(result.years), residents=lang().number(result.residents),
        seconds=lang().number(result.seconds)))
    if result.draws:
        Md(tr(PARAMETER_UNCERTAINTY_HELP))
    else:
        solara.Warning(tr("Parameters fixed: the intervals show chance only and are far too narrow for a "
                          "decision. Switch on parameter uncertainty for honest odds."), dense=True)
    Md(f"### {tr('How likely is it to pay off?')}\n{decision_markdown(result)}")
    FigureGrid(result, DECISION_FIGURES)
    Md(f"### {tr('Outcomes')}")
    Md(headline_markdown(result))
    Md(f"### {tr('Where do the savings land?')}\n" +
       tr("Costs over the {years} after the team started, per budget holder, compared with **{base}**.").format(
           years=years_words(result.years), base=result.names[0]))
    Md(savings_markdown(result))
    if not result.mkba.empty:
        Md(f"### {tr('Costs and benefits per actor (MKBA)')}\n" + tr(MKBA_HELP))
        Md(mkba_markdown(result))
        FigureGrid(result, (MKBA_FIGURE,))
    with solara.Row():
        solara.FileDownload(lambda: report_bytes(result, lang()), filename="report.html",
                            label=tr("Download the report (HTML, prints to PDF)"), mime_type="text/html")
        solara.FileDownload(result.summary_csv, filename="summary.csv", label=tr("Download the numbers (CSV)"),
                            mime_type="text/csv")
        solara.FileDownload(result.timeseries_csv, filename="timeseries.csv",
                            label=tr("Download the weekly data (CSV)"), mime_type="text/csv")
    FigureGrid(result, FIGURES)


COMPARE_HELP = N_(
    "Pick two to four scenarios, then press **Run comparison**. Each is run many times, with different values "
    "of the model's uncertain parameters and different chance, so you can see how sure the differences are, "
    "and how likely a scenario is to cost less than the first one. The page stays usable while they run.")


@solara.component
def RunSettings(keys: list[str], start):
    """How many runs, how large a wijk, how many years; and the button that starts them."""
    ok = 2 <= len(keys) <= MAX_SCENARIOS
    running = comparison.pending
    solara.Checkbox(label=tr("Include parameter uncertainty (the calibration's posterior)"),
                    value=with_posterior, disabled=not bundled_available())
    if not bundled_available():
        solara.Text(tr("The bundled posterior is missing from this installation."),
                    style="font-size: 12px; color: #a33")
    if with_posterior.value:
        solara.SliderInt(tr("Posterior draws per scenario"), value=draws, min=2, max=24, thumb_label="always")
        Caption(tr("Each draw is a set of the model's uncertain parameters that fits the Dutch statistics; "
                   "more draws give steadier odds."))
    label = tr("Replications per draw") if with_posterior.value else tr("Replications per scenario")
    solara.SliderInt(label, value=replications, min=1, max=10, thumb_label="always")
    Caption(tr("Runs with the same parameters and different chance."))
    solara.Text(tr("Residents in the wijk (fewer is faster)"))
    solara.ToggleButtonsSingle(value=residents, values=list(RESIDENT_CHOICES))
    solara.Text(tr("Years after the team starts"))
    solara.ToggleButtonsSingle(value=years, values=[2, 4, 6, 10])
    per_scenario = replications.value * (draws.value if with_posterior.value else 1)
    runs = len(keys) * per_scenario
    solara.Text(tr("{scenarios} scenario(s) chosen, {runs} runs.").format(scenarios=len(keys), runs=runs),
                style="font-size: 13px")
    if not ok:
        solara.Warning(tr("Choose between 2 and {most} scenarios.").format(most=MAX_SCENARIOS), dense=True)
    solara.Button(tr("Run comparison"), color="primary", on_click=start, disabled=not ok or running)
    if running:
        RunProgress(comparison.progress, tr("of {runs} runs done").format(runs=runs))


@solara.component
def Compare():
    keys = selected.value

    def start():
        model = explore_model.value
        inputs = dict(model.inputs) if model is not None else dict(DEFAULTS)
        n_draws = int(draws.value) if with_posterior.value else 0
        comparison(list(keys), int(replications.value), n_draws, int(residents.value), int(years.value), inputs,
                   language.value)

    with solara.Column(style="padding: 12px; max-width: 1400px"):
        Md(f"## {tr('Compare scenarios')}\n{tr(COMPARE_HELP)}")
        with solara.Columns([3, 2]):
            with solara.Card(tr("Scenarios")):
                ScenarioPicker()
            with solara.Card(tr("Run settings")), solara.Column():
                RunSettings(keys, start)
        if comparison.error:
            solara.Error(tr("The comparison failed: {error}").format(error=comparison.exception))
        elif comparison.value is not None:
            Results(comparison.value)

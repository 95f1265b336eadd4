"""report.html: the comparison as a council reads it, an MKBA in the chosen language.

One self-contained page (figures embedded as data, no scripts, nothing fetched) with a
print stylesheet for A4, so that a browser prints it to PDF. Its sections follow LPBL's
MKBA-tool: the question and the alternatives, costs and benefits per actor (net present
value and the municipality's budget after two years), the balance over time with the
learning curve, the assumptions that matter most, and what the model cannot say.
"""

from __future__ import annotations

import base64
import io
from datetime import date
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure

from model.parameters import parameter_table
from model.scenario import Scenario, ScenarioError

from .decision import break_even_summary, cumulative_balance
from .decision_figures import balance_figure, difference_figure
from .figures import competence_trust_figure, costs_figure, prepare
from .language import Language, chosen
from .mkba import actor_costs, learning_years, mkba_table
from .mkba_figures import actor_figure
from .report import discount_rate
from .sensitivity import DUMMY

SHOWN = 8  # parameters of a sensitivity analysis listed in the report
# the cost prices and rates every MKBA of the model rests on, besides what the posterior fits
KEY_ASSUMPTIONS = ("discount_rate", "cost_fte_year", "cost_week_youth", "cost_week_mental", "cost_week_wmo",
                   "cost_week_debt", "crisis_cost_factor", "cost_eviction_corporation", "cost_bijstand_year")


def figure_data_uri(fig: Figure) -> str:
    """A figure as an embedded PNG (the report loads nothing from elsewhere)."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=110)
    fig.clear()
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def template_environment(lang: Language) -> Environment:
    """The report's template with the language's messages and number formats as filters."""
    env = Environment(loader=PackageLoader("experiments", "templates"), autoescape=select_autoescape(["j2"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(lang.gettext, lambda s, p, n: lang.gettext(s if n == 1 else p), newstyle=True)
    # money never breaks across lines in a table cell
    env.filters.update(money=lambda v, signed=False: lang.money(v, signed=signed).replace(" ", "\u00a0"),
                       percent=lang.percent, number=lang.number, tr=lang.gettext)
    return env


def assumptions(scenarios: list[Scenario], uncertainty) -> list[dict]:
    """The assumptions that matter most: the fitted parameters (with their posterior's spread) and the
    cost prices, each with its value and source from the parameter table."""
    table = parameter_table()
    rows = []
    if uncertainty is not None:
        draws = pd.DataFrame(uncertainty.draws.values)
        for name in draws.columns:
            if name in table:
                rows.append({"name": name, "value": float(draws[name].median()),
                             "low": float(draws[name].quantile(0.05)), "high": float(draws[name].quantile(0.95)),
                             "unit": table[name].unit, "source": table[name].source, "fitted": True})
    values = scenarios[0].parameters
    for name in KEY_ASSUMPTIONS:
        spec = table[name]
        rows.append({"name": name, "value": float(values.get(name, spec.default)), "low": None, "high": None,
                     "unit": spec.unit, "source": spec.source, "fitted": False})
    return rows


def cost_rows(costs: pd.DataFrame) -> list[dict]:
    """The costs per actor as table rows: actor, line, unit and one cell per scenario."""
    rows = []
    for (actor, line, unit), part in costs.groupby(["actor", "line", "unit"], sort=False):
        rows.append({"actor": actor, "line": line, "unit": unit,
                     "cells": part[["mean", "per_resident_mean"]].to_dict("records")})
    return rows


def sensitivity_ranking(directory: Path, output: str = "cost_total", shown: int = SHOWN) -> list[dict]:
    """The parameters that move ``output`` most in a sensitivity analysis's indices.csv (Sobol: total
    index; Morris: mu*; PAWN: median KS statistic), strongest first, each with its source, and the
    noise floor where the analysis has one."""
    indices = pd.read_csv(Path(directory) / "indices.csv")
    measure = next(column for column in ("ST", "mu_star", "median") if column in indices.columns)
    rows = indices[indices["output"] == output].sort_values(measure, ascending=False)
    if rows.empty:
        raise ScenarioError(f"{directory}/indices.csv: no indices for the output {output}")
    table = parameter_table()
    floor = rows.loc[rows["parameter"] == DUMMY, measure]
    ranked = []
    for row in rows[rows["parameter"] != DUMMY].head(shown).itertuples():
        name = str(row.parameter).removeprefix("parameters.")
        spec = table.get(name)
        ranked.append({"name": row.parameter, "index": float(getattr(row, measure)), "measure": measure,
                       "floor": float(floor.iloc[0]) if len(floor) else None,
                       "source": spec.source if spec else "", "unit": spec.unit if spec else ""})
    return ranked


def report_html(timeseries: pd.DataFrame, scenarios: list[Scenario], uncertainty_text: str,
                uncertainty=None, lang: Language | None = None, value_of_information: pd.DataFrame | None = None,
                sensitivity: Path | None = None) -> str:
    """The whole report as one HTML string; for one scenario, its costs per actor without a comparison."""
    lang = chosen(lang)
    rate = discount_rate(scenarios[0])
    compared = len(scenarios) > 1
    mkba = mkba_table(timeseries, rate) if compared else None
    frame, colours = prepare(timeseries)
    horizon = int(timeseries["year"].max()) + 1
    since_start = frame[frame["week"] >= 0]
    figures = {
        "costs": figure_data_uri(costs_figure(frame, colours, lang=lang)),
        "learning": figure_data_uri(competence_trust_figure(since_start, colours, lang=lang)),
    }
    if compared:
        figures.update(actors=figure_data_uri(actor_figure(mkba, lang=lang)),
                       difference=figure_data_uri(difference_figure(timeseries, uncertainty_text, lang=lang)),
                       balance=figure_data_uri(balance_figure(timeseries, uncertainty_text, lang=lang)))
    balance = cumulative_balance(timeseries)
    residents = timeseries[timeseries["week"] >= 0].groupby("scenario", sort=False)["residents"].mean()
    context = {
        "lang": lang, "today": date.today().isoformat(), "scenarios": scenarios, "null": scenarios[0],
        "projects": scenarios[1:], "horizon": horizon, "rate": rate, "uncertainty": uncertainty_text,
        "residents": residents.to_dict(), "mkba": mkba, "costs": cost_rows(actor_costs(timeseries, rate)),
        "break_even": break_even_summary(balance).set_index("scenario") if compared else pd.DataFrame(),
        "learning": learning_years(timeseries), "figures": figures,
        "assumptions": assumptions(scenarios, uncertainty),
        "value_of_information": value_of_information.head(5) if value_of_information is not None else None,
        "sensitivity": sensitivity_ranking(sensitivity) if sensitivity else None,
    }
    return template_environment(lang).get_template("report.html.j2").render(**context)


def write_report(path: Path, html: str) -> Path:
    from .files import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path

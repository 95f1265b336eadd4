"""The model's figures in the units national statistics use, beside the Dutch values.

A timeseries from ``run_scenario`` (weeks from the team's start) becomes one
row per figure: youth-care starts per 1,000 youths a year, Wmo clients per
1,000 residents, spending per resident a year by budget, and so on, each with
the national value of ``../shared/design/evidence.md`` it answers to. The
calibration issue fits these; here they are reported, not fitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from agents.vocabulary import ENTRY_ROUTES

from model.parameters import WEEKS_PER_YEAR

from .language import N_, Language, chosen


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    national: float
    source: str


FIGURES = (
    Figure("youth_entries_per_1000_youths", N_("per 1,000 youths a year"), 64.0, "CBS Jeugdhulp 2021 (L)"),
    Figure("youth_in_care_per_1000_youths", N_("per 1,000 youths (stock)"), 77.0, "CBS Jeugdhulp H1 2021"),
    Figure("youth_gp_share", N_("share of new youth trajectories"), 0.359, "CBS 85096NED 2021"),
    Figure("youth_access_share", N_("share of new youth trajectories"), 0.320, "CBS 85096NED 2021"),
    Figure("youth_court_share", N_("share of new youth trajectories"), 0.091, "CBS 85096NED 2021"),
    Figure("youth_crisis_share", N_("share of new youth trajectories"), float("nan"), "CBS 85097NED (not read)"),
    Figure("wmo_in_care_per_1000", N_("clients per 1,000 residents (stock)"), 72.0, "CBS 86050NED 2024"),
    Figure("mental_in_care_per_1000_adults", N_("per 1,000 adults (stock)"), float("nan"), "no stock figure found"),
    Figure("mental_treated_per_1000_adults", N_("per 1,000 adults a year (stock + entries)"), 66.0,
           "Vektis Factsheet GGZ 2024"),
    Figure("coercive_per_1000_adults", N_("per 1,000 adults a year"), 1.0, "ZonMw Wvggz evaluation"),
    Figure("debt_applications_per_1000_households", N_("per 1,000 households a year"), 9.3, "NVVK 2019-2022"),
    Figure("problematic_debt_share", N_("share of households"), 0.077, "CBS 2020"),
    Figure("problematic_debt_known_share", N_("share of households with problematic debts"), 0.17,
           "CBS 2020: just over 1 in 6 known to (debt) help"),
    Figure("crisis_share", N_("share of second-line entries"), float("nan"), "model brief: crisis starts are few"),
    Figure("spend_youth_per_resident", N_("euros per resident a year"), 307.0, "Jeugdautoriteit 2023; CBS"),
    Figure("spend_wmo_per_resident", N_("euros per resident a year"), 308.0, "CBS 84580NED 2023"),
    Figure("spend_insurer_ggz_per_resident", N_("euros per resident a year"), 210.0, "Zorginstituut 2019"),
    Figure("spend_debt_per_resident", N_("euros per resident a year"), float("nan"), "no national figure found"),
    Figure("evictions_per_1000_corporation_households", N_("per 1,000 corporation households a year"), 0.35,
           "Aedes 2022 (via press): 1,200 evictions, 60-85% for rent arrears"),
    Figure("bijstand_household_share", N_("share of households"), 0.042, "CBS 2023: about 340,000 bijstand households"),
    Figure("ggz_wait_weeks", N_("weeks from referral to treatment (mean)"), 14.1,
           "NZa / Staat van VenZ: basic GGZ Q1 2023, 8.7 weeks to intake + 5.4 to treatment"),
    Figure("debt_wait_weeks", N_("weeks from application to the first appointment (mean)"), 1.6,
           "NVVK: 11 days on average (crisis within 3 working days)"),
    Figure("bijstand_outflow_share", N_("share of bijstand households leaving a year"), 0.20,
           "CBS (Q2 2022): about 20,500 leave bijstand a quarter among about 400,000"),
)


def figure_values(frame: pd.DataFrame, first_year: int = 0) -> dict[str, float]:
    """The model's value of every figure in ``FIGURES``: weekly means over the years from
    ``first_year`` and over replications, in the figure's unit (the names targets files use)."""
    late = frame[frame["year"] >= first_year]
    weekly = late.groupby(["scenario", "replication"], sort=False).mean(numeric_only=True).mean()
    return _figures(weekly)


def replication_figures(frame: pd.DataFrame, first_year: int = 0) -> pd.DataFrame:
    """Every figure per replication (a row each): the spread between them is replication noise."""
    late = frame[frame["year"] >= first_year]
    weekly = late.groupby(["scenario", "replication"], sort=False).mean(numeric_only=True)
    return pd.DataFrame([_figures(row) for _, row in weekly.iterrows()])


def _figures(weekly: pd.Series) -> dict[str, float]:
    """The figures from the weekly means of the timeseries' columns."""
    year = WEEKS_PER_YEAR

    def share(kind: str, route: str) -> float:
        total = sum(weekly[f"entries_{kind}_{r}"] for r in ENTRY_ROUTES)
        return weekly[f"entries_{kind}_{route}"] / total if total else float("nan")

    model = {
        "youth_entries_per_1000_youths": weekly["entries_youth"] * year / weekly["youths"] * 1000,
        "youth_in_care_per_1000_youths": weekly["in_care_youth"] / weekly["youths"] * 1000,
        "youth_gp_share": share("youth", "gp"),
        "youth_access_share": share("youth", "access"),
        "youth_court_share": share("youth", "court"),
        "youth_crisis_share": share("youth", "crisis"),
        "wmo_in_care_per_1000": weekly["in_care_wmo"] / weekly["residents"] * 1000,
        "mental_in_care_per_1000_adults": weekly["in_care_mental"] / weekly["adults"] * 1000,
        "mental_treated_per_1000_adults": (weekly["in_care_mental"] + weekly["entries_mental"] * year)
        / weekly["adults"] * 1000,
        "coercive_per_1000_adults": weekly["crisis_entries_mental"] * year / weekly["adults"] * 1000,
        "debt_applications_per_1000_households": weekly["referrals_debt"] * year / weekly["households"] * 1000,
        "problematic_debt_share": weekly["households_problematic_debt"] / weekly["households"],
        "problematic_debt_known_share": weekly["households_problematic_debt_known"] / weekly["households_problematic_debt"]
        if weekly["households_problematic_debt"] else float("nan"),
        "crisis_share": weekly["crisis_entries"] / weekly["second_line_entries"]
        if weekly["second_line_entries"] else float("nan"),
        "spend_youth_per_resident": weekly["cost_municipality_youth"] * year / weekly["residents"],
        "spend_wmo_per_resident": weekly["cost_municipality_wmo"] * year / weekly["residents"],
        "spend_insurer_ggz_per_resident": (weekly["cost_insurer"] - weekly["cost_insurer_nursing"]) * year
        / weekly["residents"],
        "spend_debt_per_resident": weekly["cost_municipality_debt"] * year / weekly["residents"],
        "evictions_per_1000_corporation_households": weekly["evictions"] * year
        / weekly["corporation_households"] * 1000 if weekly["corporation_households"] else float("nan"),
        # Little's law: the mean wait is the number waiting over the weekly arrivals on the list
        "ggz_wait_weeks": weekly["waiting_mental"] / weekly["referrals_mental"]
        if weekly["referrals_mental"] else float("nan"),
        "debt_wait_weeks": weekly["waiting_debt"] / weekly["referrals_debt"]
        if weekly["referrals_debt"] else float("nan"),
        "bijstand_household_share": weekly["households_bijstand"] / weekly["households"],
        "bijstand_outflow_share": weekly["bijstand_exits"] * year / weekly["households_bijstand"]
        if weekly["households_bijstand"] else float("nan"),
    }
    return {name: float(value) for name, value in model.items()}


def national_figures(frame: pd.DataFrame, first_year: int = 0) -> pd.DataFrame:
    """The model's value of every figure in ``FIGURES`` beside the national one."""
    model = figure_values(frame, first_year)
    return pd.DataFrame([{"figure": f.name, "model": model[f.name], "national": f.national, "unit": f.unit,
                          "source": f.source} for f in FIGURES])


def national_by_scenario(timeseries: pd.DataFrame) -> pd.DataFrame:
    """``national_figures`` for every scenario of a run (after burn-in), stacked."""
    return pd.concat([national_figures(frame).assign(scenario=name)[["scenario", *FIGURE_COLUMNS]]
                      for name, frame in timeseries.groupby("scenario", sort=False)], ignore_index=True)


FIGURE_COLUMNS = ("figure", "model", "national", "unit", "source")


def significant(value: float, tr: Language, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, in the reader's format."""
    if not np.isfinite(value) or value == 0:
        return tr.number(value)
    decimals = max(0, digits - 1 - int(np.floor(np.log10(abs(value)))))
    return tr.number(value, decimals)


def national_text(table: pd.DataFrame, scenario: str, lang: Language | None = None) -> str:
    """One scenario's figures beside the national ones, as printed after a comparison."""
    tr = chosen(lang)
    rows = table[(table["scenario"] == scenario) & table["national"].notna()]
    lines = [tr("{scenario} against national statistics (after burn-in; national figures describe the Netherlands, "
                "where most municipalities work with teams)").format(scenario=scenario),
             f"{tr('figure'):<42} {tr('model'):>9} {tr('national'):>9} {tr('ratio'):>6}  {tr('unit')}"]
    for row in rows.itertuples():
        ratio = row.model / row.national if row.national else float("nan")
        lines.append(f"{row.figure:<42} {significant(row.model, tr):>9} {significant(row.national, tr):>9} "
                     f"{tr.number(ratio, 2):>6}  {tr(row.unit)}")
    return "\n".join(lines)

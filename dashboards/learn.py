"""Learn (for trainers): the learning curve of a new wijkteam, played year by year.

A new team needs two to four years before it works as intended: competence
and integration grow, residents come to trust the team, problems are seen
earlier and fewer residents end up in second-line care. The learning-curve
scenario is run with a few replications and revealed one year at a time,
with high turnover and a large team beside it to show what slows the curve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import solara
import solara.lab
from matplotlib.figure import Figure

from experiments import figures
from experiments.language import N_, Language

from .runs import RESIDENT_CHOICES, run_cached
from .widgets import Caption, Md, PngImage, RunProgress, figure_png, lang, number, tr

MAIN = "learning-curve"
BESIDE = {"high-turnover": N_("with high staff turnover (35% a year)"),
          "large-team": N_("with a large team (12 people)")}
YEARS = 6
# column, title, unit, whether the scale is 0-1
PANELS = (
    ("team_competence", N_("Team competence (deskundigheid)"), N_("0-1"), True),
    ("team_integration", N_("Team integration (teamvorming)"), N_("0-1"), True),
    ("mean_trust", N_("Residents' trust in the team (vertrouwen)"), N_("0-1"), True),
    ("first_contact_severity", N_("Severity at first contact (lower: problems seen earlier)"),
     N_("0-1, 13-week mean"), True),
    ("second_line_entries", N_("Entries into second-line care (tweede lijn)"), N_("per 1,000 residents a year"),
     False),
    ("crisis_entries", N_("Crisis entries (escalaties)"), N_("per 1,000 residents a year"), False),
)

replications = solara.reactive(3)
residents = solara.reactive(2000)
beside = solara.reactive(["high-turnover", "large-team"])


@dataclass
class Curves:
    names: list[str]
    colours: dict[str, str]
    bands: dict[str, pd.DataFrame]  # panel column -> median and 5-95% per scenario and week
    replications: int
    residents: int


def curves_from(timeseries: pd.DataFrame, reps: int, n_residents: int) -> Curves:
    names = [str(n) for n in pd.unique(timeseries["scenario"])]
    frame = timeseries.copy()
    frame["scenario"] = pd.Categorical(frame["scenario"].astype(str), categories=names, ordered=True)
    frame = frame[frame["week"] >= -52].sort_values(["scenario", "replication", "week"]).reset_index(drop=True)
    runs = frame.groupby(["scenario", "replication"], observed=True, sort=False)
    values = {
        "team_competence": frame["team_competence"],
        "team_integration": frame["team_integration"],
        "mean_trust": frame["mean_trust"],
        "first_contact_severity": runs["first_contact_severity"].transform(
            lambda s: s.rolling(13, min_periods=1).mean()),
        "second_line_entries": figures.rolling_rate(frame, "second_line_entries"),
        "crisis_entries": figures.rolling_rate(frame, "crisis_entries"),
    }
    return Curves(names, figures.scenario_colours(names),
                  {column: figures.bands(frame, v) for column, v in values.items()}, reps, n_residents)


@solara.lab.task(prefer_threaded=True)
def learning_runs(keys: list[str], reps: int, n_residents: int) -> Curves:
    timeseries = run_cached(keys, reps, n_residents, YEARS, None,
                            progress=lambda share: setattr(learning_runs, "progress", share))
    return curves_from(timeseries, reps, n_residents)


def learning_figure(curves: Curves, shown_year: int, lang: Language) -> Figure:
    """Six panels, drawn up to the end of ``shown_year``; the 2-4 year window shaded."""
    tr = lang
    fig = Figure(figsize=(13, 7), layout="constrained")
    axes = fig.subplots(2, 3, sharex=True).ravel()
    span = pd.DataFrame({"week": [-52, YEARS * 52]})
    until = shown_year * 52
    for ax, (column, title, unit, unit_scale) in zip(axes, PANELS, strict=True):
        figures.timeline(ax, span, learning_window=True, labels=column == "team_competence", lang=lang)
        summary = curves.bands[column]
        summary = summary[summary.index.get_level_values("week") <= until]
        figures.median_band(ax, summary, curves.colours)
        ax.set_title(tr(title), fontsize=10, loc="left")
        ax.set_ylabel(tr(unit), fontsize=9)
        if unit_scale:
            ax.set_ylim(0, 1.05)
        else:
            top = curves.bands[column][["median", "high"]].to_numpy(dtype=float)
            ax.set_ylim(0, np.nanmax(top) * 1.15 if np.isfinite(top).any() else 1)
        if until < YEARS * 52:
            ax.axvline(shown_year, color="black", lw=1.2)
    for ax in axes[3:]:
        ax.set_xlabel(tr("years since the wijkteam started"))
    figures.scenario_legend(fig, curves.colours, lang=lang)
    fig.suptitle(tr("The first {years} year(s) of a new wijkteam").format(years=shown_year) if shown_year else
                 tr("Before the wijkteam starts"), fontsize=13)
    return fig


def year_table(curves: Curves, shown_year: int) -> str:
    """Median values at the end of the shown year, per scenario (markdown)."""
    week = min(shown_year * 52, YEARS * 52) - 1 if shown_year else -1
    when = tr("At the end of year {year}").format(year=shown_year) if shown_year else tr("At the end of the burn-in")
    head = f"| {when} | " + " | ".join(curves.names) + " |"
    rows = [head, "|---|" + "---|" * len(curves.names)]
    for column, title, _, _ in PANELS:
        summary = curves.bands[column]["median"]
        cells = []
        for name in curves.names:
            try:
                value = summary.loc[(name, week)]
            except KeyError:
                value = np.nan
            cells.append(number(float(value), 2))
        rows.append(f"| {tr(title)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


@solara.component
def LearnFigure(curves: Curves, shown_year: int):
    code = lang().code
    png = solara.use_memo(lambda: figure_png(learning_figure(curves, shown_year, Language(code)), dpi=72),
                          [id(curves), shown_year, code])
    PngImage(png)


LEARN_HELP = N_(
    "A new wijkteam does not work well from day one. In the field, teams say it takes **two to four years** "
    "(the shaded window) before the professionals know each other's work, residents trust them and problems "
    "are seen early, while residents can still use their own strength (*eigen kracht*). Run the curve, then "
    "play it year by year and watch competence, integration and trust rise while the severity at first "
    "contact and the escalations to second-line care (*tweede lijn*) bend down. Beside it: what staff "
    "turnover or a too-large team does to the curve.")


@solara.component
def LearnSettings(start, running: bool):
    """Which scenarios go beside the curve, how many replications, how large a wijk."""
    def toggle(key, on):
        keys = [k for k in beside.value if k != key]
        beside.value = keys + [key] if on else keys

    with solara.Card(tr("Settings")):
        with solara.Row(style="align-items: center; flex-wrap: wrap"):
            for key, label in BESIDE.items():
                solara.Checkbox(label=tr("Show {key} beside it ({what})").format(key=key, what=tr(label)),
                                value=key in beside.value, on_value=lambda on, key=key: toggle(key, on))
        with solara.Row(style="align-items: center; flex-wrap: wrap"):
            with solara.Column(style="min-width: 280px"):
                solara.SliderInt(tr("Replications"), value=replications, min=1, max=10, thumb_label="always")
                Caption(tr("Runs of each scenario with different chance; more give steadier lines."))
            solara.Text(tr("Residents:"))
            solara.ToggleButtonsSingle(value=residents, values=list(RESIDENT_CHOICES))
            solara.Button(tr("Run the learning curve"), color="primary", on_click=start, disabled=running)
        if running:
            RunProgress(learning_runs.progress, tr("done"))


@solara.component
def Learn():
    running = learning_runs.pending
    # component state, not module reactives: the play thread can update it (as in Mesa's controller)
    year = solara.use_reactive(YEARS)
    playing = solara.use_reactive(False)

    def play_years():
        """Advance the year every 1.5 s while playing."""
        while playing.value and year.value < YEARS:
            time.sleep(1.5)
            if not playing.value:
                return
            year.value = year.value + 1
        playing.value = False

    solara.lab.use_task(play_years, dependencies=[playing.value], prefer_threaded=True)

    def start():
        keys = [MAIN] + [k for k in BESIDE if k in beside.value]
        year.value = YEARS
        learning_runs(keys, int(replications.value), int(residents.value))

    def play():
        if year.value >= YEARS:
            year.value = 0
        playing.value = True

    with solara.Column(style="padding: 12px; max-width: 1400px"):
        Md(f"## {tr('Learn: the learning curve of a new wijkteam')}\n{tr(LEARN_HELP)}")
        LearnSettings(start, running)
        if learning_runs.error:
            solara.Error(tr("The runs failed: {error}").format(error=learning_runs.exception))
        curves = learning_runs.value
        if curves is None:
            return
        with solara.Row(style="align-items: center"):
            if playing.value:
                solara.Button(tr("❚❚ Pause"), on_click=lambda: playing.set(False), color="primary", outlined=True)
            else:
                solara.Button(tr("▶ Play year by year"), on_click=play, color="primary", outlined=True)
            with solara.Column(style="min-width: 360px"):
                solara.SliderInt(tr("Year"), value=year, min=0, max=YEARS, thumb_label="always",
                                 tick_labels="end_points")
            shown = (tr("Showing year {year} of {years}").format(year=year.value, years=YEARS) if year.value
                     else tr("Showing the burn-in (no team yet)"))
            solara.Text(shown, style="font-weight: 500")
        LearnFigure(curves, year.value)
        Md(year_table(curves, year.value))
        Md(tr("Lines: median of {replications} replication(s) with {residents} residents; bands: the middle 90 "
              "percent of replications. Rates are over the past 52 weeks.").format(
            replications=curves.replications, residents=lang().number(curves.residents)))

"""Explore: one run of the model, played week by week.

The view is put together from Mesa's visualisation pieces (``ComponentsView``, the
draggable grid of figures, and ``update_counter``/``force_update``) with its own
controls instead of ``SolaraViz``'s: those are English only, have no room for units
or help, and show technical settings (play and render interval, threads, a "Page 0"
tab) that policy makers do not need. Those settings stay behind the Advanced switch.

The model lives in a per-browser-session reactive, so switching to Compare
or Learn and back keeps the run, and Compare can run "your settings".
"""

from __future__ import annotations

import threading
import time
import traceback

import solara
from mesa.visualization.solara_viz import ComponentsView
from mesa.visualization.utils import force_update, update_counter

from experiments.language import N_

from .dashboard_model import CHECKBOXES, MANDATE_LABELS, SELECTS, SLIDERS, DashboardModel
from .drawing import live_figures, situation_counts
from .widgets import Caption, Md, PngImage, advanced, lang, tr

explore_model = solara.reactive(None)  # the Explore run of this browser session

PLAY_INTERVAL_MS = 50  # pause between two weeks while playing (Advanced can change it)

# The inputs in the order a municipality thinks about a team: who, how, with what mandate, then the wijk.
INPUT_ORDER = ("community", "individual", "care", "hours_in_wijk", "mandate", "specialist_agreements",
               "duo_visits", "turnover_per_year", "volunteer_share", "residents", "seed")
PERCENT = ("turnover_per_year", "volunteer_share")  # shares, shown as whole percentages
UNITS = {
    "community": N_("people"),
    "individual": N_("people"),
    "care": N_("people"),
    "hours_in_wijk": N_("hours a week per professional"),
    "turnover_per_year": N_("percent of the team a year"),
    "volunteer_share": N_("percent of adult residents"),
    "residents": N_("residents"),
    "seed": N_("(a whole number, 0-999)"),
}
INPUT_HELP = {
    "community": N_("Community workers (opbouwwerk) build the network and residents' own strength "
                    "(eigen kracht); they take no cases."),
    "individual": N_("Professionals for individual support: debts, parenting, housing, work and income."),
    "care": N_("Care professionals (wijkverpleging) for care and health at home."),
    "hours_in_wijk": N_("Hours in the team and the wijk: meetings, partners, home visits and being seen "
                        "at the school and the community centre. Below about 24 little time is left to be seen."),
    "mandate": N_("Who decides on customised support (Wmo-maatwerk) and referrals to second-line care."),
    "specialist_agreements": N_("Agreements with second-line care on consultation, referral and stepping "
                                "back down to the team."),
    "duo_visits": N_("Two professionals make the home visit together and learn from each other."),
    "turnover_per_year": N_("The share of the team leaving each year; a newcomer starts the learning curve again."),
    "volunteer_share": N_("Residents who volunteer, coordinated by the community workers."),
    "residents": N_("The size of the wijk; a larger wijk plays more slowly."),
    "seed": N_("Chance in the model: the same number gives the same run."),
}

HELP = N_("""
**How to use.** Set up a wijkteam with the settings below, press **Reset** to build it,
then **▶** (play), **❚❚** (pause) or **Step** (one week).
Each run first simulates twenty years without a team (the *burn-in*: the municipal
desk and the GP only), so play starts on the day the wijkteam starts; the weeks count
from then on, for ten years.

- **Team size per kind**: community workers (opbouwwerk) build the network and
  *eigen kracht* (residents' own strength); individual support and care
  professionals take cases.
- **Hours in the wijk**: each professional's hours in the team and the wijk
  (team meetings, partners, home visits, and time out on the streets, at the
  school and the community centre, where residents get to know and trust the
  team). Below about 24, meetings and cases leave little time to be seen.
- **Mandate (mandaat)**: {mandates}.
- **Agreements with specialists**: consultation, referral and stepping down from
  second-line care (*tweede lijn*: youth care, GGZ, Wmo, debt counselling, work and income).
- **Turnover**: the share of the team leaving each year; a newcomer starts the
  learning curve again. **Duo home visits**: two professionals learn from each other.
- **Volunteers (vrijwilligers)**: the share of adult residents who volunteer,
  coordinated by the community workers.
- **Residents** and **random seed**: the size of the wijk; the same seed gives the same run.
- **Advanced** shows the technical settings: the pause between weeks while playing,
  drawing every few weeks to play faster, threads, and the page tabs of the figures.

The map colours each square by the most worrying situation among its households.
The figures can be moved and resized by dragging.
""")


# --- the figures ----------------------------------------------------------------------------------------------

@solara.component
def MapView(model):
    update_counter.get()
    if model.team is None:
        title = tr("The wijk, before the team starts")
    else:
        title = tr("The wijk, week {week} since the wijkteam started").format(week=model.week)
    with solara.Column(gap="0px"):
        solara.Text(title, style="font-weight: 500; font-size: 14px")
        PngImage(live_figures(model, lang())["map"].png(model))


def plot_view(name: str):
    @solara.component
    def PlotView(model):
        update_counter.get()
        PngImage(live_figures(model, lang())[name].png(model))

    PlotView.__name__ = f"Plot_{name}"
    return PlotView


PLOT_VIEWS = [plot_view(name) for name in ("second_line", "caseload", "competence_trust", "hours", "costs")]


# --- the controls ------------------------------------------------------------------------------------------

@solara.component
def Controller(model, parameters, play_interval, render_interval, use_threads):
    """Reset, play/pause and step, as Mesa's ModelController does, with buttons in the reader's language.

    With ``use_threads`` the figures are drawn in a thread of their own while the model steps on."""
    playing = solara.use_reactive(False)
    running = solara.use_reactive(True)
    error = solara.use_reactive(None)
    drawn = solara.use_memo(threading.Event, [])

    def advance():
        for _ in range(render_interval.value):
            model.value.step()
            running.value = model.value.running
            if not running.value:
                break

    def step_once():
        advance()
        force_update()

    def play():
        try:
            while playing.value and running.value:
                time.sleep(play_interval.value / 1000)
                advance()
                if use_threads.value:
                    drawn.set()
                else:
                    force_update()
        except Exception as exc:  # shown in the sidebar rather than lost in the server's log
            error.value = str(exc)
            traceback.print_exc()

    def draw_while_playing():
        while use_threads.value and playing.value and running.value:
            if drawn.wait(timeout=0.5):
                drawn.clear()
                force_update()

    solara.lab.use_task(play, dependencies=[playing.value, running.value], prefer_threaded=True)
    solara.use_thread(draw_while_playing, dependencies=[playing.value, running.value, use_threads.value])

    def reset():
        playing.value = False
        error.value = None
        model.value = DashboardModel(**parameters.value)
        running.value = True

    with solara.Row(justify="space-between"):
        solara.Button(tr("Reset"), color="primary", on_click=reset)
        solara.Button("▶" if not playing.value else "❚❚", color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=not running.value)
        solara.Button(tr("Step"), color="primary", on_click=step_once, disabled=playing.value or not running.value)
    if error.value:
        solara.Error(tr("The run stopped: {error}").format(error=error.value))


@solara.component
def TechnicalSlider(label: str, value, low: int, high: int, step: int, help_text: str):
    """A slider of Advanced under its label and value, as the team settings are laid out."""
    with solara.Column(gap="0px", classes=["wt-input"]):
        solara.Text(f"{label}: {lang().number(value.value)}", style="font-size: 14px; font-weight: 500")
        solara.SliderInt("", value=value, min=low, max=high, step=step, thumb_label=False)
        Caption(help_text)


@solara.component
def AdvancedSettings(play_interval, render_interval, use_threads):
    """The technical settings of playing (Mesa's own controls), shown only with Advanced on."""
    TechnicalSlider(tr("Play Interval (ms)"), play_interval, 10, 500, 10,
                    tr("The pause between two weeks while playing."))
    TechnicalSlider(tr("Render Interval (steps)"), render_interval, 1, 100, 2,
                    tr("Draw the figures every so many weeks, to play faster; Step goes as many weeks."))
    solara.Checkbox(label=tr("Use Threads"), value=use_threads)
    Caption(tr("Draw the figures in a thread of their own while the model steps on."))


def slider_heading(name: str, value) -> str:
    """A slider's label, value and unit in words: "Hours in the wijk: 24 hours a week per professional"."""
    shown = round(value * 100) if name in PERCENT else value
    return tr("{label}: {value} {unit}").format(label=tr(SLIDERS[name][5]), value=lang().number(shown),
                                                unit=tr(UNITS[name]))


@solara.component
def SliderInput(name: str, value, on_value):
    """One slider under its label, value and unit, with a line of help; shares move in whole percentages."""
    _, default, low, high, step, _ = SLIDERS[name]
    with solara.Column(gap="0px", classes=["wt-input"]):
        solara.Text(slider_heading(name, value), style="font-size: 14px; font-weight: 500")
        if name in PERCENT:
            solara.SliderInt("", value=round(value * 100), min=round(low * 100), max=round(high * 100),
                             step=round(step * 100), on_value=lambda v: on_value(v / 100), thumb_label=False)
        elif isinstance(default, int):
            solara.SliderInt("", value=int(value), min=int(low), max=int(high), step=int(step), on_value=on_value,
                             thumb_label=False)
        else:
            solara.SliderFloat("", value=float(value), min=low, max=high, step=step, on_value=on_value,
                               thumb_label=False)
        Caption(tr(INPUT_HELP[name]))


@solara.component
def MandateInput(value: str, on_value):
    """The mandate as a choice of translated descriptions."""
    choices = SELECTS["mandate"][2]
    texts = {code: tr(MANDATE_LABELS[code]) for code in choices}
    codes = {text: code for code, text in texts.items()}
    solara.Select(tr(SELECTS["mandate"][3]), values=list(texts.values()), value=texts[value],
                  on_value=lambda text: on_value(codes[text]))
    Caption(tr(INPUT_HELP["mandate"]))


@solara.component
def TeamSettings(parameters):
    """The settings Reset builds the next run from, each with its unit and help."""
    def change(name, value):
        parameters.value = {**parameters.value, name: value}

    for name in INPUT_ORDER:
        on_value = lambda value, name=name: change(name, value)  # noqa: E731
        if name in SLIDERS:
            SliderInput(name, parameters.value[name], on_value)
        elif name in CHECKBOXES:
            solara.Checkbox(label=tr(CHECKBOXES[name][2]), value=parameters.value[name], on_value=on_value)
            Caption(tr(INPUT_HELP[name]))
        else:
            MandateInput(parameters.value[name], on_value)


@solara.component
def ThisWeek(model):
    """The numbers behind the map, in words."""
    update_counter.get()
    if model.team is None:
        team = tr("no team yet")
    else:
        team = tr("a team of {size}").format(size=model.team.size)
    solara.Text(tr("Week {week} since the wijkteam started, {team}.").format(week=model.week, team=team),
                style="font-weight: 500")
    counts = situation_counts(model)
    words = "; ".join(f"{tr(label)} {lang().number(n)}" for label, n in counts.items())
    Caption(tr("Residents: {counts}.").format(counts=words))


# The team settings: the slider close under its heading, some room before the next one.
SIDEBAR_CSS = """
.wt-input { margin-bottom: 14px; }
.wt-input .v-input--slider { margin-top: 0px; }
.wt-input .v-input--slider .v-messages { display: none; }
.v-navigation-drawer .v-input--selection-controls { margin-top: 4px; padding-top: 0; }
.v-navigation-drawer .v-input--selection-controls .v-messages { display: none; }
"""
# Without Advanced, the figures' page tabs ("Page 0") are hidden: there is only one page.
HIDE_PAGE_TABS_CSS = ".wt-views .v-tabs { display: none !important; }"


@solara.component
def Explore():
    if explore_model.value is None:
        explore_model.value = DashboardModel()
    parameters = solara.use_reactive(dict(explore_model.value.inputs))  # the sliders show what is running
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    model = explore_model.value

    solara.Style(SIDEBAR_CSS if advanced.value else SIDEBAR_CSS + HIDE_PAGE_TABS_CSS)
    with solara.Sidebar(), solara.Column():
        with solara.Card(tr("Run")):
            Controller(explore_model, parameters, play_interval, render_interval, use_threads)
            solara.Switch(label=tr("Advanced"), value=advanced)
            if advanced.value:
                AdvancedSettings(play_interval, render_interval, use_threads)
        with solara.Card(tr("This week in the wijk")):
            ThisWeek(model)
            Caption(tr("▶ plays week by week; Reset builds a new run with the settings below."))
            with solara.Details(tr("More help")):
                mandates = "; ".join(tr(text) for text in MANDATE_LABELS.values())
                Md(tr(HELP).format(mandates=mandates), style="font-size: 13px")
        with solara.Card(tr("Settings of the wijkteam")):
            TeamSettings(parameters)
    with solara.Column(classes=["wt-views"]):
        ComponentsView([MapView, *PLOT_VIEWS], model)

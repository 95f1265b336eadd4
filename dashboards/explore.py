"""Explore: one run of the model, played week by week in Mesa's SolaraViz.

The model lives in a per-browser-session reactive, so switching to Compare
or Learn and back keeps the run, and Compare can run "your settings".
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from .dashboard_model import CHECKBOXES, MANDATE_LABELS, SELECTS, SLIDERS, DashboardModel
from .drawing import live_figures, situation_counts
from .widgets import Md, PngImage

explore_model = solara.reactive(None)  # the Explore run of this browser session

HELP = f"""
**How to use.** Set up a wijkteam with the sliders, press **Reset** to build it,
then **▶** (play), **❚❚** (pause) or **Step** (one week).
Each run first simulates twenty years without a team (the *burn-in*: the municipal
desk and the GP only), so play starts on the day the wijkteam starts; *Time* counts
weeks since then, for ten years.

- **Team size per kind**: community workers (opbouwwerk) build the network and
  *eigen kracht* (residents' own strength); individual support and care
  professionals take cases.
- **Hours in the wijk**: each professional's hours in the team and the wijk
  (team meetings, partners, home visits, and time out on the streets, at the
  school and the community centre, where residents get to know and trust the
  team). Below about 24, meetings and cases leave little time to be seen.
- **Mandate (mandaat)**: {'; '.join(MANDATE_LABELS.values())}.
- **Agreements with specialists**: consultation, referral and stepping down from
  second-line care (*tweede lijn*: youth care, GGZ, Wmo, debt counselling, work and income).
- **Turnover**: the share of the team leaving each year; a newcomer starts the
  learning curve again. **Duo home visits**: two professionals learn from each other.
- **Volunteers (vrijwilligers)**: the share of adult residents who volunteer,
  coordinated by the community workers.
- **Residents** and **random seed**: the size of the wijk; the same seed gives the same run.
- **Render Interval**: draw every N weeks, to play faster.

The map colours each square by the most worrying situation among its households.
"""


def model_params(inputs: dict) -> dict:
    """SolaraViz inputs, starting from the current run's settings (so the sliders show what is running)."""
    params = {}
    for name, (_, _, low, high, step, label) in SLIDERS.items():
        kind = "SliderInt" if isinstance(SLIDERS[name][1], int) else "SliderFloat"
        params[name] = {"type": kind, "label": label, "value": inputs[name], "min": low, "max": high, "step": step}
    for name, (_, _, choices, label) in SELECTS.items():
        params[name] = {"type": "Select", "label": label, "value": inputs[name], "values": list(choices)}
    for name, (_, _, label) in CHECKBOXES.items():
        params[name] = {"type": "Checkbox", "label": label, "value": inputs[name]}
    return params


@solara.component
def MapView(model):
    update_counter.get()
    team = "before the team starts" if model.team is None else f"week {model.week} since the wijkteam started"
    with solara.Column(gap="0px"):
        solara.Text(f"The wijk, {team}", style="font-weight: 500; font-size: 14px")
        PngImage(live_figures(model)["map"].png(model))


@solara.component
def ThisWeek(model):
    """The numbers behind the map, in words."""
    update_counter.get()
    team = "no team yet" if model.team is None else f"a team of {model.team.size}"
    solara.Text(f"Week {model.week} since the wijkteam started, {team}.", style="font-weight: 500")
    counts = situation_counts(model)
    solara.Text("Residents: " + "; ".join(f"{label} {n:,}" for label, n in counts.items()) + ".",
                style="font-size: 12px; color: #555")


def plot_view(name: str):
    @solara.component
    def PlotView(model):
        update_counter.get()
        PngImage(live_figures(model)[name].png(model))

    PlotView.__name__ = f"Plot_{name}"
    return PlotView


PLOT_VIEWS = [plot_view(name) for name in ("second_line", "caseload", "competence_trust", "hours", "costs")]


@solara.component
def Explore():
    if explore_model.value is None:
        explore_model.value = DashboardModel()
    params = solara.use_memo(lambda: model_params(explore_model.value.inputs), [])
    SolaraViz(explore_model, components=[MapView, *PLOT_VIEWS], model_params=params,
              name="Wijkteam simulator", play_interval=50)
    ExploreSidebar(explore_model.value)


# Show each slider's value at all times (Vuetify only shows it while dragging).
SLIDER_VALUES_CSS = """
.v-navigation-drawer .v-slider__thumb-container .v-slider__thumb-label-container { display: block !important; }
.v-navigation-drawer .v-slider__thumb-container .v-slider__thumb-label {
    display: flex !important;
    transform: translateY(-20%) translateY(-12px) translateX(-50%) rotate(45deg) scale(0.8) !important; }
.v-navigation-drawer .v-input--slider { margin-top: 18px; }
"""


@solara.component
def ExploreSidebar(model):
    """The numbers of this week and the help, below SolaraViz's controls in the sidebar."""
    solara.Style(SLIDER_VALUES_CSS)
    with solara.Sidebar():
        with solara.Card("This week in the wijk"):
            ThisWeek(model)
            solara.Text("▶ plays week by week; Reset builds a new run with the settings below.",
                        style="font-size: 13px")
            with solara.Details("More help"):
                Md(HELP, style="font-size: 13px")

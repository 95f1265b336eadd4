"""The model as the Explore view builds it: keyword parameters, bounded, burn-in done up front.

Mesa's SolaraViz rebuilds the model on Reset as ``type(model)(**params)``, so
every input is a keyword of ``DashboardModel.__init__``. Values are clamped to
the ranges in ``SLIDERS`` (which lie inside the scenario schema's bounds), so
nothing a user can set reaches the model out of range. The inputs start at the
recommended scenario's values (``scenarios/recommended.toml``, read here, not
copied), in a wijk of 5,000 residents.

The burn-in (the traditional regime before the team starts) runs inside
``__init__`` without advancing Mesa's clock: Play starts at week 0, the day
the wijkteam starts, and the clock then counts weeks since that day.
"""

from __future__ import annotations

import math
from typing import Any

import scenarios
from model import WijkteamModel, load_scenario
from experiments.language import N_
from model.scenario import MANDATES

SCENARIOS_DIR = scenarios.directory()  # the bundled scenarios, also when installed as a package
BASE_SCENARIO = SCENARIOS_DIR / "recommended.toml"
# The Explore view starts from the recommended scenario, in a smaller wijk: a week of 5,000
# residents steps within the view's 100 ms budget (make bench). Every other starting value is
# the recommended scenario's, read from its file.
START_OVERRIDES = {"neighbourhood.residents": 5000}
START = load_scenario(BASE_SCENARIO, overrides=START_OVERRIDES)

# name -> (scenario key, low, high, step, label). The low/high lie inside SCHEMA's bounds
# (checked in tests) but are narrower where the schema allows more than makes sense on a slider.
# Labels are English, marked with N_ and translated where they are shown.
_SLIDER_RANGES: dict[str, tuple[str, float, float, float, str]] = {
    "community": ("team.community", 0, 10, 1, N_("Community workers")),
    "individual": ("team.individual", 0, 10, 1, N_("Individual support")),
    "care": ("team.care", 0, 10, 1, N_("Care workers")),
    "hours_in_wijk": ("team.hours_in_wijk", 0.0, 32.0, 2.0, N_("Hours in the wijk")),
    "turnover_per_year": ("team.turnover_per_year", 0.0, 0.6, 0.05, N_("Turnover per year")),
    "volunteer_share": ("volunteers.share", 0.0, 0.2, 0.01, N_("Volunteers")),
    "residents": ("neighbourhood.residents", 1000, 20000, 500, N_("Size of the wijk")),
    "seed": ("run.seed", 0, 999, 1, N_("Random seed")),
}
# The same with the starting value from START: name -> (scenario key, default, low, high, step, label).
SLIDERS: dict[str, tuple[str, Any, float, float, float, str]] = {
    name: (key, START[key], low, high, step, label) for name, (key, low, high, step, label) in _SLIDER_RANGES.items()
}
CHECKBOXES: dict[str, tuple[str, bool, str]] = {
    "duo_visits": ("team.duo_visits", START["team.duo_visits"], N_("Duo home visits")),
    "specialist_agreements": ("team.specialist_agreements", START["team.specialist_agreements"],
                              N_("Agreements with specialists")),
}
MANDATE_LABELS = {"none": N_("none: the municipal desk decides"),
                  "derived": N_("derived: the team decides, Wmo consultant in the team"),
                  "full": N_("full: the team decides on everything")}
SELECTS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "mandate": ("team.mandate", START["team.mandate"], MANDATES, N_("Mandate (mandaat)")),
}
DEFAULTS: dict[str, Any] = {
    **{name: spec[1] for name, spec in SLIDERS.items()},
    **{name: spec[1] for name, spec in CHECKBOXES.items()},
    **{name: spec[1] for name, spec in SELECTS.items()},
}

def clamp_inputs(values: dict[str, Any]) -> dict[str, Any]:
    """Inputs of any type to valid values: numbers clamped into range, anything unusable to its default."""
    out = dict(DEFAULTS)
    for name, value in values.items():
        if name in SLIDERS:
            _, default, low, high, _, _ = SLIDERS[name]
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            if not math.isfinite(number):
                continue
            number = min(max(number, low), high)
            out[name] = int(round(number)) if isinstance(default, int) else number
        elif name in CHECKBOXES:
            out[name] = bool(value)
        elif name in SELECTS:
            out[name] = value if value in SELECTS[name][2] else SELECTS[name][1]
    return out


def scenario_overrides(values: dict[str, Any]) -> dict[str, Any]:
    """Dashboard inputs as dotted scenario overrides (after clamping)."""
    values = clamp_inputs(values)
    keys = {name: spec[0] for name, spec in (*SLIDERS.items(), *CHECKBOXES.items(), *SELECTS.items())}
    overrides = {keys[name]: value for name, value in values.items()}
    overrides["name"] = "your settings"
    overrides["description"] = "The settings chosen in the Explore view."
    return overrides


def dashboard_scenario(values: dict[str, Any]):
    """The recommended scenario with the dashboard inputs applied."""
    return load_scenario(BASE_SCENARIO, overrides=scenario_overrides(values))


class DashboardModel(WijkteamModel):
    """WijkteamModel built from bounded keyword inputs, with the burn-in already run."""

    def __init__(self, community=DEFAULTS["community"], individual=DEFAULTS["individual"], care=DEFAULTS["care"],
                 hours_in_wijk=DEFAULTS["hours_in_wijk"], mandate=DEFAULTS["mandate"],
                 turnover_per_year=DEFAULTS["turnover_per_year"], duo_visits=DEFAULTS["duo_visits"],
                 specialist_agreements=DEFAULTS["specialist_agreements"],
                 volunteer_share=DEFAULTS["volunteer_share"], residents=DEFAULTS["residents"],
                 seed=DEFAULTS["seed"]):
        self.inputs = clamp_inputs(dict(
            community=community, individual=individual, care=care, hours_in_wijk=hours_in_wijk,
            mandate=mandate, turnover_per_year=turnover_per_year, duo_visits=duo_visits,
            specialist_agreements=specialist_agreements, volunteer_share=volunteer_share,
            residents=residents, seed=seed,
        ))
        super().__init__(dashboard_scenario(self.inputs), rng=self.inputs["seed"])
        self.run_burn_in()  # Mesa's clock stays at 0: Play starts where the team starts

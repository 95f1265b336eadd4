"""WijkteamModel: residents, volunteers, a wijkteam and specialists on a grid.

One step is one week. The run starts with a burn-in under the traditional
regime (municipal desk and GP, no team) so the problem distribution settles;
at week 0 the team starts (if the scenario has one) and the outputs are
measured against that settled state.

The week is a fixed sequence of the modules' phases (``WEEK``); each module
owns one mechanism (model/modules/, docs/ODD.md) and reports its own results.
"""

from __future__ import annotations

import pickle

import numpy as np
from mesa import Model

from agents.resident import ResidentAgent

from .modules import (
    Access,
    Casework,
    Costs,
    Demography,
    Housing,
    IncomeSupport,
    Presence,
    Problems,
    SecondLine,
    Team,
    Volunteers,
)
from .neighbourhood import Neighbourhood
from .parameters import WEEKS_PER_YEAR, Parameters, default_parameters
from .recorder import Recorder
from .residents import Residents
from .scenario import Scenario, load_scenario

STREAMS = ("init", "demography", "events", "contacts", "team", "volunteers", "walk", "second_line", "housing")

# The week, in order: (module, phase). A phase of the team is skipped while there is none.
WEEK = (
    ("demography", "move"),  # households move out, newcomers in
    ("problems", "begin_week"),  # life events; the week's worst severity and self-recovery
    ("team", "plan_week"),  # each member splits the contract hours
    ("presence", "step"),  # walks, the presence map, familiarity and trust
    ("access", "step"),  # the GP; first contacts to the desk (no team) or the team; applications
    ("casework", "step"),  # intake, provision decisions, help, referral
    ("volunteers", "step"),  # hours, matches, groups, one-off tasks, drop-out
    ("second_line", "treat"),  # specialists' help to their clients
    ("problems", "progress"),  # worsening, spill-over and all relief at once
    ("second_line", "step"),  # crises, ends, stepping down, lighter care, admissions
    ("housing", "evict"),  # evictions of corporation tenants with severe arrears nobody helps with
    ("income", "update"),  # households going on and off bijstand
    ("casework", "close_and_follow_up"),  # resolved cases end, returning problems picked up
    ("team", "learn_and_turn_over"),  # competence, integration, social map; overload, leavers
)
# whose results make up the week's outputs (the costs last: they read the others)
REPORTING = ("demography", "problems", "presence", "access", "casework", "volunteers", "second_line", "housing",
             "income", "costs")


def burn_in_settings(scenario: Scenario) -> tuple:
    """What the weeks before the team's start read from a scenario: everything but its name,
    its description and its team (the team starts at week 0). Scenarios with equal burn-in
    settings and the same seed live through the same burn-in."""
    return tuple(sorted((key, repr(value)) for key, value in scenario.values.items()
                        if key not in ("name", "description") and not key.startswith("team.")))


def seed_sequence(rng) -> np.random.SeedSequence:
    """One root SeedSequence from whatever the caller passed as ``rng``."""
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(2**63)))
    return np.random.SeedSequence(rng)


class WijkteamModel(Model):
    """The wijkteam model. ``scenario`` is a loaded scenario (or None for defaults)."""

    def __init__(self, scenario: Scenario | None = None, rng=None):
        root = seed_sequence(rng)
        super().__init__(rng=int(root.generate_state(1)[0]))
        self.settings = s = scenario if scenario is not None else load_scenario()
        values = default_parameters()
        values.update(s.parameters)
        self.params = p = Parameters(values)
        for name, seq in zip(STREAMS, root.spawn(len(STREAMS)), strict=True):
            setattr(self, f"rng_{name}", np.random.default_rng(seq))

        self.burn_in_weeks = s["run.burn_in_weeks"]
        self.horizon_weeks = WEEKS_PER_YEAR * s["run.years"]
        self.week = -self.burn_in_weeks

        n = s["neighbourhood.residents"]
        n_households = max(1, int(round(n / p.household_size)))
        self.neighbourhood = Neighbourhood(
            s["neighbourhood.width"], s["neighbourhood.height"], n_households, p, self.random, self.rng_init
        )
        self.grid = self.neighbourhood.grid
        self.residents = Residents(n, self.neighbourhood.household_cells, self.rng_init)
        self.problems = Problems(self)
        self.demography = Demography(self, self.rng_init)
        # a row keeps its dwelling for good (newcomers take the slot), so its cell never changes
        self.resident_cells = self.neighbourhood.household_flat[self.residents.household]
        self.resident_agents = [
            ResidentAgent(self, row, self.neighbourhood.cell_at(x, y))
            for row, (x, y) in enumerate(zip(self.residents.x, self.residents.y, strict=True))
        ]
        self.second_line = SecondLine(self)
        self.volunteers = Volunteers(self)
        self.presence = Presence(self)
        self.access = Access(self)
        self.casework = Casework(self)
        self.housing = Housing(self)
        self.income = IncomeSupport(self)
        self.costs = Costs(self)
        self.team: Team | None = None  # starts at week 0
        self.recorder = Recorder(self.week, self.burn_in_weeks + self.horizon_weeks)
        self.running = True

    @property
    def specialists(self):
        return self.second_line.specialists

    @property
    def team_active(self) -> bool:
        return self.team is not None

    def _start_team_if_due(self) -> None:
        s = self.settings
        if self.week == 0 and self.team is None and s["team.community"] + s["team.individual"] + s["team.care"] > 0:
            self.team = Team(self)

    # -- the week ---------------------------------------------------------------

    def step(self) -> None:
        """One week (Mesa wraps this to advance its clock)."""
        self.run_week()

    def run_week(self) -> None:
        """Every module's phases in the order of ``WEEK``, then the week's outputs."""
        self._start_team_if_due()
        modules = [getattr(self, name) for name in (*REPORTING, "team") if getattr(self, name) is not None]
        for module in modules:
            module.start_week()
        for name, phase in WEEK:
            module = getattr(self, name)
            if module is not None:
                getattr(module, phase)()
        self.recorder.record(self.outputs())
        self.week += 1
        if self.week >= self.horizon_weeks:
            self.running = False

    def outputs(self) -> dict[str, float]:
        """This week's output columns, from every module's results."""
        values: dict[str, float] = {"residents": self.residents.n}
        for name in REPORTING:
            values.update(getattr(self, name).results())
        values.update(self.team.results() if self.team is not None else Team.results_without_team(self.params))
        return values

    def run_burn_in(self) -> None:
        """Run the burn-in weeks (the regime before week 0) without advancing Mesa's clock,
        so that a viewer can start at the team's first week."""
        while self.week < 0:
            self.run_week()

    def continue_as(self, scenario: Scenario) -> WijkteamModel:
        """A copy of this model, at the end of its burn-in, that goes on with ``scenario``'s team.

        The same world before week 0 then serves every scenario compared with it, as a
        fresh run of each would have lived it (the tests check the two agree)."""
        self._check_shares_burn_in(scenario)
        model = pickle.loads(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))  # a deep copy
        model.take_team_of(scenario)
        return model

    def take_team_of(self, scenario: Scenario) -> None:
        """Go on from the end of the burn-in with ``scenario``'s team, in place (the last scenario
        sharing a burn-in needs no copy)."""
        self._check_shares_burn_in(scenario)
        self.settings = scenario
        self.casework.use_team_settings(scenario)

    def _check_shares_burn_in(self, scenario: Scenario) -> None:
        if self.week != 0 or self.team is not None:
            raise ValueError("a model can take another team only at the end of its burn-in (week 0, no team yet)")
        if burn_in_settings(scenario) != burn_in_settings(self.settings):
            raise ValueError(f"scenario '{scenario.name}' differs from '{self.settings.name}' outside its team, "
                             "so it cannot share this burn-in")

    def run(self) -> None:
        """Run burn-in and horizon to the end."""
        while self.running:
            self.step()

    def timeseries(self):
        """The weekly outputs so far as a DataFrame (burn-in weeks are negative)."""
        return self.recorder.frame()

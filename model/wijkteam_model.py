"""WijkteamModel: residents, volunteers, a wijkteam and specialists on a grid.

One step is one week. The run starts with a burn-in under the traditional
regime (municipal desk and GP, no team) so the problem distribution settles;
at week 0 the team starts (if the scenario has one) and the outputs are
measured against that settled state.
"""

from __future__ import annotations

import numpy as np
from mesa import Model

from agents.generalist import walk_together
from agents.resident import ResidentAgent
from agents.specialist import SpecialistAgent

from . import casework, contacts
from .counter_rng import CounterUniforms
from agents.vocabulary import (
    BUDGET_OF_SPECIALIST,
    COMMUNITY,
    FOLLOWED,
    GP,
    NONE,
    ROUTES,
    SECOND_LINE,
    SPECIALIST_DOMAINS,
    SPECIALIST_KINDS,
    SPECIALIST_OF_DOMAIN,
    TEAM,
    VOLUNTEER,
    WAITING,
)
from .neighbourhood import Neighbourhood
from .parameters import Parameters, default_parameters
from .recorder import Recorder
from .residents import Residents
from .scenario import Scenario, load_scenario
from .team import Team
from .volunteering import VolunteerPool

STREAMS = ("init", "demography", "events", "contacts", "team", "volunteers", "walk")
FULL_TIME_HOURS = 36.0


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
        self.settings = scenario if scenario is not None else load_scenario()
        s = self.settings
        values = default_parameters()
        values.update(s.parameters)
        self.params = p = Parameters(values)
        streams = dict(zip(STREAMS, root.spawn(len(STREAMS)), strict=True))
        for name, seq in streams.items():
            setattr(self, f"rng_{name}", np.random.default_rng(seq))

        self.burn_in_weeks = s["run.burn_in_weeks"]
        self.horizon_weeks = 52 * s["run.years"]
        self.week = -self.burn_in_weeks
        self.mandate = s["team.mandate"]
        self.agreements = s["team.specialist_agreements"]
        self.duo_visits = s["team.duo_visits"]
        self.team_counts = {k: s[f"team.{k}"] for k in ("community", "individual", "care")}

        n = s["neighbourhood.residents"]
        n_households = max(1, int(round(n / p.household_size)))
        self.neighbourhood = Neighbourhood(
            s["neighbourhood.width"], s["neighbourhood.height"], n_households, p, self.random, self.rng_init
        )
        self.grid = self.neighbourhood.grid
        self.residents = Residents(n, self.neighbourhood.household_cells, p, self.rng_init)
        # a row keeps its dwelling for good (newcomers take the slot), so its cell never changes
        self.resident_cells = self.neighbourhood.household_flat[self.residents.household]
        self.resident_agents = [
            ResidentAgent(self, row, self.neighbourhood.cell_at(x, y))
            for row, (x, y) in enumerate(zip(self.residents.x, self.residents.y, strict=True))
        ]
        gp_cell = self.neighbourhood.cell_at(*self.neighbourhood.places[GP])
        durations = [p.duration_youth, p.duration_mental, p.duration_wmo, p.duration_debt]
        capacities = [p.capacity_youth, p.capacity_mental, p.capacity_wmo, p.capacity_debt]
        self.specialists = [
            SpecialistAgent(self, k, max(1, int(round(capacities[k] * n / 1000))), int(durations[k]), gp_cell)
            for k in range(len(SPECIALIST_KINDS))
        ]
        self._weekly_cost = np.array([p.cost_week_youth, p.cost_week_mental, p.cost_week_wmo, p.cost_week_debt])
        # weekly severity a specialist removes, by domain (rows) and kind (columns): full in its own domains
        self.second_line_effect = np.where(
            SPECIALIST_DOMAINS.T, p.second_line_effect, p.second_line_effect * p.second_line_side_effect
        )
        # trajectories that begin in crisis last longer (weeks, by specialist kind)
        self._crisis_weeks = np.round(
            np.array([sp.duration_weeks for sp in self.specialists]) * p.crisis_duration_factor
        ).astype(np.int32)
        self.volunteers = VolunteerPool(self, s["volunteers.share"])
        # weekly chances of a first contact, by route, drawn only for residents who could make one
        self.contact_chances = CounterUniforms(self.rng_contacts, n, len(ROUTES))
        self.team: Team | None = None
        self.week_stats: dict[str, float] = {}
        self.recorder = Recorder(self.week, self.burn_in_weeks + self.horizon_weeks)
        self._domain_hours = None
        self._removal_buffer = np.zeros_like(self.residents.severity)  # severity removed in a week
        self.running = True

    # -- regime ---------------------------------------------------------------

    @property
    def team_active(self) -> bool:
        return self.team is not None

    def _start_team_if_due(self) -> None:
        if self.week == 0 and self.team is None and sum(self.team_counts.values()) > 0:
            self.team = Team(self, self.team_counts, self.params)

    # -- the week ---------------------------------------------------------------

    def step(self) -> None:
        """One week."""
        self._start_team_if_due()
        res = self.residents
        self.week_stats = dict.fromkeys(
            ("first_contacts", "first_contact_severity_sum", "contacts_outreach", "contacts_self",
             "contacts_partner", "desk_requests", "poor_decisions", "refused_referrals", "reopened",
             "group_members", "one_off_tasks", "deescalations", "crisis_entries", "planned_entries", "triaged",
             "desk_refusals"),
            0.0,
        )
        stats = self.week_stats

        moving = res.households_moving(self.rng_demography)
        if len(moving):
            self._replace_residents(moving)
        res.life_events(self.rng_events)
        res.debt_of_household = res.household_debt()
        smax = res.severity.max(axis=0)
        # the severity removed this week: self-recovery, and the help added to it below
        removal = res.start_removal(self._removal_buffer)
        engaged = np.zeros(res.n, np.float32)  # single precision, like the severities it protects
        plans = []

        if self.team_active:
            plans = self._team_week(smax, removal, engaged)
        else:
            contacts.traditional_contacts(self, smax)
            self.volunteers.week(False, 0.0, 0.0, smax, removal, engaged, 0)
            self.neighbourhood.record_presence(np.empty((0, 2), np.intp), np.empty(0), self.week)

        casework.second_line_help(self, removal, engaged)
        res.progress_problems(removal, engaged)
        smax = res.severity.max(axis=0)
        self._second_line_week(smax)
        if self.team_active:
            done = casework.close_cases(self, smax)
            self.volunteers.reciprocity(done)
            casework.follow_up(self, smax, np.array([plan.intensity >= 1.0 for plan in plans]))
            self.team.learn(self._domain_hours, self.duo_visits, plans)
            self.team.update_overload(plans)
            self.team.turnover(self.rng_team, self.settings["team.turnover_per_year"])
        self._record(plans, smax, stats)
        self.week += 1
        if self.week >= self.horizon_weeks:
            self.running = False

    def _team_week(self, smax, help_, engaged):
        res, team, hood, p = self.residents, self.team, self.neighbourhood, self.params
        s = self.settings
        cases = (res.status == TEAM).nonzero()[0]
        demand = casework.demand_per_member(self, cases, smax)
        n_community = int(self.team_counts["community"])
        vol_coord = s["volunteers.coordination_hours"]
        plans = [
            member.plan_week(demand[member.slot], team.size, s["team.hours_per_week"], s["team.hours_in_wijk"],
                             vol_coord)
            for member in team.members
        ]
        intensity = np.array([plan.intensity for plan in plans])
        hood.place_hours.fill(0.0)
        spots, hours = walk_together(team.members, self.rng_walk, hood, self.week)
        hood.record_presence(spots, hours, self.week)
        place_exposure = self.params.place_contact * hood.place_hours  # one number per place
        exposure = hood.presence.take(self.resident_cells) + place_exposure.take(res.place)
        contacts.update_familiarity_and_trust(self, exposure)
        # intake policy: take on cases while they leave a share of the time that could be
        # presence free; presence needs hours in the wijk and hours not taken by other work
        spare = sum(plan.casework + plan.presence - p.presence_protected_share * (plan.in_wijk - plan.networking)
                    for plan in plans) - float(demand.sum())
        casework.intake(self, contacts.team_contacts(self, smax, exposure), smax, spare)

        cases = (res.status == TEAM).nonzero()[0]
        competence = team.effective_competence()
        casework.mandate_decisions(self, cases, smax, competence)
        self._domain_hours = casework.team_help(self, cases, intensity, competence, help_, engaged)
        casework.refer(self, cases, smax, competence, intensity)
        community_presence = sum(pl.presence for pl, m in zip(plans, team.members, strict=True) if m.kind == COMMUNITY)
        coordination = sum(pl.volunteer_coordination for pl in plans)
        self.volunteers.week(True, coordination, community_presence, smax, help_, engaged, n_community)
        return plans

    def _second_line_week(self, smax: np.ndarray) -> None:
        """Crisis entries, ends of trajectories, de-escalation and admissions."""
        res, p, stats = self.residents, self.params, self.week_stats
        crisis = (smax >= p.crisis_threshold).nonzero()[0]  # rare: the status check on these only
        crisis = crisis[res.status.take(crisis) != SECOND_LINE]
        if len(crisis):
            self.release_volunteers(crisis)
            kind = SPECIALIST_OF_DOMAIN[res.severity.take(crisis, axis=1).argmax(axis=0)]
            res.status[crisis] = SECOND_LINE
            res.specialist[crisis] = kind
            res.crisis[crisis] = True
            res.due_week[crisis] = self.week + self._crisis_weeks[kind]
            res.in_group[crisis] = False
            if self.team_active:
                res.trust[crisis] *= 1.0 - p.trust_crisis_drop
            stats["crisis_entries"] += len(crisis)
            stats["crisis_by_kind"] = np.bincount(kind, minlength=len(SPECIALIST_KINDS))

        in_care = (res.status == SECOND_LINE).nonzero()[0]
        ending = res.due_week[in_care] <= self.week
        if self.team_active and self.agreements:
            stepped_down = (smax[in_care] < p.deescalation_threshold) & ~ending
            stats["deescalations"] += int(stepped_down.sum())
            ending |= stepped_down
        self._end_trajectories(in_care[ending])

        occupied = np.bincount(res.specialist.take(in_care[~ending]), minlength=len(SPECIALIST_KINDS))
        # everyone whose wait is over, longest waiting first (ties in row order)
        ready = (res.status == WAITING).nonzero()[0]
        ready = ready[res.due_week.take(ready) <= self.week]
        ready = ready[np.argsort(res.wait_since.take(ready), kind="stable")]
        kind_ready = res.specialist.take(ready)
        for specialist in self.specialists:
            waiting = ready[kind_ready == specialist.kind]
            admitted = specialist.admit(res, int(occupied[specialist.kind]), waiting, self.week)
            stats["planned_entries"] += len(admitted)

    def _end_trajectories(self, rows: np.ndarray) -> None:
        res, p = self.residents, self.params
        if len(rows) == 0:
            return
        res.specialist[rows] = -1
        res.crisis[rows] = False
        if self.team_active:
            res.status[rows] = FOLLOWED
            res.due_week[rows] = self.week + casework.follow_up_end(p)
            unassigned = rows[res.worker[rows] < 0]
            if len(unassigned):
                casework.assign_workers(self, unassigned)
        else:
            res.status[rows] = NONE
            res.due_week[rows] = self.week
            res.relapse_timer[rows] = p.relapse_weeks

    def release_volunteers(self, rows: np.ndarray) -> None:
        """Residents leaving volunteer support free their volunteer's hours."""
        self.residents.volunteer_of[rows] = -1

    def _replace_residents(self, rows: np.ndarray) -> None:
        """A household moves out; newcomers who do not know the team move in."""
        volunteers = rows[self.volunteers.active[rows]]
        self.volunteers.leave(volunteers)
        self.release_volunteers(rows)
        self.residents.draw_newcomers(rows, self.rng_demography)
        self.residents.moved_in_week[rows] = self.week

    # -- outputs ----------------------------------------------------------------

    def _record(self, plans, smax: np.ndarray, stats: dict) -> None:
        res, p, s = self.residents, self.params, self.settings
        n = res.n
        team = self.team
        in_team = res.status == TEAM  # counts need no row list
        team_fte = 0.0
        cost_team = 0.0
        if team is not None:
            team_fte = team.size * s["team.hours_per_week"] / FULL_TIME_HOURS
            cost_team = team_fte * p.cost_fte_year / 52.0
        in_care = (res.status == SECOND_LINE).nonzero()[0]
        kind_in_care = res.specialist.take(in_care)
        crisis_in_care = res.crisis.take(in_care)
        per_client = self._weekly_cost[kind_in_care] * np.where(crisis_in_care, p.crisis_cost_factor, 1.0)
        by_kind = np.bincount(kind_in_care, weights=per_client, minlength=len(SPECIALIST_KINDS))
        by_kind = by_kind + stats.get("crisis_by_kind", 0) * p.crisis_entry_cost
        cost_desk = stats["desk_requests"] * p.cost_desk_request
        cost_poor = stats["poor_decisions"] * p.cost_poor_decision
        cost_volunteers = self.volunteers.hours_given * p.cost_volunteer_hour
        budgets = {"municipality_team": cost_team + cost_volunteers, "municipality_youth": 0.0,
                   "municipality_wmo": cost_desk + cost_poor, "insurer": 0.0}
        for kind, holder in enumerate(BUDGET_OF_SPECIALIST):
            budgets[holder] += by_kind[kind]
        cost_second_line = float(by_kind.sum())
        first = stats["first_contacts"]
        cost_total = cost_team + cost_second_line + cost_volunteers + cost_desk + cost_poor

        hours = {attr: float(sum(getattr(plan, attr) for plan in plans))
                 for attr in ("presence", "casework", "coordination", "admin", "networking")}

        caseload = int(np.count_nonzero(in_team))
        self.recorder.record({
            "residents": n,
            "second_line_entries": stats["crisis_entries"] + stats["planned_entries"],
            "crisis_entries": stats["crisis_entries"],
            "planned_entries": stats["planned_entries"],
            "in_second_line": len(in_care),
            "team_caseload": caseload,
            "team_competence": team.mean_competence if team else 0.0,
            "mean_trust": float(res.trust.sum() / n),  # sum / n: the same number as mean(), faster
            "first_contact_severity": stats["first_contact_severity_sum"] / first if first else np.nan,
            "cases_with_debt_share": np.count_nonzero(in_team & (res.debt_of_household >= p.close_threshold))
            / caseload if caseload else np.nan,
            "presence_hours": hours["presence"],
            "casework_hours": hours["casework"],
            "coordination_hours": hours["coordination"],
            "admin_hours": hours["admin"],
            "volunteer_hours": self.volunteers.hours_given,
            "active_volunteers": self.volunteers.count,
            "grid_coverage": self.neighbourhood.coverage(self.week),
            "cost_team": cost_team,
            "cost_second_line": cost_second_line,
            "cost_volunteers": cost_volunteers,
            "networking_hours": hours["networking"],
            # three counts: cheaper than a bincount of int8
            "waiting": np.count_nonzero(res.status == WAITING),
            "followed": np.count_nonzero(res.status == FOLLOWED),
            "with_volunteer": np.count_nonzero(res.status == VOLUNTEER),
            "with_problem": int(np.count_nonzero(smax > 0)),
            "unknown_problems": int(np.count_nonzero((smax >= p.notice_threshold) & (res.status == NONE))),
            "mean_severity": float(smax.sum() / n),
            "severe_share": np.count_nonzero(smax >= p.severe_threshold) / n,
            "first_contacts": first,
            "contacts_outreach": stats["contacts_outreach"],
            "contacts_self": stats["contacts_self"],
            "contacts_partner": stats["contacts_partner"],
            "team_size": team.size if team else 0,
            "team_fte": team_fte,
            "caseload_per_fte": caseload / team_fte if team_fte else 0.0,
            "team_integration": team.integration if team else 0.0,
            "team_overload": float(team.overload.sum() / team.size) if team and team.size else 0.0,
            "mean_familiarity": float(res.familiarity.sum() / n),
            "partner_relation": float(team.partner_relation.sum() / len(team.partner_relation)) if team
            else p.partner_relation_traditional,
            "leavers": team.leavers if team else 0,
            "volunteer_dropouts": self.volunteers.dropouts,
            "group_members": stats["group_members"],
            "one_off_tasks": stats["one_off_tasks"],
            "refused_referrals": stats["refused_referrals"],
            "deescalations": stats["deescalations"],
            "desk_requests": stats["desk_requests"],
            "poor_decisions": stats["poor_decisions"],
            "desk_refusals": stats["desk_refusals"],
            "reopened": stats["reopened"],
            "triaged": stats["triaged"],
            "cost_desk": cost_desk,
            "cost_municipality_team": budgets["municipality_team"],
            "cost_municipality_youth": budgets["municipality_youth"],
            "cost_municipality_wmo": budgets["municipality_wmo"],
            "cost_insurer": budgets["insurer"],
            "cost_total": cost_total,
            "cost_total_discounted": cost_total / (1.0 + p.discount_rate) ** (max(self.week, 0) / 52.0),
        })

    def run_burn_in(self) -> None:
        """Run the burn-in weeks (the regime before week 0) without advancing Mesa's clock,
        so that a viewer can start at the team's first week."""
        while self.week < 0:
            self.step()

    def run(self) -> None:
        """Run burn-in and horizon to the end."""
        while self.running:
            self.step()

    def timeseries(self):
        """The weekly outputs so far as a DataFrame (burn-in weeks are negative)."""
        return self.recorder.frame()

"""The second line: referrals, crises, treatment, ends of trajectories and stepping down.

Specialists (youth care, GGZ, Wmo maatwerk, debt counselling, work and income)
treat their own domains fully and the others a little; debt counselling works
on the household's debts. Referrals wait on the provider's list (the
``SpecialistAgent`` decides whom to admit into its places); debt counselling
stabilises, then either reaches an arrangement or ends. Only youth care and
GGZ have a crisis route (crisis placement, coercive care under the Wvggz),
with places of their own, so that crises do not take the planned places.
Trajectories end when their time is up or when their problems are light
again, in both regimes: with a team and agreements the team follows the
resident up ('afschalen'); otherwise lighter care (maatschappelijk werk, the
POH) does, at a cost. A relapse risk follows every end.
"""

from __future__ import annotations

import numpy as np

from agents.specialist import SpecialistAgent
from agents.vocabulary import (
    ENTRY_ROUTES,
    GP,
    KIND_OF_DOMAIN,
    LIGHTER,
    N_KINDS,
    NONE,
    ROUTE_ACCESS,
    ROUTE_CRISIS,
    SECOND_LINE,
    SPEC_DEBT,
    SPEC_MENTAL,
    SPEC_YOUTH,
    SPECIALIST_DOMAINS,
    SPECIALIST_KINDS,
    TEAM,
    VOLUNTEER,
    WAITING,
)

from ..counter_rng import CounterUniforms
from ..residents import LONG_AGO
from .base import Module
from .second_line_loops import crisis_candidates, treat


class SecondLine(Module):
    """The specialists' waiting lists and trajectories, and lighter care after them."""

    COUNTS = ("crisis_entries", "planned_entries", "deescalations", "to_lighter_care", "debt_arrangements",
              "crises_without_place", "debt_referrals_declined")

    def __init__(self, model):
        super().__init__(model)
        p, n, hood = self.p, self.residents.n, model.neighbourhood
        self.rng = model.rng_second_line
        gp_cell = hood.cell_at(*hood.places[GP])
        capacities = [p.capacity_youth, p.capacity_mental, p.capacity_wmo, p.capacity_debt, p.capacity_work]
        # mean length of a planned trajectory by kind (debt counselling: its stabilisation)
        self.mean_weeks = np.array([p.duration_youth, p.duration_mental, p.duration_wmo,
                                    p.debt_stabilisation_weeks, p.duration_work])
        self.specialists = [
            SpecialistAgent(model, k, places(capacities[k], n), float(self.mean_weeks[k]), gp_cell)
            for k in range(N_KINDS)
        ]
        self.intake_weeks = np.zeros(N_KINDS, np.int32)
        self.intake_weeks[SPEC_MENTAL] = int(p.intake_weeks_mental)
        self.intake_weeks[SPEC_DEBT] = int(p.intake_weeks_debt)
        # crisis routes: weekly chance above the crisis threshold, places, weeks
        self.crisis_rate = np.zeros(N_KINDS)
        self.crisis_rate[[SPEC_YOUTH, SPEC_MENTAL]] = p.crisis_rate_youth, p.crisis_rate_mental
        self.crisis_places = np.zeros(N_KINDS, np.int64)
        self.crisis_places[[SPEC_YOUTH, SPEC_MENTAL]] = places(p.crisis_places, n), places(p.crisis_places, n)
        self.crisis_weeks = np.zeros(N_KINDS, np.int32)
        self.crisis_weeks[[SPEC_YOUTH, SPEC_MENTAL]] = int(p.crisis_weeks_youth), int(p.crisis_weeks_mental)
        self.crisis_draws = CounterUniforms(self.rng, n, 1)
        self.uptake_draws = CounterUniforms(self.rng, n, 1)
        # weekly severity a specialist removes, by domain (rows) and kind (columns): full in its own domains
        self.effect = np.where(SPECIALIST_DOMAINS.T, p.second_line_effect, p.second_line_effect * p.second_line_side_effect)
        self.entries = np.zeros((N_KINDS, len(ENTRY_ROUTES)), np.int64)  # this week's, by kind and route
        self.referrals = np.zeros(N_KINDS, np.int64)  # this week's arrivals on the waiting lists, by kind

    def start_week(self) -> None:
        super().start_week()
        self.entries[:] = 0
        self.referrals[:] = 0

    # -- referrals --------------------------------------------------------------------

    def refer(self, rows: np.ndarray, kind: np.ndarray, route: int, delay: int = 0,
              urgent: np.ndarray | None = None) -> None:
        """Onto the waiting list of ``kind`` by ``route``, ready after ``delay`` weeks and the
        kind's intake; an urgent appointment goes to the head of the list, ready at once. A
        household the municipal access sends to debt counselling applies with chance
        debt_referral_uptake; the others do not ask again for a while."""
        res, week = self.residents, self.model.week
        if route == ROUTE_ACCESS and len(rows):
            declined = (kind == SPEC_DEBT) & (self.uptake_draws.draw(week, rows)[0] >= self.p.debt_referral_uptake)
            self.count["debt_referrals_declined"] += int(declined.sum())
            passive = rows[declined & (res.status.take(rows) == NONE)]
            res.due_week[passive] = week + int(self.p.ask_again_weeks)
            rows, kind = rows[~declined], kind[~declined]
        if len(rows) == 0:
            return
        np.add.at(self.referrals, kind, 1)
        ready = week + delay + self.intake_weeks[kind]
        res.to_waiting_list(rows, kind, week, ready, route)
        if urgent is not None and urgent.any():
            res.due_week[rows[urgent]] = week
            res.wait_since[rows[urgent]] = LONG_AGO  # first in line

    def rows_of_kind(self, kind: int) -> np.ndarray:
        """Residents waiting for or in the care of ``kind``."""
        res = self.residents
        rows = res.rows(WAITING, SECOND_LINE)
        return rows[res.specialist.take(rows) == kind]

    # -- the week ---------------------------------------------------------------------

    def treat(self) -> None:
        """Specialists' help to their clients this week (clients in care are fully engaged,
        debt counselling works on all of the household's debts); lighter care keeps its
        clients partly engaged."""
        problems, res = self.model.problems, self.residents
        treat(res.status, res.specialist, res.household_starts, res.household, res.severity, self.effect,
              self.p.lighter_care_engagement, problems.relief, problems.engaged)

    def step(self) -> None:
        """Crisis entries, ends of trajectories and of lighter care, then admissions."""
        self._crises()
        res, p, week = self.residents, self.p, self.model.week
        in_care = res.rows(SECOND_LINE)
        due = res.due_week.take(in_care) <= week
        handover = self.model.team is not None and self.model.casework.agreements
        threshold = p.deescalation_threshold if handover else p.stepdown_threshold
        worked = (own_worst(res.severity, res.specialist, in_care) < threshold) & ~due
        if handover:
            self.count["deescalations"] += int(worked.sum())
        ending = due | worked
        self._end(in_care[ending], handover)
        self._end_lighter_care()
        self._admit(in_care[~ending])

    def _admit(self, staying: np.ndarray) -> None:
        """Everyone whose wait is over, longest waiting first (ties in row order), into free places."""
        res, week = self.residents, self.model.week
        planned = staying[~res.crisis.take(staying)]  # crisis places are apart
        occupied = np.bincount(res.specialist.take(planned), minlength=N_KINDS)
        ready = res.rows(WAITING)
        ready = ready[res.due_week.take(ready) <= week]
        ready = ready[np.argsort(res.wait_since.take(ready), kind="stable")]
        kind_ready = res.specialist.take(ready)
        for specialist in self.specialists:
            admitted = specialist.admit(int(occupied[specialist.kind]), ready[kind_ready == specialist.kind])
            if len(admitted) == 0:
                continue
            kind = specialist.kind
            self.entries[kind] += np.bincount(res.route.take(admitted), minlength=len(ENTRY_ROUTES))
            res.admit(admitted, kind, week + self._weeks(kind, len(admitted)), crisis=False)
            self.count["planned_entries"] += len(admitted)

    def _weeks(self, kind: int, k: int) -> np.ndarray:
        """Lengths of ``k`` new planned trajectories of ``kind``: exponential around the kind's mean
        (CBS: 63% of youth trajectories end within a year, 14% after two years); debt
        counselling adds an arrangement for the share that reaches one (NVVK)."""
        weeks = np.ceil(self.rng.exponential(self.mean_weeks[kind], k)).astype(np.int32)
        if kind == SPEC_DEBT:
            arrangement = self.rng.random(k) < self.p.debt_arrangement_share
            weeks += arrangement * int(self.p.debt_arrangement_weeks)
            self.count["debt_arrangements"] += int(arrangement.sum())
        return np.maximum(weeks, 1)

    def _crises(self) -> None:
        """Crisis routes only: a youth with a youth-care problem, or an adult with a mental problem,
        above the crisis threshold enters crisis care with the kind's weekly chance, as far as the
        crisis places allow; they do not take planned places. Other problems have no crisis route."""
        res, p, week = self.residents, self.p, self.model.week
        kind, rows = crisis_candidates(res.severity, res.age, res.status, KIND_OF_DOMAIN, p.crisis_threshold)
        if len(rows) == 0:
            return
        draws = self.crisis_draws.draw(week, rows)[0]
        struck = draws < self.crisis_rate[kind]
        rows, kind = rows[struck], kind[struck]
        in_crisis = res.rows(SECOND_LINE)
        in_crisis = in_crisis[res.crisis.take(in_crisis)]
        free = self.crisis_places - np.bincount(res.specialist.take(in_crisis), minlength=N_KINDS)
        for k in (SPEC_YOUTH, SPEC_MENTAL):
            mine = rows[kind == k]
            room = max(free[k], 0)
            placed, unplaced = mine[:room], mine[room:]
            self.count["crises_without_place"] += len(unplaced)
            if len(placed) == 0:
                continue
            res.admit(placed, k, week + self.crisis_weeks[k], crisis=True)
            res.route[placed] = ROUTE_CRISIS
            self.entries[k, ROUTE_CRISIS] += len(placed)
            self.count["crisis_entries"] += len(placed)
            if self.model.team is not None:
                res.trust[placed] *= 1.0 - p.trust_crisis_drop

    def _end(self, rows: np.ndarray, handover: bool) -> None:
        """Trajectories end; a relapse risk follows in both regimes. The team follows up its own
        cases (it stays involved during a trajectory, seed 003) and, with agreements, everyone
        the specialist steps down; the others get lighter care for a while."""
        res, p, week = self.residents, self.p, self.model.week
        if len(rows) == 0:
            return
        res.relapse_until[rows] = week + int(p.relapse_weeks)
        res.crisis[rows] = False
        team_case = res.worker.take(rows) >= 0 if self.model.team is not None else np.zeros(len(rows), bool)
        to_team = rows[team_case | handover]
        res.discharge(to_team)
        res.follow_up(to_team, self.model.casework.follow_up_until())
        unassigned = to_team[res.worker.take(to_team) < 0]
        if len(unassigned):
            self.model.casework.assign_workers(unassigned)
        lighter = rows[~(team_case | handover)]
        res.lighter_care(lighter, week + int(p.lighter_care_weeks))
        self.count["to_lighter_care"] += len(lighter)

    def _end_lighter_care(self) -> None:
        """Lighter care whose weeks are over ends: the resident is free to ask again."""
        res, week = self.residents, self.model.week
        lighter = res.rows(LIGHTER)
        done = lighter[res.due_week.take(lighter) <= week]
        res.discharge(done)
        res.close(done, week)

    # -- outputs ------------------------------------------------------------------------

    def provisions_running(self) -> np.ndarray:
        """Team cases whose provision (youth care or Wmo the team or desk granted) is running."""
        res = self.residents
        cases = res.rows(TEAM, VOLUNTEER)
        cases = cases[res.provision_kind.take(cases) >= 0]
        return cases[res.provision_due.take(cases) <= self.model.week]

    def results(self) -> dict[str, float]:
        res = self.residents
        out = dict(self.count)
        out["second_line_entries"] = out["crisis_entries"] + out["planned_entries"]
        out["in_second_line"] = res.number(SECOND_LINE)
        out["waiting"] = res.number(WAITING)
        out["lighter_care"] = res.number(LIGHTER)
        in_care = res.rows(SECOND_LINE)
        in_care_by_kind = np.bincount(res.specialist.take(in_care), minlength=N_KINDS)
        provisions = self.provisions_running()
        in_care_by_kind += np.bincount(res.provision_kind.take(provisions), minlength=N_KINDS)
        waiting = res.rows(WAITING)
        waiting_by_kind = np.bincount(res.specialist.take(waiting), minlength=N_KINDS)
        for k, kind in enumerate(SPECIALIST_KINDS):
            out[f"entries_{kind}"] = int(self.entries[k].sum())
            out[f"crisis_entries_{kind}"] = int(self.entries[k, ROUTE_CRISIS])
            out[f"in_care_{kind}"] = int(in_care_by_kind[k])
            out[f"referrals_{kind}"] = int(self.referrals[k])
            out[f"waiting_{kind}"] = int(waiting_by_kind[k])
            for r, route in enumerate(ENTRY_ROUTES):
                out[f"entries_{kind}_{route}"] = int(self.entries[k, r])
        return out


def places(per_1000: float, residents: int) -> int:
    """A capacity given per 1,000 residents as a number of places (at least one)."""
    return max(1, int(round(per_1000 * residents / 1000)))


def own_worst(severity: np.ndarray, specialist: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each client's worst severity in the domains of their own specialist kind."""
    own = SPECIALIST_DOMAINS[specialist.take(rows)]  # rows x domains
    return np.where(own, severity[:, rows].T, 0.0).max(axis=1, initial=0.0)

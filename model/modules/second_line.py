"""The second line: treatment, crises, ends of trajectories, de-escalation and admissions.

Specialists (jeugdzorg, GGZ, Wmo maatwerk, schuldhulp) treat their own
domains fully and the others a little. A problem that reaches the crisis
threshold is an entry at once, with the provider of the worst domain; it
lasts longer. Planned entries wait on the provider's list until a place is
free (the ``SpecialistAgent`` decides whom to admit). With agreements between
team and specialists, clients whose problems are light again step down early.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.specialist import SpecialistAgent
from agents.vocabulary import GP, SECOND_LINE, SPECIALIST_DOMAINS, SPECIALIST_KINDS, SPECIALIST_OF_DOMAIN, WAITING

from .base import Module


class SecondLine(Module):
    """The specialists' waiting lists and trajectories."""

    COUNTS = ("crisis_entries", "planned_entries", "deescalations")

    def __init__(self, model):
        super().__init__(model)
        p, n, hood = self.p, self.residents.n, model.neighbourhood
        gp_cell = hood.cell_at(*hood.places[GP])
        durations = [p.duration_youth, p.duration_mental, p.duration_wmo, p.duration_debt]
        capacities = [p.capacity_youth, p.capacity_mental, p.capacity_wmo, p.capacity_debt]
        self.specialists = [
            SpecialistAgent(model, k, max(1, int(round(capacities[k] * n / 1000))), int(durations[k]), gp_cell)
            for k in range(len(SPECIALIST_KINDS))
        ]
        # weekly severity a specialist removes, by domain (rows) and kind (columns): full in its own domains
        self.effect = np.where(SPECIALIST_DOMAINS.T, p.second_line_effect, p.second_line_effect * p.second_line_side_effect)
        # trajectories that begin in crisis last longer (weeks, by specialist kind)
        self.crisis_weeks = np.round(np.array(durations, float) * p.crisis_duration_factor).astype(np.int32)
        self.crisis_by_kind = np.zeros(len(SPECIALIST_KINDS), np.int64)  # this week's crisis entries

    def start_week(self) -> None:
        super().start_week()
        self.crisis_by_kind[:] = 0

    def treat(self) -> None:
        """Specialists' help to their clients this week; clients in care are fully engaged."""
        problems = self.model.problems
        res = self.residents
        treat(res.status, res.specialist, res.severity, self.effect, problems.relief, problems.engaged)

    def step(self) -> None:
        """Crisis entries, ends of trajectories, de-escalation and admissions, in that order."""
        self._crises()
        res, p, week = self.residents, self.p, self.model.week
        in_care = res.rows(SECOND_LINE)
        ending = res.due_week[in_care] <= week
        if self.model.team is not None and self.model.casework.agreements:
            stepped_down = (self.model.problems.worst[in_care] < p.deescalation_threshold) & ~ending
            self.count["deescalations"] += int(stepped_down.sum())
            ending |= stepped_down
        self._end(in_care[ending])
        occupied = np.bincount(res.specialist.take(in_care[~ending]), minlength=len(SPECIALIST_KINDS))
        # everyone whose wait is over, longest waiting first (ties in row order)
        ready = res.rows(WAITING)
        ready = ready[res.due_week.take(ready) <= week]
        ready = ready[np.argsort(res.wait_since.take(ready), kind="stable")]
        kind_ready = res.specialist.take(ready)
        for specialist in self.specialists:
            admitted = specialist.admit(int(occupied[specialist.kind]), ready[kind_ready == specialist.kind])
            res.admit(admitted, specialist.kind, week + specialist.duration_weeks, crisis=False)
            self.count["planned_entries"] += len(admitted)

    def _crises(self) -> None:
        """Whoever reaches the crisis threshold enters the second line at once, from any route."""
        res, p, week = self.residents, self.p, self.model.week
        worst = self.model.problems.worst
        crisis = (worst >= p.crisis_threshold).nonzero()[0]
        crisis = crisis[res.status.take(crisis) != SECOND_LINE]
        if len(crisis) == 0:
            return
        kind = SPECIALIST_OF_DOMAIN[res.severity.take(crisis, axis=1).argmax(axis=0)]
        res.admit(crisis, kind, week + self.crisis_weeks[kind], crisis=True)
        if self.model.team is not None:
            res.trust[crisis] *= 1.0 - p.trust_crisis_drop
        self.count["crisis_entries"] += len(crisis)
        self.crisis_by_kind += np.bincount(kind, minlength=len(SPECIALIST_KINDS))

    def _end(self, rows: np.ndarray) -> None:
        """Trajectories end: with a team, it follows the resident up; without, a relapse risk follows."""
        res, p, week = self.residents, self.p, self.model.week
        if len(rows) == 0:
            return
        res.discharge(rows)
        if self.model.team is not None:
            casework = self.model.casework
            res.follow_up(rows, casework.follow_up_until())
            unassigned = rows[res.worker[rows] < 0]
            if len(unassigned):
                casework.assign_workers(unassigned)
        else:
            res.close(rows, week)
            res.relapse_until[rows] = week + int(p.relapse_weeks)

    def results(self) -> dict[str, float]:
        res = self.residents
        out = dict(self.count)
        out["second_line_entries"] = out["crisis_entries"] + out["planned_entries"]
        out["in_second_line"] = res.number(SECOND_LINE)
        out["waiting"] = res.number(WAITING)
        return out


@njit(cache=True)
def treat(status, specialist, severity, effect, relief, engaged):
    """Every client in the second line gets their specialist's weekly effect on each of their
    problems (full in the specialist's own domains) and is fully engaged."""
    n_domains = severity.shape[0]
    for i in range(len(status)):
        if status[i] != SECOND_LINE:
            continue
        for d in range(n_domains):
            if severity[d, i] > 0.0:
                relief[d, i] += effect[d, specialist[i]]
        engaged[i] = 1.0


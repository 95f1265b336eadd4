"""The zero line: volunteers with unstable hours, tasks, over-asking and drop-out.

Seeds 003 and 004: one-off help is easy, structural help is hard to sustain;
volunteers who are asked too much drop out; professionals under-use them
(``professional_bias``); clients can become volunteers (reciprocity); light
needs shared by several residents are served by one volunteer-led group.
State is kept per resident row; a ``VolunteerAgent`` gives each volunteer an
identity and a place on the grid.
"""

from __future__ import annotations

import math

import numpy as np

from agents.volunteer import VolunteerAgent
from agents.vocabulary import (
    COMMUNITY,
    FOLLOWED,
    N_DOMAINS,
    NONE,
    PHYSICAL,
    TEAM,
    VOLUNTEER,
    VOLUNTEER_DOMAINS,
    status_mask,
)

from ..parameters import weekly_chance
from .base import Module
from .volunteer_loops import hand_over, join_groups, over_asking, structural_matches

GROUP_STATUS = status_mask(NONE, TEAM, FOLLOWED)
IS_VOLUNTEER_DOMAIN = np.isin(np.arange(N_DOMAINS), VOLUNTEER_DOMAINS)
# random residents tried per recruit wanted: with half the residents in the pool, eight
# tries find one with probability 1 - 0.5**8; a shortfall falls back to listing the pool
TRIES_PER_RECRUIT = 8


class Volunteers(Module):
    """Who volunteers, their hours this week, their load and their over-asking."""

    COUNTS = ("group_members", "one_off_tasks")

    def __init__(self, model):
        super().__init__(model)
        share = model.settings["volunteers.share"]
        n = model.residents.n
        self.active = np.zeros(n, bool)
        self.hours = np.zeros(n)
        self.load = np.zeros(n)
        self.overask = np.zeros(n)
        self.agents: dict[int, VolunteerAgent] = {}
        self.dropouts = 0
        self.hours_given = 0.0
        res = model.residents
        adults = res.can_volunteer.nonzero()[0]
        chosen = model.rng_volunteers.random(len(adults)) < share
        # the pool the wijk sustains without a team: drop-outs are replaced at this size
        self.natural_size = share * len(adults)
        for row in adults[chosen]:
            self.enlist(int(row))

    def enlist(self, row: int) -> None:
        if self.active[row]:
            return
        self.active[row] = True
        self.overask[row] = 0.0
        res = self.model.residents
        cell = self.model.neighbourhood.cell_at(res.x[row], res.y[row])
        self.agents[row] = VolunteerAgent(self.model, row, cell)

    def leave(self, rows: np.ndarray) -> None:
        """Volunteers stop (drop-out or moving away); their clients go back to the team."""
        res = self.model.residents
        rows = np.asarray(rows)  # distinct rows: a subset of the pool, or of the residents moving out
        leaving = rows[self.active[rows]].tolist()
        if not leaving:
            return
        self.active[leaving] = False
        for row in leaving:
            self.agents.pop(row).remove()
        # residents with a volunteer are exactly those in VOLUNTEER status (matches are made and
        # ended together): those whose volunteer is no longer active go back to the team
        helped = res.rows(VOLUNTEER)
        res.back_to_team(helped[~self.active.take(res.volunteer_of.take(helped))])

    @property
    def count_active(self) -> int:
        return int(np.count_nonzero(self.active))

    def step(self) -> None:
        """One week of the zero line: hours, matches, groups, tasks, over-asking and drop-out."""
        p, rng, res, team = self.model.params, self.model.rng_volunteers, self.model.residents, self.model.team
        problems = self.model.problems
        smax, help_ = problems.worst, problems.relief
        rows = self.active.nonzero()[0]
        self.hours_given = 0.0
        self.hours.fill(0.0)
        self.load.fill(0.0)
        # unstable hours: lognormal around the mean
        sigma2 = math.log1p(p.volunteer_hours_cv**2)
        self.hours[rows] = p.volunteer_hours_mean * rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), len(rows))
        if team is None or len(rows) == 0:
            leaving = rows[rng.random(len(rows)) < p.dropout_base]
            self.dropouts += len(leaving)
            self.leave(leaving)
            # community workers recruit even into an empty pool
            self._recruit(p.recruit_rate * team.community_presence() if team is not None else 0.0, smax)
            return
        coordination_hours = team.planned["volunteer_coordination"]
        coordination = min(1.0, coordination_hours
                           / max(1e-9, p.coordination_full_hours * len(rows) / p.coordinated_volunteers))
        support = 1.0 - p.coordination_effect * coordination

        # structural matches: early breaks, then help and load
        matched = res.rows(VOLUNTEER)
        broken = structural_matches(matched, rng.random(len(matched)), p.match_break * support, res.volunteer_of,
                                    res.limited, res.severity, help_, problems.engaged, self.load,
                                    np.array(VOLUNTEER_DOMAINS), p.volunteer_effect, p.limited_recovery_factor,
                                    p.volunteer_containment, p.structural_task_hours)
        res.back_to_team(broken)
        self.hours_given += (len(matched) - len(broken)) * p.structural_task_hours

        # collectivised signals: volunteer-led groups for light isolation or self-care needs
        self._groups(rows, int(np.count_nonzero(team.kinds == COMMUNITY)), help_)

        # new structural matches for suitable light team cases, against the professionals' bias
        cases = res.rows(TEAM)
        self._hand_over(rows, smax, cases)

        # one-off tasks for team cases with a practical light need (those just handed over are not)
        self._one_off_tasks(rows, cases[res.status.take(cases) == TEAM])

        # over-asking and drop-out
        leaving = over_asking(rows, self.load, self.hours, self.overask, support, p.overask_decay,
                              rng.random(len(rows)), p.dropout_base, p.dropout_overask)
        self.dropouts += len(leaving)
        self.leave(leaving)

        self._recruit(p.recruit_rate * team.community_presence(), smax)

    def _recruit(self, extra: float, smax: np.ndarray) -> None:
        """Natural replacement of drop-outs, plus what community building adds."""
        p, rng = self.model.params, self.model.rng_volunteers
        recruits = rng.poisson((p.dropout_base + weekly_chance(p.moving_rate)) * self.natural_size + extra)
        if recruits:
            for row in self._draw_recruits(recruits, smax):
                self.enlist(row)

    def _draw_recruits(self, k: int, smax: np.ndarray) -> list[int]:
        """Up to ``k`` distinct residents, uniformly among those who could start volunteering now.

        A week brings one or two recruits, so they are found by rejection: random rows are
        drawn and the first ``k`` distinct ones in the pool kept, a few dozen checks instead of
        listing the pool (four passes over every resident) for ``rng.choice``. Given that
        enough are found, every ``k``-subset of the pool is equally likely; when the pool is
        too small for that, the pool is listed and drawn from, which is uniform too.
        """
        res, rng = self.model.residents, self.model.rng_volunteers
        rows = (rng.random(TRIES_PER_RECRUIT * k) * res.n).astype(np.intp)
        found = list(dict.fromkeys(rows[self._could_start(smax, rows)].tolist()))
        if len(found) >= k:
            return found[:k]
        pool = self._could_start(smax).nonzero()[0]
        return rng.choice(pool, size=min(k, len(pool)), replace=False).tolist()

    def _could_start(self, smax: np.ndarray, rows=slice(None)) -> np.ndarray:
        """Whether residents ``rows`` (all by default) could start volunteering now: able to, not
        yet volunteering, and without a problem anyone would notice."""
        res = self.model.residents
        return res.can_volunteer[rows] & ~self.active[rows] & (smax[rows] < self.model.params.notice_threshold)

    def _spare(self, rows: np.ndarray) -> np.ndarray:
        """Hours the volunteers ``rows`` can still be asked for, judged on their usual week."""
        return np.maximum(self.model.params.volunteer_hours_mean - self.load.take(rows), 0.0)

    def _groups(self, rows: np.ndarray, n_community: int, help_: np.ndarray) -> None:
        """Volunteer-led groups at the community centre for light isolation or self-care needs."""
        res, p = self.model.residents, self.model.params
        spare = self._spare(rows)
        n_groups = min(n_community * int(p.groups_per_community_worker), int(spare.sum() // p.group_hours))
        members = join_groups(res.place, res.severity, res.status, res.in_group, help_, n_groups * int(p.group_size),
                              p.light_threshold, p.group_effect, GROUP_STATUS)
        if n_groups == 0:
            return
        # group hours come from the volunteers with the most spare time; among equals, in row order
        givers = rows[np.argsort(-spare, kind="stable")[:n_groups]]
        self.load[givers] += p.group_hours
        self.hours_given += n_groups * p.group_hours
        self.count["group_members"] += members

    def _hand_over(self, rows: np.ndarray, smax: np.ndarray, cases: np.ndarray) -> None:
        """Light team ``cases`` whose main need suits a volunteer go to the volunteers ``rows``
        with most spare time, as far as the professionals let them (``professional_bias``)."""
        res, p, rng = self.model.residents, self.model.params, self.model.rng_volunteers
        matched, givers = hand_over(cases, smax, res.severity, rows, self.load, rng.random(len(cases)),
                                    p.light_threshold, p.handover_rate * (1.0 - p.professional_bias),
                                    p.structural_task_hours, p.volunteer_hours_mean, IS_VOLUNTEER_DOMAIN)
        res.match_volunteer(matched, givers)
        self.hours_given += len(matched) * p.structural_task_hours

    def _one_off_tasks(self, rows: np.ndarray, cases: np.ndarray) -> None:
        """Team ``cases`` with a light practical need get a one-off task while the volunteers ``rows`` have time."""
        res, p, rng = self.model.residents, self.model.params, self.model.rng_volunteers
        physical = res.severity[PHYSICAL]
        need = physical.take(cases)
        cases = cases[(need > 0) & (need < p.light_threshold)]
        chosen = cases[rng.random(len(cases)) < p.handover_rate * (1.0 - p.professional_bias)]
        spare_total = self._spare(rows).sum()
        n_tasks = min(len(chosen), int(spare_total // p.one_off_task_hours))
        chosen = chosen[:n_tasks]
        physical[chosen] = np.maximum(physical[chosen] - p.one_off_effect, 0.0)
        self.hours_given += n_tasks * p.one_off_task_hours
        self.count["one_off_tasks"] += n_tasks

    def reciprocity(self, rows: np.ndarray) -> None:
        """Residents helped well sometimes start to volunteer themselves."""
        res, p, rng = self.model.residents, self.model.params, self.model.rng_volunteers
        candidates = rows[res.can_volunteer[rows]]
        for row in candidates[rng.random(len(candidates)) < p.reciprocity]:
            self.enlist(int(row))

    def results(self) -> dict[str, float]:
        res = self.model.residents
        out = dict(self.count)
        out.update({"volunteer_hours": self.hours_given, "active_volunteers": self.count_active,
                    "volunteer_dropouts": self.dropouts,
                    "with_volunteer": res.number(VOLUNTEER)})
        return out

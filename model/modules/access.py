"""Access: how residents with problems come into view, and the municipal desk.

Under the traditional regime (no team, and during burn-in) residents ask the
municipal desk or their GP, and partners signal to that same distant route;
the desk refers to the second line after an indication or gives one-off
advice. With a team, residents ask the team (driven by trust and familiarity,
held back by reluctance), professionals present in the wijk find problems
nobody reported (outreach), and partners whose relation with the team has
grown signal it; GPs keep referring part of their patients directly.
The week's contacts with the team are ``arrivals``, one row list per route,
which casework takes in.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import DEBT, HOUSING, MENTAL, NONE, PARENTING, PHYSICAL, ROUTES, SPECIALIST_OF_DOMAIN, YOUTH

from ..counter_rng import CounterUniforms
from .base import Module

SCHOOL_PARTNER, GP_PARTNER, HOUSING_PARTNER = range(3)


def partner_signal_chance(sev: np.ndarray, age: np.ndarray, relation: np.ndarray, p) -> tuple[np.ndarray, np.ndarray]:
    """Weekly chance that any partner signals the problems ``sev`` (domains x residents) of
    residents aged ``age``, and that the GP does."""
    noticed = sev >= p.notice_threshold
    school = noticed[PARENTING] & (age == YOUTH)
    gp = (noticed[MENTAL] | noticed[PHYSICAL]) * (p.signal_rate_gp * relation[GP_PARTNER])
    housing = noticed[HOUSING] | noticed[DEBT]
    miss = (
        (1.0 - p.signal_rate_school * relation[SCHOOL_PARTNER] * school)
        * (1.0 - gp)
        * (1.0 - p.signal_rate_housing * relation[HOUSING_PARTNER] * housing)
    )
    return 1.0 - miss, gp


def burden(severity: np.ndarray, worst: np.ndarray, other_weight: float) -> np.ndarray:
    """How heavily problems weigh: the worst one plus a share of the others (capped at 1).

    Several problems at once make people ask and make others notice, which is
    why teams see multi-problem households, most of them with debt.
    """
    return np.minimum(1.0, worst + other_weight * (severity.sum(axis=0) - worst))


class Access(Module):
    """First contacts by route, the desk's answers and the GP's direct referrals."""

    COUNTS = ("desk_requests",)

    def __init__(self, model):
        super().__init__(model)
        # weekly chances of a first contact, by route, drawn only for residents who could make one
        self.chances = CounterUniforms(model.rng_contacts, self.residents.n, len(ROUTES))
        self.arrivals: list[np.ndarray] = []

    def step(self) -> None:
        if self.model.team is None:
            self._to_the_desk()
        else:
            self.arrivals = self._to_the_team()

    def _free_with_problem(self, threshold: float) -> np.ndarray:
        """Rows in no care route (nor pausing after desk advice) whose worst problem reaches
        ``threshold``: only they can make a first contact."""
        res = self.residents
        rows = (self.model.problems.worst >= threshold).nonzero()[0]
        return rows[(res.status.take(rows) == NONE) & (res.due_week.take(rows) <= self.model.week)]

    def _to_the_desk(self) -> None:
        """The traditional route: residents ask the desk or the GP, partners signal to it."""
        res, p, worst = self.residents, self.p, self.model.problems.worst
        rows = self._free_with_problem(p.notice_threshold)
        sev = res.severity.take(rows, axis=1)
        weight = burden(sev, worst[rows], p.burden_other_weight)
        ask = p.seek_rate * weight * p.desk_trust * (1.0 - res.reluctance[rows])
        signal, _ = partner_signal_chance(sev, res.age[rows], np.full(3, p.partner_relation_traditional), p)
        draws = self.chances.draw(self.model.week, rows)
        self.desk_handles(rows[(draws[0] < ask) | (draws[1] < signal)])

    def desk_handles(self, rows: np.ndarray) -> None:
        """The municipal desk: refer to the second line after an indication, or advise once."""
        res, p, week = self.residents, self.p, self.model.week
        if len(rows) == 0:
            return
        self.count["desk_requests"] += len(rows)
        main = res.severity.take(rows, axis=1).argmax(axis=0)
        indicated = self.model.problems.worst[rows] >= p.indication_threshold
        referred, advised = rows[indicated], rows[~indicated]
        res.to_waiting_list(referred, SPECIALIST_OF_DOMAIN[main[indicated]], week, week + int(p.desk_delay_weeks))
        main_advised = main[~indicated]
        res.severity[main_advised, advised] = np.maximum(res.severity[main_advised, advised] - p.desk_advice_effect, 0.0)
        res.due_week[advised] = week + int(p.ask_again_weeks)  # advised residents do not ask again for a while

    def desk_decides(self, requests: int) -> None:
        """The desk decides on ``requests`` provisions the team proposed (mandate 'none')."""
        self.count["desk_requests"] += requests

    def _to_the_team(self) -> list[np.ndarray]:
        """Rows reaching the team this week, by route: outreach, self-referral, partner signal."""
        res, p, week = self.residents, self.p, self.model.week
        worst, exposure = self.model.problems.worst, self.model.presence.exposure
        rows = self._free_with_problem(min(p.close_threshold, p.notice_threshold))
        worst_rows = worst[rows]
        sev = res.severity.take(rows, axis=1)
        weight = burden(sev, worst_rows, p.burden_other_weight)
        familiarity = res.familiarity[rows]
        reluctance = res.reluctance[rows] * (1.0 - familiarity)
        # residents open up to professionals they know: outreach works through familiarity
        found = (p.detect_rate * exposure[rows] * weight * familiarity * (1.0 - reluctance)
                 * (worst_rows >= p.close_threshold))
        ask = p.seek_rate * weight * res.trust[rows] * (1.0 - reluctance) * (worst_rows >= p.notice_threshold)
        signal, gp = partner_signal_chance(sev, res.age[rows], self.model.team.partner_relation, p)
        draws = self.chances.draw(week, rows)
        outreach = draws[0] < found
        self_referral = ~outreach & (draws[1] < ask)
        partner = ~outreach & ~self_referral & (draws[2] < signal)
        # GPs keep referring part of their patients directly to the second line (CBS 2016: 41% of youth care)
        direct = partner & (draws[2] < gp * p.gp_direct_share) & (worst_rows >= p.indication_threshold)
        if direct.any():
            main = sev[:, direct].argmax(axis=0)
            res.to_waiting_list(rows[direct], SPECIALIST_OF_DOMAIN[main], week, week)
            partner &= ~direct
        return [rows[outreach], rows[self_referral], rows[partner]]

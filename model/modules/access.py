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

from numba import njit

from agents.vocabulary import DEBT, HOUSING, MENTAL, NONE, PARENTING, PHYSICAL, ROUTES, SPECIALIST_OF_DOMAIN, YOUTH

from ..counter_rng import CounterUniforms, counter_uniform
from .base import Module

SCHOOL_PARTNER, GP_PARTNER, HOUSING_PARTNER = range(3)
N_ROUTES = len(ROUTES)
OUTREACH, SELF, PARTNER, GP_DIRECT = range(4)  # routes of a contact (the first three are ROUTES)


@njit(cache=True)
def burden(severity, i, worst, other_weight):
    """How heavily resident ``i``'s problems weigh: the worst one plus a share of the others
    (capped at 1). Several problems at once make people ask and make others notice, which is
    why teams see multi-problem households, most of them with debt."""
    total = 0.0
    for d in range(severity.shape[0]):
        total += severity[d, i]
    return min(1.0, worst + other_weight * (total - worst))


@njit(cache=True)
def signal_chances(severity, i, youth, relation, notice, rate_school, rate_gp, rate_housing):
    """The weekly chance that any partner signals resident ``i``'s problems, and that the GP does:
    the school a youth's parenting problem, the GP mental or physical problems, the housing
    corporation housing or debt problems, each as far as its relation allows."""
    school = rate_school * relation[SCHOOL_PARTNER] if youth and severity[PARENTING, i] >= notice else 0.0
    gp = rate_gp * relation[GP_PARTNER] if severity[MENTAL, i] >= notice or severity[PHYSICAL, i] >= notice else 0.0
    housing = (rate_housing * relation[HOUSING_PARTNER]
               if severity[HOUSING, i] >= notice or severity[DEBT, i] >= notice else 0.0)
    return 1.0 - (1.0 - school) * (1.0 - gp) * (1.0 - housing), gp


@njit(cache=True)
def desk_contacts(worst, severity, status, due_week, age, reluctance, relation, week, key, stride, p):
    """Rows that ask the desk or are signalled to it this week (ODD 7.5.2): free residents with a
    noticed problem ask with chance seek_rate * burden * desk_trust * (1 - reluctance)."""
    notice, seek, other_weight, trust, rate_school, rate_gp, rate_housing = p
    come = np.empty(len(worst), np.intp)
    k = 0
    for i in range(len(worst)):
        if status[i] != NONE or due_week[i] > week or worst[i] < notice:
            continue
        ask = seek * burden(severity, i, worst[i], other_weight) * trust * (1.0 - reluctance[i])
        signal, _ = signal_chances(severity, i, age[i] == YOUTH, relation, notice, rate_school, rate_gp,
                                   rate_housing)
        if (counter_uniform(key, stride, N_ROUTES, week, i, 0) < ask
                or counter_uniform(key, stride, N_ROUTES, week, i, 1) < signal):
            come[k] = i
            k += 1
    return come[:k]


@njit(cache=True)
def team_contacts(worst, severity, status, due_week, age, familiarity, reluctance, trust, exposure, relation,
                  week, key, stride, p):
    """Rows reaching the team this week and their route (ODD 7.5.3). Residents open up to
    professionals they know: outreach finds a problem with chance detect_rate * exposure *
    burden * familiarity * (1 - reluctance'), a resident asks with seek_rate * burden * trust *
    (1 - reluctance'), reluctance' = reluctance * (1 - familiarity); otherwise partners signal,
    and the GP refers part of those it signals directly to the second line."""
    (notice, close, indication, detect, seek, other_weight, gp_direct, rate_school, rate_gp, rate_housing) = p
    rows = np.empty(len(worst), np.intp)
    route = np.empty(len(worst), np.int8)
    k = 0
    for i in range(len(worst)):
        if status[i] != NONE or due_week[i] > week or worst[i] < min(close, notice):
            continue
        weight = burden(severity, i, worst[i], other_weight)
        shy = reluctance[i] * (1.0 - familiarity[i])
        found = detect * exposure[i] * weight * familiarity[i] * (1.0 - shy) if worst[i] >= close else 0.0
        ask = seek * weight * trust[i] * (1.0 - shy) if worst[i] >= notice else 0.0
        signal, gp = signal_chances(severity, i, age[i] == YOUTH, relation, notice, rate_school, rate_gp,
                                    rate_housing)
        draw_partner = counter_uniform(key, stride, N_ROUTES, week, i, 2)
        if counter_uniform(key, stride, N_ROUTES, week, i, 0) < found:
            route[k] = OUTREACH
        elif counter_uniform(key, stride, N_ROUTES, week, i, 1) < ask:
            route[k] = SELF
        elif draw_partner < signal:
            direct = draw_partner < gp * gp_direct and worst[i] >= indication
            route[k] = GP_DIRECT if direct else PARTNER
        else:
            continue
        rows[k] = i
        k += 1
    return rows[:k], route[:k]


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

    def _to_the_desk(self) -> None:
        """The traditional route: residents ask the desk or the GP, partners signal to it."""
        res, p = self.residents, self.p
        rates = (p.notice_threshold, p.seek_rate, p.burden_other_weight, p.desk_trust, p.signal_rate_school,
                 p.signal_rate_gp, p.signal_rate_housing)
        relation = np.full(3, p.partner_relation_traditional)
        self.desk_handles(desk_contacts(self.model.problems.worst, res.severity, res.status, res.due_week, res.age,
                                        res.reluctance, relation, self.model.week, self.chances.key_u64,
                                        self.chances.stride, rates))

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
        """Rows reaching the team this week, by route (outreach, self-referral, partner signal);
        the GP's direct referrals go onto a waiting list instead."""
        res, p, week = self.residents, self.p, self.model.week
        rates = (p.notice_threshold, p.close_threshold, p.indication_threshold, p.detect_rate, p.seek_rate,
                 p.burden_other_weight, p.gp_direct_share, p.signal_rate_school, p.signal_rate_gp,
                 p.signal_rate_housing)
        rows, route = team_contacts(self.model.problems.worst, res.severity, res.status, res.due_week, res.age,
                                    res.familiarity, res.reluctance, res.trust, self.model.presence.exposure,
                                    self.model.team.partner_relation, week, self.chances.key_u64,
                                    self.chances.stride, rates)
        direct = rows[route == GP_DIRECT]
        if len(direct):
            main = res.severity.take(direct, axis=1).argmax(axis=0)
            res.to_waiting_list(direct, SPECIALIST_OF_DOMAIN[main], week, week)
        return [rows[route == OUTREACH], rows[route == SELF], rows[route == PARTNER]]

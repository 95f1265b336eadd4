"""Access: how residents with problems come into view, and who may send them where.

In both regimes residents see their GP, who refers to youth care and GGZ
(after the practice's own POH-GGZ for lighter mental problems) and passes
what it cannot refer on to the municipal access; households apply for debt
counselling themselves, years late, and get an urgent appointment when
eviction or a cut-off threatens; a court or certified institution places
youths in care. Under the traditional regime (no team, and during burn-in)
residents ask the municipal desk, partners signal to it, and the desk
indicates youth care, Wmo, debt counselling and work and income (not GGZ).
With a team, residents ask the team (driven by trust and familiarity, held
back by reluctance), professionals present in the wijk find problems nobody
reported (outreach), and partners whose relation with the team has grown
signal it. Hidden residents never ask and are never signalled: only outreach
finds them. The week's contacts with the team are ``arrivals``, one row list
per route, which casework takes in.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import (
    BY_ACCESS,
    BY_GP,
    KIND_OF_DOMAIN,
    MENTAL,
    REFERS,
    ROUTE_ACCESS,
    ROUTE_COURT,
    ROUTE_GP,
    ROUTE_OWN,
    SPEC_DEBT,
    SPEC_WMO,
    SPEC_YOUTH,
    YOUTH,
)

from ..counter_rng import CounterUniforms
from .access_loops import (
    GP_PARTNER,
    N_PURPOSES,
    OUTREACH,
    PARTNER,
    SELF,
    U_PASS,
    court_orders,
    debt_applications,
    desk_contacts,
    gp_visits,
    team_contacts,
    wmo_applications,
)
from .base import Module


def referable_worst(severity: np.ndarray, age: np.ndarray, rows: np.ndarray, referrer: int):
    """For each of ``rows``: the kind of the worst problem ``referrer`` (GP or access) may send on,
    and that problem's severity (0 where it may send nothing)."""
    kinds = KIND_OF_DOMAIN[age[rows]]  # rows x domains
    allowed = REFERS[referrer][kinds]
    severities = np.where(allowed, severity[:, rows].T, 0.0)
    worst = severities.argmax(axis=1)
    index = np.arange(len(rows))
    return kinds[index, worst], severities[index, worst]


class Access(Module):
    """First contacts by route, the GP's and the desk's answers, applications and court orders."""

    COUNTS = ("desk_requests", "gp_referrals", "poh_consultations", "debt_applications",
              "urgent_debt_appointments", "wmo_applications", "court_orders")

    def __init__(self, model):
        super().__init__(model)
        # weekly chances of each route, drawn only for residents who could take it
        self.chances = CounterUniforms(model.rng_contacts, self.residents.n, N_PURPOSES)
        self.arrivals: list[np.ndarray] = []
        self.gp_signals = np.empty(0, np.intp)  # residents the GP passes to the team this week

    def step(self) -> None:
        self.gp_handles(self._gp_visits())
        if self.model.team is None:
            self._to_the_desk()
        else:
            self.arrivals = self._to_the_team()
        self._debt_applications()
        self._wmo_applications()
        self._court_orders()

    # -- the GP, in both regimes ---------------------------------------------------

    def _gp_visits(self) -> np.ndarray:
        res, p = self.residents, self.p
        return gp_visits(self.model.problems.worst, res.severity, res.status, res.due_week, res.hidden, res.age,
                         self.model.week, self.chances.key_u64, self.chances.stride,
                         (p.notice_threshold, p.gp_visit_rate, p.burden_other_weight))

    def gp_handles(self, rows: np.ndarray) -> None:
        """The GP refers to youth care or GGZ above the indication threshold; the POH-GGZ sees
        lighter mental problems; what the GP cannot refer (Wmo, debt) it passes to the municipal
        access (the desk, or the team as far as their relation allows)."""
        res, p, week = self.residents, self.p, self.model.week
        if len(rows) == 0:
            return
        kind, severity = referable_worst(res.severity, res.age, rows, BY_GP)
        referred = severity >= p.indication_threshold
        self.count["gp_referrals"] += int(referred.sum())
        self.model.second_line.refer(rows[referred], kind[referred], ROUTE_GP)
        rest = rows[~referred]
        poh = rest[(res.severity[MENTAL, rest] >= p.notice_threshold) & (res.age[rest] != YOUTH)]
        res.severity[MENTAL, poh] = np.maximum(res.severity[MENTAL, poh] - p.poh_effect, 0.0)
        self.count["poh_consultations"] += len(poh)
        heavy = rest[self.model.problems.worst[rest] >= p.indication_threshold]
        passed = heavy[self.chances.draw(week, heavy)[U_PASS] < self._relation()[GP_PARTNER]]
        res.due_week[np.setdiff1d(rest, passed)] = week + int(p.ask_again_weeks)  # seen, not again for a while
        if self.model.team is None:
            self.desk_handles(passed)
        else:
            self.gp_signals = passed

    def _relation(self) -> np.ndarray:
        team = self.model.team
        return team.partner_relation if team is not None else np.full(3, self.p.partner_relation_traditional)

    # -- the municipal desk (the traditional regime) -------------------------------

    def _to_the_desk(self) -> None:
        """The traditional route: residents ask the desk, partners signal to it."""
        res, p = self.residents, self.p
        rates = (p.notice_threshold, p.seek_rate, p.burden_other_weight, p.desk_trust, p.signal_rate_school,
                 p.signal_rate_housing)
        self.desk_handles(desk_contacts(self.model.problems.worst, res.severity, res.status, res.due_week,
                                        res.hidden, res.age, res.reluctance, self._relation(), self.model.week,
                                        self.chances.key_u64, self.chances.stride, rates))

    def desk_handles(self, rows: np.ndarray) -> None:
        """The municipal desk indicates youth care, Wmo, debt counselling or work and income after
        an investigation; a mental problem it sends to the GP (GGZ needs a GP referral); to the
        rest it gives one-off advice."""
        res, p, week = self.residents, self.p, self.model.week
        if len(rows) == 0:
            return
        self.count["desk_requests"] += len(rows)
        kind, severity = referable_worst(res.severity, res.age, rows, BY_ACCESS)
        indicated = severity >= p.indication_threshold
        self.model.second_line.refer(rows[indicated], kind[indicated], ROUTE_ACCESS, int(p.desk_delay_weeks))
        rest = rows[~indicated]
        gp_kind, gp_severity = referable_worst(res.severity, res.age, rest, BY_GP)
        to_gp = gp_severity >= p.indication_threshold
        self.count["gp_referrals"] += int(to_gp.sum())
        self.model.second_line.refer(rest[to_gp], gp_kind[to_gp], ROUTE_GP)
        advised = rest[~to_gp]
        main = res.severity.take(advised, axis=1).argmax(axis=0)
        res.severity[main, advised] = np.maximum(res.severity[main, advised] - p.desk_advice_effect, 0.0)
        res.due_week[advised] = week + int(p.ask_again_weeks)  # advised residents do not ask again for a while

    def desk_decides(self, requests: int) -> None:
        """The desk decides on ``requests`` provisions the team proposed (mandate 'none')."""
        self.count["desk_requests"] += requests

    # -- the team --------------------------------------------------------------------

    def _to_the_team(self) -> list[np.ndarray]:
        """Rows reaching the team this week, by route (outreach, self-referral, partner signal,
        the GP's signals among the partners')."""
        res, p, week = self.residents, self.p, self.model.week
        rates = (p.notice_threshold, p.close_threshold, p.detect_rate, p.seek_rate, p.burden_other_weight,
                 p.signal_rate_school, p.signal_rate_housing)
        rows, route = team_contacts(self.model.problems.worst, res.severity, res.status, res.due_week, res.hidden,
                                    res.age, res.familiarity, res.reluctance, res.trust, self.model.presence.exposure,
                                    self.model.team.partner_relation, week, self.chances.key_u64,
                                    self.chances.stride, rates)
        signalled, self.gp_signals = self.gp_signals, np.empty(0, np.intp)
        keep = ~np.isin(rows, signalled)
        rows, route = rows[keep], route[keep]
        return [rows[route == OUTREACH], rows[route == SELF], np.concatenate([rows[route == PARTNER], signalled])]

    # -- routes without a referrer ------------------------------------------------------

    def _debt_applications(self) -> None:
        """Own applications for debt counselling, and urgent appointments under acute threat."""
        res, p, second_line = self.residents, self.p, self.model.second_line
        helped = np.zeros(res.n_households, bool)
        helped[res.household[second_line.rows_of_kind(SPEC_DEBT)]] = True
        rows, urgent = debt_applications(res.severity, self.model.problems.household_debt, res.status,
                                         res.due_week, res.hidden, res.household, helped, self.model.week,
                                         self.chances.key_u64, self.chances.stride,
                                         (p.indication_threshold, p.crisis_threshold, p.debt_application_rate,
                                          p.acute_threat_rate))
        self.count["debt_applications"] += len(rows)
        self.count["urgent_debt_appointments"] += int(urgent.sum())
        second_line.refer(rows, np.full(len(rows), SPEC_DEBT, np.int8), ROUTE_OWN, urgent=urgent)

    def _wmo_applications(self) -> None:
        """Applications for Wmo support at home for a lasting limitation, at the municipal access
        in both regimes; decided by the desk, or by the team as fast as its mandate allows."""
        res, p = self.residents, self.p
        rows = wmo_applications(res.limitation, res.status, res.due_week, res.hidden, self.model.week,
                                self.chances.key_u64, self.chances.stride,
                                (p.indication_threshold, p.wmo_application_rate))
        self.count["wmo_applications"] += len(rows)
        policy = None if self.model.team is None else self.model.casework.policy
        if policy is None or policy.by_desk:
            self.count["desk_requests"] += len(rows)
        delay = int(p.desk_delay_weeks) if policy is None else policy.delay_weeks
        self.model.second_line.refer(rows, np.full(len(rows), SPEC_WMO, np.int8), ROUTE_ACCESS, delay)

    def _court_orders(self) -> None:
        """Child protection: a court or certified institution places a youth in youth care."""
        res, p = self.residents, self.p
        rows = court_orders(res.severity, res.status, res.age, self.model.week, self.chances.key_u64,
                            self.chances.stride, (p.severe_threshold, p.court_order_rate))
        self.count["court_orders"] += len(rows)
        self.model.second_line.refer(rows, np.full(len(rows), SPEC_YOUTH, np.int8), ROUTE_COURT)

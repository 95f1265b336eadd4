"""Problems in seven life domains: life events, worsening, spill-over, recovery and help.

The module owns the week's shared problem state: ``worst`` (each resident's
worst severity, which most decisions read), ``relief`` (the severity removed
this week, domains x residents: self-recovery first, then what professionals,
specialists and volunteers add) and ``engaged`` (0-1, how far a resident's
problems are being worked on, which stops them from worsening).

Spill-over: a problem above the floor feeds the others; debt is the hub
(seed 001), spilling strongly into every domain and fed by every other
problem (lost income, extra costs). Debt stress is the household's.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import (
    ADULT,
    DEBT,
    ELDERLY,
    HOUSING,
    ISOLATION,
    MENTAL,
    N_DOMAINS,
    NONE,
    PARENTING,
    PHYSICAL,
    WORK,
    YOUTH,
)

from ..residents import SEVERITY_DTYPE
from .base import Module


def incidence_by_age(p) -> np.ndarray:
    """Yearly incidence of a new problem per life domain (rows) and age group (columns)."""
    table = np.zeros((N_DOMAINS, 3))
    age = np.arange(3)
    adult_like = age != YOUTH
    elderly = age == ELDERLY
    table[DEBT] = p.incidence_debt * adult_like
    table[MENTAL] = p.incidence_mental
    table[PHYSICAL] = p.incidence_physical * np.where(elderly, p.elderly_physical_factor, 1.0)
    table[PARENTING] = p.incidence_parenting * (age == YOUTH)
    table[ISOLATION] = p.incidence_isolation * np.where(elderly, p.elderly_isolation_factor, 1.0)
    table[WORK] = p.incidence_work * (age == ADULT)
    table[HOUSING] = p.incidence_housing * adult_like
    return table


class Problems(Module):
    """Life events at the start of the week, the weekly update after all help is in."""

    def __init__(self, model):
        super().__init__(model)
        n = self.residents.n
        self.rng = model.rng_events
        self.worst = np.zeros(n, SEVERITY_DTYPE)
        self.household_debt = np.zeros(n, SEVERITY_DTYPE)  # the most indebted member's debt
        self.relief = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)
        self.engaged = np.zeros(n, SEVERITY_DTYPE)

    def begin_week(self) -> None:
        """New problems, then the week's buffers."""
        self.life_events()
        self.start_buffers()

    def start_buffers(self) -> None:
        """The week's worst severity and household debt, relief from self-recovery, nobody engaged."""
        res, p = self.residents, self.p
        start_buffers(res.severity, res.resilience, res.household_starts, self.worst, self.household_debt,
                      self.relief, self.engaged, p.recovery_rate, p.debt_recovery_factor)

    def life_events(self) -> None:
        """New problems: one uniform draw per resident decides whether and where."""
        res, p = self.residents, self.p
        u = self.rng.random(res.n, dtype=np.float32)
        # three more uniforms per event: its severity, whether it is acute, whether it costs money
        draws = self.rng.random((3, np.count_nonzero(u < res.hazard_total)))
        life_events(u, draws, res.hazard, res.hazard_total, res.eligible, res.severity, p.event_severity,
                    p.event_severity_spread, p.acute_event_share, p.debt_cooccurrence, p.debt_cooccurrence_severity)

    def progress(self) -> None:
        """One week of worsening, spill-over and relief; then this week's worst severity."""
        res, p = self.residents, self.p
        progress(res.severity, res.eligible, self.relief, self.engaged, self.household_debt, res.relapse_until,
                 res.limitation, self.model.week, p.worsening_rate, p.relapse_factor, p.spill_floor, p.spill_other,
                 p.spill_from_debt, p.spill_into_debt, self.worst)

    def beyond_limitation(self, rows: np.ndarray) -> np.ndarray:
        """The worst of ``rows``' problems that help can still change: the physical problem counts
        only as far as it exceeds the resident's lasting limitation."""
        res = self.residents
        severity = res.severity.take(rows, axis=1)
        severity[PHYSICAL] -= res.limitation.take(rows)
        return severity.max(axis=0)

    def results(self) -> dict[str, float]:
        p, n = self.p, self.residents.n
        with_problem, noticeable, unknown, total, severe = problem_census(self.worst, self.residents.status,
                                                                          p.notice_threshold, p.severe_threshold)
        return {"with_problem": with_problem, "unknown_problems": unknown, "mean_severity": total / n,
                "severe_share": severe / n, "residents_noticeable_problem": noticeable}


@njit(cache=True)
def problem_census(worst, status, notice, severe):
    """Residents with any problem, with a noticeable one (the residents' problem-years of an
    MKBA), with a noticeable one that no care route knows, the sum of
    the worst severities, and residents with a severe problem."""
    with_problem = noticeable = unknown = severe_count = 0
    total = 0.0
    for i in range(len(worst)):
        total += worst[i]
        with_problem += worst[i] > 0.0
        noticeable += worst[i] >= notice
        unknown += worst[i] >= notice and status[i] == NONE
        severe_count += worst[i] >= severe
    return with_problem, noticeable, unknown, total, severe_count


@njit(cache=True)
def start_buffers(severity, resilience, household_starts, worst, household_debt, relief, engaged,
                  recovery_rate, debt_recovery_factor):
    """Per resident: the worst severity; per household: the highest debt; self-recovery as the
    week's first relief (the same in every domain, slower for debt); engagement zero.
    Loops run domain by domain over the residents, the order the arrays are stored in."""
    n_domains, n = severity.shape
    worst[:] = severity[0]
    for d in range(1, n_domains):
        for i in range(n):
            worst[i] = max(worst[i], severity[d, i])
    for i in range(n):
        recovery = resilience[i] * recovery_rate
        relief[DEBT, i] = recovery * debt_recovery_factor
        relief[1, i] = recovery
        engaged[i] = 0.0
    for d in range(2, n_domains):
        relief[d] = relief[1]
    n_households = len(household_starts)
    for h in range(n_households):
        first = household_starts[h]
        last = household_starts[h + 1] if h + 1 < n_households else n
        debt = severity[DEBT, first]
        for i in range(first + 1, last):
            debt = max(debt, severity[DEBT, i])
        for i in range(first, last):
            household_debt[i] = debt


@njit(cache=True)
def life_events(u, draws, hazard, hazard_total, eligible, severity, event_severity, spread, acute_share,
                debt_cooccurrence, debt_cooccurrence_severity):
    """Resident i has a life event when u_i < the sum of their weekly hazards, in the domain where
    u_i falls in their cumulative hazards (ODD 7.2.1). It adds event_severity * (1 - spread / 2 +
    spread * U) to that problem, or makes it acute (severity 1) with chance acute_share (psychosis,
    domestic violence, eviction: no prevention stops them). Many events cost money (job loss,
    illness, divorce, moving): with chance debt_cooccurrence, debt grows by
    debt_cooccurrence_severity times the jump too."""
    n_domains = severity.shape[0]
    event = -1
    for i in range(len(u)):
        if u[i] >= hazard_total[i]:
            continue
        event += 1  # the event's own uniforms are draws[:, event]
        domain = 0
        cumulative = hazard[0, i]
        while cumulative < u[i] and domain < n_domains - 1:
            domain += 1
            cumulative += hazard[domain, i]
        jump = event_severity * (1.0 - 0.5 * spread + spread * draws[0, event])
        if draws[1, event] < acute_share:
            jump = 1.0
        severity[domain, i] = min(1.0, severity[domain, i] + jump)
        if domain != DEBT and eligible[DEBT, i] > 0 and draws[2, event] < debt_cooccurrence:
            severity[DEBT, i] = min(1.0, severity[DEBT, i] + debt_cooccurrence_severity * jump)


@njit(cache=True)
def progress(severity, eligible, relief, engaged, household_debt, relapse_until, limitation, week, worsening_rate,
             relapse_factor, floor, spill_other, spill_from_debt, spill_into_debt, worst):
    """The weekly update of every problem (ODD 7.2.3):

    s'_d = clip(s_d + w * s_d * (1 - s_d) + eligible_d * spill_d - relief_d, 0, 1), with the
    worsening w = worsening_rate * (1 - engaged) (times relapse_factor while relapsing): growth
    slows as a problem nears the top of the scale, so an unaddressed problem settles where its
    growth meets recovery rather than running into a crisis; the spill into
    debt spill_into_debt * (the sum of the other excesses), and into another domain
    spill_other * (the other non-debt excesses) + spill_from_debt * (the household's debt
    excess); an excess is max(s - floor, 0). The physical problem never falls below the
    resident's lasting limitation. Loops run domain by domain over the residents,
    the order the arrays are stored in.
    """
    n_domains, n = severity.shape
    worsening = np.empty(n, np.float32)
    shared = np.empty(n, np.float32)  # what every non-debt domain receives before its own excess is taken off
    other_excess = np.zeros(n, np.float32)
    for d in range(1, n_domains):
        for i in range(n):
            other_excess[i] += max(severity[d, i] - floor, 0.0)
    for i in range(n):
        worsening[i] = worsening_rate * (1.0 - engaged[i])
        if week <= relapse_until[i]:
            worsening[i] *= relapse_factor
        shared[i] = spill_other * other_excess[i] + spill_from_debt * max(household_debt[i] - floor, 0.0)
    for d in range(n_domains):
        for i in range(n):
            if d == DEBT:
                spill = spill_into_debt * other_excess[i]
            else:
                spill = shared[i] - spill_other * max(severity[d, i] - floor, 0.0)
            s = severity[d, i]
            new = s + worsening[i] * s * (1.0 - s) + eligible[d, i] * spill - relief[d, i]
            severity[d, i] = min(max(new, limitation[i] if d == PHYSICAL else 0.0), 1.0)
    worst[:] = severity[0]
    for d in range(1, n_domains):
        for i in range(n):
            worst[i] = max(worst[i], severity[d, i])

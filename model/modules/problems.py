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

from agents.vocabulary import (
    ADULT,
    DEBT,
    ELDERLY,
    HOUSING,
    ISOLATION,
    MENTAL,
    N_DOMAINS,
    NON_DEBT,
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


def add_help(relief: np.ndarray, rows: np.ndarray, amounts: np.ndarray) -> None:
    """Add ``amounts`` (domains x rows) to the week's relief of residents ``rows`` (distinct)."""
    relief[:, rows] += amounts


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
        self.household_debt = res.household_max(res.severity[DEBT])
        self.worst = res.severity.max(axis=0)
        # self-recovery: the same for every domain; debts are sticky and resolve more slowly
        np.multiply(res.resilience, p.recovery_rate, out=self.relief[NON_DEBT])
        np.multiply(self.relief[MENTAL], p.debt_recovery_factor, out=self.relief[DEBT])
        self.engaged.fill(0.0)

    def life_events(self) -> None:
        """New problems: one uniform draw per resident decides whether and where."""
        res, p = self.residents, self.p
        u = self.rng.random(res.n, dtype=np.float32)
        hit = (u < res.hazard_total).nonzero()[0]
        if len(hit) == 0:
            return
        cumulative = np.cumsum(res.hazard.take(hit, axis=1), axis=0)
        domain = (cumulative < u[hit]).sum(axis=0)
        spread = p.event_severity_spread
        jump = p.event_severity * (1.0 - 0.5 * spread + spread * self.rng.random(len(hit)))
        # some events are acute (psychosis, domestic violence, eviction): no prevention stops them
        acute = self.rng.random(len(hit)) < p.acute_event_share
        jump[acute] = 1.0
        res.severity[domain, hit] = np.minimum(1.0, res.severity[domain, hit] + jump)
        # debt co-occurs: many life events cost money (job loss, illness, divorce, moving)
        costly = (domain != DEBT) & (res.eligible[DEBT][hit] > 0) & (self.rng.random(len(hit)) < p.debt_cooccurrence)
        rows = hit[costly]
        debt = res.severity[DEBT]
        debt[rows] = np.minimum(1.0, debt[rows] + p.debt_cooccurrence_severity * jump[costly])

    def progress(self) -> None:
        """One week of worsening, spill-over and relief; then this week's worst severity."""
        res, p, week = self.residents, self.p, self.model.week
        worsening = p.worsening_rate * (1.0 - self.engaged)
        relapsing = week <= res.relapse_until
        if relapsing.any():
            worsening *= np.where(relapsing, SEVERITY_DTYPE(p.relapse_factor), SEVERITY_DTYPE(1.0))
        growth = 1.0 + worsening
        debt_excess = np.maximum(self.household_debt - p.spill_floor, SEVERITY_DTYPE(0.0))
        s = res.severity
        excess = np.maximum(s[NON_DEBT] - p.spill_floor, SEVERITY_DTYPE(0.0))
        other_excess = excess.sum(axis=0)
        spill = np.empty_like(s)
        # into a domain other than debt: every other problem's excess, and the household's debt
        spill[NON_DEBT] = p.spill_other * other_excess + p.spill_from_debt * debt_excess - p.spill_other * excess
        spill[DEBT] = other_excess * p.spill_into_debt
        spill *= res.eligible
        spill -= self.relief
        s *= growth
        s += spill
        # nothing falls below zero (no self-recovery without a problem), nothing above one
        np.clip(s, 0.0, 1.0, out=s)
        self.worst = s.max(axis=0)

    def results(self) -> dict[str, float]:
        res, p, worst, n = self.residents, self.p, self.worst, self.residents.n
        return {
            "with_problem": int(np.count_nonzero(worst > 0)),
            "unknown_problems": int(np.count_nonzero((worst >= p.notice_threshold) & (res.status == NONE))),
            "mean_severity": float(worst.sum() / n),
            "severe_share": np.count_nonzero(worst >= p.severe_threshold) / n,
        }

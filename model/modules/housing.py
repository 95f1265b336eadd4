"""Housing: tenancies of the housing corporation, and evictions for rent arrears.

A share of the dwellings is rented from the housing corporation (the tenure belongs to
the dwelling, so newcomers keep it). A corporation household whose arrears are severe
(household debt above the crisis threshold) and that nobody helps with its debts (no
member waits for or is in debt counselling, none is a case of the team) is evicted with
a small weekly chance. The corporation bears the eviction's cost; the household's adults
lose their home (their housing problem jumps to crisis level), which the second line
then meets as it meets any crisis. What the team changes is emergent: households it or
debt counselling helps are not evicted, and fewer reach severe arrears.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import HOUSING, SPEC_DEBT, TEAM, YOUTH

from .base import Module


class Housing(Module):
    """Which dwellings the corporation rents out; the week's evictions."""

    COUNTS = ("evictions",)

    def __init__(self, model):
        super().__init__(model)
        self.rng = model.rng_housing
        self.corporation_rent = self.rng.random(self.residents.n_households) < self.p.corporation_rent_share

    def evict(self) -> None:
        """This week's evictions, after the week's applications and help."""
        res, p = self.residents, self.p
        protected = np.zeros(res.n_households, bool)
        protected[res.household[self.model.second_line.rows_of_kind(SPEC_DEBT)]] = True
        protected[res.household[res.rows(TEAM)]] = True
        debt = self.model.problems.household_debt.take(res.household_starts)
        draws = self.rng.random(res.n_households)
        evicted = evictions(self.corporation_rent, protected, debt, draws, p.crisis_threshold, p.eviction_rate)
        if len(evicted) == 0:
            return
        self.count["evictions"] += len(evicted)
        rows = res.rows_of_households(evicted)
        adults = rows[res.age.take(rows) != YOUTH]
        res.severity[HOUSING, adults] = np.maximum(res.severity[HOUSING, adults], p.crisis_threshold)

    def results(self) -> dict[str, float]:
        return {"evictions": self.count["evictions"],
                "corporation_households": int(np.count_nonzero(self.corporation_rent))}


@njit(cache=True)
def evictions(corporation_rent, protected, household_debt, draws, severe_arrears, rate):
    """The households evicted this week (ODD 7.10): corporation tenants with arrears at or
    above ``severe_arrears`` whom nobody helps with their debts, each with chance ``rate``."""
    out = np.empty(len(corporation_rent), np.intp)
    k = 0
    for h in range(len(corporation_rent)):
        if corporation_rent[h] and not protected[h] and household_debt[h] >= severe_arrears and draws[h] < rate:
            out[k] = h
            k += 1
    return out[:k]

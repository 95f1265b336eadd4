"""Income support: households on bijstand, from losing their income to resolving it.

A household goes on bijstand (Participatiewet, paid by the municipality) in the week a
working-age member's work-and-income problem reaches ``bijstand_threshold``: without work
or enough income. It leaves when the household's worst such problem has fallen below
``bijstand_exit_threshold`` (work found, income settled), so a spell lasts as long as the
problem takes to come down that far. What moves it is the problem: self-recovery, the
team's help and re-integration trajectories bring it down, spill-over from debt and health
drives it up. Households that move out leave the wijk's bijstand; newcomers enter as their
problems are. The benefit is a transfer (the household's income), so it is reported beside
the care costs, not in ``cost_total``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import ADULT, WORK

from ..parameters import WEEKS_PER_YEAR
from .base import Module


class IncomeSupport(Module):
    """Which households live on bijstand; entries and exits each week."""

    COUNTS = ("bijstand_entries", "bijstand_exits")

    def __init__(self, model):
        super().__init__(model)
        res = self.residents
        self.on_bijstand = np.zeros(res.n_households, bool)
        self.generation = res.generation.take(res.household_starts)  # bumps when a household moves in
        self.update()

    def update(self) -> None:
        """This week's entries and exits, after the week's problem update."""
        res, p = self.residents, self.p
        generation = res.generation.take(res.household_starts)
        self.on_bijstand[generation != self.generation] = False  # who moved out took their benefit along
        self.generation = generation
        work = np.where(res.age == ADULT, res.severity[WORK], 0.0)
        worst = np.maximum.reduceat(work, res.household_starts)
        exit_level = min(p.bijstand_exit_threshold, p.bijstand_threshold)  # nobody leaves above the entry level
        entries, exits = bijstand_spells(self.on_bijstand, worst, p.bijstand_threshold, exit_level)
        self.count["bijstand_entries"] += entries
        self.count["bijstand_exits"] += exits

    def results(self) -> dict[str, float]:
        households = int(np.count_nonzero(self.on_bijstand))
        return {"households_bijstand": households, **self.count,
                "cost_income_support": households * self.p.cost_bijstand_year / WEEKS_PER_YEAR}


@njit(cache=True)
def bijstand_spells(on_bijstand, worst_work_problem, entry, resolved):
    """Households go on bijstand when their worst working-age work-and-income problem reaches
    ``entry`` and leave when it falls below ``resolved`` (ODD 7.11). Returns entries, exits."""
    entries = exits = 0
    for h in range(len(on_bijstand)):
        if not on_bijstand[h] and worst_work_problem[h] >= entry:
            on_bijstand[h] = True
            entries += 1
        elif on_bijstand[h] and worst_work_problem[h] < resolved:
            on_bijstand[h] = False
            exits += 1
    return entries, exits

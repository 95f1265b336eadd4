"""Income support: households living on bijstand while a work-and-income problem lasts.

A household lives on bijstand (Participatiewet, paid by the municipality) in the weeks a
working-age member's work-and-income problem is at or above ``bijstand_threshold``: without
work or enough income. What moves it is the problem: self-recovery, the team's help and
re-integration trajectories bring it down, spill-over from debt and health drives it up.
The benefit is a transfer (the household's income), so it is reported beside the care
costs, not in ``cost_total``.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import ADULT, WORK

from ..parameters import WEEKS_PER_YEAR
from .base import Module


class IncomeSupport(Module):
    """Reads the week's work-and-income problems; writes nothing back into the model."""

    def households_on_bijstand(self) -> int:
        res = self.residents
        without_income = (res.age == ADULT) & (res.severity[WORK] >= self.p.bijstand_threshold)
        return len(np.unique(res.household[without_income]))

    def results(self) -> dict[str, float]:
        households = self.households_on_bijstand()
        return {"households_bijstand": households,
                "cost_income_support": households * self.p.cost_bijstand_year / WEEKS_PER_YEAR}

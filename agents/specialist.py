"""A second-line provider (jeugdzorg, GGZ, Wmo maatwerk, schuldhulp, work and income).

It decides each week whom to admit from its waiting list, within its
planned places; crises have places of their own (the second-line module).
"""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import FixedAgent


class SpecialistAgent(FixedAgent):
    """One specialist provider with a number of planned places and a mean trajectory length."""

    def __init__(self, model, kind: int, capacity: int, mean_weeks: float, cell):
        super().__init__(model)
        self.kind = kind
        self.capacity = capacity
        self.mean_weeks = mean_weeks
        self.cell = cell

    def admit(self, occupied: int, waiting: np.ndarray) -> np.ndarray:
        """The rows to admit into the free places: the longest waiting first.

        ``waiting`` holds the rows on this provider's waiting list whose wait is
        over, longest waiting first.
        """
        free = self.capacity - occupied
        if free <= 0 or len(waiting) == 0:
            return np.empty(0, np.intp)
        return waiting[:free]

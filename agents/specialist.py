"""A second-line provider (jeugdzorg, GGZ, Wmo maatwerk, schuldhulp).

It decides each week whom to admit from its waiting list, within its
capacity; crises are admitted regardless (handled by the model).
"""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import FixedAgent

from .vocabulary import SECOND_LINE


class SpecialistAgent(FixedAgent):
    """One specialist provider with a number of concurrent trajectory slots."""

    def __init__(self, model, kind: int, capacity: int, duration_weeks: int, cell):
        super().__init__(model)
        self.kind = kind
        self.capacity = capacity
        self.duration_weeks = duration_weeks
        self.cell = cell

    def admit(self, residents, occupied: int, waiting: np.ndarray, week: int) -> np.ndarray:
        """Admit the longest-waiting clients into free slots; return their rows.

        ``waiting`` holds the rows on this provider's waiting list whose wait is
        over, longest waiting first (the model sorts them once a week for all
        providers).
        """
        free = self.capacity - occupied
        if free <= 0 or len(waiting) == 0:
            return np.empty(0, np.intp)
        admitted = waiting[:free]
        residents.status[admitted] = SECOND_LINE
        residents.crisis[admitted] = False
        residents.due_week[admitted] = week + self.duration_weeks
        return admitted

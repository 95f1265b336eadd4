"""A second-line provider (jeugdzorg, GGZ, Wmo maatwerk, schuldhulp).

It decides each week whom to admit from its waiting list, within its
capacity; crises are admitted regardless (handled by the model).
"""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import FixedAgent

from model.domains import BUDGET_OF_SPECIALIST, SECOND_LINE, SPECIALIST_KINDS, WAITING


class SpecialistAgent(FixedAgent):
    """One specialist provider with a number of concurrent trajectory slots."""

    def __init__(self, model, kind: int, capacity: int, duration_weeks: int, cell):
        super().__init__(model)
        self.kind = kind
        self.capacity = capacity
        self.duration_weeks = duration_weeks
        self.cell = cell

    @property
    def kind_name(self) -> str:
        return SPECIALIST_KINDS[self.kind]

    @property
    def budget_holder(self) -> str:
        return BUDGET_OF_SPECIALIST[self.kind]

    def admit(self, residents, occupied: int) -> np.ndarray:
        """Admit the longest-waiting eligible clients into free slots; return their rows."""
        free = self.capacity - occupied
        if free <= 0:
            return np.empty(0, np.intp)
        waiting = np.flatnonzero(
            (residents.status == WAITING) & (residents.specialist == self.kind) & (residents.timer <= 0)
        )
        if len(waiting) == 0:
            return waiting
        order = np.argsort(residents.wait_since[waiting], kind="stable")
        admitted = waiting[order[:free]]
        residents.status[admitted] = SECOND_LINE
        residents.crisis[admitted] = False
        residents.timer[admitted] = self.duration_weeks
        return admitted

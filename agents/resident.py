"""A resident: identity and household cell; problems and care status live in arrays.

The agent stands for whoever lives in one dwelling slot. When a household
moves, newcomers take the slot: the agent keeps its cell, gets a new
``generation`` and ``moved_in_week``, and the model re-draws the row in the
arrays. Re-using the agent keeps moving cheap (hundreds of moves a year).
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from model.domains import STATUSES


class ResidentAgent(CellAgent):
    """One resident, pointing at row ``row`` of the model's resident arrays."""

    def __init__(self, model, row: int, cell):
        super().__init__(model)
        self.row = row
        self.cell = cell
        self.generation = 0
        self.moved_in_week = None

    def move_in(self, week: int) -> None:
        """New residents take this dwelling slot."""
        self.generation += 1
        self.moved_in_week = week

    @property
    def severity(self):
        """Problem severity per life domain (a view into the model's arrays)."""
        return self.model.residents.severity[:, self.row]

    @property
    def status(self) -> str:
        return STATUSES[self.model.residents.status[self.row]]

    @property
    def trust(self) -> float:
        return float(self.model.residents.trust[self.row])

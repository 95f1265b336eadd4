"""A resident: identity and household cell; problems and care status live in arrays.

The agent stands for whoever lives in one dwelling slot. When a household
moves, newcomers take the slot: the agent keeps its cell, the model re-draws
the row in the arrays and bumps its ``generation``. Re-using the agent keeps
moving cheap (hundreds of moves a year).
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from .vocabulary import STATUSES


class ResidentAgent(CellAgent):
    """One resident, pointing at row ``row`` of the model's resident arrays."""

    def __init__(self, model, row: int, cell):
        super().__init__(model)
        self.row = row
        self.cell = cell

    @property
    def generation(self) -> int:
        """How many households have moved into this dwelling slot since the start."""
        return int(self.model.residents.generation[self.row])

    @property
    def moved_in_week(self) -> int | None:
        """The week the current residents moved in (None: they lived here from the start)."""
        return int(self.model.residents.moved_in_week[self.row]) if self.generation else None

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

"""A resident: identity and household cell; problems and care status live in arrays."""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from model.domains import STATUSES


class ResidentAgent(CellAgent):
    """One resident, pointing at row ``row`` of the model's resident arrays."""

    def __init__(self, model, row: int, cell):
        super().__init__(model)
        self.row = row
        self.cell = cell

    @property
    def severity(self):
        """Problem severity per life domain (a view into the model's arrays)."""
        return self.model.residents.severity[self.row]

    @property
    def status(self) -> str:
        return STATUSES[self.model.residents.status[self.row]]

    @property
    def trust(self) -> float:
        return float(self.model.residents.trust[self.row])

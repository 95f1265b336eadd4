"""A volunteer of the zero line: a resident who gives hours.

The pool's weekly bookkeeping (hours, load, drop-out) is vectorised in
``model.modules.volunteers``; the agent carries identity and place.
"""

from __future__ import annotations

from mesa.discrete_space import CellAgent


class VolunteerAgent(CellAgent):
    """A volunteer living at a resident's household cell."""

    def __init__(self, model, row: int, cell):
        super().__init__(model)
        self.row = row  # the resident row of the volunteer
        self.cell = cell

"""Costs: the week's spending by budget holder, from what the other modules did this week.

The team costs its FTE; volunteers cost coordination per hour given; the
desk costs per request and a poor provision decision its rework; a second-line
trajectory costs its provider's weekly price (more when it began in crisis)
and a crisis entry a one-off cost on top.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import BUDGET_OF_SPECIALIST, SECOND_LINE, SPECIALIST_KINDS

from ..parameters import WEEKS_PER_YEAR
from .base import Module

BUDGET_HOLDERS = ("municipality_team", "municipality_youth", "municipality_wmo", "insurer")


class Costs(Module):
    """Reads the week's activity; writes nothing back into the model."""

    def __init__(self, model):
        super().__init__(model)
        p = self.p
        self.weekly_price = np.array([p.cost_week_youth, p.cost_week_mental, p.cost_week_wmo, p.cost_week_debt])

    def second_line_by_kind(self) -> np.ndarray:
        """This week's second-line cost per specialist kind: trajectories running, crisis entries."""
        res, p = self.residents, self.p
        in_care = res.rows(SECOND_LINE)
        kind = res.specialist.take(in_care)
        per_client = self.weekly_price[kind] * np.where(res.crisis.take(in_care), p.crisis_cost_factor, 1.0)
        by_kind = np.bincount(kind, weights=per_client, minlength=len(SPECIALIST_KINDS))
        return by_kind + self.model.second_line.crisis_by_kind * p.crisis_entry_cost

    def results(self) -> dict[str, float]:
        model, p = self.model, self.p
        team_fte = model.team.fte() if model.team is not None else 0.0
        cost_team = team_fte * p.cost_fte_year / WEEKS_PER_YEAR
        by_kind = self.second_line_by_kind()
        cost_desk = model.access.count["desk_requests"] * p.cost_desk_request
        cost_poor = model.casework.count["poor_decisions"] * p.cost_poor_decision
        cost_volunteers = model.volunteers.hours_given * p.cost_volunteer_hour
        budgets = {"municipality_team": cost_team + cost_volunteers, "municipality_youth": 0.0,
                   "municipality_wmo": cost_desk + cost_poor, "insurer": 0.0}
        for kind, holder in enumerate(BUDGET_OF_SPECIALIST):
            budgets[holder] += by_kind[kind]
        cost_second_line = float(by_kind.sum())
        cost_total = cost_team + cost_second_line + cost_volunteers + cost_desk + cost_poor
        years = max(model.week, 0) / WEEKS_PER_YEAR
        out = {f"cost_{holder}": budgets[holder] for holder in BUDGET_HOLDERS}
        out.update({"cost_team": cost_team, "cost_second_line": cost_second_line, "cost_volunteers": cost_volunteers,
                    "cost_desk": cost_desk, "cost_total": cost_total,
                    "cost_total_discounted": cost_total / (1.0 + p.discount_rate) ** years})
        return out

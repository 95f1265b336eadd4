"""Costs: the week's spending by budget holder, from what the other modules did this week.

The team costs its FTE (the Zvw pays the share of the nurses' hours the
insurer contracts); volunteers cost coordination per hour given; the desk
costs per request and a poor provision decision its rework. A second-line
trajectory costs its provider's weekly price (more in crisis care) and a
crisis entry a one-off cost on top; a provision the team or desk granted
costs a share of that price, lighter care after a trajectory its own weekly
price. Each kind is paid by the budget the law assigns it.

Beside the care costs (``cost_total``) stand the costs of other actors an MKBA counts:
the housing corporation's cost of evictions (here) and the bijstand benefits (the
income-support module), which are transfers to the household.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import BUDGET_OF_SPECIALIST, CARE, LIGHTER, N_KINDS, ROUTE_CRISIS, SECOND_LINE

from ..parameters import WEEKS_PER_YEAR
from .base import Module

BUDGET_HOLDERS = ("municipality_team", "municipality_youth", "municipality_wmo", "municipality_debt",
                  "municipality_work", "insurer")


class Costs(Module):
    """Reads the week's activity; writes nothing back into the model."""

    def __init__(self, model):
        super().__init__(model)
        p = self.p
        self.weekly_price = np.array([p.cost_week_youth, p.cost_week_mental, p.cost_week_wmo, p.cost_week_debt,
                                      p.cost_week_work])

    def second_line_by_kind(self) -> np.ndarray:
        """This week's second-line cost per kind: trajectories running, crisis entries."""
        res, p = self.residents, self.p
        in_care = res.rows(SECOND_LINE)
        kind = res.specialist.take(in_care)
        per_client = self.weekly_price[kind] * np.where(res.crisis.take(in_care), p.crisis_cost_factor, 1.0)
        by_kind = np.bincount(kind, weights=per_client, minlength=N_KINDS)
        return by_kind + self.model.second_line.entries[:, ROUTE_CRISIS] * p.crisis_entry_cost

    def provisions_by_kind(self) -> np.ndarray:
        """This week's cost of the provisions the team or desk granted to team cases, per kind."""
        running = self.model.second_line.provisions_running()
        kind = self.residents.provision_kind.take(running)
        return np.bincount(kind, minlength=N_KINDS) * self.weekly_price * self.p.provision_price_share

    def lighter_care_by_kind(self) -> np.ndarray:
        """This week's cost of lighter care after a trajectory, per kind of that trajectory."""
        res = self.residents
        kind = res.specialist.take(res.rows(LIGHTER))
        return np.bincount(kind, minlength=N_KINDS) * self.p.cost_week_lighter_care

    def results(self) -> dict[str, float]:
        model, p = self.model, self.p
        team = model.team
        fte_cost = p.cost_fte_year / WEEKS_PER_YEAR
        cost_team = team.fte() * fte_cost if team is not None else 0.0
        nursing = team.fte(CARE) * fte_cost * p.nursing_insurer_share if team is not None else 0.0
        specialists = self.second_line_by_kind()
        provisions = self.provisions_by_kind()
        lighter = self.lighter_care_by_kind()
        cost_desk = model.access.count["desk_requests"] * p.cost_desk_request
        cost_poor = model.casework.count["poor_decisions"] * p.cost_poor_decision
        cost_volunteers = model.volunteers.hours_given * p.cost_volunteer_hour
        cost_evictions = model.housing.count["evictions"] * p.cost_eviction_corporation
        budgets = dict.fromkeys(BUDGET_HOLDERS, 0.0)
        budgets["municipality_team"] = cost_team - nursing + cost_volunteers
        budgets["insurer"] = nursing
        budgets["municipality_wmo"] = cost_desk + cost_poor
        for kind, holder in enumerate(BUDGET_OF_SPECIALIST):
            budgets[holder] += specialists[kind] + provisions[kind] + lighter[kind]
        cost_second_line = float(specialists.sum())
        cost_total = sum(budgets.values())
        years = max(model.week, 0) / WEEKS_PER_YEAR
        out = {f"cost_{holder}": budgets[holder] for holder in BUDGET_HOLDERS}
        out.update({"cost_team": cost_team, "cost_second_line": cost_second_line, "cost_volunteers": cost_volunteers,
                    "cost_desk": cost_desk, "cost_provisions": float(provisions.sum()),
                    "cost_lighter_care": float(lighter.sum()), "cost_insurer_nursing": nursing,
                    "cost_housing_corporation": cost_evictions,
                    "cost_total": cost_total,
                    "cost_total_discounted": cost_total / (1.0 + p.discount_rate) ** years})
        return out

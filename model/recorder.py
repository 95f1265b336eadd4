"""Weekly outputs: one preallocated array per column, turned into a DataFrame at the end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from agents.vocabulary import ENTRY_ROUTES, SPECIALIST_KINDS

from .parameters import WEEKS_PER_YEAR

# The columns of interface.md, then the model's own additions.
INTERFACE_COLUMNS = (
    "residents", "second_line_entries", "crisis_entries", "planned_entries", "in_second_line",
    "team_caseload", "team_competence", "mean_trust", "first_contact_severity", "cases_with_debt_share",
    "presence_hours", "casework_hours", "coordination_hours", "admin_hours", "volunteer_hours",
    "active_volunteers", "grid_coverage", "cost_team", "cost_second_line", "cost_volunteers",
)
EXTRA_COLUMNS = (
    "networking_hours", "waiting", "followed", "with_volunteer", "with_problem", "unknown_problems",
    "mean_severity", "severe_share", "first_contacts", "contacts_outreach", "contacts_self",
    "contacts_partner", "team_size", "team_fte", "caseload_per_fte", "team_integration",
    "team_overload", "mean_familiarity", "partner_relation", "leavers", "volunteer_dropouts",
    "group_members", "one_off_tasks", "refused_referrals", "deescalations", "desk_requests",
    "poor_decisions", "desk_refusals", "reopened", "triaged", "cost_desk", "cost_municipality_team", "cost_municipality_youth",
    "cost_municipality_wmo", "cost_insurer", "cost_total", "cost_total_discounted", "provision_wait_weeks",
    "youths", "adults", "households", "households_problematic_debt", "households_problematic_debt_known", "cost_municipality_debt",
    "cost_municipality_work", "cost_provisions", "cost_lighter_care", "cost_insurer_nursing", "lighter_care", "to_lighter_care",
    "debt_arrangements", "crises_without_place", "gp_referrals", "poh_consultations", "debt_applications",
    "urgent_debt_appointments", "wmo_applications", "court_orders", "debt_referrals_declined", "provision_entries", "clogged_hours",
    # the other actors of an MKBA: the housing corporation, income support, the residents
    "evictions", "corporation_households", "cost_housing_corporation", "households_bijstand",
    "bijstand_entries", "bijstand_exits", "cost_income_support", "residents_noticeable_problem",
)
# per second-line kind: entries (all routes, provisions the team grants included), crisis entries,
# residents in care, arrivals on the waiting list (referrals and applications), residents waiting,
# and entries by route
KIND_COLUMNS = tuple(
    column
    for kind in SPECIALIST_KINDS
    for column in (f"entries_{kind}", f"crisis_entries_{kind}", f"in_care_{kind}", f"referrals_{kind}",
                   f"waiting_{kind}",
                   *(f"entries_{kind}_{route}" for route in ENTRY_ROUTES))
)
COLUMNS = INTERFACE_COLUMNS + EXTRA_COLUMNS + KIND_COLUMNS


class Recorder:
    """Holds the weekly outputs of one run."""

    def __init__(self, first_week: int, n_weeks: int):
        self.first_week = first_week
        # one row per column: a week is written in one assignment, a column read as a row
        self._table = np.full((len(COLUMNS), n_weeks), np.nan)
        self._row = {name: i for i, name in enumerate(COLUMNS)}
        self.n = 0

    def record(self, values: dict[str, float]) -> None:
        """Store one week; ``values`` must hold every column, and nothing else."""
        if len(values) != len(COLUMNS):
            unknown = sorted(set(values) - set(COLUMNS))
            missing = sorted(set(COLUMNS) - set(values))
            raise KeyError(f"outputs do not match the recorder's columns: missing {missing}, unknown {unknown}")
        self._table[:, self.n] = [values[name] for name in COLUMNS]
        self.n += 1

    def column(self, name: str, start: int = 0) -> np.ndarray:
        """The weeks recorded so far of one column, from row ``start`` on."""
        return self._table[self._row[name], start:self.n]

    def frame(self) -> pd.DataFrame:
        weeks = np.arange(self.first_week, self.first_week + self.n)
        columns = {"week": weeks, "year": np.floor_divide(weeks, WEEKS_PER_YEAR)}
        columns.update((name, self.column(name)) for name in COLUMNS)
        return pd.DataFrame(columns)

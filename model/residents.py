"""Residents as arrays, and the transitions between care statuses, each written once.

Per-resident state lives here in numpy arrays owned by the model (Starsim's
"people as arrays"); the Mesa ``ResidentAgent`` objects carry identity and a
place on the grid and point into these arrays by row. A row is a dwelling
slot: when a household moves out, the demography module re-draws the row for
the newcomers.

Every change of a resident's care status goes through one of the methods
below, so that what "to the waiting list" or "close a case" means is written
in one place. Timers are kept as the week they end (``due_week``,
``provision_due``, ``relapse_until``): nothing is counted down.
"""

from __future__ import annotations

import functools

import numpy as np

from agents.vocabulary import FOLLOWED, LIGHTER, N_DOMAINS, NONE, SECOND_LINE, TEAM, VOLUNTEER, WAITING

# severities are scores from 0 to 1 that change by thousandths a week: single precision
# holds them to seven digits
SEVERITY_DTYPE = np.float32

# a week that has always passed: no timer running
LONG_AGO = np.iinfo(np.int32).min
# provision_due of a case that has not asked for a provision (a decided one holds a real week)
NOT_ASKED = LONG_AGO


def transition(change):
    """A change of state for residents ``rows``; for no residents it does nothing (and costs nothing)."""
    @functools.wraps(change)
    def apply(self, rows, *args, **kwargs):
        if len(rows):
            change(self, rows, *args, **kwargs)
    return apply


class Residents:
    """State of every resident, one row each; households are runs of consecutive rows."""

    def __init__(self, n: int, household_cells: np.ndarray, rng: np.random.Generator):
        self.n = n
        self.n_households = n_households = len(household_cells)
        # every household gets at least one member, the rest are spread randomly
        household = np.concatenate(
            [np.arange(n_households), rng.integers(0, n_households, max(0, n - n_households))]
        )[:n]
        self.household = np.sort(household).astype(np.int32)
        self.household_starts = np.concatenate([[0], np.diff(self.household).nonzero()[0] + 1])
        self.x = household_cells[self.household, 0].astype(np.intp)  # the household's dwelling
        self.y = household_cells[self.household, 1].astype(np.intp)

        # drawn by the demography module when residents move in
        self.age = np.zeros(n, np.int8)
        self.place = np.zeros(n, np.int8)  # school, GP practice or community centre
        self.self_reliance = np.zeros(n)
        self.network = np.zeros(n)
        self.reluctance = np.zeros(n)
        self.limited = np.zeros(n, bool)  # lasting limits to self-reliance
        # a lasting physical limitation (in ADL/HDL): the self-care problem never falls below it
        self.limitation = np.zeros(n, SEVERITY_DTYPE)
        self.hidden = np.zeros(n, bool)  # never asks and is never signalled: only outreach finds them
        self.can_volunteer = np.zeros(n, bool)  # adults and elderly without lasting limits
        self.resilience = np.zeros(n, SEVERITY_DTYPE)
        self.generation = np.zeros(n, np.int32)  # bumps when new residents take the row
        self.moved_in_week = np.zeros(n, np.int32)

        # problems, domain-major (domains x residents)
        self.hazard = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)  # weekly chance of a new problem
        self.hazard_total = np.zeros(n, SEVERITY_DTYPE)
        self.eligible = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)  # 1 where a problem can arise
        self.severity = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)
        self.relapse_until = np.full(n, LONG_AGO, np.int32)  # worsening faster until this week

        # the team as the resident sees it
        self.trust = np.zeros(n, np.float32)
        self.familiarity = np.zeros(n, np.float32)
        self.known = np.zeros(n, bool)  # has had a first contact with the team

        # care
        self.status = np.zeros(n, np.int8)
        self.worker = np.full(n, -1, np.int32)  # generalist slot of the case manager
        self.specialist = np.full(n, -1, np.int8)  # specialist kind when waiting / in care
        self.route = np.full(n, -1, np.int8)  # entry route of the current wait or trajectory
        # the week the current wait, trajectory, follow-up or pause after desk advice ends
        self.due_week = np.full(n, LONG_AGO, np.int32)
        self.wait_since = np.zeros(n, np.int32)
        self.crisis = np.zeros(n, bool)  # the current trajectory began in crisis
        self.provision_due = np.full(n, NOT_ASKED, np.int32)  # the week a provision is decided
        self.provision_kind = np.full(n, -1, np.int8)  # the kind (youth care, Wmo) of a team case's provision
        self.poor_decision = np.zeros(n, bool)  # the provision does not fit
        self.refused = np.zeros(n, bool)  # a specialist refused to take the case over
        self.volunteer_of = np.full(n, -1, np.int32)  # the volunteer's row, while matched
        self.in_group = np.zeros(n, bool)  # member of a volunteer-led group this week

    def rows(self, *statuses: int) -> np.ndarray:
        """The rows of residents in any of ``statuses``, in row order."""
        wanted = self.status == statuses[0]
        for status in statuses[1:]:
            wanted |= self.status == status
        return wanted.nonzero()[0]

    def number(self, status: int) -> int:
        """How many residents are in ``status``."""
        return int(np.count_nonzero(self.status == status))

    def household_max(self, values: np.ndarray) -> np.ndarray:
        """For each resident, the largest of ``values`` in their household."""
        return np.maximum.reduceat(values, self.household_starts).take(self.household)

    def rows_of_households(self, households: np.ndarray) -> np.ndarray:
        """The rows of the members of ``households``, in row order."""
        chosen = np.zeros(self.n_households, bool)
        chosen[households] = True
        return chosen.take(self.household).nonzero()[0]

    @transition
    def reset_care(self, rows: np.ndarray, trust: float) -> None:
        """Newcomers: no history with the team or the second line."""
        self.trust[rows] = trust
        self.familiarity[rows] = 0.0
        self.known[rows] = False
        self.status[rows] = NONE
        self.worker[rows] = -1
        self.specialist[rows] = -1
        self.route[rows] = -1
        self.due_week[rows] = LONG_AGO
        self.crisis[rows] = False
        self.provision_due[rows] = NOT_ASKED
        self.provision_kind[rows] = -1
        self.poor_decision[rows] = False
        self.refused[rows] = False
        self.relapse_until[rows] = LONG_AGO
        self.volunteer_of[rows] = -1
        self.in_group[rows] = False

    # -- transitions ------------------------------------------------------------

    @transition
    def open_case(self, rows: np.ndarray) -> None:
        """The team takes the residents on (intake, or a follow-up reopened): no provision asked yet."""
        self.status[rows] = TEAM
        self.provision_due[rows] = NOT_ASKED
        self.provision_kind[rows] = -1
        self.poor_decision[rows] = False
        self.refused[rows] = False

    @transition
    def match_volunteer(self, rows: np.ndarray, volunteers: np.ndarray) -> None:
        """The team hands the cases over to the volunteers (rows of the volunteering residents)."""
        self.status[rows] = VOLUNTEER
        self.volunteer_of[rows] = volunteers

    @transition
    def back_to_team(self, rows: np.ndarray) -> None:
        """A volunteer match ends: the case is the team's again."""
        self.volunteer_of[rows] = -1
        self.status[rows] = TEAM

    @transition
    def close(self, rows: np.ndarray, week: int) -> None:
        """Out of every care route, free to ask again."""
        self.status[rows] = NONE
        self.worker[rows] = -1
        self.due_week[rows] = week
        self.provision_kind[rows] = -1
        self.refused[rows] = False

    @transition
    def follow_up(self, rows: np.ndarray, until: int) -> None:
        """The team keeps an eye on the residents until week ``until`` (the 'sociale huisarts')."""
        self.status[rows] = FOLLOWED
        self.due_week[rows] = until

    @transition
    def lighter_care(self, rows: np.ndarray, until: int) -> None:
        """Stepped down from the second line to lighter care (maatschappelijk werk, the POH) until
        week ``until``; the specialist kind stays as the payer."""
        self.status[rows] = LIGHTER
        self.due_week[rows] = until

    @transition
    def to_waiting_list(self, rows: np.ndarray, kind: np.ndarray, week: int, ready_week: int | np.ndarray,
                        route: int) -> None:
        """On the waiting list of specialist ``kind`` by entry ``route``; admission possible from
        ``ready_week``."""
        self.status[rows] = WAITING
        self.specialist[rows] = kind
        self.route[rows] = route
        self.wait_since[rows] = week
        self.due_week[rows] = ready_week
        self.provision_kind[rows] = -1
        self.refused[rows] = False

    @transition
    def admit(self, rows: np.ndarray, kind: np.ndarray, until: np.ndarray | int, crisis: bool) -> None:
        """A second-line trajectory with specialist ``kind`` until week ``until``."""
        self.status[rows] = SECOND_LINE
        self.specialist[rows] = kind
        self.crisis[rows] = crisis
        self.due_week[rows] = until
        self.provision_kind[rows] = -1
        self.volunteer_of[rows] = -1
        self.in_group[rows] = False

    @transition
    def discharge(self, rows: np.ndarray) -> None:
        """A trajectory ends (the caller decides what follows)."""
        self.specialist[rows] = -1
        self.route[rows] = -1
        self.crisis[rows] = False

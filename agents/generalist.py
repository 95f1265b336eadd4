"""A generalist of the wijkteam: splits the week and chooses where to be seen.

Two decisions a week, both from the seeds: how the contract hours go to
casework, presence, networking, coordination and administration (caseload
crowds out presence, seed 004), and which streets to walk (coverage-seeking:
prefer the corners the team has not seen lately).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from mesa.discrete_space import CellAgent

from model.domains import BASE, CARE, CENTRE, COMMUNITY, GENERALIST_KINDS, GP, SCHOOL

HOME_PLACE = {COMMUNITY: CENTRE, CARE: GP}
MEETING_PLACES = np.array([CENTRE, SCHOOL, GP])


@dataclass
class WeekPlan:
    """Hours of one generalist in one week, by activity."""

    admin: float
    coordination: float
    networking: float
    casework: float
    presence: float
    volunteer_coordination: float
    demand: float

    @property
    def intensity(self) -> float:
        """Share of the casework the caseload asks for that gets done."""
        return 1.0 if self.demand <= 0 else self.casework / self.demand


class GeneralistAgent(CellAgent):
    """A team member of one kind (community, individual, care) in one team slot."""

    def __init__(self, model, kind: int, slot: int, cell):
        super().__init__(model)
        self.kind = kind
        self.slot = slot
        self.cell = cell
        self.started_week = model.week
        self.plan = WeekPlan(0, 0, 0, 0, 0, 0, 0)

    @property
    def kind_name(self) -> str:
        return GENERALIST_KINDS[self.kind]

    def plan_week(self, demand: float, team_size: int, hours: float, hours_in_wijk: float,
                  volunteer_coordination: float) -> WeekPlan:
        """Split the contract hours; casework comes first and eats into presence."""
        p = self.model.params
        admin = p.admin_share * hours
        coordination = p.coordination_base_hours + p.coordination_per_colleague_hours * (team_size - 1)
        networking = p.networking_share * hours_in_wijk
        available = max(0.0, hours - admin - coordination - networking)
        casework = min(demand, available)
        wijk_left = hours_in_wijk - networking - p.home_visit_share * casework
        presence = max(0.0, min(wijk_left, available - casework))
        vol_coord = min(volunteer_coordination, presence) if self.kind == COMMUNITY else 0.0
        presence -= vol_coord
        self.plan = WeekPlan(admin, coordination, networking, casework, presence, vol_coord, demand)
        return self.plan

    def walk(self, rng: np.random.Generator, neighbourhood, week: int) -> tuple[np.ndarray, np.ndarray]:
        """Outreach spots for this week's presence hours, and the hours at each.

        A share of spots is at places (community centre, school, GP practice);
        the rest is a street walk from where the professional was last week,
        chosen from a few candidate routes as the one through the cells the
        team has seen least recently.
        """
        p = self.model.params
        n_spots = int(self.plan.presence // p.hours_per_spot)
        remainder = self.plan.presence - n_spots * p.hours_per_spot
        if remainder > 1e-9:
            n_spots += 1
        if n_spots == 0:
            return np.empty((0, 2), np.intp), np.empty(0)
        hours = np.full(n_spots, p.hours_per_spot)
        if remainder > 1e-9:
            hours[-1] = remainder
        n_place = int(round(p.place_share * n_spots))
        n_street = n_spots - n_place
        places = neighbourhood.places
        home = HOME_PLACE.get(self.kind, SCHOOL)
        # part of the place hours at the member's own place, the rest at any meeting place
        place_idx = np.where(rng.random(n_place) < p.own_place_share, home, MEETING_PLACES[rng.integers(0, 3, n_place)])
        spots = [places[place_idx]]
        np.add.at(neighbourhood.place_hours, place_idx, hours[:n_place])
        if n_street:
            start = np.array(self.cell.coordinate)
            step = int(p.walk_step)
            candidates = start + np.cumsum(rng.integers(-step, step + 1, (int(p.route_candidates), n_street, 2)), axis=1)
            np.maximum(candidates, 0, out=candidates)
            np.minimum(candidates, neighbourhood.upper_corner, out=candidates)
            neglect = np.minimum(week - neighbourhood.last_seen[candidates[..., 0], candidates[..., 1]], 52)
            route = candidates[int(np.argmax(neglect.sum(axis=1)))]
            spots.append(route)
            self.cell = neighbourhood.cell_at(*route[-1])
        else:
            self.cell = neighbourhood.cell_at(*places[BASE])
        return np.concatenate(spots), hours

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

from .vocabulary import BASE, CARE, CENTRE, COMMUNITY, GP, SCHOOL

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
    in_wijk: float  # the hours in the team and the wijk this contract allows

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
        self.plan = WeekPlan(0, 0, 0, 0, 0, 0, 0, 0)

    def plan_week(self, demand: float, team_size: int, hours: float, hours_in_wijk: float,
                  volunteer_coordination: float) -> WeekPlan:
        """Split the contract hours; casework comes first and eats into presence.

        The hours in the wijk are those worked in the team and the wijk, as seed 003 counts
        its minimum of 24: team meetings, networking, home visits and presence. They can be
        no more than the contract leaves after the mother organisation's administration.
        """
        p = self.model.params
        admin = p.admin_share * hours
        in_wijk = min(hours_in_wijk, hours - admin)
        coordination = p.coordination_base_hours + p.coordination_per_colleague_hours * (team_size - 1)
        networking = p.networking_share * in_wijk
        available = max(0.0, hours - admin - coordination - networking)
        casework = min(demand, available)
        wijk_left = in_wijk - coordination - networking - p.home_visit_share * casework
        presence = max(0.0, min(wijk_left, available - casework))
        vol_coord = min(volunteer_coordination, presence) if self.kind == COMMUNITY else 0.0
        presence -= vol_coord
        self.plan = WeekPlan(admin, coordination, networking, casework, presence, vol_coord, demand, in_wijk)
        return self.plan


def walk_together(members: list[GeneralistAgent], rng: np.random.Generator, neighbourhood,
                  week: int) -> tuple[np.ndarray, np.ndarray]:
    """Every member's outreach spots for the week's presence hours, and the hours at each.

    A share of spots is at places (community centre, school, GP practice); the rest is a
    street walk from where the member was last week, chosen from a few candidate routes as
    the one through the cells the team has seen least recently (as it stood last week: the
    members do not see each other's routes of the same week). Each member decides alone.
    """
    if not members:
        return np.empty((0, 2), np.intp), np.empty(0)
    p = members[0].model.params
    spot = p.hours_per_spot
    presence = np.array([member.plan.presence for member in members])
    n_full = (presence // spot).astype(np.intp)
    remainder = presence - n_full * spot
    partial = remainder > 1e-9
    n_spots = n_full + partial  # the last spot gets the remainder
    n_place = np.rint(p.place_share * n_spots).astype(np.intp)  # half to even, like round()
    n_street = n_spots - n_place
    walkers = n_street.nonzero()[0]
    n_routes, longest = int(p.route_candidates), int(n_street.max(initial=0))
    total_place = int(n_place.sum())
    u = rng.random(2 * total_place + 2 * n_routes * longest * len(walkers))

    # place spots: at the member's own place with probability own_place_share, else at any meeting place
    own = np.repeat([HOME_PLACE.get(member.kind, SCHOOL) for member in members], n_place)
    anywhere = MEETING_PLACES.take((u[total_place : 2 * total_place] * len(MEETING_PLACES)).astype(np.intp))
    place_idx = np.where(u[:total_place] < p.own_place_share, own, anywhere)
    place_hours = np.full(total_place, spot)
    ends_at_place = partial & (n_street == 0) & (n_place > 0)  # no street walk: the last place spot is short
    place_hours[(n_place.cumsum() - 1)[ends_at_place]] = remainder[ends_at_place]
    neighbourhood.place_hours += np.bincount(place_idx, weights=place_hours, minlength=len(neighbourhood.places))
    spots, hours = [neighbourhood.places.take(place_idx, axis=0)], [place_hours]

    if len(walkers):
        # candidate routes: random walks from last week's cell, steps uniform in [-walk_step, walk_step]^2
        step = int(p.walk_step)
        starts = np.array([members[i].cell.coordinate for i in walkers.tolist()])
        moves = (u[2 * total_place :].reshape(len(walkers), n_routes, longest, 2) * (2 * step + 1)).astype(np.intp)
        candidates = starts[:, None, None, :] + (moves - step).cumsum(axis=2)
        np.maximum(candidates, 0, out=candidates)
        np.minimum(candidates, neighbourhood.upper_corner, out=candidates)
        # each route scored by its summed neglect over the member's own spots only
        on_route = np.arange(longest) < n_street[walkers][:, None]  # walker x spot
        neglect = np.minimum(week - neighbourhood.last_seen[candidates[..., 0], candidates[..., 1]],
                             int(p.neglect_cap_weeks))
        neglect *= on_route[:, None, :]
        routes = candidates[np.arange(len(walkers)), neglect.sum(axis=2).argmax(axis=1)]  # walker x spot x 2
        last = (np.arange(len(walkers)), n_street[walkers] - 1)  # each walker's last spot
        street_hours = np.full(on_route.shape, spot)
        street_hours[last] = np.where(partial[walkers], remainder[walkers], spot)
        spots.append(routes[on_route])
        hours.append(street_hours[on_route])
        ends = routes[last].tolist()
        for i, (x, y) in zip(walkers.tolist(), ends, strict=True):
            members[i].cell = neighbourhood.cell_at(x, y)
    # a member with place spots only returns to the team base; one without presence stays put
    to_base = ((n_street == 0) & (n_spots > 0)).nonzero()[0].tolist()
    if to_base:
        base = neighbourhood.cell_at(*neighbourhood.places[BASE])
        for i in to_base:
            members[i].cell = base
    return np.concatenate(spots), np.concatenate(hours)

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
from numba import njit

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
    Adds the hours at places to ``neighbourhood.place_hours`` and moves the members.
    """
    if not members:
        return np.empty((0, 2), np.intp), np.empty(0)
    p = members[0].model.params
    presence = np.array([member.plan.presence for member in members])
    home = np.array([HOME_PLACE.get(member.kind, SCHOOL) for member in members], np.intp)
    starts = np.array([member.cell.coordinate for member in members], np.intp)
    # each member draws from a row of uniforms of its own, long enough for every spot of the
    # longest week the contract allows (two per place spot, two per step of each candidate route)
    n_routes = int(p.route_candidates)
    most_spots = int(np.ceil(max(presence.max(), members[0].model.settings["team.hours_per_week"]) / p.hours_per_spot))
    u = rng.random((len(members), 2 * (n_routes + 1) * most_spots))
    spots, hours, place_hours, ends = walk(
        presence, home, starts, u, p.hours_per_spot, p.place_share, p.own_place_share, MEETING_PLACES,
        neighbourhood.places, int(p.walk_step), n_routes, neighbourhood.last_seen, week, int(p.neglect_cap_weeks))
    neighbourhood.place_hours += place_hours
    for member, (x, y) in zip(members, ends.tolist(), strict=True):
        member.cell = neighbourhood.cell_at(x, y)
    return spots, hours


@njit(cache=True)
def walk(presence, home_place, starts, u, spot_hours, place_share, own_place_share, meeting_places, places,
         step, n_routes, last_seen, week, neglect_cap):
    """The walks of ``walk_together``, member by member.

    A member's presence is cut into spots of ``spot_hours`` (the last one shorter);
    round(place_share * spots) of them are at a place (the member's own with chance
    own_place_share, otherwise any meeting place), the rest a street walk of random steps of
    up to ``step`` cells. Of ``n_routes`` candidate walks the member takes the one with the most
    neglect, the weeks since each cell was last seen (capped at ``neglect_cap``) summed over its
    spots. Member j draws its uniforms in turn from ``u[j]``. Returns the spots, their hours, the
    hours at each place and where each member ends.
    """
    width, height = last_seen.shape
    n_members = len(presence)
    capacity = 0
    for j in range(n_members):
        capacity += int(np.ceil(presence[j] / spot_hours))
    spots = np.empty((capacity, 2), np.intp)
    hours = np.empty(capacity)
    place_hours = np.zeros(len(places), np.float32)
    ends = starts.copy()
    longest = capacity
    route = np.empty((longest, 2), np.intp)
    best = np.empty((longest, 2), np.intp)
    k = 0
    for j in range(n_members):
        t = 0  # the next of member j's uniforms
        n_full = int(presence[j] // spot_hours)
        remainder = presence[j] - n_full * spot_hours
        partial = remainder > 1e-9
        n_spots = n_full + (1 if partial else 0)
        if n_spots == 0:
            continue  # no presence: the member stays where they were
        n_place = int(np.rint(place_share * n_spots))
        n_street = n_spots - n_place
        for s in range(n_place):
            if u[j, t] < own_place_share:
                place = home_place[j]
            else:
                place = meeting_places[int(u[j, t + 1] * len(meeting_places))]
            t += 2
            h = remainder if partial and n_street == 0 and s == n_place - 1 else spot_hours
            place_hours[place] += h
            spots[k, 0], spots[k, 1] = places[place, 0], places[place, 1]
            hours[k] = h
            k += 1
        if n_street == 0:
            ends[j, 0], ends[j, 1] = places[BASE, 0], places[BASE, 1]  # back to the team base
            continue
        best_neglect = -1
        for r in range(n_routes):
            x, y = starts[j, 0], starts[j, 1]
            neglect = 0
            for s in range(n_street):
                x = min(max(x + int(u[j, t] * (2 * step + 1)) - step, 0), width - 1)
                y = min(max(y + int(u[j, t + 1] * (2 * step + 1)) - step, 0), height - 1)
                t += 2
                route[s, 0], route[s, 1] = x, y
                neglect += min(week - last_seen[x, y], neglect_cap)
            if neglect > best_neglect:
                best_neglect = neglect
                best[:n_street] = route[:n_street]
        for s in range(n_street):
            spots[k, 0], spots[k, 1] = best[s, 0], best[s, 1]
            hours[k] = remainder if partial and s == n_street - 1 else spot_hours
            k += 1
        ends[j, 0], ends[j, 1] = best[n_street - 1, 0], best[n_street - 1, 1]
    return spots[:k], hours[:k], place_hours, ends

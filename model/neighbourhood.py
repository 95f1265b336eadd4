"""The neighbourhood grid: where households and places are, and where the team was.

Presence is local (seed 004: "alle hoeken en de gaten van de wijk"): hours a
professional spends at a spot are seen within a few cells of it. The presence
map is a Mesa property layer on the grid, written through its numpy array.
"""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import OrthogonalMooreGrid
from numba import njit

from agents.vocabulary import BASE, CENTRE, GP, PLACES, SCHOOL
from .parameters import Parameters


@njit(cache=True)
def spread_presence(presence, last_seen, spots, hours, radius, memory, week):
    """The presence map fades by ``memory`` and gains ``memory`` times the hours at each spot in
    every cell within ``radius`` of it (nothing beyond the edges); those cells were seen this week."""
    width, height = presence.shape
    for x in range(width):
        for y in range(height):
            presence[x, y] *= 1.0 - memory
    for k in range(len(hours)):
        for x in range(max(spots[k, 0] - radius, 0), min(spots[k, 0] + radius + 1, width)):
            for y in range(max(spots[k, 1] - radius, 0), min(spots[k, 1] + radius + 1, height)):
                presence[x, y] += memory * hours[k]
                last_seen[x, y] = week


def place_cells(width: int, height: int, p: Parameters) -> np.ndarray:
    """Fixed, readable layout from the parameter table: community centre in the middle, school
    and GP on either side, the team base off-centre (teams rarely sit in the middle)."""
    def at(x_share: float, y_share: float) -> tuple[int, int]:
        # whole cells; the small margin keeps a share such as 1/3 of 30 from rounding down to 9
        return int(x_share * width + 1e-9), int(y_share * height + 1e-9)

    cells = np.zeros((len(PLACES), 2), dtype=np.intp)
    cells[CENTRE] = at(p.centre_x_share, p.centre_y_share)
    cells[SCHOOL] = at(p.school_x_share, p.school_y_share)
    cells[GP] = at(p.gp_x_share, p.gp_y_share)
    cells[BASE] = at(p.base_x_share, p.base_y_share)
    return cells


class Neighbourhood:
    """The grid, its places, household locations and the team's presence map."""

    def __init__(self, width: int, height: int, n_households: int, p: Parameters, model_random, rng):
        self.width, self.height = width, height
        self.upper_corner = np.array([width - 1, height - 1])
        self.p = p
        self.grid = OrthogonalMooreGrid((width, height), torus=False, capacity=None, random=model_random)
        self.places = place_cells(width, height, p)
        self._cells = [[self.grid[(x, y)] for y in range(height)] for x in range(width)]
        place_flat = self.places[:, 0] * height + self.places[:, 1]
        residential = np.setdiff1d(np.arange(width * height), place_flat)
        flat = rng.choice(residential, size=n_households, replace=n_households > len(residential))
        self.household_cells = np.column_stack([flat // height, flat % height])
        self.household_flat = flat  # index into the grid's layers flattened (x-major)
        self.grid.create_property_layer("presence", default_value=0.0, dtype=np.float32)
        self.presence = self.grid.presence.data  # the layer's numpy array, updated in place
        self.last_seen = np.full((width, height), -10**6, dtype=np.int64)
        self.place_hours = np.zeros(len(PLACES), np.float32)
        self._radius = int(p.presence_radius)

    def cell_at(self, x: int, y: int):
        return self._cells[int(x)][int(y)]

    def record_presence(self, spots: np.ndarray, hours: np.ndarray, week: int) -> None:
        """Add this week's outreach spots to the moving presence map and coverage."""
        spread_presence(self.presence, self.last_seen, spots, hours, self._radius, self.p.presence_memory, week)

    def coverage(self, week: int) -> float:
        """Share of the grid the team was present in over the coverage window."""
        seen = np.count_nonzero(self.last_seen > week - self.p.coverage_window_weeks)
        return seen / self.last_seen.size

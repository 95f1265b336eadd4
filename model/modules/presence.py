"""Presence in the wijk: where the team walks, what residents see of it, familiarity and trust.

Presence is local (seed 004: "alle hoeken en de gaten van de wijk"): hours a
professional spends at a spot are seen within a few cells of it, and at the
places residents go to (school, GP practice, community centre). Seeing the
team regularly makes it familiar; familiarity makes it trusted.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.generalist import walk_together

from .base import Module


class Presence(Module):
    """The members' walks, the presence map and each resident's exposure, familiarity and trust."""

    def __init__(self, model):
        super().__init__(model)
        self.exposure = np.zeros(self.residents.n, np.float32)  # presence seen by each resident this week

    def step(self) -> None:
        model, hood = self.model, self.model.neighbourhood
        if model.team is None:
            hood.record_presence(np.empty((0, 2), np.intp), np.empty(0), model.week)
            return
        hood.place_hours.fill(0.0)
        spots, hours = walk_together(model.team.members, model.rng_walk, hood, model.week)
        hood.record_presence(spots, hours, model.week)
        res, p = self.residents, self.p
        see_the_team(hood.presence.reshape(-1), model.resident_cells, hood.place_hours, res.place, p.place_contact,
                     p.exposure_half, p.familiarity_gain, p.familiarity_decay, p.desk_trust, p.trust_max,
                     p.trust_rate, self.exposure, res.familiarity, res.trust)

    def results(self) -> dict[str, float]:
        res = self.residents
        return {"grid_coverage": self.model.neighbourhood.coverage(self.model.week),
                "mean_trust": float(res.trust.mean()), "mean_familiarity": float(res.familiarity.mean())}


@njit(cache=True)
def see_the_team(presence, cells, place_hours, place, place_contact, exposure_half, familiarity_gain,
                 familiarity_decay, desk_trust, trust_max, trust_rate, exposure, familiarity, trust):
    """Each resident's exposure to the team this week, and what it does (ODD 7.4.3):

    exposure e = presence at the dwelling + place_contact * hours at the resident's place;
    seen = e^2 / (e^2 + exposure_half^2); familiarity f += gain * seen * (1 - f) - decay * f;
    trust moves by trust_rate towards desk_trust + (trust_max - desk_trust) * f.
    """
    for i in range(len(cells)):
        e = presence[cells[i]] + place_contact * place_hours[place[i]]
        exposure[i] = e
        seen = e * e / (e * e + exposure_half * exposure_half)
        f = familiarity[i]
        f += familiarity_gain * seen * (1.0 - f) - familiarity_decay * f
        familiarity[i] = f
        target = desk_trust + (trust_max - desk_trust) * f
        trust[i] += trust_rate * (target - trust[i])

"""Presence in the wijk: where the team walks, what residents see of it, familiarity and trust.

Presence is local (seed 004: "alle hoeken en de gaten van de wijk"): hours a
professional spends at a spot are seen within a few cells of it, and at the
places residents go to (school, GP practice, community centre). Seeing the
team regularly makes it familiar; familiarity makes it trusted.
"""

from __future__ import annotations

import numpy as np

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
        res = self.residents
        place_exposure = self.p.place_contact * hood.place_hours  # one number per place
        self.exposure = hood.presence.take(model.resident_cells) + place_exposure.take(res.place)
        self._familiarity_and_trust()

    def _familiarity_and_trust(self) -> None:
        res, p = self.residents, self.p
        squared = self.exposure * self.exposure
        seen = squared / (squared + p.exposure_half**2)
        f = res.familiarity
        f += p.familiarity_gain * seen * (1.0 - f) - p.familiarity_decay * f
        target = p.desk_trust + (p.trust_max - p.desk_trust) * f
        res.trust += p.trust_rate * (target - res.trust)

    def results(self) -> dict[str, float]:
        res, n = self.residents, self.residents.n
        return {"grid_coverage": self.model.neighbourhood.coverage(self.model.week),
                "mean_trust": float(res.trust.mean()), "mean_familiarity": float(res.familiarity.mean())}

"""Demography: who lives in the wijk, and households moving out and in.

Residents get their attributes and starting problems when they move in (a
share of them hidden: they never ask and nobody signals them); a
household that moves out is replaced by newcomers who do not know the team
(the row is re-drawn and its agent's ``generation`` bumps). Problems cluster
in deprived households through a household factor with mean 1 that scales
every hazard, debt most (1% of households use 30% of social-domain spending).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import (
    CENTRE,
    DEBT,
    ELDERLY,
    GP,
    N_DOMAINS,
    PHYSICAL,
    SCHOOL,
    SECOND_LINE,
    SPEC_DEBT,
    WAITING,
    YOUTH,
    status_mask,
)

from ..parameters import WEEKS_PER_YEAR, weekly_chance
from .base import Module
from .problems import incidence_by_age

DEBT_CARE = status_mask(WAITING, SECOND_LINE)

# youths meet professionals at school, adults at the GP, elderly at the community centre
PLACE_OF_AGE = np.array([SCHOOL, GP, CENTRE], dtype=np.int8)

# newcomers' personal draws are made ahead in batches of this many (about a year's moves in a
# wijk of 10,000 residents); the batch size fixes the order of the random draws
PEOPLE_PER_BATCH = 1024


def _beta(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size)


class Demography(Module):
    """Draws residents as they move in; moves households out each week."""

    def __init__(self, model, rng_init: np.random.Generator):
        super().__init__(model)
        self.rng = model.rng_demography
        res, p = self.residents, self.p
        shares = np.array([p.share_youth, 1.0 - p.share_youth - p.share_elderly, p.share_elderly])
        self._age_cdf = np.cumsum(shares)
        self._age_cdf /= self._age_cdf[-1]
        self._incidence = incidence_by_age(p)
        self.deprivation = np.zeros(res.n_households)
        self._draw_deprivation(np.arange(res.n_households), rng_init)
        self._ahead: dict[str, np.ndarray] | None = None  # newcomers drawn ahead
        self._used = 0
        self._move_in(np.arange(res.n), self._draw_people(res.n, rng_init))

    def move(self) -> None:
        """Households move out with the yearly moving rate; newcomers take their dwellings."""
        res = self.residents
        moving = (self.rng.random(res.n_households) < weekly_chance(self.p.moving_rate)).nonzero()[0]
        if len(moving) == 0:
            return
        self._draw_deprivation(moving, self.rng)
        rows = res.rows_of_households(moving)
        self.model.volunteers.leave(rows)
        self._move_in(rows, self._next_people(len(rows)))
        res.generation[rows] += 1
        res.moved_in_week[rows] = self.model.week

    def results(self) -> dict[str, float]:
        """Who lives here this week, for rates per 1,000 youths, adults or households."""
        res = self.residents
        youths = int(np.count_nonzero(res.age == YOUTH))
        problematic = self.model.problems.household_debt.take(res.household_starts) >= self.p.problematic_debt_threshold
        # known to debt help (CBS's 'bekend bij schuldhulpverlening'): a member waits for or is in
        # debt counselling; the team's own help with debts is not counted, as CBS does not
        helped = DEBT_CARE[res.status] & (res.specialist == SPEC_DEBT)
        known = np.zeros(res.n_households, bool)
        known[res.household[helped]] = True
        return {"youths": youths, "adults": res.n - youths, "households": res.n_households,
                "households_problematic_debt": int(np.count_nonzero(problematic)),
                "households_problematic_debt_known": int(np.count_nonzero(problematic & known))}

    def _draw_deprivation(self, households: np.ndarray, rng: np.random.Generator) -> None:
        """Gamma-distributed deprivation with mean 1: the table's incidences hold at deprivation 1."""
        shape = self.p.deprivation_shape
        self.deprivation[households] = rng.gamma(shape, 1.0 / shape, len(households))

    def _draw_people(self, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The personal side of ``k`` newcomers: age, attributes and the uniforms of their
        starting problems (their household's deprivation is applied when they move in)."""
        p = self.p
        age = self._age_cdf.searchsorted(rng.random(k), side="right").astype(np.int8)
        conc = p.attribute_concentration
        self_reliance = _beta(rng, p.self_reliance_mean, conc, k)
        network = _beta(rng, p.network_mean, conc, k)
        reluctance = _beta(rng, p.reluctance_mean, conc, k)
        adult = age != YOUTH
        limited = adult & (rng.random(k) < p.limited_self_reliance_share)
        # a lasting physical limitation for some of the elderly and of those with lasting limits,
        # uniform between noticeable and limitation_severity_max
        lasting = np.where(age == ELDERLY, p.limitation_share_elderly, limited * p.limitation_share_limited)
        limitation = np.where(rng.random(k) < lasting, p.notice_threshold + rng.random(k)
                              * (p.limitation_severity_max - p.notice_threshold), 0.0).astype(np.float32)
        weight = p.resilience_self_reliance_weight
        resilience = weight * self_reliance + (1.0 - weight) * network
        # uniform on [0, 1) for whether each problem is present, then on [0, max) for its severity
        problem_draws = rng.random((2, N_DOMAINS, k))
        problem_draws[1] *= p.initial_severity_max
        hidden = rng.random(k) < p.hidden_need_share
        return {"age": age, "self_reliance": self_reliance, "network": network, "reluctance": reluctance,
                "limited": limited, "limitation": limitation, "can_volunteer": adult & ~limited, "hidden": hidden,
                "resilience": np.where(limited, resilience * p.limited_recovery_factor, resilience),
                "problem_draws": problem_draws}

    def _next_people(self, k: int) -> dict[str, np.ndarray]:
        """``k`` newcomers from those drawn ahead, a batch at a time."""
        ahead, start = self._ahead, self._used
        if ahead is None or start + k > len(ahead["age"]):
            batch = self._draw_people(max(k, PEOPLE_PER_BATCH), self.rng)
            if ahead is not None:  # keep the order: the rest of the old batch comes first
                batch = {key: np.concatenate([ahead[key][..., start:], batch[key]], axis=-1) for key in batch}
            self._ahead, self._used = batch, 0
            ahead, start = batch, 0
        self._used = start + k
        return {key: value[..., start : start + k] for key, value in ahead.items()}

    def _move_in(self, rows: np.ndarray, people: dict[str, np.ndarray]) -> None:
        """Give ``rows`` the residents ``people``: attributes, hazards, problems, no care history."""
        res, p = self.residents, self.p
        age = people["age"]
        res.age[rows] = age
        res.place[rows] = PLACE_OF_AGE.take(age)
        for name in ("self_reliance", "network", "reluctance", "limited", "limitation", "can_volunteer",
                     "resilience", "hidden"):
            getattr(res, name)[rows] = people[name]

        present, severity = people["problem_draws"]
        start_problems(rows, age, self.deprivation[res.household[rows]], self._incidence, present, severity,
                       p.initial_problem_years, WEEKS_PER_YEAR, res.hazard, res.hazard_total, res.eligible,
                       res.severity)
        res.severity[PHYSICAL, rows] = np.maximum(res.severity[PHYSICAL, rows], res.limitation[rows])
        res.reset_care(rows, p.desk_trust)


@njit(cache=True)
def start_problems(rows, age, deprivation, incidence, present, severity_draw, initial_years, weeks_per_year,
                   hazard, hazard_total, eligible, severity):
    """Newcomers' weekly hazards and starting problems (ODD 7.1.1). The yearly incidence of their
    age group is scaled by the household's deprivation (debt by its square); a problem is present
    with the chance that one arose in the last ``initial_years`` years, so that problems start
    near the steady state, where the hazards are."""
    n_domains = incidence.shape[0]
    for k in range(len(rows)):
        i = rows[k]
        total = np.float32(0.0)
        for d in range(n_domains):
            yearly = incidence[d, age[k]] * deprivation[k]
            if d == DEBT:
                yearly *= deprivation[k]
            hazard[d, i] = np.float32(yearly / weeks_per_year)
            total += hazard[d, i]  # summed as life events sum them, so a draw below it falls in a domain
            eligible[d, i] = 1.0 if yearly > 0 else 0.0
            prevalence = 1.0 - np.exp(-yearly * initial_years)
            severity[d, i] = severity_draw[d, k] if present[d, k] < prevalence else 0.0
        hazard_total[i] = total

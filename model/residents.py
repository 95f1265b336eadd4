"""Residents as arrays: attributes, problems in seven life domains, moving.

Per-resident state lives here in numpy arrays owned by the model and is updated
vectorised each week (Starsim's "people as arrays"); the Mesa ``ResidentAgent``
objects only carry identity and a place on the grid and point into these
arrays by row. A row is a dwelling slot: when a household moves out, the row
is re-drawn for the newcomers and the slot's agent starts a new generation.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import (
    ADULT,
    CENTRE,
    DEBT,
    ELDERLY,
    GP,
    HOUSING,
    ISOLATION,
    MENTAL,
    N_DOMAINS,
    NON_DEBT,
    NONE,
    PARENTING,
    PHYSICAL,
    SCHOOL,
    WORK,
    YOUTH,
)
from .parameters import Parameters


# severities are scores from 0 to 1 that change by thousandths a week: single precision
# holds them to seven digits and halves the memory every weekly pass over them reads
SEVERITY_DTYPE = np.float32

# a due week that has always passed: no timer running
LONG_AGO = np.iinfo(np.int32).min

# residents per block of the weekly problem update: a block's seven-domain arrays (about
# half a megabyte each) stay in this machine's cache; measured with benchmarks/profile_week.py
RESIDENTS_PER_BLOCK = 16_384

# newcomers' personal draws are made ahead in batches of this many (about a year's moves in a
# wijk of 10,000 residents): 210 instead of 260 us a week there (benchmarks/compare_in_place.py)
PEOPLE_PER_BATCH = 1024

# youths meet professionals at school, adults at the GP, elderly at the community centre
PLACE_OF_AGE = np.array([SCHOOL, GP, CENTRE], dtype=np.int8)


def _beta(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size)


def add_to_columns(matrix: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
    """``matrix[:, columns] += values`` for distinct ``columns``, through flat indices into the
    C-ordered ``matrix`` (numpy's two-dimensional fancy-index update is about twice as slow)."""
    if not matrix.flags.c_contiguous:
        raise ValueError("add_to_columns needs a C-ordered matrix (its flat view must not be a copy)")
    flat = (np.arange(matrix.shape[0])[:, None] * matrix.shape[1] + columns).ravel()
    matrix.reshape(-1)[flat] += values.ravel()


def incidence_by_age(p: Parameters) -> np.ndarray:
    """Yearly incidence of a new problem per life domain (rows) and age group (columns)."""
    table = np.zeros((N_DOMAINS, 3))
    age = np.arange(3)
    adult_like = age != YOUTH
    elderly = age == ELDERLY
    table[DEBT] = p.incidence_debt * adult_like
    table[MENTAL] = p.incidence_mental
    table[PHYSICAL] = p.incidence_physical * np.where(elderly, p.elderly_physical_factor, 1.0)
    table[PARENTING] = p.incidence_parenting * (age == YOUTH)
    table[ISOLATION] = p.incidence_isolation * np.where(elderly, p.elderly_isolation_factor, 1.0)
    table[WORK] = p.incidence_work * (age == ADULT)
    table[HOUSING] = p.incidence_housing * adult_like
    return table


class Residents:
    """State of every resident, one row each."""

    def __init__(self, n: int, household_cells: np.ndarray, p: Parameters, rng: np.random.Generator):
        self.n = n
        self.p = p
        n_households = len(household_cells)
        # every household gets at least one member, the rest are spread randomly
        household = np.concatenate(
            [np.arange(n_households), rng.integers(0, n_households, max(0, n - n_households))]
        )[:n]
        self.household = np.sort(household).astype(np.int32)
        self.n_households = n_households
        self.x = household_cells[self.household, 0].astype(np.intp)
        self.y = household_cells[self.household, 1].astype(np.intp)
        self.household_starts = np.concatenate([[0], np.diff(self.household).nonzero()[0] + 1])
        # household members as a padded table (slot x household; row n is a pad, dropped),
        # so the members of moving households are one gather
        sizes = np.diff(np.append(self.household_starts, n))
        self._member_table = np.full((int(sizes.max(initial=1)), n_households), n, dtype=np.intp)
        for slot in range(self._member_table.shape[0]):
            has = sizes > slot
            self._member_table[slot, has] = self.household_starts[has] + slot
        # for household maxima: households ordered largest first, so that those with a k-th
        # member are a prefix of that order; every member gathered once, slot by slot
        by_size = np.argsort(-sizes, kind="stable")
        rank = np.empty(n_households, np.intp)
        rank[by_size] = np.arange(n_households)
        self._household_rank = rank[self.household]  # each resident's household in that order
        self._households_with_slot = [int(np.count_nonzero(sizes > slot)) for slot in range(len(self._member_table))]
        self._members_by_slot = np.concatenate(
            [self.household_starts[by_size[:count]] + slot for slot, count in enumerate(self._households_with_slot)]
        )

        self.age = np.zeros(n, np.int8)
        self.place = np.zeros(n, np.int8)
        self.self_reliance = np.zeros(n)
        self.network = np.zeros(n)
        self.reluctance = np.zeros(n)
        self.limited = np.zeros(n, bool)
        self.can_volunteer = np.zeros(n, bool)  # adults and elderly without lasting limits
        self.resilience = np.zeros(n, SEVERITY_DTYPE)
        # domain-major (domains x residents): per-domain rows are contiguous, so the
        # weekly reductions over domains are fast
        self.hazard = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)
        self.hazard_total = np.zeros(n, SEVERITY_DTYPE)
        self.eligible = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)
        self.severity = np.zeros((N_DOMAINS, n), SEVERITY_DTYPE)
        self.trust = np.zeros(n, np.float32)
        self.familiarity = np.zeros(n, np.float32)
        self.status = np.zeros(n, np.int8)
        self.worker = np.full(n, -1, np.int32)  # generalist slot of the case manager
        self.specialist = np.full(n, -1, np.int8)  # specialist kind when waiting / in care
        # the week a running timer ends (waiting delay, trajectory, follow-up, pause after desk
        # advice): timers are kept as end weeks, so nothing needs counting down every week
        self.due_week = np.full(n, LONG_AGO, np.int32)
        self.wait_since = np.zeros(n, np.int32)
        self.crisis = np.zeros(n, bool)  # current trajectory began in crisis
        self.provision_wait = np.zeros(n, np.int32)  # weeks until a provision decision
        self.poor_decision = np.zeros(n, bool)
        self.relapse_timer = np.zeros(n, np.int32)
        self.known = np.zeros(n, bool)  # has had a first contact with the team
        self.volunteer_of = np.full(n, -1, np.int32)  # volunteer slot helping this resident
        self.in_group = np.zeros(n, bool)
        self.generation = np.zeros(n, np.int32)  # bumps when new residents take the row
        self.moved_in_week = np.zeros(n, np.int32)  # set by the model for newcomers
        self.debt_of_household = np.zeros(n, SEVERITY_DTYPE)  # refreshed once a week by the model
        # the weekly problem update runs block by block, so that a block's seven-domain arrays
        # stay in the processor's cache (at 100,000 residents this cuts its time by about 40%)
        n_blocks = -(-n // RESIDENTS_PER_BLOCK)
        edges = np.linspace(0, n, n_blocks + 1).round().astype(int)
        self._blocks = [slice(lo, hi) for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
        width = max((b.stop - b.start for b in self._blocks), default=0)
        self._spill = np.zeros((N_DOMAINS, width), SEVERITY_DTYPE)
        self._zeros = np.zeros(n, SEVERITY_DTYPE)  # np.maximum with a scalar is much slower than with an array

        shares = np.array([p.share_youth, 1.0 - p.share_youth - p.share_elderly, p.share_elderly])
        self._age_cdf = np.cumsum(shares)
        self._age_cdf /= self._age_cdf[-1]
        self._incidence_by_age = incidence_by_age(p)
        self.deprivation = np.zeros(n_households)
        self.draw_deprivation(np.arange(n_households), rng)
        self._people_ahead: dict[str, np.ndarray] | None = None  # newcomers drawn ahead
        self._people_used = 0
        self.draw_newcomers(np.arange(n), rng, initial=True)

    def draw_deprivation(self, households: np.ndarray, rng: np.random.Generator) -> None:
        """Gamma-distributed household deprivation with mean 1. Every hazard scales with it and
        the debt hazard with its square, so the table's incidences hold at deprivation 1."""
        shape = self.p.deprivation_shape
        self.deprivation[households] = rng.gamma(shape, 1.0 / shape, len(households))

    # -- demography -------------------------------------------------------

    def _draw_people(self, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The personal side of ``k`` newcomers: age, attributes and the uniforms of their
        starting problems (their household's deprivation is applied when they move in)."""
        p = self.p
        # the same draws as rng.choice(3, size=k, p=shares), without its per-call checks
        age = self._age_cdf.searchsorted(rng.random(k), side="right").astype(np.int8)
        conc = p.attribute_concentration
        self_reliance = _beta(rng, p.self_reliance_mean, conc, k)
        network = _beta(rng, p.network_mean, conc, k)
        reluctance = _beta(rng, p.reluctance_mean, conc, k)
        adult = age != YOUTH
        limited = adult & (rng.random(k) < p.limited_self_reliance_share)
        resilience = 0.5 * (self_reliance + network)
        # uniform on [0, 1) for whether each problem is present, then on [0, max) for its severity
        problem_draws = rng.random((2, N_DOMAINS, k))
        problem_draws[1] *= p.initial_severity_max
        return {"age": age, "place": PLACE_OF_AGE.take(age), "self_reliance": self_reliance, "network": network,
                "reluctance": reluctance, "limited": limited, "can_volunteer": adult & ~limited,
                "resilience": np.where(limited, resilience * p.limited_recovery_factor, resilience),
                "problem_draws": problem_draws}

    def _next_people(self, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """``k`` newcomers from those drawn ahead, a batch at a time: a week's few newcomers
        would otherwise cost some twenty numpy calls for a handful of numbers."""
        ahead, start = self._people_ahead, self._people_used
        if ahead is None or start + k > len(ahead["age"]):
            batch = self._draw_people(max(k, PEOPLE_PER_BATCH), rng)
            if ahead is not None:  # keep the order: the rest of the old batch comes first
                batch = {key: np.concatenate([ahead[key][..., start:], batch[key]], axis=-1) for key in batch}
            self._people_ahead, self._people_used = batch, 0
            ahead, start = batch, 0
        self._people_used = start + k
        return {key: value[..., start : start + k] for key, value in ahead.items()}

    def draw_newcomers(self, idx: np.ndarray, rng: np.random.Generator, initial: bool = False) -> None:
        """Give rows ``idx`` fresh residents: attributes, problems, no history with the team."""
        p, k = self.p, len(idx)
        if k == 0:
            return
        people = self._draw_people(k, rng) if initial else self._next_people(k, rng)
        age = people["age"]
        self.age[idx] = age
        self.place[idx] = people["place"]
        self.self_reliance[idx] = people["self_reliance"]
        self.network[idx] = people["network"]
        self.reluctance[idx] = people["reluctance"]
        self.limited[idx] = people["limited"]
        self.can_volunteer[idx] = people["can_volunteer"]
        self.resilience[idx] = people["resilience"]

        # problems cluster in deprived households (1% of households use 30% of social-domain
        # spending): a household factor with mean 1 scales every hazard, debt most
        yearly = self._incidence_by_age[:, age]
        deprivation = self.deprivation[self.household[idx]]
        yearly *= deprivation
        yearly[DEBT] *= deprivation
        hazard = (yearly / 52.0).astype(SEVERITY_DTYPE)
        self.hazard[:, idx] = hazard
        # the same cumulative sum of the stored values as in life_events, so that a draw
        # below the total always falls in one of the domains
        self.hazard_total[idx] = hazard.cumsum(axis=0)[-1]
        self.eligible[:, idx] = yearly > 0

        # start near the steady state: a problem is present with the chance that one arose
        # in the last few years, so problems start where the hazards are (deprived households)
        prevalence = 1.0 - np.exp(-yearly * p.initial_problem_years)
        present, severity = people["problem_draws"]
        self.severity[:, idx] = np.where(present < prevalence, severity, 0.0)
        self.trust[idx] = p.desk_trust
        self.familiarity[idx] = 0.0
        self.status[idx] = NONE
        self.worker[idx] = -1
        self.specialist[idx] = -1
        self.due_week[idx] = LONG_AGO
        self.crisis[idx] = False
        self.provision_wait[idx] = 0
        self.poor_decision[idx] = False
        self.relapse_timer[idx] = 0
        self.known[idx] = False
        self.volunteer_of[idx] = -1
        self.in_group[idx] = False
        if not initial:
            self.generation[idx] += 1

    def households_moving(self, rng: np.random.Generator) -> np.ndarray:
        """Rows of residents whose household moves out this week (newcomers move in)."""
        moving = (rng.random(self.n_households) < self.p.moving_rate / 52.0).nonzero()[0]
        if len(moving) == 0:
            return moving
        self.draw_deprivation(moving, rng)
        rows = self._member_table[:, moving].T.ravel()  # household by household, members in order
        return rows[rows < self.n]

    # -- problems -------------------------------------------------------------

    def life_events(self, rng: np.random.Generator) -> None:
        """New problems: one uniform draw per resident decides whether and where."""
        u = rng.random(self.n, dtype=np.float32)
        hit = (u < self.hazard_total).nonzero()[0]
        if len(hit) == 0:
            return
        cumulative = np.cumsum(self.hazard.take(hit, axis=1), axis=0)
        domain = (cumulative < u[hit]).sum(axis=0)
        jump = self.p.event_severity * (0.5 + rng.random(len(hit)))
        # some events are acute (psychosis, domestic violence, eviction): no prevention stops them
        acute = rng.random(len(hit)) < self.p.acute_event_share
        jump[acute] = 1.0
        self.severity[domain, hit] = np.minimum(1.0, self.severity[domain, hit] + jump)
        # debt co-occurs: many life events cost money (job loss, illness, divorce, moving)
        costly = (
            (domain != DEBT) & (self.eligible[DEBT][hit] > 0) & (rng.random(len(hit)) < self.p.debt_cooccurrence)
        )
        rows = hit[costly]
        debt = self.severity[DEBT]  # a row view: indexing it is cheaper than indexing the matrix by (row, columns)
        debt[rows] = np.minimum(1.0, debt[rows] + self.p.debt_cooccurrence_severity * jump[costly])

    def household_debt(self) -> np.ndarray:
        """Debt severity of each resident's household (its most indebted member)."""
        debt = self.severity[DEBT].take(self._members_by_slot)  # slot 0 of every household, slot 1, ...
        highest = debt[: self._households_with_slot[0]]  # first members; the maxima build up in place
        start = len(highest)
        for count in self._households_with_slot[1:]:
            np.maximum(highest[:count], debt[start : start + count], out=highest[:count])
            start += count
        return highest.take(self._household_rank)

    def start_removal(self, removal: np.ndarray) -> np.ndarray:
        """Begin the week's ``removal`` table (domains x residents) with self-recovery.

        Help from professionals, specialists and volunteers is added to it during the week
        and ``progress_problems`` takes it all off at once. Debts are sticky: they resolve
        by themselves more slowly. Returns ``removal``.
        """
        p = self.p
        np.multiply(self.resilience, p.recovery_rate, out=removal[NON_DEBT])  # the same row for every domain
        np.multiply(removal[MENTAL], p.debt_recovery_factor, out=removal[DEBT])
        return removal

    def progress_problems(self, removal: np.ndarray, engaged: np.ndarray) -> None:
        """One week of worsening, spill-over, self-recovery and help.

        ``removal`` (domains x residents) is the severity removed this week: self-recovery
        (``start_removal``) plus what professionals, specialists and volunteers took off.
        ``engaged`` (0-1 per resident) is how far the problems are being addressed, which
        stops them from worsening.

        Spill-over: a problem above the floor feeds the others; debt is the hub
        (seed 001), spilling strongly into every domain and fed by every other
        problem (lost income, extra costs). Debt stress is the household's.
        """
        p = self.p
        # single precision throughout (engagement and resilience are single too): mixing in
        # double-precision vectors costs a cast per element
        worsening = p.worsening_rate * (1.0 - engaged)
        if self.relapse_timer.any():
            relapsing = self.relapse_timer > 0
            worsening *= np.where(relapsing, SEVERITY_DTYPE(p.relapse_factor), SEVERITY_DTYPE(1.0))
            np.subtract(self.relapse_timer, 1, out=self.relapse_timer, where=relapsing)
        growth = 1.0 + worsening
        debt_excess = np.maximum(self.debt_of_household - p.spill_floor, self._zeros)
        for block in self._blocks:
            self._progress_block(block, growth[block], debt_excess[block], removal[:, block])

    def _progress_block(self, block: slice, growth, debt_excess, removal) -> None:
        """``progress_problems`` for the residents of one block, in one preallocated buffer.

        Into a domain other than debt spills ``spill_other`` times every other problem's excess
        over the floor, plus ``spill_from_debt`` times the household's debt excess: that is one
        row shared by all domains (the whole non-debt excess) less the domain's own excess. The
        excess becomes the spill in place, so the update reads and writes one buffer fewer.
        """
        p, s = self.p, self.severity[:, block]
        width = s.shape[1]
        spill = self._spill[:, :width]
        excess = spill[NON_DEBT]  # first the non-debt excess, then in place their spill
        zero = self._zeros[None, :width]  # np.maximum against an array, not a scalar
        np.subtract(s[NON_DEBT], p.spill_floor, out=excess)
        np.maximum(excess, zero, out=excess)
        other_excess = excess.sum(axis=0)
        shared = p.spill_other * other_excess
        shared += p.spill_from_debt * debt_excess
        excess *= -p.spill_other
        excess += shared
        np.multiply(other_excess, p.spill_into_debt, out=spill[DEBT])
        spill *= self.eligible[:, block]
        spill -= removal
        s *= growth
        s += spill
        # nothing falls below zero (no self-recovery without a problem), nothing above one
        np.clip(s, 0.0, 1.0, out=s)

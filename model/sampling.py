"""Sparse random draws: which of many rows a rare event hits, without a draw per row.

A household moves out with chance 0.2% a week, so drawing one uniform per
household spends almost all its work on households that stay. The gaps between
successes of a Bernoulli process are geometric: drawing the gaps costs about
one draw per success. (Life events are not drawn this way: their chances
differ twentyfold between residents, so thinning from the highest chance
would need more draws than it saves.)
"""

from __future__ import annotations

import math

import numpy as np


def bernoulli_rows(rng: np.random.Generator, n: int, chance: float) -> np.ndarray:
    """Rows ``0 <= i < n``, in increasing order, for which independent trials with ``chance`` succeed."""
    if n == 0 or chance <= 0.0:
        return np.empty(0, np.intp)
    chance = min(chance, 1.0)
    batch = gap_batch(n, chance)
    rows = np.cumsum(rng.geometric(chance, batch)) - 1
    while rows[-1] < n:  # the gaps drawn did not reach past the last row: draw on
        rows = np.concatenate([rows, rows[-1] + np.cumsum(rng.geometric(chance, batch))])
    return rows[: rows.searchsorted(n)]


def gap_batch(n: int, chance: float) -> int:
    """Gaps drawn at a time: the expected successes plus four standard deviations and a few,
    so that one batch almost always reaches past row ``n``."""
    expected = n * chance
    return int(expected + 4.0 * math.sqrt(expected) + 8.0)

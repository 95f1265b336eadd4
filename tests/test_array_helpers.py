"""The array helpers of the weekly update give what their plain definitions give."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import small_scenario
from model import WijkteamModel
from agents.vocabulary import DEBT
from model.neighbourhood import spread_presence
from model.modules.demography import PEOPLE_PER_BATCH


@pytest.mark.parametrize("radius", [0, 1, 4])
def test_presence_spreads_to_everything_within_reach_and_nothing_beyond(radius):
    rng = np.random.default_rng(radius)
    spots = np.column_stack([rng.integers(0, 23, 12), rng.integers(0, 17, 12)])
    spots[:2] = [[0, 0], [22, 16]]  # corners: the square is cut off at the edges
    hours = rng.random(12) * 3
    presence = np.full((23, 17), 2.0, np.float32)
    last_seen = np.full((23, 17), -99, np.int64)
    spread_presence(presence, last_seen, spots, hours, radius, 0.25, 7)
    x, y = np.indices(presence.shape)
    within = [(abs(x - i) <= radius) & (abs(y - j) <= radius) for i, j in spots]
    expected = 2.0 * 0.75 + 0.25 * sum(h * reach for h, reach in zip(hours, within, strict=True))
    np.testing.assert_allclose(presence, expected, rtol=1e-6)
    np.testing.assert_array_equal(last_seen == 7, np.any(within, axis=0))


def test_household_debt_is_the_highest_debt_among_the_members():
    res = WijkteamModel(small_scenario(), rng=2).residents
    res.severity[DEBT] = np.random.default_rng(4).random(res.n).astype(res.severity.dtype)
    expected = np.array([res.severity[DEBT][res.household == h].max() for h in res.household])
    np.testing.assert_array_equal(res.household_max(res.severity[DEBT]), expected)
    assert np.bincount(res.household).max() >= 4  # households of several sizes are covered


def test_newcomers_drawn_ahead_come_in_the_order_they_were_drawn():
    """Batches drawn ahead hand out their people in order, also across a refill."""
    demography = WijkteamModel(small_scenario(), rng=2).demography
    sizes = [600, 500, 10, 2000]  # the second and the last ask for more than is left
    demography._ahead = None
    demography.rng = np.random.default_rng(7)
    handed_out = [demography._next_people(k) for k in sizes]
    reference = np.random.default_rng(7)
    batches = [demography._draw_people(k, reference) for k in (PEOPLE_PER_BATCH, PEOPLE_PER_BATCH, 2000)]
    for key in ("age", "self_reliance", "problem_draws"):
        expected = np.concatenate([batch[key] for batch in batches], axis=-1)[..., : sum(sizes)]
        np.testing.assert_array_equal(np.concatenate([people[key] for people in handed_out], axis=-1), expected)

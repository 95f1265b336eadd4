"""Sparse Bernoulli draws give what one uniform per row would give."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom, chisquare

from model import sampling
from model.sampling import bernoulli_rows


def success_table(n, chance, draws, seed=5):
    rng = np.random.default_rng(seed)
    table = np.zeros((draws, n), bool)
    for i in range(draws):
        rows = bernoulli_rows(rng, n, chance)
        assert np.all(np.diff(rows) > 0) and (rows.size == 0 or (rows[0] >= 0 and rows[-1] < n))
        table[i, rows] = True
    return table


def assert_independent_bernoulli(table, chance):
    draws, n = table.shape
    # each row succeeds with the chance, no row favoured
    assert chisquare(table.sum(axis=0)).pvalue > 0.001
    assert table.mean() == pytest.approx(chance, abs=4 * np.sqrt(chance * (1 - chance) / table.size))
    # the number of successes per draw is binomial: rows are independent
    counts = np.bincount(table.sum(axis=1), minlength=n + 1)
    expected = binom.pmf(np.arange(n + 1), n, chance) * draws
    kept = expected > 5
    observed = np.append(counts[kept], counts[~kept].sum())
    expected = np.append(expected[kept], expected[~kept].sum())
    assert chisquare(observed, expected * observed.sum() / expected.sum()).pvalue > 0.001


def test_rare_successes_are_independent_with_the_chance():
    assert_independent_bernoulli(success_table(200, 0.02, 5000), 0.02)


def test_a_short_first_batch_is_drawn_on(monkeypatch):
    monkeypatch.setattr(sampling, "gap_batch", lambda n, chance: 2)
    assert_independent_bernoulli(success_table(40, 0.3, 5000), 0.3)


def test_certain_and_impossible_events():
    rng = np.random.default_rng(1)
    np.testing.assert_array_equal(bernoulli_rows(rng, 7, 1.0), np.arange(7))
    assert len(bernoulli_rows(rng, 7, 0.0)) == 0
    assert len(bernoulli_rows(rng, 0, 0.5)) == 0

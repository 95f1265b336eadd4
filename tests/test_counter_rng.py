"""The counter-based contact chances: SplitMix64 at the right counters, common random numbers, uniform."""

import numpy as np
from scipy import stats

from model.counter_rng import GAMMA, CounterUniforms

WORD = 2**64


def splitmix64(state: int) -> int:
    """The reference mixing function of SplitMix64, in plain Python integers."""
    z = state % WORD
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % WORD
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % WORD
    return z ^ (z >> 31)


def test_draws_are_splitmix64_outputs_at_week_row_purpose_counters():
    chances = CounterUniforms(np.random.default_rng(3), n_rows=10_000, n_purposes=3)
    rows = np.array([0, 5, 1234, 9999])
    for week in (-156, 0, 519):
        draws = chances.draw(week, rows)
        for purpose in range(3):
            for i, row in enumerate(rows.tolist()):
                counter = week * chances.stride + row * 3 + purpose
                expected = (splitmix64(chances.key + (counter + 1) * GAMMA) >> 40) * 2.0**-24
                assert draws[purpose, i] == np.float32(expected)


def test_a_residents_draw_does_not_depend_on_who_else_is_asked():
    chances = CounterUniforms(np.random.default_rng(1), n_rows=500, n_purposes=3)
    everyone = chances.draw(7, np.arange(500))
    some = np.array([3, 250, 499])
    np.testing.assert_array_equal(chances.draw(7, some), everyone[:, some])
    assert not np.array_equal(chances.draw(8, some), everyone[:, some])  # a new week, new chances


def test_the_same_seed_gives_the_same_key_and_draws():
    a = CounterUniforms(np.random.default_rng(42), 100, 3)
    b = CounterUniforms(np.random.default_rng(42), 100, 3)
    c = CounterUniforms(np.random.default_rng(43), 100, 3)
    rows = np.arange(100)
    np.testing.assert_array_equal(a.draw(0, rows), b.draw(0, rows))
    assert not np.array_equal(a.draw(0, rows), c.draw(0, rows))


def test_draws_are_uniform_and_uncorrelated_between_purposes():
    chances = CounterUniforms(np.random.default_rng(5), n_rows=20_000, n_purposes=3)
    draws = np.concatenate([chances.draw(week, np.arange(20_000)) for week in range(5)], axis=1)
    assert draws.dtype == np.float32 and draws.min() >= 0.0 and draws.max() < 1.0
    for purpose in range(3):
        assert stats.kstest(draws[purpose], "uniform").pvalue > 0.001
    assert abs(np.corrcoef(draws)[np.triu_indices(3, 1)]).max() < 0.01
    # neighbouring rows and weeks are independent too
    assert abs(np.corrcoef(draws[0, :-1], draws[0, 1:])[0, 1]) < 0.01


def test_the_compiled_draw_equals_the_array_draw():
    from model.counter_rng import counter_uniform

    chances = CounterUniforms(np.random.default_rng(4), n_rows=5_000, n_purposes=3)
    rows = np.array([0, 17, 4999])
    for week in (-156, -1, 0, 311):
        draws = chances.draw(week, rows)
        for purpose in range(3):
            for i, row in enumerate(rows.tolist()):
                assert counter_uniform(chances.key_u64, chances.stride, 3, week, row, purpose) == draws[purpose, i]

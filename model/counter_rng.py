"""Uniform draws addressed by (week, resident row, purpose): common random numbers on demand.

Scenarios compared side by side are fairest when resident r meets the same
chance in week t in both (common random numbers). A full array of draws for
every resident each week gives that, but nearly all of it goes unused: only
the few residents with a noticed problem can make a first contact. A
counter-based generator keeps the property and costs only the draws used: the
draw for (week, row, purpose) is the SplitMix64 output at that counter
(Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators";
the generator passes TestU01's BigCrush), with the key drawn once from the
model's seeded stream.
"""

from __future__ import annotations

import numpy as np
from numba import njit

WORD = 2**64
GAMMA = 0x9E3779B97F4A7C15  # SplitMix64's increment
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
UNIT_24 = np.float32(2.0**-24)  # 24 random bits fill a single-precision mantissa


class CounterUniforms:
    """Single-precision uniforms in [0, 1), one per (week, row, purpose)."""

    def __init__(self, rng: np.random.Generator, n_rows: int, n_purposes: int):
        self.key = int(rng.integers(WORD, dtype=np.uint64))
        self.key_u64 = np.uint64(self.key)
        self.n_purposes = n_purposes
        self.stride = n_rows * n_purposes  # counters per week
        self._row_step = np.uint64(GAMMA * n_purposes % WORD)

    def draw(self, week: int, rows: np.ndarray) -> np.ndarray:
        """Draws for ``rows`` in ``week`` (purposes x rows); the same whichever rows are asked."""
        # state of counter c = (week * stride + row * purposes + purpose): key + (c + 1) * GAMMA
        first = self.key + (week * self.stride + 1) * GAMMA
        offsets = np.array([[(first + purpose * GAMMA) % WORD] for purpose in range(self.n_purposes)], np.uint64)
        z = rows.astype(np.uint64) * self._row_step + offsets
        z ^= z >> np.uint64(30)
        z *= MIX1
        z ^= z >> np.uint64(27)
        z *= MIX2
        z ^= z >> np.uint64(31)
        z >>= np.uint64(40)
        return z.astype(np.float32) * UNIT_24


@njit(cache=True)
def counter_uniform(key, stride, n_purposes, week, row, purpose):
    """The draw of ``CounterUniforms.draw`` for one (week, row, purpose), inside compiled loops."""
    counter = np.uint64(week * stride + row * n_purposes + purpose + 1)  # modulo 2**64, as the array version
    z = key + counter * np.uint64(GAMMA)
    z ^= z >> np.uint64(30)
    z *= MIX1
    z ^= z >> np.uint64(27)
    z *= MIX2
    z ^= z >> np.uint64(31)
    return np.float32(z >> np.uint64(40)) * UNIT_24

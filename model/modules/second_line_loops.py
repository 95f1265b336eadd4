"""The second line's weekly loops over residents (ODD 7.8), compiled with numba."""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import DEBT, LIGHTER, MENTAL, SECOND_LINE, SPEC_DEBT, SPEC_MENTAL, SPEC_YOUTH, YOUTH


@njit(cache=True)
def crisis_candidates(severity, age, status, kind_of_domain, threshold):
    """Residents outside the second line with a problem above the crisis threshold in a domain
    with a crisis route (a youth's youth-care problems, an adult's mental problem), and the kind."""
    n_domains, n = severity.shape
    kind = np.empty(n, np.int8)
    rows = np.empty(n, np.intp)
    k = 0
    for i in range(n):
        if status[i] == SECOND_LINE:
            continue
        if age[i] == YOUTH:
            for d in range(n_domains):
                if severity[d, i] >= threshold and kind_of_domain[YOUTH, d] == SPEC_YOUTH:
                    kind[k] = SPEC_YOUTH
                    rows[k] = i
                    k += 1
                    break
        elif severity[MENTAL, i] >= threshold:
            kind[k] = SPEC_MENTAL
            rows[k] = i
            k += 1
    return kind[:k], rows[:k]


@njit(cache=True)
def treat(status, specialist, household_starts, household, severity, effect, lighter_engagement, relief, engaged):
    """Every client in the second line gets their specialist's weekly effect on each of their
    problems (full in the specialist's own domains) and is fully engaged; debt counselling's
    effect on debt reaches every member of the household. Clients in lighter care are engaged
    at ``lighter_engagement``."""
    n_domains, n = severity.shape
    for i in range(n):
        if status[i] == LIGHTER:
            engaged[i] = max(engaged[i], lighter_engagement)
            continue
        if status[i] != SECOND_LINE:
            continue
        kind = specialist[i]
        for d in range(n_domains):
            if severity[d, i] > 0.0 and not (kind == SPEC_DEBT and d == DEBT):
                relief[d, i] += effect[d, kind]
        if kind == SPEC_DEBT:
            h = household[i]
            first = household_starts[h]
            last = household_starts[h + 1] if h + 1 < len(household_starts) else n
            for j in range(first, last):
                if severity[DEBT, j] > 0.0:
                    relief[DEBT, j] += effect[DEBT, kind]
        engaged[i] = 1.0

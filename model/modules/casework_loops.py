"""The compiled loops of casework (ODD 7.6): hours per case, the choice of a case manager,
and the team's help to each case."""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import DEBT


@njit(cache=True)
def hours_of_case(worst, severe_threshold, light_threshold, severe, vulnerable, light):
    if worst >= severe_threshold:
        return severe
    return vulnerable if worst >= light_threshold else light


@njit(cache=True)
def hours_by_severity(worst, severe_threshold, light_threshold, severe, vulnerable, light):
    hours = np.empty(len(worst))
    for i in range(len(worst)):
        hours[i] = hours_of_case(worst[i], severe_threshold, light_threshold, severe, vulnerable, light)
    return hours


@njit(cache=True)
def help_cases(cases, worker, severity, competence, strength, intensity, household_debt, provision_due,
               poor_decision, week, relief, engaged, domain_hours, p):
    """The team's help to each case this week (ODD 7.6.5), from its case manager ``worker``:

    in domain d, rate_d = help_rate * competence_d * strength, less debt_block * household debt
    outside debt, times advice_share while a provision is pending, times 1 + help_bonus *
    competence_d, times 1 - poor_decision_penalty after a poor decision; the main problem is
    contained by care_containment * intensity * competence there; the case's hours, split
    over its domains by severity, are the member's casework hours in each domain.
    """
    (help_rate, debt_block, provision_threshold, advice_share, help_bonus, poor_penalty, containment_rate,
     severe_threshold, light_threshold, hours_severe, hours_vulnerable, hours_light) = p
    n_domains = severity.shape[0]
    for i in cases:
        w = worker[i]
        pending = week < provision_due[i]
        total = 0.0
        worst = 0.0
        main = 0
        for d in range(n_domains):
            sev = severity[d, i]
            total += sev
            if sev > worst:
                worst, main = sev, d
            if sev <= 0.0:
                continue
            rate = help_rate * competence[w, d] * strength[w]
            if d != DEBT:
                rate *= 1.0 - debt_block * household_debt[i]
            if pending and sev >= provision_threshold:
                rate *= advice_share
            rate *= 1.0 + help_bonus * competence[w, d]
            if poor_decision[i]:
                rate *= 1.0 - poor_penalty
            relief[d, i] += rate
        containment = containment_rate * intensity[w] * competence[w, main]
        if pending and severity[main, i] >= provision_threshold:
            containment *= advice_share
        engaged[i] = max(engaged[i], containment)
        hours = hours_of_case(worst, severe_threshold, light_threshold, hours_severe, hours_vulnerable,
                              hours_light) * intensity[w]
        for d in range(n_domains):
            domain_hours[w, d] += severity[d, i] / max(total, 1e-9) * hours


@njit(cache=True)
def choose_case_managers(preferred_kind, kinds, load):
    """A case manager for each new case in turn, the loads changing as cases are given out.

    The team prefers the least-loaded member of the kind that fits the main problem (debt to
    maatschappelijk werk, self-care to the wijkverpleegkundige), but only while that member
    carries no more than the team's average load; otherwise the least-loaded colleague
    takes the case (the first of equals)."""
    size = len(kinds)
    total = load.sum()
    chosen = np.empty(len(preferred_kind), np.int32)
    for c in range(len(preferred_kind)):
        slot = np.argmin(load)
        candidate = -1
        for m in range(size):
            if kinds[m] == preferred_kind[c] and (candidate < 0 or load[m] < load[candidate]):
                candidate = m
        if candidate >= 0 and load[candidate] * size <= total:
            slot = candidate
        chosen[c] = slot
        load[slot] += 1
        total += 1
    return chosen

"""The access module's weekly loops over residents (ODD 7.5), compiled with numba.

Each resident has one counter-based uniform per week and purpose, so that
scenarios compared side by side meet the same chances.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import DEBT, HOUSING, MENTAL, NONE, PARENTING, PHYSICAL, SECOND_LINE, WAITING, YOUTH

from ..counter_rng import counter_uniform

SCHOOL_PARTNER, GP_PARTNER, HOUSING_PARTNER = range(3)
OUTREACH, SELF, PARTNER = range(3)  # routes of a first contact with the team (ROUTES)
# the purposes of a resident's weekly uniforms
U_FOUND, U_ASK, U_SIGNAL, U_GP, U_PASS, U_APPLY, U_THREAT, U_COURT, U_WMO = range(9)
N_PURPOSES = 9


@njit(cache=True)
def burden(severity, i, worst, other_weight):
    """How heavily resident ``i``'s problems weigh: the worst one plus a share of the others
    (capped at 1). Several problems at once make people ask and make others notice, which is
    why teams see multi-problem households, most of them with debt."""
    total = 0.0
    for d in range(severity.shape[0]):
        total += severity[d, i]
    return min(1.0, worst + other_weight * (total - worst))


@njit(cache=True)
def signal_chance(severity, i, youth, relation, notice, rate_school, rate_housing):
    """The weekly chance that a partner signals resident ``i``'s problems: the school a youth's
    parenting problem, the housing corporation housing or debt problems (rent arrears), each as
    far as its relation allows. (The GP is a route of its own: ``gp_visits``.)"""
    school = rate_school * relation[SCHOOL_PARTNER] if youth and severity[PARENTING, i] >= notice else 0.0
    housing = (rate_housing * relation[HOUSING_PARTNER]
               if severity[HOUSING, i] >= notice or severity[DEBT, i] >= notice else 0.0)
    return 1.0 - (1.0 - school) * (1.0 - housing)


@njit(cache=True)
def free(status, due_week, hidden, i, week):
    """Resident ``i`` is in no care route, not pausing after advice, and not hidden."""
    return status[i] == NONE and due_week[i] <= week and not hidden[i]


@njit(cache=True)
def gp_visits(worst, severity, status, due_week, hidden, age, week, key, stride, p):
    """Rows that consult their GP about a problem this week (ODD 7.5.1): a free resident with a
    mental or physical problem (or a youth's parenting problem) above the notice threshold goes
    with chance gp_visit_rate * burden."""
    notice, rate, other_weight = p
    rows = np.empty(len(worst), np.intp)
    k = 0
    for i in range(len(worst)):
        if not free(status, due_week, hidden, i, week):
            continue
        seen = severity[MENTAL, i] >= notice or severity[PHYSICAL, i] >= notice
        seen = seen or (age[i] == YOUTH and severity[PARENTING, i] >= notice)
        if seen and counter_uniform(key, stride, N_PURPOSES, week, i, U_GP) < rate * burden(
                severity, i, worst[i], other_weight):
            rows[k] = i
            k += 1
    return rows[:k]


@njit(cache=True)
def desk_contacts(worst, severity, status, due_week, hidden, age, reluctance, relation, week, key, stride, p):
    """Rows that ask the desk or are signalled to it this week (ODD 7.5.2): free residents with a
    noticed problem ask with chance seek_rate * burden * desk_trust * (1 - reluctance)."""
    notice, seek, other_weight, trust, rate_school, rate_housing = p
    come = np.empty(len(worst), np.intp)
    k = 0
    for i in range(len(worst)):
        if not free(status, due_week, hidden, i, week) or worst[i] < notice:
            continue
        ask = seek * burden(severity, i, worst[i], other_weight) * trust * (1.0 - reluctance[i])
        signal = signal_chance(severity, i, age[i] == YOUTH, relation, notice, rate_school, rate_housing)
        if (counter_uniform(key, stride, N_PURPOSES, week, i, U_ASK) < ask
                or counter_uniform(key, stride, N_PURPOSES, week, i, U_SIGNAL) < signal):
            come[k] = i
            k += 1
    return come[:k]


@njit(cache=True)
def team_contacts(worst, severity, status, due_week, hidden, age, familiarity, reluctance, trust, exposure,
                  relation, week, key, stride, p):
    """Rows reaching the team this week and their route (ODD 7.5.3). Residents open up to
    professionals they know: outreach finds a problem with chance detect_rate * exposure *
    burden * familiarity * (1 - reluctance'), a resident asks with seek_rate * burden * trust *
    (1 - reluctance'), reluctance' = reluctance * (1 - familiarity); otherwise partners signal.
    Hidden residents never ask and are never signalled; outreach finds them as anyone else."""
    notice, close, detect, seek, other_weight, rate_school, rate_housing = p
    rows = np.empty(len(worst), np.intp)
    route = np.empty(len(worst), np.int8)
    k = 0
    for i in range(len(worst)):
        if status[i] != NONE or due_week[i] > week or worst[i] < min(close, notice):
            continue
        weight = burden(severity, i, worst[i], other_weight)
        shy = reluctance[i] * (1.0 - familiarity[i])
        found = detect * exposure[i] * weight * familiarity[i] * (1.0 - shy) if worst[i] >= close else 0.0
        ask = seek * weight * trust[i] * (1.0 - shy) if worst[i] >= notice and not hidden[i] else 0.0
        signal = 0.0 if hidden[i] else signal_chance(severity, i, age[i] == YOUTH, relation, notice, rate_school,
                                                      rate_housing)
        if counter_uniform(key, stride, N_PURPOSES, week, i, U_FOUND) < found:
            route[k] = OUTREACH
        elif counter_uniform(key, stride, N_PURPOSES, week, i, U_ASK) < ask:
            route[k] = SELF
        elif counter_uniform(key, stride, N_PURPOSES, week, i, U_SIGNAL) < signal:
            route[k] = PARTNER
        else:
            continue
        rows[k] = i
        k += 1
    return rows[:k], route[:k]


@njit(cache=True)
def debt_applications(severity, household_debt, status, due_week, hidden, household, helped, week, key, stride,
                      p):
    """Households that apply for debt counselling themselves this week, by the member the debt
    weighs on most (ODD 7.5.4). A free, not hidden member of a household with debt above the
    indication threshold, none of whose members is in debt help, applies with chance
    debt_application_rate; a household in acute threat (debt above the crisis threshold: eviction,
    cut-off) gets an urgent appointment with chance acute_threat_rate, hidden or not (the creditor
    acts). Returns the rows and whether each is urgent."""
    indication, crisis, apply_rate, threat_rate = p
    rows = np.empty(len(household_debt), np.intp)
    urgent = np.empty(len(household_debt), np.bool_)
    k = 0
    for i in range(len(household_debt)):
        h = household[i]
        if (helped[h] or status[i] != NONE or due_week[i] > week or severity[DEBT, i] < household_debt[i]
                or household_debt[i] < indication):
            continue
        threat = household_debt[i] >= crisis and counter_uniform(key, stride, N_PURPOSES, week, i,
                                                                 U_THREAT) < threat_rate
        applies = not hidden[i] and counter_uniform(key, stride, N_PURPOSES, week, i, U_APPLY) < apply_rate
        if threat or applies:
            helped[h] = True  # one application per household
            rows[k] = i
            urgent[k] = threat
            k += 1
    return rows[:k], urgent[:k]


@njit(cache=True)
def wmo_applications(limitation, status, due_week, hidden, week, key, stride, p):
    """Residents who apply for Wmo support at home this week for a lasting limitation (ODD
    7.5.4): a free resident whose limitation is above the indication threshold applies at the
    municipal access with chance wmo_application_rate."""
    indication, rate = p
    rows = np.empty(len(limitation), np.intp)
    k = 0
    for i in range(len(limitation)):
        if limitation[i] < indication or not free(status, due_week, hidden, i, week):
            continue
        if counter_uniform(key, stride, N_PURPOSES, week, i, U_WMO) < rate:
            rows[k] = i
            k += 1
    return rows[:k]


@njit(cache=True)
def court_orders(severity, status, age, week, key, stride, p):
    """Youths a court or certified institution places in youth care this week (child protection,
    ODD 7.5.5): a youth not in youth care whose parenting problem is above the severe threshold,
    with chance court_order_rate."""
    severe, rate = p
    rows = np.empty(len(status), np.intp)
    k = 0
    for i in range(len(status)):
        if age[i] != YOUTH or status[i] == WAITING or status[i] == SECOND_LINE or severity[PARENTING, i] < severe:
            continue
        if counter_uniform(key, stride, N_PURPOSES, week, i, U_COURT) < rate:
            rows[k] = i
            k += 1
    return rows[:k]

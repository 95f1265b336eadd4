"""The compiled loops of the zero line (ODD 7.7): structural matches, groups, hand-overs, over-asking."""

from __future__ import annotations

import numpy as np
from numba import njit

from agents.vocabulary import CENTRE, ISOLATION, PHYSICAL


@njit(cache=True)
def join_groups(place, severity, status, in_group, relief, max_members, light, effect, may_join):
    """This week's group members: residents who go to the community centre, with a light (not
    zero) isolation or physical need and in a status that may join, in row order up to
    ``max_members``; each group member's two needs get ``effect`` of relief. Returns how many."""
    members = 0
    for i in range(len(place)):
        in_group[i] = False
        if members >= max_members or place[i] != CENTRE or not may_join[status[i]]:
            continue
        isolation, physical = severity[ISOLATION, i], severity[PHYSICAL, i]
        if 0.0 < isolation < light or 0.0 < physical < light:
            in_group[i] = True
            members += 1
            for d in (ISOLATION, PHYSICAL):
                if severity[d, i] > 0.0:
                    relief[d, i] += effect
    return members


@njit(cache=True)
def hand_over(cases, worst, severity, volunteers, load, u, light, chance, task_hours, usual_hours, suits_volunteer):
    """Each light case whose main need suits a volunteer is handed over with ``chance`` to the
    volunteer with the most spare hours (the first of equals), while one has a task's worth
    left (``u``: a uniform per case); the volunteer's load grows by the task. Returns the cases
    and their volunteers."""
    spare = np.maximum(usual_hours - load[volunteers], 0.0)
    matched = np.empty(len(cases), np.intp)
    givers = np.empty(len(cases), np.intp)
    k = 0
    for c in range(len(cases)):
        i = cases[c]
        if worst[i] >= light:
            continue
        main = 0
        for d in range(1, severity.shape[0]):
            if severity[d, i] > severity[main, i]:
                main = d
        if not suits_volunteer[main] or u[c] >= chance:
            continue
        best = np.argmax(spare)
        if spare[best] < task_hours:
            break
        matched[k], givers[k] = i, volunteers[best]
        k += 1
        spare[best] -= task_hours
        load[volunteers[best]] += task_hours
    return matched[:k], givers[:k]


@njit(cache=True)
def structural_matches(matched, u, break_chance, volunteer_of, limited, severity, relief, engaged, load, domains,
                       effect, limited_factor, containment, task_hours):
    """A structural match breaks early with ``break_chance`` (``u``: a uniform per match; the
    broken ones are returned). The others go on: the volunteer takes ``effect`` off each of the
    client's problems in the volunteers' domains (less for clients with lasting limits), keeps
    them from worsening as far as ``containment``, and spends ``task_hours``."""
    broken = np.empty(len(matched), np.intp)
    k = 0
    for m in range(len(matched)):
        i = matched[m]
        if u[m] < break_chance:
            broken[k] = i
            k += 1
            continue
        help_ = effect * limited_factor if limited[i] else effect
        for d in domains:
            if severity[d, i] > 0.0:
                relief[d, i] += help_
        engaged[i] = max(engaged[i], containment)
        load[volunteer_of[i]] += task_hours
    return broken[:k]


@njit(cache=True)
def over_asking(volunteers, load, hours, overask, support, decay, u, dropout_base, dropout_overask):
    """Each volunteer's over-asking grows with the load beyond the week's hours (less with
    coordination ``support``) and fades by ``decay``; a volunteer drops out with chance
    dropout_base + dropout_overask * over-asking (``u``: a uniform per volunteer). Returns the leavers."""
    leaving = np.empty(len(volunteers), np.intp)
    k = 0
    for v in range(len(volunteers)):
        i = volunteers[v]
        ratio = load[i] / max(hours[i], 1e-9)
        overask[i] = (overask[i] + max(ratio - 1.0, 0.0) * support) * (1.0 - decay)
        if u[v] < dropout_base + dropout_overask * overask[i]:
            leaving[k] = i
            k += 1
    return leaving[:k]


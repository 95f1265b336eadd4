"""How residents with problems come into view: asking, being found, being signalled.

Under the traditional regime (no team, and during burn-in) residents ask the
municipal desk or their GP, and partners signal to that same distant route;
the desk refers to the second line or gives one-off advice. With a team,
residents ask the team (driven by trust and familiarity, held back by
reluctance), professionals present in the wijk find problems nobody reported
(outreach), and partners whose relation with the team has grown signal it.
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import (
    DEBT,
    HOUSING,
    MENTAL,
    NONE,
    PARENTING,
    PHYSICAL,
    SPECIALIST_OF_DOMAIN,
    WAITING,
    YOUTH,
)

SCHOOL_PARTNER, GP_PARTNER, HOUSING_PARTNER = range(3)


def partner_signal_chance(sev: np.ndarray, age: np.ndarray, relation: np.ndarray, p) -> tuple[np.ndarray, np.ndarray]:
    """Weekly chance that any partner signals the problems ``sev`` (domains x residents) of
    residents aged ``age``, and that the GP does."""
    noticed = sev >= p.notice_threshold  # one comparison for all domains: cheaper than one per domain
    school = noticed[PARENTING] & (age == YOUTH)
    gp = (noticed[MENTAL] | noticed[PHYSICAL]) * (p.signal_rate_gp * relation[GP_PARTNER])
    housing = noticed[HOUSING] | noticed[DEBT]
    miss = (
        (1.0 - p.signal_rate_school * relation[SCHOOL_PARTNER] * school)
        * (1.0 - gp)
        * (1.0 - p.signal_rate_housing * relation[HOUSING_PARTNER] * housing)
    )
    return 1.0 - miss, gp


def burden(severity: np.ndarray, smax: np.ndarray, other_weight: float) -> np.ndarray:
    """How heavily problems weigh: the worst one plus a share of the others (capped at 1).

    Several problems at once make people ask and make others notice, which is
    why teams see multi-problem households, most of them with debt.
    """
    return np.minimum(1.0, smax + other_weight * (severity.sum(axis=0) - smax))


def free_with_problem(res, smax: np.ndarray, threshold: float, week: int) -> np.ndarray:
    """Rows not in any care route (nor pausing after desk advice) whose worst problem reaches
    ``threshold``: only they can make a first contact, so the weekly chances are computed for them alone."""
    rows = (smax >= threshold).nonzero()[0]  # the rarest condition first: the rest on fewer rows
    return rows[(res.status.take(rows) == NONE) & (res.due_week.take(rows) <= week)]


def traditional_contacts(model, smax: np.ndarray) -> None:
    """The desk/GP route: indication for the second line, or one-off advice."""
    res, p = model.residents, model.params
    # asking and partner signals both need a problem someone notices
    rows = free_with_problem(res, smax, p.notice_threshold, model.week)
    sev = res.severity.take(rows, axis=1)
    weight = burden(sev, smax[rows], p.burden_other_weight)
    ask = p.seek_rate * weight * p.desk_trust * (1.0 - res.reluctance[rows])
    signal, _ = partner_signal_chance(sev, res.age[rows], np.full(3, p.partner_relation_traditional), p)
    draws = model.contact_chances.draw(model.week, rows)
    desk_handles(model, rows[(draws[0] < ask) | (draws[1] < signal)], smax)


def desk_handles(model, come: np.ndarray, smax: np.ndarray) -> None:
    """The municipal desk: refer to the second line after an indication, or advise once."""
    res, p = model.residents, model.params
    if len(come) == 0:
        return
    model.week_stats["desk_requests"] += len(come)
    main = res.severity.take(come, axis=1).argmax(axis=0)
    indicated = smax[come] >= p.indication_threshold
    referred, advised = come[indicated], come[~indicated]
    res.status[referred] = WAITING
    res.specialist[referred] = SPECIALIST_OF_DOMAIN[main[indicated]]
    res.wait_since[referred] = model.week
    res.due_week[referred] = model.week + int(p.desk_delay_weeks)  # whole weeks, as a countdown would
    main_advised = main[~indicated]
    res.severity[main_advised, advised] = np.maximum(res.severity[main_advised, advised] - p.desk_advice_effect, 0.0)
    res.due_week[advised] = model.week + int(p.ask_again_weeks)  # advised residents do not ask again for a while


def team_contacts(model, smax: np.ndarray, exposure: np.ndarray) -> list[np.ndarray]:
    """Rows reaching the team this week, by route: outreach, self-referral, partner signal."""
    res, p = model.residents, model.params
    rows = free_with_problem(res, smax, min(p.close_threshold, p.notice_threshold), model.week)
    smax_rows = smax[rows]
    sev = res.severity.take(rows, axis=1)
    weight = burden(sev, smax_rows, p.burden_other_weight)
    familiarity = res.familiarity[rows]
    reluctance = res.reluctance[rows] * (1.0 - familiarity)
    # residents open up to professionals they know: outreach works through familiarity
    found = p.detect_rate * exposure[rows] * weight * familiarity * (1.0 - reluctance) * (smax_rows >= p.close_threshold)
    ask = p.seek_rate * weight * res.trust[rows] * (1.0 - reluctance) * (smax_rows >= p.notice_threshold)
    signal, gp = partner_signal_chance(sev, res.age[rows], model.team.partner_relation, p)
    draws = model.contact_chances.draw(model.week, rows)
    outreach = draws[0] < found
    self_referral = ~outreach & (draws[1] < ask)
    partner = ~outreach & ~self_referral & (draws[2] < signal)
    # GPs keep referring directly to the second line, team or no team (CBS 2016: 41% of youth care)
    direct = partner & (draws[2] < gp * p.gp_direct_share) & (smax_rows >= p.indication_threshold)
    if direct.any():
        direct_rows = rows[direct]
        main = sev[:, direct].argmax(axis=0)
        res.status[direct_rows] = WAITING
        res.specialist[direct_rows] = SPECIALIST_OF_DOMAIN[main]
        res.wait_since[direct_rows] = model.week
        res.due_week[direct_rows] = model.week
        partner &= ~direct
    return [rows[outreach], rows[self_referral], rows[partner]]


def update_familiarity_and_trust(model, exposure: np.ndarray) -> None:
    """Seeing the team regularly makes it familiar; familiarity makes it trusted."""
    res, p = model.residents, model.params
    squared = exposure * exposure
    seen = squared / (squared + p.exposure_half**2)
    f = res.familiarity
    f += p.familiarity_gain * seen * (1.0 - f) - p.familiarity_decay * f
    target = p.desk_trust + (p.trust_max - p.desk_trust) * f
    res.trust += p.trust_rate * (target - res.trust)

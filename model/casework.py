"""The team's cases: intake, hours, help, mandate, referral, closure, follow-up.

Everything here is vectorised over the residents who are cases; the few
per-case loops run only over this week's new cases.
"""

from __future__ import annotations

import numpy as np

from . import contacts
from .residents import add_to_columns
from agents.vocabulary import (
    FOLLOWED,
    ISOLATION,
    N_DOMAINS,
    NON_DEBT,
    NONE,
    PREFERRED_KIND,
    ROUTES,
    SECOND_LINE,
    SPECIALIST_OF_DOMAIN,
    TEAM,
    VOLUNTEER,
    WAITING,
    status_mask,
)

FOLLOWED_BY_TEAM = status_mask(FOLLOWED, VOLUNTEER, WAITING, SECOND_LINE)
OPEN_CASE = status_mask(TEAM, VOLUNTEER)
NOT_NEEDED = -1  # provision_wait: no provision decision needed yet


def case_hours(smax: np.ndarray, p) -> np.ndarray:
    """Weekly casework hours by case severity class (LPBL caseload norms)."""
    return np.where(
        smax >= p.severe_threshold,
        p.hours_case_severe,
        np.where(smax >= p.light_threshold, p.hours_case_vulnerable, p.hours_case_light),
    )


def demand_per_member(model, cases: np.ndarray, smax: np.ndarray) -> np.ndarray:
    """Hours each member's caseload asks for: cases, follow-ups and second-line clients."""
    res, p, size = model.residents, model.params, model.team.size
    hours = case_hours(smax[cases], p)
    # a collectivised light isolation need costs little individual casework
    grouped = res.in_group[cases]
    if grouped.any():
        grouped[grouped] = res.severity.take(cases[grouped], axis=1).argmax(axis=0) == ISOLATION
        hours = np.where(grouped, p.hours_case_light * p.group_case_hours_factor, hours)
    demand = np.bincount(res.worker[cases], weights=hours, minlength=size).astype(float)
    followed = (FOLLOWED_BY_TEAM.take(res.status) & (res.worker >= 0)).nonzero()[0]
    demand += np.bincount(res.worker[followed], minlength=size) * p.follow_up_hours
    return demand


def assign_workers(model, rows: np.ndarray) -> None:
    """Give each new case a case manager.

    The team prefers a member of the kind that fits the main problem (debt to
    maatschappelijk werk, self-care to the wijkverpleegkundige), but only while
    that member carries no more than the team's average load; otherwise the
    least-loaded colleague takes it (one plan, one case manager, seed 004).
    """
    res, team, size = model.residents, model.team, model.team.size
    load = np.bincount(res.worker[res.worker >= 0], minlength=size).tolist()
    total = float(sum(load))
    slots = range(size)
    same_kind = {kind: [slot for slot in slots if team.kinds[slot] == kind] for kind in set(team.kinds.tolist())}
    preferred = PREFERRED_KIND[res.severity.take(rows, axis=1).argmax(axis=0)].tolist()
    least_loaded = load.__getitem__
    chosen = []
    # plain Python over a handful of members: a case at a time, the loads change as we go
    for kind in preferred:
        slot = min(slots, key=least_loaded)
        candidates = same_kind.get(kind)
        if candidates:
            candidate = min(candidates, key=least_loaded)
            if load[candidate] * size <= total:
                slot = candidate
        chosen.append(slot)
        load[slot] += 1
        total += 1
    res.worker[rows] = chosen


def intake(model, routes: list[np.ndarray], smax: np.ndarray, spare_hours: float) -> None:
    """This week's new contacts (by route: outreach, self-referral, partner signal) become cases.

    The team triages by need: the most severe first, as far as its spare
    casework hours allow. The rest get the desk's answer: advice and
    information for light questions, the traditional route (indication for
    the second line) for heavier ones, so a full team is never a dead end.
    """
    res, p = model.residents, model.params
    for route, rows in enumerate(routes):
        first = rows[~res.known[rows]]
        model.week_stats["first_contacts"] += len(first)
        model.week_stats["first_contact_severity_sum"] += float(smax[first].sum())
        model.week_stats[f"contacts_{ROUTES[route]}"] += len(first)
    rows = np.concatenate(routes)
    if len(rows) == 0:
        return
    res.known[rows] = True
    # the most severe first; ties in random order, so no dwelling slot is served first every week
    rows = rows[np.lexsort((model.rng_team.random(len(rows)), -smax[rows]))]
    need = case_hours(smax[rows], p)
    fits = np.cumsum(need) <= spare_hours
    if not fits.all():
        turned = rows[~fits]
        model.week_stats["triaged"] += len(turned)
        contacts.desk_handles(model, turned, smax)
        rows = rows[fits]
    if len(rows) == 0:
        return
    res.status[rows] = TEAM
    res.provision_wait[rows] = NOT_NEEDED
    res.poor_decision[rows] = False
    res.familiarity[rows] = np.maximum(res.familiarity[rows], p.case_familiarity)
    assign_workers(model, rows)


def mandate_decisions(model, cases: np.ndarray, smax: np.ndarray, competence: np.ndarray) -> None:
    """Cases that come to need a provision wait for a decision, by mandate level.

    none: the municipal desk decides (weeks, seed 001) by its rules, and part
    of what the team proposes is refused or replaced by a standard provision
    that does not fit; derived: the Wmo consultant in the team (short, seed
    003); full: the team itself, at once, with a chance of a poor decision that
    falls with the member's competence. A misfit provision cuts the help.
    """
    res, p, mandate = model.residents, model.params, model.mandate
    needs = cases[(smax[cases] >= p.provision_threshold) & (res.provision_wait[cases] == NOT_NEEDED)]
    if len(needs):
        delay = {"none": p.desk_delay_weeks, "derived": p.derived_delay_weeks, "full": 0}[mandate]
        res.provision_wait[needs] = delay + 1  # counted down below, so the wait is `delay` weeks
        if mandate == "none":
            model.week_stats["desk_requests"] += len(needs)
            refused = model.rng_team.random(len(needs)) < p.desk_refusal_share
            res.poor_decision[needs[refused]] = True
            model.week_stats["desk_refusals"] += int(refused.sum())
        if mandate == "full":
            main = res.severity.take(needs, axis=1).argmax(axis=0)
            skill = competence[res.worker[needs], main]
            poor = model.rng_team.random(len(needs)) < p.full_mandate_error * (1.0 - skill)
            res.poor_decision[needs[poor]] = True
            model.week_stats["poor_decisions"] += int(poor.sum())
    waiting = cases[res.provision_wait[cases] > 0]
    res.provision_wait[waiting] -= 1


def team_help(model, cases: np.ndarray, intensity: np.ndarray, competence: np.ndarray,
              help_: np.ndarray, engaged: np.ndarray) -> np.ndarray:
    """Severity the team removes from its cases this week; returns hours per member per domain."""
    res, p, team = model.residents, model.params, model.team
    if len(cases) == 0:
        return np.zeros((team.size, N_DOMAINS))
    worker = res.worker[cases]
    sev = res.severity.take(cases, axis=1)  # domains x cases
    skill = competence.T.take(worker, axis=1)  # domains x cases, C-ordered like sev: fast elementwise
    # help needs hours, knowledge of the wijk's social map and a team that works as one; all of
    # it is the member's, so it is computed per member and handed to their cases
    strength = (
        intensity
        * (1.0 - p.social_map_weight * (1.0 - team.social_map))
        * (1.0 - p.integration_weight * (1.0 - team.integration))
    )
    rate = (p.help_rate * competence.T * strength).take(worker, axis=1)
    case_intensity = intensity.take(worker)
    # debt is the hub: other help works less while debt is severe (seed 001)
    rate[NON_DEBT] *= 1.0 - p.debt_block * res.debt_of_household[cases]
    pending = (res.provision_wait[cases] > 0) & (sev >= p.provision_threshold)
    rate *= np.where(pending, p.advice_share, 1.0)
    if model.mandate == "full":
        rate *= 1.0 + p.full_mandate_bonus * skill
    rate *= np.where(res.poor_decision[cases], 1.0 - p.poor_decision_penalty, 1.0)  # a factor per case
    rate *= sev > 0
    add_to_columns(help_, cases, rate)
    # a problem stops growing as far as someone competent is working on it
    main = sev.argmax(axis=0)
    main_skill = skill[main, np.arange(len(cases))]
    containment = p.care_containment * case_intensity * main_skill
    # while a provision is being decided elsewhere, the team can only advise
    containment = np.where(pending[main, np.arange(len(cases))], containment * p.advice_share, containment)
    engaged[cases] = np.maximum(engaged[cases], containment)
    # casework hours per member and domain drive learning
    share = sev / np.maximum(sev.sum(axis=0), 1e-9)
    hours = case_hours(sev.max(axis=0), p) * case_intensity
    # one bincount over (domain, member) bins; each bin adds its cases in the same order
    bins = (np.arange(N_DOMAINS)[:, None] * team.size + worker).ravel()
    domain_hours = np.bincount(bins, weights=(share * hours).ravel(), minlength=N_DOMAINS * team.size)
    return domain_hours.reshape(N_DOMAINS, team.size).T.copy()


def refer(model, cases: np.ndarray, smax: np.ndarray, competence: np.ndarray, intensity: np.ndarray) -> None:
    """Planned referrals of cases beyond what the team can carry.

    A competent member keeps more cases in the team; an overloaded one (low
    intensity) refers earlier. With agreements the referral goes straight onto the waiting list; without,
    the specialist often refuses and the case stays with the team, clogging it
    ('verstopping', seed 003), or goes round through the desk.
    """
    res, p, rng = model.residents, model.params, model.rng_team
    if len(cases) == 0:
        return
    u = rng.random((2, len(cases)))
    # this week's chance to consider a referral comes first: the rest need no main domain
    considered = u[0] < p.referral_rate
    rows, u = cases[considered], u[:, considered]
    main = res.severity.take(rows, axis=1).argmax(axis=0)
    worker = res.worker[rows]
    threshold = p.referral_threshold + p.referral_competence_shift * competence[worker, main] * intensity[worker]
    refer_now = smax[rows] >= threshold
    if not model.agreements:
        accepted = u[1] < p.no_agreement_accept
        model.week_stats["refused_referrals"] += int((refer_now & ~accepted).sum())
        refer_now &= accepted
    rows, main = rows[refer_now], main[refer_now]
    if len(rows) == 0:
        return
    res.status[rows] = WAITING
    res.specialist[rows] = SPECIALIST_OF_DOMAIN[main]
    res.wait_since[rows] = model.week
    res.due_week[rows] = model.week + (0 if model.agreements else int(p.no_agreement_delay_weeks))


def follow_up_end(p) -> int:
    """Weeks from the start of a follow-up to its due week: the week it starts counts as its first."""
    return int(p.follow_up_weeks) - 1


def close_cases(model, smax: np.ndarray) -> np.ndarray:
    """Cases with nothing left above a light remainder end; returns the rows that ended well."""
    res, p = model.residents, model.params
    done = OPEN_CASE.take(res.status).nonzero()[0]
    done = done[smax.take(done) < p.close_threshold]
    if len(done) == 0:
        return done
    model.release_volunteers(done)
    res.trust[done] += p.trust_help_bump * (1.0 - res.trust[done])
    lasting = res.limited[done]
    res.status[done] = np.where(lasting, FOLLOWED, NONE)
    res.due_week[done] = np.where(lasting, model.week + follow_up_end(p), model.week)
    res.worker[done[~lasting]] = -1
    res.in_group[done] = False
    return done


def follow_up(model, smax: np.ndarray, room: np.ndarray) -> None:
    """The 'sociale huisarts': followed residents are re-opened early when a problem returns,
    by a case manager with ``room`` this week (all casework done); one without room lets the
    resident go the traditional way (the desk), so a swamped team does not reopen every case."""
    res, p = model.residents, model.params
    followed = (res.status == FOLLOWED).nonzero()[0]
    if len(followed) == 0:
        return
    returning = followed[smax[followed] >= p.notice_threshold]
    has_room = room[res.worker[returning]]
    reopen, let_go = returning[has_room], returning[~has_room]
    if len(let_go):
        res.status[let_go] = NONE
        res.worker[let_go] = -1
        model.week_stats["triaged"] += len(let_go)
        contacts.desk_handles(model, let_go, smax)
    res.status[reopen] = TEAM
    res.provision_wait[reopen] = NOT_NEEDED
    res.poor_decision[reopen] = False
    model.week_stats["reopened"] += len(reopen)
    staying = followed[smax[followed] < p.notice_threshold]
    ended = staying[(res.due_week[staying] <= model.week) & ~res.limited[staying]]
    res.status[ended] = NONE
    res.worker[ended] = -1


def second_line_help(model, help_: np.ndarray, engaged: np.ndarray) -> None:
    """Specialists treat their own domains fully and the others a little."""
    res = model.residents
    rows = (res.status == SECOND_LINE).nonzero()[0]
    if len(rows) == 0:
        return
    effect = model.second_line_effect.take(res.specialist.take(rows), axis=1)  # domains x clients
    effect *= res.severity.take(rows, axis=1) > 0
    add_to_columns(help_, rows, effect)
    engaged[rows] = 1.0

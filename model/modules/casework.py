"""Casework: intake, the mandate's decisions, help, referral, closing and follow-up.

The team takes on this week's contacts as far as its hours allow, decides
on provisions as its mandate allows, helps with the hours its members
planned, refers what it cannot carry, closes what is resolved and keeps an
eye on residents after a case or a trajectory (the 'sociale huisarts').
"""

from __future__ import annotations

import numpy as np

from agents.vocabulary import (
    FOLLOWED,
    ISOLATION,
    KIND_OF_DOMAIN,
    N_DOMAINS,
    PREFERRED_KIND,
    ROUTE_ACCESS,
    ROUTE_GP,
    ROUTES,
    SECOND_LINE,
    SPEC_MENTAL,
    SPEC_WMO,
    SPEC_YOUTH,
    TEAM,
    VOLUNTEER,
    WAITING,
    YOUTH,
)

from ..residents import NOT_ASKED
from .base import Module
from .casework_loops import choose_case_managers, help_cases, hours_by_severity
from .mandate import mandate_policy



def case_hours(worst: np.ndarray, p) -> np.ndarray:
    """Weekly casework hours by case severity class (LPBL caseload norms)."""
    return hours_by_severity(worst, p.severe_threshold, p.light_threshold, p.hours_case_severe,
                             p.hours_case_vulnerable, p.hours_case_light)


class Casework(Module):
    """The team's cases, from intake to follow-up."""

    COUNTS = ("first_contacts", "first_contact_severity_sum", "contacts_outreach", "contacts_self",
              "contacts_partner", "triaged", "reopened", "refused_referrals", "poor_decisions", "desk_refusals",
              "provision_entries")

    def __init__(self, model):
        super().__init__(model)
        self.use_team_settings(model.settings)
        self.demand = np.zeros(0)  # hours each member's caseload asks for this week
        self.domain_hours = np.zeros((0, N_DOMAINS))  # casework hours per member and domain this week

    def use_team_settings(self, settings) -> None:
        """The mandate's policy and the agreements with specialists, from the scenario's team."""
        self.policy = mandate_policy(settings["team.mandate"], self.p)
        self.agreements = settings["team.specialist_agreements"]

    # -- the week -----------------------------------------------------------------

    def step(self) -> None:
        """Intake of this week's contacts, then for every case: decisions, help and referral."""
        team = self.model.team
        if team is None:
            return
        self.intake(self.model.access.arrivals, self._spare_hours())
        cases = self.residents.rows(TEAM)
        competence = team.effective_competence()
        intensity = team.intensity()
        self.decide_provisions(cases, competence)
        self._provisions_start()
        self.help(cases, intensity, competence)
        self.refer(cases, competence, intensity)

    def close_and_follow_up(self) -> None:
        """After the second line's week: resolved cases end, returning problems are picked up."""
        if self.model.team is None:
            return
        done = self.close_resolved()
        self.model.volunteers.reciprocity(done)
        self.follow_up(np.array([plan.intensity >= 1.0 for plan in self.model.team.plans]))

    # -- caseload -----------------------------------------------------------------

    def demand_per_member(self) -> np.ndarray:
        """Hours each member's caseload asks for: cases, follow-ups and second-line clients."""
        res, p, size = self.residents, self.p, self.model.team.size
        cases = res.rows(TEAM)
        hours = case_hours(self.model.problems.worst[cases], p)
        # a collectivised light isolation need costs little individual casework
        grouped = res.in_group[cases]
        if grouped.any():
            grouped[grouped] = res.severity.take(cases[grouped], axis=1).argmax(axis=0) == ISOLATION
            hours = np.where(grouped, p.hours_case_light * p.group_case_hours_factor, hours)
        demand = np.bincount(res.worker[cases], weights=hours, minlength=size).astype(float)
        # residents the team keeps an eye on: followed, with a volunteer, waiting or in the second line
        followed = res.rows(FOLLOWED, VOLUNTEER, WAITING, SECOND_LINE)
        followed = followed[res.worker.take(followed) >= 0]
        demand += np.bincount(res.worker[followed], minlength=size) * p.follow_up_hours
        self.demand = demand
        return demand

    def _spare_hours(self) -> float:
        """Contract hours left for new cases this week: what casework, administration, team
        meetings and networking leave, less a share of the time in the wijk that the intake
        policy keeps free for presence."""
        protected = self.p.presence_protected_share
        hours = self.model.settings["team.hours_per_week"]
        return sum(hours - plan.admin - plan.coordination - plan.networking - plan.casework
                   - protected * (plan.in_wijk - plan.networking) for plan in self.model.team.plans)

    def assign_workers(self, rows: np.ndarray) -> None:
        """Give each new case a case manager (one plan, one case manager, seed 004)."""
        res, team = self.residents, self.model.team
        load = np.bincount(res.worker[res.worker >= 0], minlength=team.size)
        preferred = PREFERRED_KIND[res.severity.take(rows, axis=1).argmax(axis=0)]
        res.worker[rows] = choose_case_managers(preferred, team.kinds, load)

    def intake(self, routes: list[np.ndarray], spare_hours: float) -> None:
        """This week's new contacts (by route: outreach, self-referral, partner signal) become cases.

        The team triages by need: the most severe first, as far as its spare
        casework hours allow. The rest get the desk's answer: advice and
        information for light questions, the traditional route (indication for
        the second line) for heavier ones, so a full team is never a dead end.
        """
        res, p, worst = self.residents, self.p, self.model.problems.worst
        for route, rows in enumerate(routes):
            first = rows[~res.known[rows]]
            self.count["first_contacts"] += len(first)
            self.count["first_contact_severity_sum"] += float(worst[first].sum())
            self.count[f"contacts_{ROUTES[route]}"] += len(first)
        rows = np.concatenate(routes)
        if len(rows) == 0:
            return
        res.known[rows] = True
        # the most severe first; ties in random order, so no dwelling slot is served first every week
        rows = rows[np.lexsort((self.model.rng_team.random(len(rows)), -worst[rows]))]
        fits = np.cumsum(case_hours(worst[rows], p)) <= spare_hours
        if not fits.all():
            self.count["triaged"] += int(np.count_nonzero(~fits))
            self.model.access.desk_handles(rows[~fits])
            rows = rows[fits]
        if len(rows) == 0:
            return
        res.open_case(rows)
        res.familiarity[rows] = np.maximum(res.familiarity[rows], p.case_familiarity)
        self.assign_workers(rows)

    # -- decisions, help and referral -----------------------------------------------

    def decide_provisions(self, cases: np.ndarray, competence: np.ndarray) -> None:
        """Cases that come to need a provision ask for a decision, by the mandate's policy. The
        provision is youth care for a youth and Wmo maatwerk (support at home, household help)
        for an adult: it counts as use of that kind and costs from its budget."""
        res, p, policy, week = self.residents, self.p, self.policy, self.model.week
        needs = cases[(self.model.problems.worst[cases] >= p.provision_threshold)
                      & (res.provision_due[cases] == NOT_ASKED)]
        if len(needs) == 0:
            return
        res.provision_due[needs] = week + policy.delay_weeks
        res.provision_kind[needs] = np.where(res.age[needs] == YOUTH, SPEC_YOUTH, SPEC_WMO)
        if policy.by_desk:
            self.model.access.desk_decides(len(needs))
            refused = self.model.rng_team.random(len(needs)) < policy.refusal_share
            res.poor_decision[needs[refused]] = True
            self.count["desk_refusals"] += int(refused.sum())
        if policy.error_rate:
            main = res.severity.take(needs, axis=1).argmax(axis=0)
            skill = competence[res.worker[needs], main]
            poor = self.model.rng_team.random(len(needs)) < policy.error_rate * (1.0 - skill)
            res.poor_decision[needs[poor]] = True
            self.count["poor_decisions"] += int(poor.sum())

    def _provisions_start(self) -> None:
        """Provisions decided for this week start: entries of their kind by the municipal access."""
        res, week = self.residents, self.model.week
        cases = res.rows(TEAM, VOLUNTEER)
        starting = cases[(res.provision_due.take(cases) == week) & (res.provision_kind.take(cases) >= 0)]
        self.count["provision_entries"] += len(starting)
        np.add.at(self.model.second_line.entries[:, ROUTE_ACCESS], res.provision_kind[starting], 1)

    def help(self, cases: np.ndarray, intensity: np.ndarray, competence: np.ndarray) -> None:
        """Severity the team removes from its cases this week, and the hours per member and domain.
        Help needs hours, knowledge of the wijk's social map and a team that works as one."""
        res, p, team, problems = self.residents, self.p, self.model.team, self.model.problems
        strength = (intensity
                    * (1.0 - p.social_map_weight * (1.0 - team.social_map))
                    * (1.0 - p.integration_weight * (1.0 - team.integration)))
        rates = (p.help_rate, p.debt_block, p.provision_threshold, p.advice_share, self.policy.help_bonus,
                 p.poor_decision_penalty, p.care_containment, p.severe_threshold, p.light_threshold,
                 p.hours_case_severe, p.hours_case_vulnerable, p.hours_case_light)
        self.domain_hours = np.zeros((team.size, N_DOMAINS))
        help_cases(cases, res.worker, res.severity, competence, strength, intensity, problems.household_debt,
                   res.provision_due, res.poor_decision, self.model.week, problems.relief, problems.engaged,
                   self.domain_hours, rates)

    def refer(self, cases: np.ndarray, competence: np.ndarray, intensity: np.ndarray) -> None:
        """Planned referrals of cases beyond what the team can carry.

        A competent member keeps more cases in the team; an overloaded one (low
        intensity) refers earlier. With agreements the referral goes straight onto the waiting
        list; without, the specialist often refuses and the case stays with the team, clogging
        it ('verstopping', seed 003), or is accepted only after a delay.
        """
        res, p, rng, week = self.residents, self.p, self.model.rng_team, self.model.week
        if len(cases) == 0:
            return
        u = rng.random((2, len(cases)))
        considered = u[0] < p.referral_rate
        rows, u = cases[considered], u[:, considered]
        main = res.severity.take(rows, axis=1).argmax(axis=0)
        worker = res.worker[rows]
        threshold = p.referral_threshold + p.referral_competence_shift * competence[worker, main] * intensity[worker]
        refer_now = self.model.problems.worst[rows] >= threshold
        if not self.agreements:
            accepted = u[1] < p.no_agreement_accept
            self.count["refused_referrals"] += int((refer_now & ~accepted).sum())
            res.refused[rows[refer_now & ~accepted]] = True  # stuck with the team (verstopping)
            refer_now &= accepted
        rows, main = rows[refer_now], main[refer_now]
        delay = 0 if self.agreements else int(p.no_agreement_delay_weeks)
        kind = KIND_OF_DOMAIN[res.age[rows], main]
        via_gp = kind == SPEC_MENTAL  # GGZ needs the GP's referral, which the team arranges
        second_line = self.model.second_line
        second_line.refer(rows[via_gp], kind[via_gp], ROUTE_GP, delay)
        second_line.refer(rows[~via_gp], kind[~via_gp], ROUTE_ACCESS, delay)

    # -- closing and follow-up ----------------------------------------------------------

    def follow_up_until(self) -> int:
        """The last week of a follow-up starting now (the week it starts counts as its first)."""
        return self.model.week + int(self.p.follow_up_weeks) - 1

    def close_resolved(self) -> np.ndarray:
        """Cases with nothing left above a light remainder, beside a lasting limitation (which is
        the Wmo's, applied for at the municipal access), end; returns the rows that ended well."""
        res, p = self.residents, self.p
        done = res.rows(TEAM, VOLUNTEER)
        done = done[self.model.problems.beyond_limitation(done) < p.close_threshold]
        if len(done) == 0:
            return done
        res.volunteer_of[done] = -1
        res.in_group[done] = False
        res.trust[done] += p.trust_help_bump * (1.0 - res.trust[done])
        lasting = res.limited[done]  # residents with lasting limits stay in view
        res.follow_up(done[lasting], self.follow_up_until())
        res.close(done[~lasting], self.model.week)
        return done

    def follow_up(self, room: np.ndarray) -> None:
        """Followed residents are re-opened early when a problem returns, by a case manager with
        ``room`` this week (all casework done); one without room lets the resident go the
        traditional way (the desk), so a swamped team does not reopen every case."""
        res, p, week, worst = self.residents, self.p, self.model.week, self.model.problems.worst
        followed = res.rows(FOLLOWED)
        if len(followed) == 0:
            return
        returning = followed[worst[followed] >= p.notice_threshold]
        has_room = room[res.worker[returning]]
        reopen, let_go = returning[has_room], returning[~has_room]
        if len(let_go):
            res.close(let_go, week)
            self.count["triaged"] += len(let_go)
            self.model.access.desk_handles(let_go)
        res.open_case(reopen)
        self.count["reopened"] += len(reopen)
        staying = followed[worst[followed] < p.notice_threshold]
        res.close(staying[(res.due_week[staying] <= week) & ~res.limited[staying]], week)

    def results(self) -> dict[str, float]:
        res, p, count = self.residents, self.p, self.count
        cases = res.rows(TEAM)
        caseload = len(cases)
        out = {key: value for key, value in count.items() if key != "first_contact_severity_sum"}
        first = count["first_contacts"]
        out["first_contact_severity"] = count["first_contact_severity_sum"] / first if first else np.nan
        out["team_caseload"] = caseload
        # seed 003's 'verstopping': casework hours asked by cases a specialist refused to take over
        stuck = cases[res.refused.take(cases)]
        out["clogged_hours"] = float(case_hours(self.model.problems.worst.take(stuck), p).sum())
        out["followed"] = res.number(FOLLOWED)
        # what the mandate changes: the weeks cases spend waiting for a provision decision
        out["provision_wait_weeks"] = int(np.count_nonzero(self.model.week < res.provision_due.take(cases)))
        indebted = np.count_nonzero(self.model.problems.household_debt.take(cases) >= p.close_threshold)
        out["cases_with_debt_share"] = indebted / caseload if caseload else np.nan
        return out

    @property
    def caseload(self) -> int:
        return self.residents.number(TEAM)

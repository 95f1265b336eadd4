"""The wijkteam: its members plan their weeks; the team learns and turns over.

The learning curve is not drawn: it emerges here from competence that grows
with casework, duo visits and team meetings; integration that grows with joint
hours per colleague pair (so large teams integrate slower); knowledge of the
social map that grows with hours in the wijk; and turnover, fed by overload,
that resets all three for the newcomer.
"""

from __future__ import annotations

import numpy as np

from agents.generalist import GeneralistAgent, WeekPlan
from agents.vocabulary import BASE, COMMUNITY, GENERALIST_KINDS, N_DOMAINS, OWN_DOMAINS

from ..parameters import weekly_chance
from .base import Module

N_PARTNERS = 3  # school, GP practice, housing corporation
HOURS = ("presence", "casework", "coordination", "admin", "networking")  # reported per week


class Team(Module):
    """State of the generalists, one row per team slot; started by the model at week 0."""

    def __init__(self, model):
        super().__init__(model)
        s, p = model.settings, self.p
        self.kinds = np.array(
            [k for k, name in enumerate(GENERALIST_KINDS) for _ in range(s[f"team.{name}"])], dtype=np.int8
        )
        self.size = len(self.kinds)
        self.competence = np.zeros((self.size, N_DOMAINS))
        self.social_map = np.zeros(self.size)
        self.overload = np.zeros(self.size)
        self.integration = 0.0
        self.partner_relation = np.full(N_PARTNERS, p.partner_relation_traditional)
        self.duo_partner = self._duo_partners()  # slots keep their kind, so pairs are fixed
        self.members: list[GeneralistAgent] = []
        self.plans: list[WeekPlan] = []
        self.planned: dict[str, float] = {}  # the team's planned hours this week, by activity
        self.leavers = 0
        for slot in range(self.size):
            self._hire(slot)

    # -- the week ---------------------------------------------------------------

    def plan_week(self) -> None:
        """Every member splits the contract hours over casework, presence, networking and the rest."""
        s = self.model.settings
        demand = self.model.casework.demand_per_member()
        self.plans = [
            member.plan_week(demand[member.slot], self.size, s["team.hours_per_week"], s["team.hours_in_wijk"],
                             s["volunteers.coordination_hours"])
            for member in self.members
        ]
        self.planned = {activity: self.hours(activity) for activity in (*HOURS, "volunteer_coordination")}

    def intensity(self) -> np.ndarray:
        """Per member, the share of this week's casework demand that gets done."""
        return np.array([plan.intensity for plan in self.plans])

    def hours(self, activity: str, kind: int | None = None) -> float:
        """The team's planned hours of ``activity`` this week (of members of ``kind`` only, if given)."""
        return float(sum(getattr(plan, activity) for plan, member in zip(self.plans, self.members, strict=True)
                         if kind is None or member.kind == kind))

    def community_presence(self) -> float:
        return self.hours("presence", COMMUNITY)

    def learn_and_turn_over(self) -> None:
        """Competence, integration, social map and partners grow; overload builds; members leave."""
        self.learn(self.model.casework.domain_hours, self.model.settings["team.duo_visits"], self.plans)
        self.update_overload(self.plans)
        self.turnover(self.model.rng_team, self.model.settings["team.turnover_per_year"])

    def fte(self, kind: int | None = None) -> float:
        """The team's FTE (of members of ``kind`` only, if given)."""
        members = self.size if kind is None else int(np.count_nonzero(self.kinds == kind))
        return members * self.model.settings["team.hours_per_week"] / self.p.full_time_hours

    def results(self) -> dict[str, float]:
        caseload = self.model.casework.caseload
        fte = self.fte()
        out = {f"{activity}_hours": self.planned[activity] for activity in HOURS}
        out.update({
            "team_size": self.size, "team_fte": fte, "caseload_per_fte": caseload / fte if fte else 0.0,
            "team_competence": self.mean_competence, "team_integration": self.integration,
            "team_overload": float(self.overload.mean()) if self.size else 0.0,
            "partner_relation": float(self.partner_relation.mean()), "leavers": self.leavers,
        })
        return out

    @staticmethod
    def results_without_team(p) -> dict[str, float]:
        """The same columns in a week without a team."""
        out = {f"{activity}_hours": 0.0 for activity in HOURS}
        out.update({"team_size": 0, "team_fte": 0.0, "caseload_per_fte": 0.0, "team_competence": 0.0,
                    "team_integration": 0.0, "team_overload": 0.0,
                    "partner_relation": p.partner_relation_traditional, "leavers": 0})
        return out

    # -- mechanisms ---------------------------------------------------------------

    def _hire(self, slot: int) -> None:
        """A newcomer takes the slot: own-domain strength, little else."""
        p, kind = self.p, int(self.kinds[slot])
        self.competence[slot] = p.competence_other_initial
        self.competence[slot, list(OWN_DOMAINS[kind])] = p.competence_own_initial
        self.social_map[slot] = p.social_map_initial
        self.overload[slot] = 0.0
        base = self.model.neighbourhood.cell_at(*self.model.neighbourhood.places[BASE])
        agent = GeneralistAgent(self.model, kind, slot, base)
        if slot < len(self.members):
            self.members[slot] = agent
        else:
            self.members.append(agent)

    def effective_competence(self) -> np.ndarray:
        """Competence a member brings to a case, helped by colleagues as far as the team is integrated."""
        best = self.competence.max(axis=0)
        return self.competence + self.integration * self.p.consult_share * (best - self.competence)

    def learn(self, domain_hours: np.ndarray, duo: bool, plans) -> None:
        """Weekly growth of competence, integration, social map and partner relations."""
        p, c = self.p, self.competence
        if self.size == 0:
            return
        growth = p.learn_case * domain_hours * (1.0 - c)
        joint_hours = np.array([plan.coordination for plan in plans])
        if duo and self.size > 1:
            # each member's duo hours are spent with a colleague of another kind where possible
            duo_hours = p.duo_share * np.array([plan.casework for plan in plans])
            partner = self.duo_partner
            gap = np.maximum(c[partner] - c, 0.0)
            growth += p.learn_duo * duo_hours[:, None] * gap
            joint_hours = joint_hours + duo_hours
        best = c.max(axis=0)
        growth += p.learn_team * self.integration * (best - c)
        c += growth
        np.clip(c, 0.0, 1.0, out=c)
        if self.size > 1:
            per_pair = joint_hours.sum() / self.size / (self.size - 1)  # mean per member, per colleague
            self.integration += p.integration_gain * per_pair * (1.0 - self.integration)
        wijk_hours = np.array([plan.presence + plan.networking + plan.casework * p.home_visit_share for plan in plans])
        self.social_map += p.social_map_gain * wijk_hours * (1.0 - self.social_map)
        networking = sum(plan.networking for plan in plans)
        rel = self.partner_relation
        rel += p.partner_relation_gain * networking * (1.0 - rel) - p.partner_relation_decay * (rel - p.partner_relation_traditional)
        np.clip(rel, 0.0, 1.0, out=rel)

    def _duo_partners(self) -> np.ndarray:
        """Pair each member with a colleague of another kind where the team has one.

        Members are ordered by kind and matched half a team apart, so a duo
        mixes disciplines (the point of duo visits, seed 003).
        """
        order = np.argsort(self.kinds, kind="stable")
        shift = max(1, self.size // 2)
        partner = np.empty(self.size, np.intp)
        partner[order] = order[(np.arange(self.size) + shift) % self.size]
        return partner

    def update_overload(self, plans) -> None:
        p = self.p
        ratio = np.array([plan.demand / max(plan.casework, 1e-9) if plan.demand > 0 else 0.0 for plan in plans])
        self.overload += np.maximum(ratio - p.burnout_threshold, 0.0)
        self.overload *= 1.0 - p.overload_decay
        np.minimum(self.overload, p.overload_cap, out=self.overload)

    def turnover(self, rng: np.random.Generator, yearly_rate: float) -> np.ndarray:
        """Members who leave this week (base rate raised by overload) are replaced."""
        if self.size == 0:
            return np.empty(0, np.intp)
        hazard = weekly_chance(yearly_rate) * (1.0 + self.p.burnout_gain * self.overload)
        leaving = (rng.random(self.size) < hazard).nonzero()[0]
        for slot in leaving:
            self.members[slot].remove()
            self._hire(int(slot))
            self.integration *= 1.0 - self.p.integration_loss_on_leave / self.size
        self.leavers += len(leaving)
        return leaving

    @property
    def mean_competence(self) -> float:
        return float(self.competence.mean()) if self.size else 0.0

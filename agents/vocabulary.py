"""Fixed vocabularies shared by the agents and the model: life domains, care statuses, kinds, places.

These are categories, not tunable numbers: they name array columns and codes. They live
with the agents because the model imports the agents, never the reverse.
"""

from __future__ import annotations

import numpy as np

# Life domains (columns of the severity matrix). Debt first: it is the hub.
DOMAINS = ("debt", "mental", "physical", "parenting", "isolation", "work", "housing")
DEBT, MENTAL, PHYSICAL, PARENTING, ISOLATION, WORK, HOUSING = range(len(DOMAINS))
N_DOMAINS = len(DOMAINS)
NON_DEBT = slice(1, N_DOMAINS)  # the domains other than debt (debt is first)
assert DEBT == 0

# Age groups
YOUTH, ADULT, ELDERLY = 0, 1, 2

# Care status of a resident (one code per resident). LIGHTER: stepped down from the second line
# to lighter care (maatschappelijk werk, the POH) where no team follows the resident up.
NONE, TEAM, VOLUNTEER, WAITING, SECOND_LINE, FOLLOWED, LIGHTER = range(7)
STATUSES = ("none", "team", "volunteer", "waiting", "second_line", "followed", "lighter_care")


def status_mask(*codes: int) -> np.ndarray:
    """Lookup table of the statuses ``codes``: ``status_mask(TEAM, VOLUNTEER)[status]`` is an ``isin``."""
    mask = np.zeros(len(STATUSES), dtype=bool)
    mask[list(codes)] = True
    return mask


# Generalist kinds (seed 003) and the domains each is trained in
GENERALIST_KINDS = ("community", "individual", "care")
COMMUNITY, INDIVIDUAL, CARE = range(3)
OWN_DOMAINS = {
    COMMUNITY: (ISOLATION, HOUSING),
    INDIVIDUAL: (DEBT, WORK, PARENTING, MENTAL),
    CARE: (PHYSICAL, MENTAL),
}
# Which kind the team prefers as case manager, by the case's main domain
PREFERRED_KIND = np.array([INDIVIDUAL, INDIVIDUAL, CARE, INDIVIDUAL, COMMUNITY, INDIVIDUAL, COMMUNITY])

# Second-line kinds: the law each falls under sets who refers and who pays (model brief,
# "The second line as it is entered"). Youth care (Jeugdwet) includes youth GGZ; GGZ for adults
# falls under the Zvw; Wmo maatwerk; debt counselling (Wgs); work and income (Participatiewet).
SPECIALIST_KINDS = ("youth", "mental", "wmo", "debt", "work")
SPEC_YOUTH, SPEC_MENTAL, SPEC_WMO, SPEC_DEBT, SPEC_WORK = range(5)
N_KINDS = len(SPECIALIST_KINDS)
# the kind that takes a problem, by age group (rows) and life domain (columns)
KIND_OF_DOMAIN = np.array([
    # debt      mental       physical   parenting   isolation  work       housing
    [SPEC_DEBT, SPEC_YOUTH, SPEC_YOUTH, SPEC_YOUTH, SPEC_YOUTH, SPEC_WORK, SPEC_WMO],  # youth
    [SPEC_DEBT, SPEC_MENTAL, SPEC_WMO, SPEC_YOUTH, SPEC_WMO, SPEC_WORK, SPEC_WMO],  # adult
    [SPEC_DEBT, SPEC_MENTAL, SPEC_WMO, SPEC_YOUTH, SPEC_WMO, SPEC_WORK, SPEC_WMO],  # elderly
], dtype=np.int8)
# the domains each kind treats fully (for any age group)
SPECIALIST_DOMAINS = np.zeros((N_KINDS, N_DOMAINS), dtype=bool)
for _age_row in KIND_OF_DOMAIN:
    SPECIALIST_DOMAINS[_age_row, np.arange(N_DOMAINS)] = True

# Who may send a resident to which kind. The GP refers to youth care and GGZ, not to the Wmo or
# debt counselling; the municipal access (desk or team) indicates youth care, Wmo, debt
# counselling and work and income, not GGZ (which needs a GP referral).
REFERRERS = ("gp", "access")
BY_GP, BY_ACCESS = range(2)
REFERS = np.zeros((len(REFERRERS), N_KINDS), dtype=bool)
REFERS[BY_GP, [SPEC_YOUTH, SPEC_MENTAL]] = True
REFERS[BY_ACCESS, [SPEC_YOUTH, SPEC_WMO, SPEC_DEBT, SPEC_WORK]] = True

# How an entry into the second line came about (CBS counts youth care by referrer): a GP
# referral, the municipal access (desk or team), the resident's own application, a court or
# certified institution, or a crisis route.
ENTRY_ROUTES = ("gp", "access", "own", "court", "crisis")
ROUTE_GP, ROUTE_ACCESS, ROUTE_OWN, ROUTE_COURT, ROUTE_CRISIS = range(len(ENTRY_ROUTES))

# Who pays, by kind: the law as it is since 2015 (youth GGZ under the Jeugdwet, GGZ for adults
# under the Zvw, debt counselling on its own municipal line, work under the Participatiewet)
BUDGET_OF_SPECIALIST = ("municipality_youth", "insurer", "municipality_wmo", "municipality_debt",
                        "municipality_work")

# Places on the grid; residents are attached to one of the first three
PLACES = ("community_centre", "school", "gp_practice", "team_base")
CENTRE, SCHOOL, GP, BASE = range(4)

# Domains where volunteers can help with light, practical tasks (seed 004)
VOLUNTEER_DOMAINS = (ISOLATION, PHYSICAL, DEBT)
# Routes of a first contact with the team
ROUTES = ("outreach", "self", "partner")

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

# Care status of a resident (one code per resident)
NONE, TEAM, VOLUNTEER, WAITING, SECOND_LINE, FOLLOWED = range(6)
STATUSES = ("none", "team", "volunteer", "waiting", "second_line", "followed")


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

# Second-line specialist kinds, the domains they treat and who pays
SPECIALIST_KINDS = ("youth", "mental", "wmo", "debt")
SPEC_YOUTH, SPEC_MENTAL, SPEC_WMO, SPEC_DEBT = range(4)
SPECIALIST_OF_DOMAIN = np.array([SPEC_DEBT, SPEC_MENTAL, SPEC_WMO, SPEC_YOUTH, SPEC_WMO, SPEC_DEBT, SPEC_WMO])
SPECIALIST_DOMAINS = np.zeros((len(SPECIALIST_KINDS), N_DOMAINS), dtype=bool)
SPECIALIST_DOMAINS[SPECIALIST_OF_DOMAIN, np.arange(N_DOMAINS)] = True

BUDGET_OF_SPECIALIST = ("municipality_youth", "insurer", "municipality_wmo", "municipality_wmo")

# Places on the grid; residents are attached to one of the first three
PLACES = ("community_centre", "school", "gp_practice", "team_base")
CENTRE, SCHOOL, GP, BASE = range(4)

# Domains where volunteers can help with light, practical tasks (seed 004)
VOLUNTEER_DOMAINS = (ISOLATION, PHYSICAL, DEBT)
# Routes of a first contact with the team
ROUTES = ("outreach", "self", "partner")

"""The mandate as one policy table: what each level means for a provision the team proposes.

Seeds 001 and 003: without a mandate the municipal desk decides, by its own
rules and after weeks; part of what the team proposes is refused or replaced
by a standard provision that does not fit. With a derived mandate the Wmo
consultant in the team decides within a short time. With a full mandate the
team decides at once, and a competent member's own decision helps more, while
a member with little competence in the domain sometimes decides poorly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MandatePolicy:
    """One row of the table."""

    delay_weeks: int  # from the request to the decision
    by_desk: bool  # the municipal desk decides (a desk request)
    refusal_share: float  # share refused or replaced by a misfit standard provision
    error_rate: float  # chance of a poor decision by a member without competence in the domain
    help_bonus: float  # extra help per unit of the member's competence


def mandate_policy(level: str, p) -> MandatePolicy:
    """The policy of mandate ``level`` (none, derived, full) with the parameter table's values."""
    table = {
        "none": MandatePolicy(int(p.desk_delay_weeks), True, p.desk_refusal_share, 0.0, 0.0),
        "derived": MandatePolicy(int(p.derived_delay_weeks), False, 0.0, 0.0, 0.0),
        "full": MandatePolicy(0, False, 0.0, p.full_mandate_error, p.full_mandate_bonus),
    }
    return table[level]

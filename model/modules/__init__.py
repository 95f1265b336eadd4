"""The model's mechanisms, one module each, called by the model in a fixed weekly order.

Each module owns its state and its weekly step and reports its own results;
it reads what earlier modules wrote this week from the model (``model.problems.worst``,
``model.access.arrivals``), not from arguments handed down. The order is
``WijkteamModel.WEEK``; docs/ODD.md has one section per module.
"""

from .access import Access
from .casework import Casework
from .costs import Costs
from .demography import Demography
from .housing import Housing
from .income import IncomeSupport
from .presence import Presence
from .problems import Problems
from .second_line import SecondLine
from .team import Team
from .volunteers import Volunteers

__all__ = ["Access", "Casework", "Costs", "Demography", "Housing", "IncomeSupport", "Presence", "Problems",
           "SecondLine", "Team", "Volunteers"]

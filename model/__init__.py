"""The wijkteam model: scenarios, parameters and the Mesa model itself."""

from .parameters import parameter_table
from .scenario import Scenario, ScenarioError, load_scenario
from .wijkteam_model import WijkteamModel

__all__ = ["Scenario", "ScenarioError", "WijkteamModel", "load_scenario", "parameter_table"]

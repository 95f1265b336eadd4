"""The four kinds of Mesa agents: residents, volunteers, generalists and specialists.

Residents and volunteers are many: their state lives in the model's numpy
arrays and the agents carry identity and a place on the grid. Generalists and
specialists are few: they make their own weekly decisions here.
"""

from .generalist import GeneralistAgent
from .resident import ResidentAgent
from .specialist import SpecialistAgent
from .volunteer import VolunteerAgent

__all__ = ["GeneralistAgent", "ResidentAgent", "SpecialistAgent", "VolunteerAgent"]

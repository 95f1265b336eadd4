"""Running the model: replications with common random numbers, and experiments."""

from .runs import replication_seeds, run_replication, run_scenario

__all__ = ["replication_seeds", "run_replication", "run_scenario"]

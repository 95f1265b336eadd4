"""Running the model: replications with common random numbers, summaries and reports."""

from .runs import replication_seeds, run_replication, run_scenario, run_scenarios

__all__ = ["replication_seeds", "run_replication", "run_scenario", "run_scenarios"]

"""Running the model: replications with common random numbers, experiments, summaries and reports."""

from .experiment import load_experiment, run_experiment
from .runs import replication_seeds, run_replication, run_scenario, run_scenarios

__all__ = ["load_experiment", "replication_seeds", "run_experiment", "run_replication", "run_scenario",
           "run_scenarios"]

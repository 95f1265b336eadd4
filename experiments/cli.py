"""The `wijkteam` command line: run, compare and check scenarios; list the bundled ones.

Bad input of any kind ends with one line on stderr naming the file and the
problem, and exit status 2; no traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from pathlib import Path

import pandas as pd

import scenarios as bundled_scenarios
from model import Scenario, ScenarioError, load_scenario
from model.scenario import read_toml

from .decision import break_even_summary, cumulative_balance, decision_text
from .interrupts import catch_interrupts
from .language import DEFAULT as DEFAULT_LANGUAGE
from .language import LANGUAGES, choose
from .posterior import BUNDLED, DEFAULT_DRAWS, Uncertainty, describe_runs, draw, load_posterior, replaced_settings
from .progress import Progress
from .files import OutputError, prepare_outdir
from .national import national_text
from .report import comparison_table, write_outputs
from .runs import default_workers, replication_seeds, run_scenarios
from .value_of_information import value_text

EXAMPLES = {
    "run": """examples:
  wijkteam run recommended
  wijkteam run scenarios/recommended.toml --replications 20 --seed 7 --years 15 --out results/recommended""",
    "compare": """examples:
  wijkteam compare no-team recommended          bundled scenarios by name (wijkteam scenarios lists them)
  wijkteam compare scenarios/no_team.toml scenarios/recommended.toml
  wijkteam compare recommended my_wijk.toml --replications 20 --out results/mine
  wijkteam compare no-team recommended --posterior --draws 24     with parameter uncertainty and the odds
every scenario gets the same seeds (common random numbers), so differences are the scenarios', not noise""",
    "check": """examples:
  wijkteam check scenarios/*.toml
  wijkteam check experiments/*.toml""",
    "experiment": """examples:
  wijkteam experiment experiments/mandate_by_hours.toml
  wijkteam experiment experiments/sobol_key_parameters.toml --workers 8 --out results/sobol
  wijkteam experiment experiments/morris_screening.toml --scheduler tcp://10.0.0.5:8786
repeating the same command on the same --out resumes: finished runs are never run again""",
    "calibrate": """examples:
  wijkteam calibrate experiments/calibration_netherlands.toml
  wijkteam calibrate my_wijk_calibration.toml --workers 8 --out results/my-wijk
repeating the same command on the same --out resumes from the last finished generation""",
    "dashboard": """examples:
  wijkteam dashboard                 then open http://127.0.0.1:8765/ in a browser
  wijkteam dashboard --port 9000
  wijkteam dashboard --lang en       the dashboard opens in English (default: Dutch)
the first start fetches the dashboard's web files once with npm; Ctrl-C stops the server""",
}


CURRENT_PRACTICE = "current-practice"  # the scenario the national statistics describe (issue 18)


class UsageError(Exception):
    """A bad command-line value; the message is one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2, as for every bad input
        self.exit(2, f"{self.prog}: error: {message}\n")


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 1 and 65535, got {value}")
    return value


def seed_value(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError("must be between 0 and 2**63-1")
    return value


def scenario_file(text: str) -> Path:
    """A scenario argument: a file that exists, else a bundled scenario's name (``no-team``)."""
    path = Path(text)
    if path.exists() or path.parent != Path("."):
        return path  # a missing file in a folder gets load_scenario's error
    found = bundled_scenarios.find(text)
    if found is None:
        names = ", ".join(bundled_scenarios.bundled())
        raise argparse.ArgumentTypeError(f"{text}: no such file, nor a bundled scenario (one of: {names})")
    return found


def list_scenarios() -> int:
    """The bundled scenarios, by name, with the question each answers."""
    found = bundled_scenarios.bundled()
    width = max(len(name) for name in found)
    for name, path in found.items():
        print(f"{name:<{width}}  {bundled_scenarios.question(path)}")
    print(f"\n{len(found)} bundled scenarios in {bundled_scenarios.directory()}; "
          "use a name where a scenario file is expected (wijkteam compare no-team recommended)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="wijkteam", description="Simulate Dutch social neighbourhood teams (sociale wijkteams).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)

    def common(sub, default_out):
        sub.add_argument("--replications", type=positive, help="replications per scenario (default: the scenario's)")
        sub.add_argument("--seed", type=seed_value, help="root seed (default: the first scenario's)")
        sub.add_argument("--years", type=positive, help="years after the team starts (default: the scenario's)")
        sub.add_argument("--out", type=Path, default=Path(default_out), help=f"output directory (default: {default_out})")
        sub.add_argument("--workers", type=positive, default=None, help="parallel processes (default: all cores)")
        sub.add_argument("--quiet", action="store_true", help="no progress bar")
        sub.add_argument("--posterior", metavar="DIR", nargs="?", const="bundled", default="none",
                         help="parameter uncertainty from a calibration's posterior: a folder written by wijkteam "
                              "calibrate; alone (after the scenarios), the posterior bundled with the project; "
                              "'none' (the default) keeps the parameters fixed")
        sub.add_argument("--draws", type=positive, default=None,
                         help=f"posterior draws per scenario (default {DEFAULT_DRAWS}); with --posterior, "
                              "--replications counts replications per draw (default 1)")
        sub.add_argument("--report", action="store_true",
                         help="also write report.html: the comparison as an MKBA, per actor, printable to PDF")
        sub.add_argument("--lang", choices=list(LANGUAGES), default=DEFAULT_LANGUAGE,
                         help="language of the printed table, the figures and the report (default: nl)")
        sub.add_argument("--sensitivity", metavar="DIR", type=Path, default=None,
                         help="with --report: a sensitivity analysis's output folder (wijkteam experiment), whose "
                              "strongest inputs the report lists among the assumptions that matter most")

    def batch(sub, default_out, quiet_help):  # resumable batches: experiments and calibrations
        sub.add_argument("--workers", type=positive, default=None, help="parallel processes (default: all cores)")
        sub.add_argument("--scheduler", metavar="ADDRESS", default=None,
                         help="run on a Dask distributed scheduler, e.g. tcp://10.0.0.5:8786")
        sub.add_argument("--out", type=Path, default=None, help=f"output directory (default: {default_out})")
        sub.add_argument("--quiet", action="store_true", help=quiet_help)

    run = commands.add_parser("run", help="run one scenario with replications and write a report",
                              epilog=EXAMPLES["run"], formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("scenario", type=scenario_file, help="scenario file (TOML) or a bundled scenario's name")
    common(run, "results/run")

    compare = commands.add_parser("compare", help="compare scenarios side by side with common random numbers",
                                  epilog=EXAMPLES["compare"], formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("scenarios", type=scenario_file, nargs="+",
                         help="two or more scenario files or bundled scenarios' names")
    common(compare, "results/compare")

    experiment = commands.add_parser("experiment", help="run a sweep or a sensitivity analysis (resumable)",
                                     epilog=EXAMPLES["experiment"],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    experiment.add_argument("experiment", type=Path, help="experiment file (TOML)")
    batch(experiment, "results/<experiment name>", "no progress bar")

    calibrate = commands.add_parser("calibrate", help="fit parameters to observed targets with ABC-SMC (resumable)",
                                    epilog=EXAMPLES["calibrate"],
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    calibrate.add_argument("calibration", type=Path, help="calibration file (TOML)")
    batch(calibrate, "results/calibration-<name>", "no progress lines")

    check = commands.add_parser("check", help="validate scenario, experiment, calibration or targets files",
                                epilog=EXAMPLES["check"], formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("files", type=scenario_file, nargs="+",
                       help="scenario or experiment files, or bundled scenarios' names")
    check.add_argument("--quiet", action="store_true", help="print nothing when all files are valid")

    commands.add_parser("scenarios", help="list the bundled scenarios and the question each answers")

    dashboard = commands.add_parser("dashboard", help="start the dashboard (explore, compare, learn) on 127.0.0.1",
                                    epilog=EXAMPLES["dashboard"],
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    dashboard.add_argument("--port", type=port_number, default=8765, help="port to listen on (default: 8765)")
    dashboard.add_argument("--lang", choices=list(LANGUAGES), default=DEFAULT_LANGUAGE,
                           help="language the dashboard opens in; its NL | EN switch changes it (default: nl)")
    return parser


def load_all(paths: list[Path], years: int | None) -> list[Scenario]:
    overrides = {"run.years": years} if years else None
    scenarios = [load_scenario(path, overrides=overrides) for path in paths]
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"scenario names must differ to be compared; duplicated: {', '.join(duplicates)}")
    return scenarios


def parameter_uncertainty(args, scenarios: list[Scenario], seed: int) -> Uncertainty | None:
    """The posterior draws asked for with --posterior (None: parameters fixed)."""
    if args.posterior == "none":
        if args.draws is not None:
            raise UsageError("--draws needs --posterior (a calibration's folder, or alone for the bundled one)")
        return None
    posterior = load_posterior(BUNDLED if args.posterior == "bundled" else Path(args.posterior))
    for line in replaced_settings(scenarios, posterior):
        print(f"wijkteam: note: {line}", file=sys.stderr)
    return Uncertainty(posterior, draw(posterior, args.draws or DEFAULT_DRAWS, seed))


def simulate(args, paths: list[Path]) -> int:
    choose(args.lang)
    if args.sensitivity is not None:
        if not args.report:
            raise UsageError("--sensitivity goes with --report (it adds the analysis's strongest inputs to report.html)")
        if not (args.sensitivity / "indices.csv").is_file():
            raise UsageError(f"{args.sensitivity}: no indices.csv; give the output folder of a sensitivity experiment")
        from .council_report import sensitivity_ranking

        sensitivity_ranking(args.sensitivity)  # a folder without indices for the total cost fails before the runs
    scenarios = load_all(paths, args.years)
    seed = scenarios[0]["run.seed"] if args.seed is None else args.seed
    uncertainty = parameter_uncertainty(args, scenarios, seed)
    replications = args.replications or (1 if uncertainty else scenarios[0]["run.replications"])
    draws = uncertainty.draws.values if uncertainty else None
    runs = replications * (len(draws) if draws else 1)
    outdir = prepare_outdir(args.out)
    workers = args.workers or default_workers()
    progress = Progress(len(scenarios) * runs, "simulating", quiet=args.quiet)
    try:
        timeseries = run_scenarios(scenarios, replications, seed, workers, on_done=progress.advance, draws=draws)
    finally:
        progress.close()
    written = write_outputs(outdir, timeseries, scenarios, replications, seed, replication_seeds(seed, runs),
                            uncertainty, report=args.report, sensitivity=args.sensitivity)
    print(comparison_table(timeseries, describe_runs(replications, len(draws) if draws else 0)))
    if uncertainty and len(scenarios) > 1:
        print("\n" + decision_report(outdir, timeseries, uncertainty.describe(replications)))
    if CURRENT_PRACTICE in {s.name for s in scenarios}:
        print("\n" + national_text(pd.read_csv(outdir / "national.csv"), CURRENT_PRACTICE))
    if not args.quiet:
        files = ", ".join(path.name for key, path in written.items() if path.parent == outdir)
        print(f"\nreport written to {outdir}/ ({files}, figures/)")
    return 0


def decision_report(outdir: Path, timeseries: pd.DataFrame, uncertainty: str) -> str:
    """The probabilities, the break-even year and what to measure, in plain words."""
    decision = pd.read_csv(outdir / "decision.csv")
    horizon = int(timeseries["year"].max()) + 1
    text = decision_text(decision, break_even_summary(cumulative_balance(timeseries)), horizon, uncertainty)
    try:
        value = value_text(pd.read_csv(outdir / "value_of_information.csv"))
    except pd.errors.EmptyDataError:  # nothing to rank: the posterior holds no simulated figures
        value = ""
    return text + ("\n\n" + value if value else "")


def run_experiment_command(args) -> int:
    from .executors import ExecutorError
    from .experiment import load_experiment, run_experiment

    experiment = load_experiment(args.experiment)
    out = args.out or Path("results") / re.sub(r"[^A-Za-z0-9._-]+", "_", experiment.name)
    try:
        frame = run_experiment(experiment, out, workers=args.workers, scheduler=args.scheduler,
                               progress=not args.quiet)
    except ExecutorError as error:
        raise UsageError(str(error)) from None
    if not args.quiet:
        extra = ", indices.csv, noise.csv, figures/" if experiment.sensitivity else ", summary.csv, figures/"
        print(f"{len(frame)} runs in {out}/ (runs.parquet, manifest.json{extra})")
    return 0


def calibrate(args) -> int:
    from .calibration import load_calibration
    from .calibration_report import fit_text, write_calibration_outputs
    from .calibration_run import run_abc

    calibration = load_calibration(args.calibration)
    out = args.out or Path("results") / ("calibration-" + re.sub(r"[^A-Za-z0-9._-]+", "_", calibration.name))
    workers = 1 if args.scheduler else (args.workers or default_workers())
    history = run_abc(calibration, out, workers=workers, scheduler=args.scheduler, progress=not args.quiet)
    if not args.quiet:
        print("measuring the fit at the posterior ...", file=sys.stderr)
    fit = write_calibration_outputs(calibration, out, history)
    print(fit_text(fit))
    if not args.quiet:
        print(f"\ncalibration written to {out}/ (posterior.parquet, calibrated.toml, fit.csv, figures/, "
              "manifest.json)")
    return 0


def dashboard(args) -> int:
    from dashboards.serve import DashboardError, serve

    try:
        return serve(args.port, args.lang)
    except DashboardError as error:
        raise UsageError(str(error)) from None


def check(args) -> int:
    from .calibration import is_calibration_table, load_calibration
    from .experiment import load_experiment, looks_like_experiment
    from .targets import is_targets_table, load_targets

    for path in args.files:
        table = read_toml(path)
        if is_calibration_table(table):
            calibration = load_calibration(path)
            if not args.quiet:
                print(f"{path}: ok (calibration {calibration.name}, {len(calibration.priors)} parameters against "
                      f"{len(calibration.targets.fitted)} targets, population {calibration.population} x "
                      f"{calibration.generations} generations)")
            continue
        if is_targets_table(table):
            targets = load_targets(path)
            if not args.quiet:
                print(f"{path}: ok (targets {targets.name}, {len(targets.fitted)} to fit, "
                      f"{len(targets.targets) - len(targets.fitted)} to check)")
            continue
        if looks_like_experiment(path):
            experiment = load_experiment(path)
            if not args.quiet:
                what = (f"sweep over {', '.join(experiment.varied)}" if experiment.sweep is not None
                        else f"{experiment.sensitivity.method} over {len(experiment.varied)} keys")
                print(f"{path}: ok (experiment {experiment.name}, {what}, {len(experiment.points)} points x "
                      f"{experiment.replications} replications = {len(experiment.points) * experiment.replications} runs)")
            continue
        scenario = load_scenario(path)
        if not args.quiet:
            print(f"{path}: ok ({scenario.name}, team of {scenario.team_size}, "
                  f"{scenario['neighbourhood.residents']} residents, {scenario['run.years']} years)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            with catch_interrupts():
                return simulate(args, [args.scenario])
        if args.command == "compare":
            if len(args.scenarios) < 2:
                raise UsageError("compare needs at least two scenario files")
            with catch_interrupts():
                return simulate(args, args.scenarios)
        if args.command == "experiment":
            with catch_interrupts():
                return run_experiment_command(args)
        if args.command == "calibrate":
            with catch_interrupts():
                return calibrate(args)
        if args.command == "dashboard":
            return dashboard(args)
        if args.command == "scenarios":
            return list_scenarios()
        return check(args)
    except (ScenarioError, OutputError, UsageError) as error:
        print(f"wijkteam: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return interrupted(args.command)
    except SystemError as error:
        # Ctrl-C while numba loads a compiled loop from its cache surfaces as a SystemError
        # caused by the KeyboardInterrupt
        if isinstance(error.__cause__, KeyboardInterrupt):
            return interrupted(args.command)
        raise


def interrupted(command: str) -> int:
    """The one line after Ctrl-C, saying what was kept."""
    if command == "dashboard":
        print("\nwijkteam: dashboard stopped", file=sys.stderr)
        return 0
    if command == "experiment":
        print("\nwijkteam: interrupted; finished runs are kept, repeat the command to resume", file=sys.stderr)
    elif command == "calibrate":
        print("\nwijkteam: interrupted; finished generations are kept in calibration.db, repeat the command "
              "to resume", file=sys.stderr)
    else:
        print("\nwijkteam: interrupted; no complete-looking output was left behind", file=sys.stderr)
    return 128 + signal.SIGINT


def entry() -> None:
    """The console script: ``main``, and after Ctrl-C an exit that keeps its status.

    After an interrupt everything finished is committed and written; what is left are
    half-closed database connections (SQLAlchemy's, in a calibration), whose finalizers
    can raise the KeyboardInterrupt again while Python shuts down and so turn the exit
    status 130 into death by SIGINT. So the process leaves without running them."""
    code = main()
    if code == 128 + signal.SIGINT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()

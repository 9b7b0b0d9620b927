"""Command line: ``python -m helpers <command>``. Run ``python -m helpers --help`` for the list."""

from __future__ import annotations

import argparse
import sys


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the notebooks in order with papermill")
    p.add_argument("--raw", help="folder of submissions (default: data/raw, else the example corpus)")
    p.add_argument("--out", help="output root: OUT/data/processed, OUT/figures, OUT/runs (default: the repo)")
    p.add_argument("--params",
                   help="YAML parameter file (default: notebooks/params/default.yaml or example.yaml)")
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                   help="override one parameter; VALUE is read as YAML (repeatable)")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="run only these notebooks (e.g. 20 or 20_explore_submissions)")
    p.add_argument("--notebooks", help="folder of numbered notebooks (default: notebooks/)")


def _add_evaluate_positions(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate-positions",
                       help="score positions.csv against a gold file (precision, recall, misses)")
    p.add_argument("--gold", required=True, help="gold CSV like ../shared/gold/seed_positions.csv")
    p.add_argument("--positions", default=None,
                   help="positions.csv to score (default: data/processed/positions.csv)")
    p.add_argument("--ingest-report", default=None,
                   help="ingest_report.csv (default: beside positions.csv); exact duplicates are ignored")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_evaluate_positions(sub)
    args = parser.parse_args(argv)
    if args.command == "run":
        from helpers import run

        return run.main(args)
    if args.command == "evaluate-positions":
        from helpers.positions import evaluate

        return evaluate.main(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""The ``alignment`` command: parses, calls the toolkit, prints, sets the exit code.

Exit codes: 0 everything succeeded; 1 a run failed; 2 bad input or usage.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from toolkit import __version__
from toolkit.errors import AlignmentError, ClientDataError, RunError
from toolkit.rules import ExitCode

if TYPE_CHECKING:
    from toolkit.model import Problem

EXIT_OK, EXIT_FAILED, EXIT_INVALID = ExitCode.OK, ExitCode.FAILED, ExitCode.INVALID

DESCRIPTION = """\
Operational Alignment Toolkit: score how far a client's day-to-day operations
carry out its strategy, and produce the alignment assessment deck.

Typical session:
  alignment new-client acme --name "Acme Ltd"   scaffold client_data/acme/
  alignment map export.csv --out client_data/acme/mapping.yaml
                                                draft a mapping for a survey tool's export
  alignment validate client_data/acme           list every problem in the data
  alignment report client_data/acme             one deck: reports/acme/<wave>/
  alignment batch client_data                   every client, in parallel
  alignment portfolio                           cross-client table (OAI, band, gap)
"""


def _positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, found {value}")
    return value


def _clients_in(path: Path) -> list[Path]:
    """A client folder itself, or every client folder inside ``path``."""
    if (path / "client.yaml").exists():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / "client.yaml").exists()) if path.is_dir() else [path]


WARNINGS_SHOWN = 10


def _problem_table(problems: Sequence[Problem]) -> str:
    """Problems as an aligned table: file, row, column, reason, then the message (paths never cut)."""
    rows = [("file", "row", "column", "reason", "problem")]
    rows += [(p.file, "" if p.row is None else str(p.row), p.column or "", p.reason,
              ("warning: " if p.severity == "warning" else "") + p.message) for p in problems]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    widths[2] = min(widths[2], 36)  # long column names push their line rather than being cut
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4] for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  -------")
    return "\n".join(lines)


def _count(problems: Iterable[Problem], severity: str) -> int:
    return sum(p.count for p in problems if p.severity == severity)


def print_warnings(problems: Sequence[Problem], *, shown: int = WARNINGS_SHOWN, file: TextIO | None = None) -> None:
    """Print the warning totals by reason, then the first ``shown`` warning lines."""
    from toolkit.intake.problems import summarise

    warnings = [p for p in problems if p.severity == "warning"]
    if not warnings:
        return
    print(summarise(warnings), file=file)
    # the first few, and every line that stands for many ("... and 13,029 more rows")
    picked = [p for i, p in enumerate(warnings) if i < shown or p.count > 1]
    print(_problem_table(picked), file=file)
    if len(picked) < len(warnings):
        print(f"... {len(warnings) - len(picked)} more warning lines: `alignment validate --json` lists them all",
              file=file)


def cmd_validate(args: argparse.Namespace) -> int:
    from toolkit.intake import validate_client

    folders = [c for p in args.paths for c in _clients_in(Path(p))]
    if not folders:
        print(f"no client folders (with client.yaml) found in {', '.join(args.paths)}", file=sys.stderr)
        return EXIT_INVALID
    report, worst = {}, EXIT_OK
    for folder in folders:
        name = folder.resolve().name
        problems = validate_client(folder)
        errors = [p for p in problems if p.severity == "error"]
        report[name] = [p.as_dict() for p in problems]
        if errors:
            worst = EXIT_INVALID
        if not args.json:
            status = "INVALID" if errors else "ok"
            n_err, n_warn = _count(problems, "error"), _count(problems, "warning")
            print(f"{name}: {status} ({n_err:,} error{'s' if n_err != 1 else ''}, "
                  f"{n_warn:,} warning{'s' if n_warn != 1 else ''})")
            if errors:
                from toolkit.intake.problems import summarise

                print(summarise(errors, "error"))
                print(_problem_table(errors))
            print_warnings(problems)
            if problems:
                print()
    if args.json:
        print(json.dumps(report, indent=2))
    elif worst == EXIT_OK:
        _print_client_summaries(folders)
    return worst


def _print_client_summaries(folders: list[Path]) -> None:
    """One line per valid client: respondents, departments, items, KPI rows, waves."""
    from toolkit.intake import list_waves, load_client

    print(f"\n{'client':<24}{'wave':<10}{'respondents':>12}{'departments':>13}{'ratings':>9}{'KPI rows':>10}  earlier waves")
    for folder in folders:
        c = load_client(folder)
        print(f"{c.client_id:<24}{c.wave:<10}{c.ratings['respondent_id'].nunique():>12}"
              f"{c.ratings['department'].nunique():>13}{len(c.ratings):>9}{len(c.operations):>10}  "
              f"{', '.join(list_waves(folder)) or '-'}")


def _parameters(pairs: list[list[str]] | None) -> dict[str, object]:
    import yaml

    from toolkit.model import Problem
    from toolkit.reasons import Reason

    out: dict[str, object] = {}
    problems = []
    for name, value in pairs or []:
        try:
            out[name] = yaml.safe_load(value)  # "3" -> 3, "true" -> True, text stays text
        except yaml.YAMLError as exc:
            problems.append(Problem("-p", Reason.bad_parameter, f"parameter {name!r}: cannot read the value {value!r} "
                                    f"({getattr(exc, 'problem', None) or 'not a value'}); put text in quotes, "
                                    f"e.g. -p {name} '\"{value}\"'", column=name, found=value,
                                    expected="a number, true/false or text"))
    if problems:
        raise ClientDataError(problems, title="bad parameters")
    return out


def cmd_report(args: argparse.Namespace) -> int:
    from toolkit.report import run_report

    result = run_report(args.client_dir, out_dir=args.out, formats=args.formats,
                        parameters=_parameters(args.parameter), wave=args.wave)
    print(f"{result.client_id} {result.wave}: deck written to {result.out_dir} in {result.seconds:.1f} s")
    print_warnings(result.problems)
    for note in result.notes:
        print(f"note: {note}")
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from toolkit.cli.batch import run_batch_command

    _check_writable(Path(args.out))  # before any client runs
    return run_batch_command(args)


def _check_writable(folder: Path) -> None:
    """Raise `OutputError` when ``folder`` cannot be created or written (read-only, no permission)."""
    import tempfile

    from toolkit.errors import OutputError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to the reports folder {folder}: {exc.strerror or exc}; "
                          "choose a writable folder with --out") from None


def cmd_portfolio(args: argparse.Namespace) -> int:
    from toolkit.batch import portfolio_table, write_portfolio_csv

    table = portfolio_table(Path(args.out))
    if table.empty:
        print(f"no client summaries under {args.out}: run `alignment batch` first", file=sys.stderr)
        return EXIT_INVALID
    print(table.to_string(index=False))
    print(f"\nwritten to {write_portfolio_csv(Path(args.out))}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from toolkit.demo import write_demo_clients, write_portfolio

    out = Path(args.out)
    seed = {} if args.seed is None else {"seed": args.seed}
    if args.clients is None:
        paths = write_demo_clients(out, **seed)
    else:
        paths = write_portfolio(out, args.clients, **seed)
    print(f"wrote {len(paths)} client(s) to {out}: {', '.join(p.name for p in paths)}")
    return EXIT_OK


def cmd_map(args: argparse.Namespace) -> int:
    from toolkit.intake.draft import draft_mapping

    export = Path(args.export)
    if not export.is_file():
        print(f"no such export: {export}", file=sys.stderr)
        return EXIT_INVALID
    try:
        draft = draft_mapping(export)
    except UnicodeError as exc:
        name = getattr(exc, "name", None)
        print(f"cannot read {export}: " + (f"it looks like {name}; save it as UTF-8" if name else str(exc)),
              file=sys.stderr)
        return EXIT_INVALID
    if args.out is None:
        print(draft.mapping_yaml, end="")
        if draft.questions_csv:
            print("\n# questions.csv (draft):\n" + draft.questions_csv, end="")
    else:
        out = Path(args.out)
        for target in [out] + ([out.with_name("questions.csv")] if draft.questions_csv else []):
            if target.exists() and not args.force:
                print(f"{target} exists; use --force to replace it", file=sys.stderr)
                return EXIT_INVALID
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(draft.mapping_yaml, encoding="utf-8")
        print(f"{draft.shape} export: wrote {out}")
        if draft.questions_csv:
            out.with_name("questions.csv").write_text(draft.questions_csv, encoding="utf-8")
            print(f"wrote {out.with_name('questions.csv')} (questions unlike the firm's bank; check their areas)")
    print(f"could not decide {len(draft.undecided)} thing(s)" + (":" if draft.undecided else ""), file=sys.stderr)
    for u in draft.undecided:
        print(f"  - {u}", file=sys.stderr)
    print(f"next: copy the export as interviews{export.suffix.lower()} next to mapping.yaml, then "
          "`alignment validate CLIENT_DIR`", file=sys.stderr)
    return EXIT_OK


def cmd_new_client(args: argparse.Namespace) -> int:
    from toolkit.scaffold import new_client

    path = new_client(Path(args.client_data), args.client_id, args.name)
    print(f"created {path}\n  1. edit {path / 'client.yaml'} (strategy, weights, KPIs)\n"
          f"  2. fill in {path / 'interviews.xlsx'} and {path / 'operations.csv'}\n"
          f"  3. alignment validate {path}")
    return EXIT_OK


def cmd_norms_import(args: argparse.Namespace) -> int:
    from toolkit.intake import load_question_bank
    from toolkit.norms import import_norms, read_crosswalk, write_norms

    bank = load_question_bank()
    norms = import_norms(Path(args.table), read_crosswalk(Path(args.crosswalk)), bank)
    out = write_norms(norms, Path(args.out))
    areas = norms.loc[norms["scope"] == "area"]
    print(f"wrote {out}: {len(areas)} area norm(s), {len(norms) - len(areas)} item norm(s) "
          f"from {int(norms['n_orgs'].max())} organisations ({norms['source'].iloc[0]}, {norms['year'].iloc[0]})")
    return EXIT_OK


def cmd_course_start(args: argparse.Namespace) -> int:
    from toolkit.training.course import start_course

    path = start_course(Path(args.dir))
    print(f"created your course workspace in {path}\n  jupyter lab {path}\n"
          f"  then open 01-what-is-alignment.ipynb (the method is in {path / 'method.md'})")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``alignment`` command."""
    parser = argparse.ArgumentParser(prog="alignment", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the toolkit does")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check client data and list every problem",
                       description="Check one or more client folders (or a folder of clients) and print every problem "
                                   "with file, row, column, what was found and what was expected. "
                                   "Exit 0 when clean (warnings allowed), 2 when any error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a client folder or a folder of client folders")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("map", help="draft a mapping.yaml from a survey tool's export",
                       description="Read a survey export (Qualtrics, SurveyMonkey, Microsoft Forms, Google Forms, "
                                   "one-row-per-answer; CSV or XLSX) and draft a commented mapping.yaml, plus a "
                                   "questions.csv when questions are unlike the firm's bank. Says what it could "
                                   "not decide. Then: `alignment validate` and edit until clean.")
    p.add_argument("export", metavar="EXPORT", help="the export file (.csv or .xlsx)")
    p.add_argument("--out", default=None, help="write the draft here (e.g. client_data/acme/mapping.yaml); "
                                                "default: print it")
    p.add_argument("--force", action="store_true", help="replace an existing mapping.yaml/questions.csv")
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("report", help="produce one client's assessment deck",
                       description="Validate a client, execute notebooks/assessment.ipynb for it with papermill in a "
                                   "fresh kernel, and write reports/<client>/<wave>/: assessment.ipynb, deck.html, "
                                   "deck.pdf, summary.json, run.json. A failed run never replaces the last good deck.")
    p.add_argument("client_dir", metavar="CLIENT_DIR", help="the client folder, e.g. client_data/acme")
    p.add_argument("--out", default="reports", help="reports folder (default: reports)")
    p.add_argument("--formats", default="html,pdf", help="comma-separated: html, pdf, pptx (default: html,pdf)")
    p.add_argument("--wave", default=None, help="report an earlier wave under waves/ instead of the current one")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (repeatable); unknown names are an error")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("batch", help="produce decks for every client, in parallel, incrementally",
                       description="Discover client folders, validate all of them, then run the valid ones in "
                                   "parallel (one fresh kernel per client). Clients unchanged since their last good "
                                   "run are skipped. Writes reports/batch-<timestamp>.json. Exit 1 if any failed.")
    p.add_argument("client_data", nargs="?", default="client_data", metavar="CLIENT_DATA",
                   help="folder of client folders (default: client_data)")
    p.add_argument("--out", default="reports", help="reports folder (default: reports)")
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help="parallel workers (default: one per core)")
    p.add_argument("--formats", default="html,pdf", help="comma-separated: html, pdf, pptx (default: html,pdf)")
    p.add_argument("--only", nargs="+", metavar="ID", help="only these client ids")
    p.add_argument("--force", action="store_true", help="rerun clients even when nothing changed")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask distributed cluster (tcp://host:port)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (logs and CI)")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("portfolio", help="cross-client table: OAI, band, principal gap",
                       description="Read every client's latest summary.json under the reports folder, print a table "
                                   "and write it to <out>/portfolio.csv.")
    p.add_argument("--out", default="reports", help="reports folder (default: reports)")
    p.set_defaults(func=cmd_portfolio)

    p = sub.add_parser("demo-data", help="generate synthetic clients (demo set or a portfolio)",
                       description="Write the shipped demo clients (default) or N synthetic clients for "
                                   "benchmarks, from a seeded generator.")
    p.add_argument("--clients", type=int, default=None, metavar="N", help="N portfolio clients instead of the demo set")
    p.add_argument("--out", default="client_data", help="where to write (default: client_data)")
    p.add_argument("--seed", type=int, default=None, help="generator seed (default: the shipped one)")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("new-client", help="scaffold a new client folder with an Excel intake workbook",
                       description="Create client_data/ID/ with a commented client.yaml, an Excel intake workbook "
                                   "(drop-downs for ratings and levels, instructions sheet) and an operations template.")
    p.add_argument("client_id", metavar="ID", help="lowercase slug, e.g. acme-retail")
    p.add_argument("--name", required=True, help="the client's display name")
    p.add_argument("--client-data", default="client_data", help="folder of clients (default: client_data)")
    p.set_defaults(func=cmd_new_client)

    p = sub.add_parser("norms", help="norms files: a first benchmark from published survey tables")
    norms_sub = p.add_subparsers(dest="norms_command", metavar="ACTION", required=True)
    q = norms_sub.add_parser("import", help="build a norms CSV from an organisation-level %% positive table",
                             description="Read a published table (one row per organisation, one column per "
                                         "question, values such as 80%%) and a crosswalk YAML from our question "
                                         "bank to its columns; write area and item favourable-%% percentiles "
                                         "with source, year and licence.")
    q.add_argument("table", help="the published CSV")
    q.add_argument("--crosswalk", required=True, help="crosswalk YAML (e.g. templates/norms/crosswalk-uk-csps-2019.yaml)")
    q.add_argument("--out", required=True, help="the norms CSV to write (e.g. templates/norms/uk-csps-2019.csv)")
    q.set_defaults(func=cmd_norms_import)

    p = sub.add_parser("course", help="the training course: start a learner's workspace",
                       description="Training course for new analysts (notebooks/training).")
    course = p.add_subparsers(dest="course_command", metavar="ACTION", required=True)
    c = course.add_parser("start", help="copy the exercises and training data into a new workspace",
                          description="Copy the exercise notebooks, the training data and the method page into "
                                      "DIR, without the solutions or the trainer guide (trainers use `make lab` "
                                      "on the repository, which keeps them). DIR must be new or empty.")
    c.add_argument("dir", nargs="?", default="alignment-course", metavar="DIR",
                   help="the workspace folder (default: alignment-course)")
    c.set_defaults(func=cmd_course_start)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``alignment``; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose or args.debug else logging.WARNING,
                        format="%(levelname)s %(message)s")
    from toolkit.run.interrupts import Interrupted, signals_interrupt

    try:
        with signals_interrupt():  # Ctrl-C and SIGTERM: clean up, publish nothing
            return int(args.func(args))
    except ClientDataError as exc:
        print(exc.render(), file=sys.stderr)
        return EXIT_INVALID
    except RunError as exc:
        _traceback(args)
        print(f"run failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except AlignmentError as exc:
        _traceback(args)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt as exc:
        _end_children()
        signal_name = "SIGTERM" if isinstance(exc, Interrupted) and exc.exit_code == 143 else "Ctrl-C"
        print(f"interrupted ({signal_name}): stopped, nothing was published; the last good outputs are unchanged",
              file=sys.stderr)
        return exc.exit_code if isinstance(exc, Interrupted) else 130
    except OSError as exc:  # a full disk, a read-only or vanished folder, outside a run
        import errno

        _traceback(args)
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):  # the folder given cannot be written
            print(f"error: {exc.strerror}{where}; choose a writable folder (--out)", file=sys.stderr)
            return EXIT_INVALID
        print(f"error: {exc.strerror or exc}{where}; free some space or choose another folder (--out), "
              "then run again", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        _traceback(args)
        print(f"internal error: {type(exc).__name__}: {exc}; rerun with --debug for the traceback and "
              f"report it", file=sys.stderr)
        return EXIT_FAILED


def _traceback(args: argparse.Namespace) -> None:
    """Print the current exception's traceback when ``--debug`` was given."""
    if getattr(args, "debug", False):
        import traceback

        traceback.print_exc()


def _end_children() -> None:
    """End every process this command started (kernels, browsers, workers) after an interrupt."""
    import os

    from toolkit.run.processes import kill_tree

    kill_tree(os.getpid(), include_root=False, grace=2.0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

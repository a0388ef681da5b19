"""The ``sillok`` command line: each subcommand is a short wrapper around the library.

Each command's docstring, with an example, is its ``--help``. Exit codes mean something:
0 clean, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from sillok import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was called wrongly; reported with exit code 2."""


def cmd_check(args: argparse.Namespace) -> int:
    """Check records: every problem in every file, reported at once.

    Reads every record under PATH (default: records/) and reports each problem as
    path:line:col: message — how to fix. Exit 0 when there are no errors (warnings are shown
    for the reviewer), 1 when there are errors (or warnings, with --strict), 2 on usage errors.

    Example: sillok check records/2021/2021-01-13-carbon-neutrality-tf-1
    """
    from sillok.check import check
    from sillok.report import render

    paths = [Path(p) for p in args.paths] or [Path("records")]
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    result = check(paths, jobs=args.jobs)
    summary = {"records_checked": result.checked, "valid_records": len(result.records),
               "errors": len(result.errors), "warnings": len(result.warnings)}
    sys.stdout.write(render(result.problems, args.format, summary))
    if args.format != "json":
        print(f"checked {result.checked} record{'s' if result.checked != 1 else ''}: "
              f"{len(result.errors)} error{'s' if len(result.errors) != 1 else ''}, "
              f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}", file=sys.stderr)
    failed = result.errors or (args.strict and result.warnings)
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Check the records, then build the archive site into site/.

    Refuses to build when the check finds errors, and replaces site/ only when the whole build
    succeeded, so a failed build leaves the previous site as it was.

    Example: sillok build
    """
    from sillok.build import BuildFailed, build
    from sillok.report import render

    project = Path(args.project)
    if not (project / "mkdocs.yml").is_file():
        raise UsageError(f"{project}: no mkdocs.yml here (run it from the project's root or pass --project)")
    try:
        result = build(project, site_dir=Path(args.site_dir) if args.site_dir else None)
    except BuildFailed as exc:
        if exc.result is not None:
            sys.stdout.write(render(exc.result.problems, "text", {}))
        print(f"sillok build: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"built {len(result.records)} records into {args.site_dir or 'site/'}", file=sys.stderr)
    return EXIT_OK


def cmd_fields(args: argparse.Namespace) -> int:
    """Print the table of record fields (the README's table is generated from it).

    Example: sillok fields
    """
    from sillok.schema import fields_markdown

    sys.stdout.write(fields_markdown())
    return EXIT_OK


def _help(func) -> tuple[str, str]:
    doc = textwrap.dedent(func.__doc__ or "").strip()
    first, _, rest = doc.partition("\n")
    return first, textwrap.dedent(rest).strip()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sillok",
        description="Check, seal and publish a bilingual records archive.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sillok {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func) -> argparse.ArgumentParser:
        summary, description = _help(func)
        p = sub.add_parser(name, help=summary, description=summary + "\n\n" + description,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    p = add("check", cmd_check)
    p.add_argument("paths", nargs="*", metavar="PATH", help="archive root, year folder, record folder or record file (default: records)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text", help="text for people, json for programs, github for Actions annotations")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")

    p = add("build", cmd_build)
    p.add_argument("--project", default=".", help="the project folder with mkdocs.yml and records/ (default: .)")
    p.add_argument("--site-dir", default=None, help="where to write the site (default: site/)")

    add("fields", cmd_fields)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"sillok {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130

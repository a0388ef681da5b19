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

    Sealed files are verified against the ledger (records/manifest-sha256.txt) and the seal log;
    records not sealed yet are listed as new. With --base REF (in CI: the merge base) only what
    changed since REF is read, and a change to a sealed file or to the history of the ledger,
    seal log or redaction log is rejected, naming each path and what was done to it.

    Example: sillok check records/2021/2021-01-13-carbon-neutrality-tf-1
    Example: sillok check --base origin/main
    """
    from sillok.check import check
    from sillok.report import render

    paths = [Path(p) for p in args.paths] or [Path("records")]
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    if args.base:
        from sillok.changes import GitError, check_changes

        if len(paths) != 1 or not paths[0].is_dir() or (paths[0] / "record.yml").exists():
            raise UsageError("--base compares one archive root (e.g. records) with a git ref")
        try:
            result = check_changes(paths[0], args.base)
        except GitError as exc:
            raise UsageError(str(exc)) from exc
    else:
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


def _show_refusal(exc) -> int:
    from sillok.report import render

    sys.stdout.write(render(exc.problems, "text", {}))
    print(f"sillok: {exc}", file=sys.stderr)
    return EXIT_PROBLEMS


def cmd_seal(args: argparse.Namespace) -> int:
    """Seal new records: append their files' digests to the ledger and write a seal.

    Only records that pass sillok check are sealed, and only when the whole archive passes it:
    a seal vouches for everything before it. Existing ledger lines are never rewritten. Records
    already sealed are left alone; new translations of sealed records are sealed with them.

    Example: sillok seal
    Example: sillok seal --record 2021-01-13-carbon-neutrality-tf-1
    """
    from sillok.seal import SealRefused, seal

    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder")
    try:
        outcome = seal(root, only=args.record or None, jobs=args.jobs)
    except SealRefused as exc:
        return _show_refusal(exc)
    if outcome.seal is None:
        print("nothing new to seal", file=sys.stderr)
        return EXIT_OK
    for line in outcome.lines:
        print(line.text(), end="")
    print(f"sealed {len(outcome.lines)} file(s) as seal {outcome.seal.number}: {outcome.seal.hash}", file=sys.stderr)
    return EXIT_OK


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date written YYYY-MM-DD, got {text!r}") from None


def cmd_redact(args: argparse.Namespace) -> int:
    """Log a redaction of personal data from a sealed record, and reseal the redacted files.

    First remove the personal data from the file(s) by hand, then run this. It is the only way a
    sealed file may change: it appends a public entry to records/redactions.jsonl (legal basis,
    dates, approver's role, scope, a notice in Korean and English), appends the files' new digests
    to the ledger and seals. Nothing of the removed text is recorded. The steps the law requires
    outside the tool (purging git history, caches and copies) are in the README.

    Example: sillok redact 2021-01-13-carbon-neutrality-tf-1 --file ko.md --basis "개인정보 보호법 제36조" --requested 2026-11-02 --decided 2026-11-16 --approver "개인정보 보호책임자" --scope "a private person's mobile number" --notice-ko "정보주체의 요청에 따라 개인정보를 삭제하였습니다." --notice-en "Personal data was removed at the data subject's request."
    """
    from sillok.redact import Request, redact
    from sillok.seal import SealRefused

    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder")
    request = Request(record=args.record, files=tuple(args.file), basis=args.basis, requested=args.requested, decided=args.decided,
                      approver=args.approver, scope=args.scope, notice_ko=args.notice_ko, notice_en=args.notice_en)
    try:
        entry = redact(root, request, jobs=args.jobs)
    except SealRefused as exc:
        return _show_refusal(exc)
    print(f"redaction {entry['number']} logged; {', '.join(entry['files'])} resealed at ledger line(s) "
          f"{', '.join(map(str, entry['ledger_lines']))} in seal {entry['seal']}", file=sys.stderr)
    print("now purge the unredacted text outside the tool: see README, 'Redaction'", file=sys.stderr)
    return EXIT_OK


def cmd_verify_site(args: argparse.Namespace) -> int:
    """Verify a built or downloaded site: its bag, and its records against the archive's ledger.

    Checks every file of the site's BagIt bag against the bag's manifests, the sealed records in
    it against the ledger and seal chain in it, and, when the archive (--records) is at hand, that
    the site's ledger and seal log are prefixes of the archive's and its files are the current ones.
    Exit 0 when it all matches, 1 when something does not, 2 when DIR has no bag.

    Example: sillok verify-site site/
    """
    from sillok.publish import verify_site
    from sillok.report import render

    site = Path(args.site)
    if not site.is_dir():
        raise UsageError(f"{site}: no such folder")
    records = Path(args.records)
    if args.records != "records" and not records.is_dir():
        raise UsageError(f"{records}: no such folder")
    try:
        problems = verify_site(site, records if records.is_dir() else None)
    except LookupError as exc:
        raise UsageError(str(exc)) from exc
    sys.stdout.write(render(problems, args.format, {"errors": sum(p.severity == "error" for p in problems)}))
    failed = [p for p in problems if p.severity == "error"]
    print(f"verify-site: {len(failed)} error(s)" + ("" if records.is_dir() else " (no archive at hand: checked the site against itself only)"), file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_OK


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
    p.add_argument("--base", metavar="REF", default=None, help="check only what changed since this git ref, and reject changes to sealed files and log history")

    p = add("seal", cmd_seal)
    p.add_argument("root", nargs="?", default="records", metavar="ROOT", help="the archive root (default: records)")
    p.add_argument("--record", action="append", metavar="ID", help="seal only this new record (repeatable; default: every new record)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")

    p = add("redact", cmd_redact)
    p.add_argument("record", metavar="RECORD", help="the record id")
    p.add_argument("--file", action="append", required=True, help="a redacted file of the record, e.g. ko.md (repeatable)")
    p.add_argument("--basis", required=True, help="legal basis, e.g. '개인정보 보호법 제36조'")
    p.add_argument("--requested", type=_date, required=True, help="date the request was received (YYYY-MM-DD)")
    p.add_argument("--decided", type=_date, required=True, help="date the redaction was decided (YYYY-MM-DD)")
    p.add_argument("--approver", required=True, help="role (not name) of the approving official, e.g. 개인정보 보호책임자")
    p.add_argument("--scope", required=True, help="what kind of data was removed, never the data itself")
    p.add_argument("--notice-ko", required=True, help="public notice in Korean")
    p.add_argument("--notice-en", required=True, help="public notice in English")
    p.add_argument("--root", default="records", help="the archive root (default: records)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")

    p = add("verify-site", cmd_verify_site)
    p.add_argument("site", metavar="DIR", help="a built or downloaded site (or its bag)")
    p.add_argument("--records", default="records", help="the archive to compare with (default: records, when present)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text", help="text for people, json for programs, github for Actions annotations")

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

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
from sillok.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, ProblemsFound, SillokError, UsageError


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
    from sillok.check.check import check
    from sillok.record.report import render

    paths = [Path(p) for p in args.paths] or [Path("records")]
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    if args.base:
        from sillok.check.changes import check_changes

        if len(paths) != 1 or not paths[0].is_dir() or (paths[0] / "record.yml").exists():
            raise UsageError("--base compares one archive root (e.g. records) with a git ref")
        result = check_changes(paths[0], args.base)  # GitError is a UsageError
    else:
        result = check(paths, jobs=args.jobs)
    summary = {
        "records_checked": result.checked,
        "valid_records": len(result.records),
        "errors": len(result.errors),
        "warnings": len(result.warnings),
    }
    sys.stdout.write(render(result.problems, args.format, summary))
    if args.format != "json":
        print(
            f"checked {result.checked} record{'s' if result.checked != 1 else ''}: "
            f"{len(result.errors)} error{'s' if len(result.errors) != 1 else ''}, "
            f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}",
            file=sys.stderr,
        )
    failed = result.errors or (args.strict and result.warnings)
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Check the records, then build the archive site into site/.

    Refuses to build when the check finds errors, and replaces site/ only when the whole build
    succeeded, so a failed build leaves the previous site as it was.

    Example: sillok build
    """
    from sillok.site.build import build

    project = Path(args.project)
    if not (project / "mkdocs.yml").is_file():
        raise UsageError(f"{project}: no mkdocs.yml here (run it from the project's root or pass --project)")
    result = build(project, site_dir=Path(args.site_dir) if args.site_dir else None)
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
    print(f"built {len(result.records)} records into {args.site_dir or 'site/'} ({steps})", file=sys.stderr)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    """Create a new record folder, ready to fill in.

    Writes records/<year>/<date>-<slug>/ with record.yml (required fields filled, optional ones
    as comments) and a Markdown file per language given a title. The original language's file is
    the authentic text; any other is a translation and needs --translator. Write the body below
    the front matter, then run sillok check on the folder.

    Example: sillok new --type press-release --date 2024-05-02 --office opc --title-ko "2024년 정부업무평가 결과" --title-en "2024 Government Performance Evaluation" --translator "OPC translation team" --slug government-evaluation-2024
    """
    import datetime as dt

    from sillok.intake.new import NewRecord, create, files_for, find_office, slugify
    from sillok.record import schema
    from sillok.record.model import Office

    def parse(kind, value, what):
        try:
            return kind.fromisoformat(value) if value else None
        except ValueError:
            raise UsageError(
                f"{what} must be {'YYYY-MM-DD' if kind is dt.date else 'HH:MM or HH:MM:SS'}, got '{value}'"
            ) from None

    records = Path(args.records)
    titles = {lang: t for lang, t in (("ko", args.title_ko), ("en", args.title_en)) if t}
    if not titles:
        raise UsageError("give at least one title: --title-ko and/or --title-en")
    original = args.original or ("ko" if "ko" in titles else "en")
    office = None
    if args.office_ko and args.office_en:
        office = Office(args.office, args.office_ko, args.office_en)
    else:
        office = find_office(records, args.office)
        if office is None:
            raise UsageError(
                f"office '{args.office}' is not used by any record yet: give its names with --office-ko and --office-en"
            )
    slug = args.slug or slugify(titles.get("en", ""))
    if not slug:
        raise UsageError(
            "cannot make an ASCII slug from the titles: give one with --slug (e.g. --slug budget-briefing)"
        )
    new = NewRecord(
        type=args.type,
        date=parse(dt.date, args.date, "--date"),
        office=office,
        titles=titles,
        original_language=original,
        slug=slug,
        time=parse(dt.time, args.time, "--time"),
        timezone=args.timezone,
        writer=args.writer,
        translator=args.translator,
        method=args.method,
        illustrative=args.illustrative,
        extra={"not_archived": args.not_archived or ()},
    )
    if not schema.OFFICE_ID.fullmatch(office.id):
        raise UsageError(f"office id '{office.id}' must be a lowercase ASCII slug such as opc")
    folder = create(records, files_for(new), new.id, new.date.year)
    for name in sorted(p.name for p in folder.iterdir()):
        print(folder / name)
    print(
        f"next: write the text below the front matter of each .md file, then run: sillok check {folder}",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_normalize(args: argparse.Namespace) -> int:
    """Fix BOMs, CRLF, non-NFC text and trailing spaces in record text files.

    Rewrites each .md/.yml FILE as UTF-8 without BOM, with LF line endings, in Unicode NFC,
    without trailing spaces and with one final newline. With --check nothing is written and the
    exit code is 1 when a file would change (for pre-commit and CI). Files that are not valid
    UTF-8 are reported, not guessed at. Sealed files must not be normalized: run it on new records.

    Example: sillok normalize records/2024/2024-05-02-government-evaluation-2024/*.md
    """
    from sillok.intake.normalize import TEXT_SUFFIXES, normalize_file

    changed = failed = 0
    for name in args.files:
        path = Path(name)
        if path.suffix not in TEXT_SUFFIXES or not path.is_file() or path.is_symlink():
            continue
        try:
            if normalize_file(path, write=not args.check):
                changed += 1
                print(f"{name}: {'would be normalized' if args.check else 'normalized'}")
        except UnicodeDecodeError as exc:
            failed += 1
            print(f"{name}: not valid UTF-8 at byte offset {exc.start}; re-save it as UTF-8", file=sys.stderr)
    return EXIT_PROBLEMS if failed or (args.check and changed) else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Import pages saved from the Presidential Archives' web records as new records.

    Each FILE is a page saved as text from the archived web records (대통령 웹기록물): the page's
    banner, notices and buttons are dropped; the title, the writer and date, and every sentence of
    the text are kept, the □ / ㅇ / * outline as nested lists. The page's language (ko or en) is its
    original_language; the other is recorded as not archived. Each record is checked before it is
    moved into place; a file that cannot be imported writes nothing, and an existing record is never
    overwritten. Every refusal is reported at the end. Exit 0 when all files were imported, 1 when
    some were refused, 2 on usage errors.

    Example: sillok import page.txt --office opc --office-ko 국무조정실 --office-en "Office for Government Policy Coordination" --slug carbon-neutrality-tf-1
    """
    from sillok.intake.new import find_office
    from sillok.intake.place import import_files
    from sillok.record import schema
    from sillok.record.model import Office

    records = Path(args.records)
    if args.slug is not None and len(args.files) > 1:
        raise UsageError("--slug names one record: give it with a single FILE")
    if args.slug is not None and not schema.OFFICE_ID.fullmatch(args.slug):
        raise UsageError(
            f"--slug must be lowercase ASCII letters, digits and hyphens (e.g. carbon-neutrality-tf-1), got '{args.slug}'"
        )
    if not schema.OFFICE_ID.fullmatch(args.office):
        raise UsageError(f"--office must be a lowercase ASCII slug such as opc, got '{args.office}'")
    known = find_office(records, args.office)
    ko = args.office_ko or (known.ko if known else None)
    en = args.office_en or (known.en if known else None)
    if not (ko and en):
        raise UsageError(
            f"office '{args.office}' is not in any record under {records}: give its names with --office-ko and --office-en"
        )
    result = import_files(
        [Path(f) for f in args.files],
        records,
        office=Office(args.office, ko, en),
        record_type=args.type,
        slug=args.slug,
    )
    for folder in result.created:
        print(folder.as_posix())
    for problem in result.warnings + result.refused:
        print(problem.format(), file=sys.stderr)
    refused = len({p.path for p in result.refused})
    print(
        f"imported {len(result.created)} record{'s' if len(result.created) != 1 else ''}, "
        f"refused {refused} file{'s' if refused != 1 else ''}",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if refused else EXIT_OK


def cmd_seal(args: argparse.Namespace) -> int:
    """Seal new records: append their files' digests to the ledger and write a seal.

    Only records that pass sillok check are sealed, and only when the whole archive passes it:
    a seal vouches for everything before it. Existing ledger lines are never rewritten. Records
    already sealed are left alone; new translations of sealed records are sealed with them.

    Example: sillok seal
    Example: sillok seal --record 2021-01-13-carbon-neutrality-tf-1
    """
    from sillok.check.check import check
    from sillok.ledger.seal import seal

    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder")
    outcome = seal(root, check([root], jobs=args.jobs), only=args.record or None)
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
    from sillok.check.check import check
    from sillok.ledger.redact import Request, redact

    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder")
    request = Request(
        record=args.record,
        files=tuple(args.file),
        basis=args.basis,
        requested=args.requested,
        decided=args.decided,
        approver=args.approver,
        scope=args.scope,
        notice_ko=args.notice_ko,
        notice_en=args.notice_en,
    )
    entry = redact(root, request, check([root], jobs=args.jobs))
    print(
        f"redaction {entry['number']} logged; {', '.join(entry['files'])} resealed at ledger line(s) "
        f"{', '.join(map(str, entry['ledger_lines']))} in seal {entry['seal']}",
        file=sys.stderr,
    )
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
    from sillok.ledger.bag import verify_site
    from sillok.record.report import render

    site = Path(args.site)
    if not site.is_dir():
        raise UsageError(f"{site}: no such folder")
    records = Path(args.records)
    if args.records != "records" and not records.is_dir():
        raise UsageError(f"{records}: no such folder")
    problems = verify_site(site, records if records.is_dir() else None)  # NoBag is a UsageError
    sys.stdout.write(render(problems, args.format, {"errors": sum(p.severity == "error" for p in problems)}))
    failed = [p for p in problems if p.severity == "error"]
    print(
        f"verify-site: {len(failed)} error(s)"
        + ("" if records.is_dir() else " (no archive at hand: checked the site against itself only)"),
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_fields(args: argparse.Namespace) -> int:
    """Print the table of record fields (the README's table is generated from it).

    Example: sillok fields
    """
    from sillok.record.schema import fields_markdown

    sys.stdout.write(fields_markdown())
    return EXIT_OK


def _help(func) -> tuple[str, str]:
    doc = textwrap.dedent(func.__doc__ or "").strip()
    first, _, rest = doc.partition("\n")
    return first, textwrap.dedent(rest).strip()


def build_parser() -> argparse.ArgumentParser:
    from sillok.record.schema import LANGUAGES, RECORD_TYPES, TRANSLATION_METHODS

    parser = argparse.ArgumentParser(
        prog="sillok",
        description="Check, seal and publish a bilingual records archive.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sillok {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func) -> argparse.ArgumentParser:
        summary, description = _help(func)
        p = sub.add_parser(
            name,
            help=summary,
            description=summary + "\n\n" + description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    p = add("check", cmd_check)
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="archive root, year folder, record folder or record file (default: records)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people, json for programs, github for Actions annotations",
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")
    p.add_argument(
        "--base",
        metavar="REF",
        default=None,
        help="check only what changed since this git ref, and reject changes to sealed files and log history",
    )

    p = add("seal", cmd_seal)
    p.add_argument("root", nargs="?", default="records", metavar="ROOT", help="the archive root (default: records)")
    p.add_argument(
        "--record",
        action="append",
        metavar="ID",
        help="seal only this new record (repeatable; default: every new record)",
    )
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")

    p = add("redact", cmd_redact)
    p.add_argument("record", metavar="RECORD", help="the record id")
    p.add_argument(
        "--file", action="append", required=True, help="a redacted file of the record, e.g. ko.md (repeatable)"
    )
    p.add_argument("--basis", required=True, help="legal basis, e.g. '개인정보 보호법 제36조'")
    p.add_argument("--requested", type=_date, required=True, help="date the request was received (YYYY-MM-DD)")
    p.add_argument("--decided", type=_date, required=True, help="date the redaction was decided (YYYY-MM-DD)")
    p.add_argument(
        "--approver", required=True, help="role (not name) of the approving official, e.g. 개인정보 보호책임자"
    )
    p.add_argument("--scope", required=True, help="what kind of data was removed, never the data itself")
    p.add_argument("--notice-ko", required=True, help="public notice in Korean")
    p.add_argument("--notice-en", required=True, help="public notice in English")
    p.add_argument("--root", default="records", help="the archive root (default: records)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")

    p = add("verify-site", cmd_verify_site)
    p.add_argument("site", metavar="DIR", help="a built or downloaded site (or its bag)")
    p.add_argument("--records", default="records", help="the archive to compare with (default: records, when present)")
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text for people, json for programs, github for Actions annotations",
    )

    p = add("new", cmd_new)
    p.add_argument("--type", required=True, choices=tuple(RECORD_TYPES), help="the record type")
    p.add_argument("--date", required=True, help="date of issue, YYYY-MM-DD")
    p.add_argument("--office", required=True, help="issuing office id (names are reused from existing records)")
    p.add_argument("--office-ko", help="the office's Korean name (for an office no record uses yet)")
    p.add_argument("--office-en", help="the office's English name (for an office no record uses yet)")
    p.add_argument("--title-ko", help="Korean title; creates ko.md")
    p.add_argument("--title-en", help="English title; creates en.md")
    p.add_argument(
        "--original", choices=LANGUAGES, help="the original language (default: ko if a Korean title is given)"
    )
    p.add_argument("--slug", help="readable lowercase ASCII slug for the id (default: from the English title)")
    p.add_argument("--time", help="time of issue, HH:MM or HH:MM:SS")
    p.add_argument("--timezone", default="Asia/Seoul", help="IANA time zone (default: Asia/Seoul)")
    p.add_argument("--writer", help="the writer as the source records it")
    p.add_argument("--translator", help="who translated the non-original language")
    p.add_argument(
        "--method", default="human", choices=tuple(TRANSLATION_METHODS), help="how it was translated (default: human)"
    )
    p.add_argument(
        "--not-archived", action="append", choices=LANGUAGES, help="a language whose text existed but was not archived"
    )
    p.add_argument("--illustrative", action="store_true", help="mark as an illustrative sample, not a real record")
    p.add_argument("--records", default="records", help="the archive folder (default: records)")

    p = add("build", cmd_build)
    p.add_argument("--project", default=".", help="the project folder with mkdocs.yml and records/ (default: .)")
    p.add_argument("--site-dir", default=None, help="where to write the site (default: site/)")

    p = add("normalize", cmd_normalize)
    p.add_argument("files", nargs="+", metavar="FILE", help="record text files (.md, .yml); others are skipped")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")

    p = add("import", cmd_import)
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="pages saved as text from the Presidential Archives' web records"
    )
    p.add_argument("--office", required=True, metavar="ID", help="the issuing office's id, e.g. opc")
    p.add_argument(
        "--office-ko", metavar="NAME", help="its Korean name (default: as in an existing record of that office)"
    )
    p.add_argument(
        "--office-en", metavar="NAME", help="its English name (default: as in an existing record of that office)"
    )
    p.add_argument(
        "--type", default="press-release", choices=tuple(RECORD_TYPES), help="record type (default: press-release)"
    )
    p.add_argument(
        "--slug",
        help="the id's slug, for a single FILE (default: from the title's ASCII words, else the file's digest)",
    )
    p.add_argument("--records", default="records", metavar="DIR", help="the archive to import into (default: records)")

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
    except SillokError as exc:
        return report_refusal(args.command, exc)
    except KeyboardInterrupt:
        return 130


def report_refusal(command: str, exc: SillokError) -> int:
    """The one place a refusal becomes output and an exit code: its problems on stdout, its message on stderr."""
    if isinstance(exc, ProblemsFound) and exc.problems:
        from sillok.record.report import render

        sys.stdout.write(render(exc.problems, "text", {}))
    print(f"sillok {command}: {exc}", file=sys.stderr)
    return exc.exit_code

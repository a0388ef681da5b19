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


def cmd_new(args: argparse.Namespace) -> int:
    """Create a new record folder, ready to fill in.

    Writes records/<year>/<date>-<slug>/ with record.yml (required fields filled, optional ones
    as comments) and a Markdown file per language given a title. The original language's file is
    the authentic text; any other is a translation and needs --translator. Write the body below
    the front matter, then run sillok check on the folder.

    Example: sillok new --type press-release --date 2024-05-02 --office opc --title-ko "2024년 정부업무평가 결과" --title-en "2024 Government Performance Evaluation" --translator "OPC translation team" --slug government-evaluation-2024
    """
    import datetime as dt

    from sillok import schema
    from sillok.model import Office
    from sillok.scaffold import NewRecord, ScaffoldError, create, files_for, find_office, slugify

    def parse(kind, value, what):
        try:
            return kind.fromisoformat(value) if value else None
        except ValueError:
            raise UsageError(f"{what} must be {'YYYY-MM-DD' if kind is dt.date else 'HH:MM or HH:MM:SS'}, got '{value}'") from None

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
            raise UsageError(f"office '{args.office}' is not used by any record yet: give its names with --office-ko and --office-en")
    slug = args.slug or slugify(titles.get("en", ""))
    if not slug:
        raise UsageError("cannot make an ASCII slug from the titles: give one with --slug (e.g. --slug budget-briefing)")
    new = NewRecord(
        type=args.type, date=parse(dt.date, args.date, "--date"), office=office, titles=titles,
        original_language=original, slug=slug, time=parse(dt.time, args.time, "--time"), timezone=args.timezone,
        writer=args.writer, translator=args.translator, method=args.method, illustrative=args.illustrative,
        extra={"not_archived": args.not_archived or ()},
    )
    if not schema.OFFICE_ID.fullmatch(office.id):
        raise UsageError(f"office id '{office.id}' must be a lowercase ASCII slug such as opc")
    try:
        folder = create(records, files_for(new), new.id, new.date.year)
    except ScaffoldError as exc:
        print(f"sillok new: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for name in sorted(p.name for p in folder.iterdir()):
        print(folder / name)
    print(f"next: write the text below the front matter of each .md file, then run: sillok check {folder}", file=sys.stderr)
    return EXIT_OK


def cmd_normalize(args: argparse.Namespace) -> int:
    """Fix BOMs, CRLF, non-NFC text and trailing spaces in record text files.

    Rewrites each .md/.yml FILE as UTF-8 without BOM, with LF line endings, in Unicode NFC,
    without trailing spaces and with one final newline. With --check nothing is written and the
    exit code is 1 when a file would change (for pre-commit and CI). Files that are not valid
    UTF-8 are reported, not guessed at. Sealed files must not be normalized: run it on new records.

    Example: sillok normalize records/2024/2024-05-02-government-evaluation-2024/*.md
    """
    from sillok.normalize import TEXT_SUFFIXES, normalize_file

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
    from sillok import schema
    from sillok.intake import import_files, known_office
    from sillok.model import Office

    records = Path(args.records)
    if args.slug is not None and len(args.files) > 1:
        raise UsageError("--slug names one record: give it with a single FILE")
    if args.slug is not None and not schema.OFFICE_ID.fullmatch(args.slug):
        raise UsageError(f"--slug must be lowercase ASCII letters, digits and hyphens (e.g. carbon-neutrality-tf-1), got '{args.slug}'")
    if not schema.OFFICE_ID.fullmatch(args.office):
        raise UsageError(f"--office must be a lowercase ASCII slug such as opc, got '{args.office}'")
    known = known_office(records, args.office)
    ko = args.office_ko or (known.ko if known else None)
    en = args.office_en or (known.en if known else None)
    if not (ko and en):
        raise UsageError(f"office '{args.office}' is not in any record under {records}: give its names with --office-ko and --office-en")
    result = import_files([Path(f) for f in args.files], records, office=Office(args.office, ko, en),
                          record_type=args.type, slug=args.slug)
    for folder in result.created:
        print(folder.as_posix())
    for problem in result.warnings + result.refused:
        print(problem.format(), file=sys.stderr)
    refused = len({p.path for p in result.refused})
    print(f"imported {len(result.created)} record{'s' if len(result.created) != 1 else ''}, "
          f"refused {refused} file{'s' if refused != 1 else ''}", file=sys.stderr)
    return EXIT_PROBLEMS if refused else EXIT_OK


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
    from sillok.schema import LANGUAGES, RECORD_TYPES, TRANSLATION_METHODS

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


    p = add("new", cmd_new)
    p.add_argument("--type", required=True, choices=tuple(RECORD_TYPES), help="the record type")
    p.add_argument("--date", required=True, help="date of issue, YYYY-MM-DD")
    p.add_argument("--office", required=True, help="issuing office id (names are reused from existing records)")
    p.add_argument("--office-ko", help="the office's Korean name (for an office no record uses yet)")
    p.add_argument("--office-en", help="the office's English name (for an office no record uses yet)")
    p.add_argument("--title-ko", help="Korean title; creates ko.md")
    p.add_argument("--title-en", help="English title; creates en.md")
    p.add_argument("--original", choices=LANGUAGES, help="the original language (default: ko if a Korean title is given)")
    p.add_argument("--slug", help="readable lowercase ASCII slug for the id (default: from the English title)")
    p.add_argument("--time", help="time of issue, HH:MM or HH:MM:SS")
    p.add_argument("--timezone", default="Asia/Seoul", help="IANA time zone (default: Asia/Seoul)")
    p.add_argument("--writer", help="the writer as the source records it")
    p.add_argument("--translator", help="who translated the non-original language")
    p.add_argument("--method", default="human", choices=tuple(TRANSLATION_METHODS), help="how it was translated (default: human)")
    p.add_argument("--not-archived", action="append", choices=LANGUAGES, help="a language whose text existed but was not archived")
    p.add_argument("--illustrative", action="store_true", help="mark as an illustrative sample, not a real record")
    p.add_argument("--records", default="records", help="the archive folder (default: records)")

    p = add("build", cmd_build)
    p.add_argument("--project", default=".", help="the project folder with mkdocs.yml and records/ (default: .)")
    p.add_argument("--site-dir", default=None, help="where to write the site (default: site/)")

    p = add("normalize", cmd_normalize)
    p.add_argument("files", nargs="+", metavar="FILE", help="record text files (.md, .yml); others are skipped")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")

    p = add("import", cmd_import)
    p.add_argument("files", nargs="+", metavar="FILE", help="pages saved as text from the Presidential Archives' web records")
    p.add_argument("--office", required=True, metavar="ID", help="the issuing office's id, e.g. opc")
    p.add_argument("--office-ko", metavar="NAME", help="its Korean name (default: as in an existing record of that office)")
    p.add_argument("--office-en", metavar="NAME", help="its English name (default: as in an existing record of that office)")
    p.add_argument("--type", default="press-release", choices=tuple(RECORD_TYPES), help="record type (default: press-release)")
    p.add_argument("--slug", help="the id's slug, for a single FILE (default: from the title's ASCII words, else the file's digest)")
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
    except UsageError as exc:
        print(f"sillok {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130

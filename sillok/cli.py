"""The ``sillok`` command line (click): each command is a short wrapper around the library.

Each command's docstring, with an example, is its ``--help``, and ``guide/commands.md`` is generated
from those (:func:`commands_markdown`). Options shared by several commands are declared once below
(``--records DIR`` is the archive folder everywhere, ``--jobs``, ``--format``). Exit codes mean
something: 0 clean, 1 problems found, 2 usage error; refusals are turned into output and an exit code
in one place, :func:`report_refusal`.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from sillok import __version__
from sillok.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, ProblemsFound, SillokError, UsageError
from sillok.record.schema import LANGUAGES, RECORD_TYPES, TRANSLATION_METHODS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100, "terminal_width": 100}


# --- options shared by several commands, declared once -------------------------------------------


def records_option(help: str, *, exists: bool = False) -> Callable:
    """``--records DIR``: the archive folder (default ``records``), the one spelling in every command."""
    return click.option(
        "--records",
        metavar="DIR",
        default="records",
        show_default=True,
        type=click.Path(exists=exists, file_okay=False, path_type=Path),
        help=help,
    )


jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), default=None, metavar="N", help="Worker processes (default: one per CPU)."
)
project_option = click.option(
    "--project",
    metavar="DIR",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The project folder with mkdocs.yml and records/.",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for Actions annotations.",
)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date written YYYY-MM-DD, got {value!r}") from None


def _archive(records: Path) -> Path:
    if not records.is_dir():
        raise UsageError(f"{records}: no such folder")
    return records


def _office(records: Path, office: str | None, office_ko: str | None, office_en: str | None):
    """The issuing office for ``new`` and ``import``: ``--office``, else ``extra.sillok.default_office`` of the
    mkdocs.yml beside the archive (else in the current folder); each name from its option, else the setting,
    else the newest record of that office."""
    from sillok.intake.new import find_office
    from sillok.record.model import Office
    from sillok.record.schema import OFFICE_ID
    from sillok.site.settings import read_mkdocs_yml

    beside = records.absolute().parent / "mkdocs.yml"
    config = next((c for c in (beside, Path("mkdocs.yml")) if c.is_file()), beside)
    default = read_mkdocs_yml(config).default_office if config.is_file() else None
    if office is None:
        if default is None:
            raise UsageError(
                f"which office issued it? give --office ID, or set extra.sillok.default_office in {config}"
            )
        office = default.id
    if not OFFICE_ID.fullmatch(office):
        raise UsageError(f"--office must be a lowercase ASCII slug such as opc, got '{office}'")
    setting = default if default is not None and default.id == office else None
    known = None if (office_ko and office_en) else find_office(records, office)
    ko = office_ko or (setting.ko if setting else "") or (known.ko if known else "")
    en = office_en or (setting.en if setting else "") or (known.en if known else "")
    if not (ko and en):
        raise UsageError(
            f"office '{office}' is not in any record under {records}: give its names with --office-ko and --office-en"
        )
    return Office(office, ko, en)


# --- the commands ------------------------------------------------------------------------------


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(__version__, "--version", prog_name="sillok", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> int | None:
    """Check, seal and publish a bilingual records archive."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help(), err=True)
        ctx.exit(EXIT_USAGE)
    return None


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(exists=True, path_type=Path))
@records_option("The archive: checked when no PATH is given, compared with REF by --base.")
@format_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@jobs_option
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Check only what changed since this git ref, and reject changes to sealed files and log history.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse and validate every record again (ignore the check cache in .sillok-cache/ beside the archive).",
)
def check(
    paths: tuple[Path, ...],
    records: Path,
    output_format: str,
    strict: bool,
    jobs: int | None,
    base: str | None,
    no_cache: bool,
) -> int:
    """Check records: every problem in every file, reported at once.

    Reads every record under each PATH (an archive, year folder, record folder or record file; default:
    the archive, --records) and reports each problem as path:line:col: message — how to fix. Exit 0 when
    there are no errors (warnings are shown for the reviewer), 1 when there are errors (or warnings,
    with --strict), 2 on usage errors.

    Sealed files are verified against the ledger (records/manifest-sha256.txt) and the seal log;
    records not sealed yet are listed as new. With --base REF (in CI: the merge base) only what
    changed in the archive since REF is read, and a change to a sealed file or to the history of the
    ledger, seal log or redaction log is rejected, naming each path and what was done to it.

    A record folder whose files have the same SHA-256 digests as at an earlier check without errors
    is not parsed again (the check cache, .sillok-cache/ beside the archive; --no-cache bypasses it).
    The ledger is always compared with the digests of the files as read now.

    \b
    Example: sillok check records/2021/2021-01-13-carbon-neutrality-tf-1
    Example: sillok check --base origin/main
    """
    from sillok.check.check import check as check_paths
    from sillok.record.report import render

    if base:
        from sillok.check.changes import check_changes

        if paths:
            raise UsageError("--base compares the whole archive (--records DIR) with a git ref: give no PATH")
        if not records.is_dir() or (records / "record.yml").exists():
            raise UsageError(f"{records}: --base compares an archive folder (e.g. records) with a git ref")
        result = check_changes(records, base)  # GitError is a UsageError
    else:
        if not paths and not records.exists():
            raise UsageError(f"{records}: no such file or folder")
        from sillok.check import cache as check_cache

        cache_file = None if no_cache or not records.is_dir() else check_cache.path_for(records)
        result = check_paths(list(paths) or [records], jobs=jobs, cache_file=cache_file)
    summary = {
        "records_checked": result.checked,
        "valid_records": len(result.records),
        "errors": len(result.errors),
        "warnings": len(result.warnings),
    }
    sys.stdout.write(render(result.problems, output_format, summary))
    if output_format != "json":
        print(
            f"checked {_count(result.checked, 'record')}: "
            f"{_count(len(result.errors), 'error')}, {_count(len(result.warnings), 'warning')}",
            file=sys.stderr,
        )
    failed = result.errors or (strict and result.warnings)
    return EXIT_PROBLEMS if failed else EXIT_OK


@cli.command()
@click.option("--type", "record_type", required=True, type=click.Choice(tuple(RECORD_TYPES)), help="The record type.")
@click.option("--date", required=True, help="Date of issue, YYYY-MM-DD.")
@click.option(
    "--office",
    metavar="ID",
    help="Issuing office id (default: extra.sillok.default_office in mkdocs.yml; names are reused from existing records).",
)
@click.option("--office-ko", metavar="NAME", help="The office's Korean name (for an office no record uses yet).")
@click.option("--office-en", metavar="NAME", help="The office's English name (for an office no record uses yet).")
@click.option("--title-ko", help="Korean title; creates ko.md.")
@click.option("--title-en", help="English title; creates en.md.")
@click.option(
    "--original", type=click.Choice(LANGUAGES), help="The original language (default: ko if a Korean title is given)."
)
@click.option(
    "--slug",
    help="Readable lowercase ASCII slug for the id (default: from the English title, else the Korean one romanized, "
    "else the record type numbered, e.g. press-release-2).",
)
@click.option("--time", help="Time of issue, HH:MM or HH:MM:SS.")
@click.option("--timezone", default="Asia/Seoul", show_default=True, help="IANA time zone.")
@click.option("--writer", help="The writer as the source records it.")
@click.option("--translator", help="Who translated the non-original language.")
@click.option(
    "--method",
    default="human",
    show_default=True,
    type=click.Choice(tuple(TRANSLATION_METHODS)),
    help="How it was translated.",
)
@click.option(
    "--not-archived",
    multiple=True,
    type=click.Choice(LANGUAGES),
    help="A language whose text existed but was not archived (repeatable).",
)
@click.option("--illustrative", is_flag=True, help="Mark as an illustrative sample, not a real record.")
@records_option("The archive to create the record in.")
def new(record_type: str, date: str, office: str | None, office_ko: str | None, office_en: str | None, **given) -> int:
    """Create a new record folder, ready to fill in.

    Writes records/<year>/<date>-<slug>/ with record.yml (required fields filled, optional ones
    as comments) and a Markdown file per language given a title. The original language's file is
    the authentic text; any other is a translation and needs --translator. Write the body below
    the front matter, then run sillok check on the folder.

    \b
    Example: sillok new --type press-release --date 2024-05-02 --office opc --title-ko "2024년 정부업무평가 결과" --title-en "2024 Government Performance Evaluation" --translator "OPC translation team" --slug government-evaluation-2024
    """
    from sillok.intake.new import NewRecord, create, files_for
    from sillok.intake.slug import fallback, slugify

    def parse(kind, value, what):
        try:
            return kind.fromisoformat(value) if value else None
        except ValueError:
            raise UsageError(
                f"{what} must be {'YYYY-MM-DD' if kind is dt.date else 'HH:MM or HH:MM:SS'}, got '{value}'"
            ) from None

    records: Path = given["records"]
    titles = {lang: t for lang, t in (("ko", given["title_ko"]), ("en", given["title_en"])) if t}
    if not titles:
        raise UsageError("give at least one title: --title-ko and/or --title-en")
    original = given["original"] or ("ko" if "ko" in titles else "en")
    found = _office(records, office, office_ko, office_en)
    day = parse(dt.date, date, "--date")
    slug = (
        given["slug"]
        or slugify(titles.get("en", ""))
        or slugify(titles.get("ko", ""))
        or fallback(record_type, lambda s: (records / f"{day.year:04d}" / f"{day.isoformat()}-{s}").exists())
    )
    request = NewRecord(
        type=record_type,
        date=day,
        office=found,
        titles=titles,
        original_language=original,
        slug=slug,
        time=parse(dt.time, given["time"], "--time"),
        timezone=given["timezone"],
        writer=given["writer"],
        translator=given["translator"],
        method=given["method"],
        illustrative=given["illustrative"],
        extra={"not_archived": list(given["not_archived"]) or ()},
    )
    folder = create(records, files_for(request), request.id, request.date.year)
    for name in sorted(p.name for p in folder.iterdir()):
        print(folder / name)
    print(
        f"next: write the text below the front matter of each .md file, then run: sillok check {folder}",
        file=sys.stderr,
    )
    return EXIT_OK


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--check", "dry_run", is_flag=True, help="Write nothing; exit 1 if a file would change.")
def normalize(files: tuple[str, ...], dry_run: bool) -> int:
    """Fix BOMs, CRLF, non-NFC text and trailing spaces in record text files.

    Rewrites each .md/.yml FILE as UTF-8 without BOM, with LF line endings, in Unicode NFC,
    without trailing spaces and with one final newline; other files are skipped. With --check
    nothing is written and the exit code is 1 when a file would change (for pre-commit and CI).
    Files that are not valid UTF-8 are reported, not guessed at. Sealed files must not be
    normalized: run it on new records.

    \b
    Example: sillok normalize records/2024/2024-05-02-government-evaluation-2024/*.md
    """
    from sillok.intake.normalize import TEXT_SUFFIXES, normalize_file

    changed = failed = 0
    for name in files:
        path = Path(name)
        if path.suffix not in TEXT_SUFFIXES or not path.is_file() or path.is_symlink():
            continue
        try:
            if normalize_file(path, write=not dry_run):
                changed += 1
                print(f"{name}: {'would be normalized' if dry_run else 'normalized'}")
        except UnicodeDecodeError as exc:
            failed += 1
            print(f"{name}: not valid UTF-8 at byte offset {exc.start}; re-save it as UTF-8", file=sys.stderr)
    return EXIT_PROBLEMS if failed or (dry_run and changed) else EXIT_OK


@cli.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=click.Path(path_type=Path))
@click.option(
    "--office",
    metavar="ID",
    help="The issuing office's id, e.g. opc (default: extra.sillok.default_office in mkdocs.yml).",
)
@click.option("--office-ko", metavar="NAME", help="Its Korean name (default: as in an existing record of that office).")
@click.option(
    "--office-en", metavar="NAME", help="Its English name (default: as in an existing record of that office)."
)
@click.option(
    "--type",
    "record_type",
    default="press-release",
    show_default=True,
    type=click.Choice(tuple(RECORD_TYPES)),
    help="Record type.",
)
@click.option(
    "--slug",
    help="The id's slug, for a single FILE (default: from the title, Korean romanized, else the record type numbered, "
    "e.g. press-release-2).",
)
@records_option("The archive to import into.")
def import_(
    files: tuple[Path, ...],
    office: str | None,
    office_ko: str | None,
    office_en: str | None,
    record_type: str,
    slug: str | None,
    records: Path,
) -> int:
    """Import pages saved from the Presidential Archives' web records as new records.

    Each FILE is a page saved as text from the archived web records (대통령 웹기록물): the page's
    banner, notices and buttons are dropped; the title, the writer and date, and every sentence of
    the text are kept, the □ / ㅇ / * outline as nested lists. The page's language (ko or en) is its
    original_language; the other is recorded as not archived. Each record is checked before it is
    moved into place; a file that cannot be imported writes nothing, and an existing record is never
    overwritten. Every refusal is reported at the end. Exit 0 when all files were imported, 1 when
    some were refused, 2 on usage errors.

    \b
    Example: sillok import page.txt --office opc --office-ko 국무조정실 --office-en "Office for Government Policy Coordination" --slug carbon-neutrality-tf-1
    """
    from sillok.intake.place import import_files
    from sillok.record import schema

    if slug is not None and len(files) > 1:
        raise UsageError("--slug names one record: give it with a single FILE")
    if slug is not None and not schema.OFFICE_ID.fullmatch(slug):
        raise UsageError(
            f"--slug must be lowercase ASCII letters, digits and hyphens (e.g. carbon-neutrality-tf-1), got '{slug}'"
        )
    found = _office(records, office, office_ko, office_en)
    result = import_files(list(files), records, office=found, record_type=record_type, slug=slug)
    for folder in result.created:
        print(folder.as_posix())
    for problem in result.warnings + result.refused:
        print(problem.format(), file=sys.stderr)
    refused = len({p.path for p in result.refused})
    print(f"imported {_count(len(result.created), 'record')}, refused {_count(refused, 'file')}", file=sys.stderr)
    return EXIT_PROBLEMS if refused else EXIT_OK


@cli.command()
@records_option("The archive to seal.", exists=True)
@click.option(
    "--record",
    "only",
    multiple=True,
    metavar="ID",
    help="Seal only this new record (repeatable; default: every new record).",
)
@click.option(
    "--sign",
    "key",
    metavar="KEY",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sign the seal's checkpoint with this SSH private key (ssh-keygen -Y sign); its public key must be in "
    "records/allowed_signers. With nothing new to seal, signs the last seal if it is unsigned.",
)
@jobs_option
def seal(records: Path, only: tuple[str, ...], key: Path | None, jobs: int | None) -> int:
    """Seal new records: append their files' digests to the ledger and write a seal.

    Only records that pass sillok check are sealed, and only when the whole archive passes it:
    a seal vouches for everything before it. Existing ledger lines are never rewritten. Records
    already sealed are left alone; new translations of sealed records are sealed with them.

    \b
    Example: sillok seal
    Example: sillok seal --record 2021-01-13-carbon-neutrality-tf-1
    Example: sillok seal --sign ~/.ssh/archive_ed25519
    """
    from sillok.check.check import check as check_paths
    from sillok.ledger import signing
    from sillok.ledger.fixity import read_archive
    from sillok.ledger.seal import seal as seal_archive

    outcome = seal_archive(records, check_paths([records], jobs=jobs), only=list(only) or None)
    if key is not None:
        seals = read_archive(records, []).seals
        if seals and seals[-1].number not in signing.signatures(records):
            signing.sign_seal(records, seals, seals[-1], key)
            print(f"signed the checkpoint of seal {seals[-1].number} ({signing.SIGNATURES})", file=sys.stderr)
    if outcome.seal is None:
        print("nothing new to seal", file=sys.stderr)
        return EXIT_OK
    for line in outcome.lines:
        print(line.text(), end="")
    print(f"sealed {len(outcome.lines)} file(s) as seal {outcome.seal.number}: {outcome.seal.hash}", file=sys.stderr)
    return EXIT_OK


@cli.command()
@click.argument("record")
@click.option(
    "--file", "files", multiple=True, required=True, help="A redacted file of the record, e.g. ko.md (repeatable)."
)
@click.option("--basis", required=True, help="Legal basis, e.g. '개인정보 보호법 제36조'.")
@click.option("--requested", required=True, callback=_date, help="Date the request was received (YYYY-MM-DD).")
@click.option("--decided", required=True, callback=_date, help="Date the redaction was decided (YYYY-MM-DD).")
@click.option("--approver", required=True, help="Role (not name) of the approving official, e.g. 개인정보 보호책임자.")
@click.option("--scope", required=True, help="What kind of data was removed, never the data itself.")
@click.option("--notice-ko", required=True, help="Public notice in Korean.")
@click.option("--notice-en", required=True, help="Public notice in English.")
@records_option("The archive holding the record.", exists=True)
@jobs_option
def redact(record: str, files: tuple[str, ...], records: Path, jobs: int | None, **facts) -> int:
    """Log a redaction of personal data from a sealed record, and reseal the redacted files.

    First remove the personal data from the file(s) by hand, then run this. It is the only way a
    sealed file may change: it appends a public entry to records/redactions.jsonl (legal basis,
    dates, approver's role, scope, a notice in Korean and English), appends the files' new digests
    to the ledger and seals. Nothing of the removed text is recorded. The steps the law requires
    outside the tool (purging git history, caches and copies) are in guide/integrity.md.

    \b
    Example: sillok redact 2021-01-13-carbon-neutrality-tf-1 --file ko.md --basis "개인정보 보호법 제36조" --requested 2026-11-02 --decided 2026-11-16 --approver "개인정보 보호책임자" --scope "a private person's mobile number" --notice-ko "정보주체의 요청에 따라 개인정보를 삭제하였습니다." --notice-en "Personal data was removed at the data subject's request."
    """
    from sillok.check.check import check as check_paths
    from sillok.ledger.redact import Request
    from sillok.ledger.redact import redact as redact_record

    request = Request(record=record, files=files, **facts)
    entry = redact_record(records, request, check_paths([records], jobs=jobs))
    print(
        f"redaction {entry['number']} logged; {', '.join(entry['files'])} resealed at ledger line(s) "
        f"{', '.join(map(str, entry['ledger_lines']))} in seal {entry['seal']}",
        file=sys.stderr,
    )
    print("now purge the unredacted text outside the tool: see guide/integrity.md, 'Redaction'", file=sys.stderr)
    return EXIT_OK


@cli.command("verify-site")
@click.argument("site", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@records_option("The archive to compare with, when present.")
@click.option(
    "--project",
    metavar="DIR",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The project whose mkdocs.yml, docs/ and overrides/ rebuild the site (skipped when it has no mkdocs.yml).",
)
@format_option
def verify_site(site: Path, records: Path, project: Path, output_format: str) -> int:
    """Verify a built or downloaded site: its bag, its records against the archive's ledger, and every file.

    Checks every file of the site's BagIt bag (bag.tar) against the bag's manifests, the sealed
    records in it against the ledger and seal chain in it, and, when the archive (--records) is at
    hand, that the site's ledger and seal log are prefixes of the archive's and its files are the
    current ones. Then it rebuilds the site from the records in its bag with the project's settings
    (--project) and names every page, JSON, CSV, feed or other file that differs, is missing or is
    extra. Exit 0 when it all matches, 1 when something does not, 2 when DIR has no bag.

    \b
    Example: sillok verify-site site/
    """
    from sillok.ledger.bag import verify_site as verify
    from sillok.record.report import render

    at_hand = records.is_dir()
    if not at_hand and records != Path("records"):
        raise UsageError(f"{records}: no such folder")
    problems = verify(site, records if at_hand else None)  # NoBag is a UsageError
    rebuilt = (project / "mkdocs.yml").is_file()
    if rebuilt:
        from sillok.site.output.rebuild import verify_by_rebuild

        verify_by_rebuild(site, project, problems)
        problems.sort()
    sys.stdout.write(render(problems, output_format, {"errors": sum(p.severity == "error" for p in problems)}))
    failed = [p for p in problems if p.severity == "error"]
    print(
        f"verify-site: {len(failed)} error(s)"
        + ("" if at_hand else " (no archive at hand: checked the site against itself only)")
        + ("" if rebuilt else f" (no {project / 'mkdocs.yml'}: pages, data and feeds not rebuilt and compared)"),
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if failed else EXIT_OK


@cli.command()
@project_option
@click.option(
    "--site-dir",
    metavar="DIR",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/).",
)
@jobs_option
@click.option(
    "--cold",
    is_flag=True,
    help="Check every record and render every record page again (ignore the caches in .sillok-cache/).",
)
@click.option(
    "--shard",
    metavar="YEARS",
    default=None,
    help="Make only the record pages of these years (year:2020, year:2018-2020, year:2024-) into a shard "
    "folder (--site-dir, default shards/year-2020/) for a later --merge.",
)
@click.option(
    "--merge",
    "merge",
    metavar="DIR",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A shard folder made by --shard, or a folder of them, whose pages the build reuses (repeatable).",
)
def build(
    project: Path, site_dir: Path | None, jobs: int | None, cold: bool, shard: str | None, merge: tuple[Path, ...]
) -> int:
    """Check the records, then build the archive site into site/.

    Refuses to build when the check finds errors, and replaces site/ only when the whole build
    succeeded, so a failed build leaves the previous site as it was. Record pages whose inputs did
    not change are reused from the previous site (the cache is in .sillok-cache/); --cold renders all.

    A very large archive can be built in shards (guide/scale.md): one job per group of years makes
    that shard's record pages (--shard), then one build puts them together (--merge DIR ...) and
    makes the rest of the site; the result is the same site as one build's, byte for byte. A shard
    folder from another sillok version is refused; one built with other settings or theme is not
    reused.

    \b
    Example: sillok build
    Example: sillok build --shard year:2020 --site-dir shards/2020
    Example: sillok build --merge shards/2019 --merge shards/2020
    """
    from sillok.site.build import build as build_site
    from sillok.site.build import site_stats
    from sillok.site.output.shards import ShardSpec

    if not (project / "mkdocs.yml").is_file():
        raise UsageError(f"{project}: no mkdocs.yml here (run it from the project's root or pass --project)")
    if shard is not None and merge:
        raise UsageError("--shard and --merge: a build is either one shard's job or the merge, not both")
    if cold and merge:
        raise UsageError("--cold and --merge: --cold reuses nothing, so it would ignore the shards; give one")
    spec = ShardSpec.parse(shard) if shard is not None else None
    result = build_site(project, site_dir=site_dir, jobs=jobs, incremental=not cold, shard=spec, merge=list(merge))
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
    if spec is not None:
        print(f"built shard {spec} of {len(result.records)} records ({steps})", file=sys.stderr)
        return EXIT_OK
    print(f"built {len(result.records)} records into {site_dir or 'site/'} ({steps})", file=sys.stderr)
    print(f"site: {site_stats(site_dir or project / 'site', len(result.records))}", file=sys.stderr)
    return EXIT_OK


@cli.command()
@project_option
@click.option(
    "--port", type=click.IntRange(min=0), default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free one)."
)
@jobs_option
def serve(project: Path, port: int, jobs: int | None) -> int:
    """Build the site, serve it on 127.0.0.1 and show an edited record's page within a second or two.

    An edited record's pages (and its neighbours') are filled into the last build's page shells at
    once; a record added or removed, the ledger, a template or mkdocs.yml runs an incremental build.
    Index pages, search and open data catch up at that next build.

    \b
    Example: sillok serve --port 8000
    """
    from sillok.site.build import build as build_site
    from sillok.site.recordpages.preview import Preview
    from sillok.site.recordpages.preview import serve as run_preview

    if not (project / "mkdocs.yml").is_file():
        raise UsageError(f"{project}: no mkdocs.yml here (run it from the project's root or pass --project)")
    project = project.resolve()
    run_preview(Preview(project, project / "site", lambda: build_site(project, jobs=jobs).records), port=port)
    return EXIT_OK


@cli.command()
def fields() -> int:
    """Print the table of record fields, from the schema in code.

    guide/record-format.md's field table is this output (a test keeps them equal).

    \b
    Example: sillok fields
    """
    from sillok.record.schema import fields_markdown

    sys.stdout.write(fields_markdown())
    return EXIT_OK


# --- the generated reference (guide/commands.md) ---------------------------------------------------


def command_help(name: str) -> str:
    """``sillok NAME --help`` exactly as the terminal shows it (100 columns)."""
    parent = click.Context(cli, info_name="sillok", **CONTEXT)
    return cli.commands[name].get_help(click.Context(cli.commands[name], info_name=name, parent=parent))


def commands_markdown() -> str:
    """guide/commands.md: every command's ``--help``, generated (a test fails when the page is stale)."""
    out = [
        "# Commands",
        "",
        "<!-- Generated from each command's --help by `python scripts/write_guide.py`; do not edit by hand. -->",
        "",
        "Every command prints this help with `sillok COMMAND --help`. Exit codes: **0** clean, **1** problems",
        "found, **2** usage error. Every command that reads the archive takes `--records DIR` (default `records`).",
        "",
        *(f"- [`sillok {name}`](#sillok-{name}): {cli.commands[name].get_short_help_str(80)}" for name in cli.commands),
        "",
    ]
    for name in cli.commands:
        out += [f"## sillok {name}", "", "```text", command_help(name).rstrip(), "```", ""]
    return "\n".join(out)


# --- running it --------------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the ``sillok`` entry point and ``python -m sillok``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = cli.main(args=args, prog_name="sillok", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:  # click's own usage errors (unknown option, bad value): exit 2
        exc.show()
        return exc.exit_code
    except click.Abort:
        return 130
    except SillokError as exc:
        return report_refusal(_command_name(args), exc)
    return EXIT_OK if code is None else code


def report_refusal(command: str, exc: SillokError) -> int:
    """The one place a refusal becomes output and an exit code: its problems on stdout, its message on stderr."""
    if isinstance(exc, ProblemsFound) and exc.problems:
        from sillok.record.report import render

        sys.stdout.write(render(exc.problems, "text", {}))
    print(f"sillok {command}: {exc}" if command else f"sillok: {exc}", file=sys.stderr)
    return exc.exit_code


def _command_name(args: Sequence[str]) -> str:
    return next((a for a in args if a in cli.commands), "")

"""The MkDocs plugin: a thin adapter that checks records and generates their pages before a build.

This is the only module that imports MkDocs. It lets plain ``mkdocs build`` and ``mkdocs serve``
work like ``sillok build``: the records are checked (a problem stops the build), the pages are
generated into ``docs/records/`` by :mod:`sillok.site.generate`, and ``mkdocs serve`` watches
``records/`` so that editing a record reloads the preview.

``sillok build`` checks and generates itself, then runs MkDocs with ``SILLOK_PAGES_READY=1`` so the
records are not read twice.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel

from sillok.check.check import check
from sillok.check.published import check_published
from sillok.errors import ProblemsFound, SillokError
from sillok.site.generate import generate, refuse_symlinks
from sillok.site.integrity import PublicLedger
from sillok.site.output.forked import PARENT_ENV, die_with_parent
from sillok.site.recordpages.indexpages import FILLED_ENV
from sillok.site.render import GENERATED_MARK, esc
from sillok.site.settings import SiteSettings
from sillok.site.sitefiles import write_site_files

log = get_plugin_logger(__name__)

PAGES_READY = "SILLOK_PAGES_READY"
"""Set to 1 by ``sillok build`` when it has already checked the records and generated the pages."""


GENERATED_PREFIX = "records/"


class SillokConfig(Config):
    records = config_options.Type(str, default="records")
    """The archive folder, relative to mkdocs.yml."""


class SillokPlugin(BasePlugin[SillokConfig]):
    """Checks and generates once per configuration (mkdocs-static-i18n builds each language with it)."""

    def __init__(self) -> None:
        self._generated = False
        self._records = None
        self._settings: SiteSettings | None = None
        self._site_files_written = False
        self._default_404: bytes | None = None
        self._pending_html: str | None = None

    def _records_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.records

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        with refusals_as_plugin_errors():
            return self._configure(config)

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = SiteSettings.from_extra(config.extra, config.site_url, source="mkdocs.yml")
        config.extra["sillok"] = settings.for_templates()  # defaults filled in, every text per language
        custom_dir = config.theme.custom_dir
        if custom_dir and Path(custom_dir).exists():
            refuse_symlinks(Path(custom_dir))
        published = check_published(Path(config.docs_dir), Path(custom_dir) if custom_dir else None)
        if published:
            raise ProblemsFound(
                f"{len(published)} problem(s) in the hand-written pages and templates: nothing was built", published
            )
        if self._generated or os.environ.get(PAGES_READY) == "1":
            return config
        self._generated = True
        records_dir = self._records_dir(config)
        result = check([records_dir]) if records_dir.exists() else None
        if result is not None and not result.ok:
            raise ProblemsFound(
                f"{len(result.errors)} problem(s) in {records_dir}: nothing was built (run sillok check)", result.errors
            )
        self._records, self._settings = (result.records if result else []), settings
        report = generate(self._records, Path(config.docs_dir), settings, PublicLedger.read(records_dir))
        log.info(f"generated record pages: {report.summary()}")
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Exclude the pages ``sillok build`` fills into shells after MkDocs (their sources are stubs): MkDocs
        still knows them, so links to them from hand-written pages resolve and are checked, but renders none."""
        listed = os.environ.get(FILLED_ENV)
        if listed:
            names = set(json.loads(Path(listed).read_text("utf-8")))
            for file in files:
                if file.src_uri in names:
                    file.inclusion = InclusionLevel.EXCLUDED
        return files

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files) -> str:
        """Pass a generated page's finished HTML around Markdown (whose raw-HTML parser is slow).

        Generated pages are one block of HTML that Markdown would copy unchanged; keeping it out of
        Markdown halves the build time. Without this plugin the same files still render the same.
        """
        if page.file.src_uri.startswith(GENERATED_PREFIX) and markdown.startswith(GENERATED_MARK):
            self._pending_html = markdown
            return ""
        self._pending_html = None
        for key in (
            "title",
            "description",
        ):  # hand-written pages: Material prints these raw (generated ones are escaped)
            if isinstance(page.meta.get(key), str):
                page.meta[key] = esc(page.meta[key])
        return markdown

    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:
        if self._pending_html is not None:
            html, self._pending_html = self._pending_html, None
        return html

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        return _valid_toggles(output)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return _valid_toggles(output_content)

    def on_post_build(self, config: MkDocsConfig) -> None:
        with refusals_as_plugin_errors():
            self._post_build(config)

    def _post_build(self, config: MkDocsConfig) -> None:
        """Give each language its own 404 page (and sitemap): static-i18n writes every language's to the root.

        The default language is built first; each other language's build (run by static-i18n after
        this event) moves its 404.html under its folder and puts the default one back.
        """
        if self._records is not None and not self._site_files_written:
            self._site_files_written = True  # once: static-i18n runs this event for every language
            write_site_files(self._records, Path(config.site_dir), self._settings, self._records_dir(config))
        page = Path(config.site_dir) / "404.html"
        if not page.exists():
            return
        language = config.theme.get("language")
        if self._default_404 is None:
            self._default_404 = page.read_bytes()
            return
        target = Path(config.site_dir) / language / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(page, target)
        page.write_bytes(self._default_404)
        # Material's language selector looks the same page up in the sitemap beside the language root
        sitemap = Path(config.site_dir) / "sitemap.xml"
        if sitemap.exists():
            shutil.copyfile(sitemap, target.parent / "sitemap.xml")

    def on_serve(self, server, config: MkDocsConfig, builder):
        records_dir = self._records_dir(config)
        if records_dir.exists():
            server.watch(str(records_dir))
        return server


@contextmanager
def refusals_as_plugin_errors() -> Iterator[None]:
    """The one place a sillok refusal becomes MkDocs' ``PluginError``: each problem logged, then the message."""
    try:
        yield
    except SillokError as exc:
        for problem in getattr(exc, "problems", []):
            log.error(problem.format())
        raise PluginError(str(exc)) from exc


def _valid_toggles(output: str) -> str:
    """Drop Material's ``autocomplete`` on its toggle checkboxes (invalid HTML: the Nu checker rejects it)."""
    for toggle in ("__drawer", "__search"):
        output = output.replace(
            f' type="checkbox" id="{toggle}" autocomplete="off">', f' type="checkbox" id="{toggle}">'
        )
    return output


def run_mkdocs(args: list[str]) -> int:
    """Run MkDocs' command line; a file that cannot be written (disk full, read-only) is one line, not a traceback.

    ``sillok build`` runs MkDocs through this in a child process (:func:`sillok.site.build.mkdocs_command`).
    """
    from mkdocs.__main__ import cli

    if os.environ.get(PARENT_ENV, "").isdigit():  # started by sillok build: ends with it, never writes after it
        die_with_parent(int(os.environ[PARENT_ENV]))
    try:
        cli.main(args=args, prog_name="mkdocs")
    except OSError as exc:
        print(f"mkdocs: cannot write {exc.filename2 or exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0

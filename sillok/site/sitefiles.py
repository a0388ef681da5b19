"""Files the built site publishes besides its pages: open data, feeds, sitemaps' robots.txt.

Called once per build on the folder MkDocs built into, by ``sillok build`` (before the new site is
swapped into place) and by the plugin after a plain ``mkdocs build``, so both publish the same
site. Everything comes from the same checked records as the pages.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from sillok.ledger.bag import write_bag_file
from sillok.record.model import Record
from sillok.record.schema import LANGUAGES
from sillok.site import urls
from sillok.site.data.publish import KnownDigests, write_open_data
from sillok.site.output.proofs import write_proofs
from sillok.site.output.reuse import BuildCache
from sillok.site.search.index import write_search
from sillok.site.settings import SiteSettings


@contextmanager
def timed(timings: dict[str, float], step: str):
    """Add the wall time of the block to ``timings[step]`` (the build reports where its time goes)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - start


def robots_txt(site_url: str) -> str:
    """Every page may be crawled; the sitemaps of both languages and of the records are named."""
    base = urls.normalize_base_url(site_url)
    sitemaps = ["sitemap.xml", "en/sitemap.xml", urls.SITEMAP_PATH]
    return "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {base}{path}\n" for path in sitemaps)


EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
)
"""Beside each language's feeds: Material's script fetches ``sitemap.xml`` next to every ``<link rel="alternate">``
(here the Atom autodiscovery link), so a tiny empty one keeps that request constant and not a 404."""


def write_site_files(
    records: list[Record],
    site_dir: Path,
    settings: SiteSettings,
    records_root: Path,
    timings: dict[str, float] | None = None,
    *,
    cache: BuildCache | None = None,
    jobs: int | None = None,
    digests: KnownDigests | None = None,
) -> list[Path]:
    """Write the BagIt bag, search index, open data, feeds and robots.txt into a built site.

    The bag (ledger, seal log, redaction log and the sealed records), one ``bag.tar``, lets anyone
    verify the site with ``bagit.py --validate`` (after ``tar -xf``) or ``sillok verify-site``. Without a ``site_url`` the open data is
    not written: feeds, sitemaps and linked data need absolute URLs, and guessing the address a
    site will be served at would publish wrong ones. With ``cache`` (``sillok build`` into a fresh
    folder), search files and open data whose inputs did not change are linked or copied from the previous
    site. ``jobs`` worker processes analyse records for search and encode open data (default: one per CPU);
    ``digests`` are the records' file digests as the check read them (else the open data hashes the files).
    """
    timings = timings if timings is not None else {}
    with timed(timings, "bag"):
        written = [write_bag_file(records_root, site_dir / urls.BAG)]
    with timed(timings, "proofs"):
        written += write_proofs(records_root, site_dir)
    with timed(timings, "search index"):
        write_search(
            records,
            site_dir,
            urls.site_path(settings.site_url),
            reuse=cache.files("search", settings.site_url or "") if cache else None,
            jobs=jobs,
        )
    if not settings.site_url:
        return written
    with timed(timings, "open data"):
        reuse = cache.files("open-data", repr(settings)) if cache else None
        written += write_open_data(
            records,
            site_dir,
            settings.site_url,
            settings.rights,
            site_name=settings.name["ko"],
            reuse=reuse,
            digests=digests,
            jobs=jobs,
        )
    for language in LANGUAGES:
        empty = site_dir / urls.feed_path(language).rsplit("/", 1)[0] / "sitemap.xml"
        if not empty.exists():
            empty.parent.mkdir(parents=True, exist_ok=True)  # an archive with no sealed record has no feeds yet
            empty.write_text(EMPTY_SITEMAP, "utf-8")
            written.append(empty)
    robots = site_dir / "robots.txt"
    text = robots_txt(settings.site_url)
    if not robots.exists() or robots.read_text("utf-8") != text:
        robots.write_text(text, "utf-8")
        written.append(robots)
    return written

"""Files the built site publishes besides its pages: open data, feeds, sitemaps' robots.txt.

Called once per build on the folder MkDocs built into, by ``sillok build`` (before the new site is
swapped into place) and by the plugin after a plain ``mkdocs build``, so both publish the same
site. Everything comes from the same checked records as the pages.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from sillok.site import urls
from sillok.record.model import Record
from sillok.site.data.opendata import write_open_data
from sillok.ledger.bag import write_bag
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


def write_site_files(records: list[Record], site_dir: Path, settings: SiteSettings, records_root: Path,
                     timings: dict[str, float] | None = None) -> list[Path]:
    """Write the BagIt bag, search index, open data, feeds and robots.txt into a built site.

    The bag (ledger, seal log, redaction log and the sealed records) lets anyone verify the site
    with ``bagit.py --validate`` or ``sillok verify-site``. Without a ``site_url`` the open data is
    not written: feeds, sitemaps and linked data need absolute URLs, and guessing the address a
    site will be served at would publish wrong ones.
    """
    timings = timings if timings is not None else {}
    with timed(timings, "bag"):
        written = [write_bag(records_root, site_dir / urls.BAG.rstrip("/"))]
    with timed(timings, "search index"):
        write_search(records, site_dir, urls.site_path(settings.site_url))
    if not settings.site_url:
        return written
    with timed(timings, "open data"):
        written += write_open_data(records, site_dir, settings.site_url, settings.rights, site_name=settings.name["ko"])
    robots = site_dir / "robots.txt"
    text = robots_txt(settings.site_url)
    if not robots.exists() or robots.read_text("utf-8") != text:
        robots.write_text(text, "utf-8")
        written.append(robots)
    return written

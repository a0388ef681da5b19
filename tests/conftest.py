"""Shared fixtures; the helpers they use are in ``tests/helpers/``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers.records import CHROMIUM, CHROMIUM_ARGS, ROOT, make_site_project, write_tree


@pytest.fixture
def archive(tmp_path: Path):
    """Write an archive from a dict and return its root (the folder holding records/)."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path, files)

    return make


# --------------------------------------------------------------------------- the archive site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One real build of a fixture archive that covers every page state, shared by the site tests.

    Of the project's own records/ it takes one, so the samples can grow without changing what
    these tests count; ``make site`` in the test suite's CI run builds the whole archive.
    Returns the project folder; the site is in its ``site/``.
    """
    from sillok.site.build import build

    project = make_site_project(tmp_path_factory.mktemp("site-project"), own_records=False)
    own = "records/2023/2023-03-15-carbon-neutrality-commission-3"  # one real project record, unchanged
    shutil.copytree(ROOT / own, project / own)
    build(project)
    return project


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SILLOK_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

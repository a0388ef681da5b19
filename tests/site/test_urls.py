"""The URL scheme, stated once in sillok.site.urls."""

from __future__ import annotations

import pytest

from sillok.site import urls
from sillok.site.urls import feed_path, home_url, record_json_path, record_url, site_url


def test_korean_at_the_root_english_under_en():
    assert record_url("2021-01-13-x", "ko", "https://a.example/") == "https://a.example/records/2021-01-13-x/"
    assert record_url("2021-01-13-x", "en", "https://a.example/") == "https://a.example/en/records/2021-01-13-x/"
    assert home_url("en", "https://a.example/archive") == "https://a.example/archive/en/"


def test_published_files():
    assert (
        site_url(record_json_path("2021-01-13-x"), "https://a.example/s/")
        == "https://a.example/s/data/records/2021/01.json"
    )
    assert feed_path("ko") == "feeds/ko/all.atom"
    assert feed_path("en", "press-release") == "feeds/en/press-release.atom"


@pytest.mark.parametrize("base", ["", "/archive/", "example.org", "ftp://example.org/", "https:///x"])
def test_base_url_must_be_absolute(base):
    with pytest.raises(ValueError, match="base_url must be an absolute http"):
        record_url("2021-01-13-x", "ko", base)


def test_unknown_language():
    with pytest.raises(ValueError, match="language must be one of ko, en, got 'fr'"):
        record_url("2021-01-13-x", "fr", "https://a.example/")


def test_relative_links_equal_posixpath_relpath():
    """urls.relative compares folders itself (index pages make tens of thousands of links); same as relpath."""
    pages = ["", "en/", "records/", "records/x/", "records/x/file.pdf", "en/records/date/2021/03/", "about/", "x.html"]
    targets = [*pages, "data/ko/records.csv", "feeds/ko/all.atom", "en/records/date/2021/", "records/date/2021/03/"]
    for page in pages:
        for target in targets:
            assert urls.relative(page, target) == urls._relative_slow(page, target), (page, target)

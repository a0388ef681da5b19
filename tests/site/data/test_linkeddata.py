"""Page-head metadata read back from its HTML with html.parser, and the sitemap read as XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers.opendata import BASE, ENGLISH_ID, MEETING_ID, make_corpus, project_records

from sillok.record import schema
from sillok.record.model import Record
from sillok.site.data.linkeddata import head_html, head_metadata, script_json, sitemap_xml, sitemaps
from sillok.site.data.rights import DEFAULT_RIGHTS, Rights
from sillok.site.urls import record_url

TF_ID = "2021-01-13-carbon-neutrality-tf-1"


class Head(HTMLParser):
    """Collects <link>, <meta> and the JSON-LD scripts of a page head."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.metas: list[dict] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.metas.append(attrs)
        elif tag == "script":
            assert attrs == {"type": "application/ld+json"}
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def meta(self, key: str) -> list[str]:
        return [m["content"] for m in self.metas if m.get("name") == key or m.get("property") == key]

    def link(self, rel: str) -> list[dict]:
        return [link for link in self.links if link["rel"] == rel]

    @property
    def json_ld(self) -> dict:
        [script] = self.scripts
        return json.loads(script)


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Record]:
    return {r.id: r for r in make_corpus(tmp_path)}


@pytest.mark.parametrize("language", schema.LANGUAGES)
def test_dublin_core_matches_the_record(corpus, language):
    record = corpus[TF_ID]
    head = Head(head_html(record, language, BASE))
    text = record.texts[language]
    url = record_url(record.id, language, BASE)
    assert head.meta("DC.title") == [text.title]
    assert head.meta("DC.date") == ["2021-01-13"]
    assert head.meta("DCTERMS.issued") == ["2021-01-13T10:29:45+09:00"]
    assert head.meta("DC.creator") == head.meta("DC.publisher") == [getattr(record.office, language)]
    assert head.meta("DC.language") == [language]
    assert head.meta("DC.identifier") == [url]
    assert head.meta("DC.type") == ["Text", schema.RECORD_TYPES["press-release"][language]]
    assert head.meta("DC.rights") == [DEFAULT_RIGHTS.statement]
    assert head.meta("DC.subject") == ["탄소중립"]
    assert {link["href"] for link in head.link("schema.DC")} == {"http://purl.org/dc/elements/1.1/"}
    title_meta = next(m for m in head.metas if m.get("name") == "DC.title")
    assert title_meta["lang"] == language


@pytest.mark.parametrize("language", schema.LANGUAGES)
def test_canonical_hreflang_and_open_graph(corpus, language):
    record = corpus[TF_ID]
    head = Head(head_html(record, language, BASE, site_name="실록"))
    ko, en = f"{BASE}records/{TF_ID}/", f"{BASE}en/records/{TF_ID}/"
    assert [link["href"] for link in head.link("canonical")] == [ko if language == "ko" else en]
    assert [(link["hreflang"], link["href"]) for link in head.link("alternate")] == [
        ("ko", ko),
        ("en", en),
        ("x-default", ko),
    ]
    assert head.meta("og:url") == [ko if language == "ko" else en]
    assert head.meta("og:title") == [record.texts[language].title]
    assert head.meta("og:type") == ["article"]
    assert head.meta("og:locale") == [{"ko": "ko_KR", "en": "en_US"}[language]]
    assert head.meta("og:locale:alternate") == [{"ko": "en_US", "en": "ko_KR"}[language]]
    assert head.meta("og:site_name") == ["실록"]
    assert head.meta("article:published_time") == ["2021-01-13T10:29:45+09:00"]
    assert head.meta("og:description") == head.meta("description")


def test_json_ld_press_release_is_a_news_article(corpus):
    record = corpus[TF_ID]
    data = Head(head_html(record, "en", BASE)).json_ld
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["genre"] == "Press release"
    assert data["headline"] == record.texts["en"].title
    assert data["inLanguage"] == "en"
    assert data["url"] == data["@id"] == f"{BASE}en/records/{TF_ID}/"
    assert data["identifier"] == TF_ID
    assert data["datePublished"] == "2021-01-13T10:29:45+09:00"
    assert (
        data["author"]
        == data["publisher"]
        == {"@type": "GovernmentOrganization", "name": "Office for Government Policy Coordination", "identifier": "opc"}
    )
    assert data["license"] == {"@type": "CreativeWork", "name": DEFAULT_RIGHTS.statement, "url": DEFAULT_RIGHTS.url}
    assert data["translationOfWork"] == {"@id": f"{BASE}records/{TF_ID}/", "inLanguage": "ko"}
    assert data["translator"] == {"name": "sillok test suite"}
    assert data["encoding"]["contentUrl"] == f"{BASE}data/records/2021/01.json#{TF_ID}"
    original = Head(head_html(record, "ko", BASE)).json_ld
    assert original["workTranslation"] == [{"@id": f"{BASE}en/records/{TF_ID}/", "inLanguage": "en"}]
    assert "translationOfWork" not in original


def test_json_ld_meeting_record_is_a_report(corpus):
    record = corpus[MEETING_ID]
    data = Head(head_html(record, "ko", BASE)).json_ld
    assert data["@type"] == "Report"
    assert data["genre"] == "회의록"
    assert data["datePublished"] == "2022-06-30T00:00:00+09:00"
    assert data["isBasedOn"] == record.source.url
    assert data["keywords"] == ["예산", "심의; 의결"]
    assert data["description"] == '첫째 줄, 쉼표와 "따옴표". 둘째 줄.'


def test_text_cannot_break_out_of_the_head(corpus):
    record = corpus[ENGLISH_ID]
    html = head_html(record, "en", BASE)
    script = html[html.index('<script type="application/ld+json">') :]
    assert script.count("</script>") == 1 and script.endswith("</script>\n"), (
        "the title's </script> stays inside the JSON string"
    )
    assert "<" not in script[len('<script type="application/ld+json">') : -len("</script>\n")]
    assert "&" not in script and ">" not in script[len('<script type="application/ld+json">') : -len("</script>\n")]
    head = Head(html)
    assert head.json_ld["headline"] == 'Remarks </script><script>alert(1)</script> & "quotes" at the <Seoul> Forum'
    assert head.meta("DC.title") == [head.json_ld["headline"]]
    assert len(head.scripts) == 1
    assert script_json({"a": "\u2028</script>&"}) == '{"a":"\\u2028\\u003c/script\\u003e\\u0026"}'


def test_page_in_a_language_the_record_lacks_points_to_the_original(corpus):
    record = corpus[MEETING_ID]
    meta = head_metadata(record, "en", BASE)
    assert meta.canonical == f"{BASE}records/{MEETING_ID}/"
    assert meta.alternates == (("ko", meta.canonical), ("x-default", meta.canonical))
    head = Head(meta.html())
    assert head.meta("DC.language") == ["ko"]
    assert head.meta("DC.creator") == ["Ministry of Economy and Finance"]
    assert head.json_ld["inLanguage"] == "ko"


def test_english_original_has_x_default_english(corpus):
    record = corpus[ENGLISH_ID]
    alternates = dict(head_metadata(record, "ko", BASE).alternates)
    assert alternates == {
        "en": f"{BASE}en/records/{ENGLISH_ID}/",
        "ko": f"{BASE}records/{ENGLISH_ID}/",
        "x-default": f"{BASE}en/records/{ENGLISH_ID}/",
    }
    head = Head(head_html(record, "ko", BASE))
    assert head.meta("DC.contributor") == ["외교부 번역팀"]
    assert head.json_ld["@type"] == "NewsArticle"


def test_rights_parameter_reaches_dc_and_json_ld(corpus):
    rights = Rights("공공누리 제4유형 / KOGL Type 4", "https://www.kogl.or.kr/info/licenseType4.do")
    head = Head(head_html(corpus[TF_ID], "ko", BASE, rights))
    assert head.meta("DC.rights") == [rights.statement]
    assert head.meta("DCTERMS.license") == [rights.url]
    assert head.json_ld["license"]["name"] == rights.statement


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_sitemap_lists_both_languages_with_alternates(corpus):
    root = ET.fromstring(sitemap_xml(corpus.values(), BASE, pages=[{"ko": BASE, "en": f"{BASE}en/"}]).encode())
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.find(f"{SITEMAP}loc").text: u for u in root.findall(f"{SITEMAP}url")}
    assert set(urls) == {
        f"{BASE}records/{TF_ID}/",
        f"{BASE}en/records/{TF_ID}/",
        f"{BASE}records/{MEETING_ID}/",
        f"{BASE}records/{ENGLISH_ID}/",
        f"{BASE}en/records/{ENGLISH_ID}/",
        BASE,
        f"{BASE}en/",
    }
    alternates = {
        (a.get("hreflang"), a.get("href")) for a in urls[f"{BASE}en/records/{TF_ID}/"].findall(f"{XHTML}link")
    }
    assert alternates == {
        ("ko", f"{BASE}records/{TF_ID}/"),
        ("en", f"{BASE}en/records/{TF_ID}/"),
        ("x-default", f"{BASE}records/{TF_ID}/"),
    }
    assert urls[f"{BASE}records/{MEETING_ID}/"].findall(f"{XHTML}link") == [], (
        "a page in one language has no alternates"
    )
    assert all(a.get("rel") == "alternate" for a in root.iter(f"{XHTML}link"))


def test_a_sitemap_too_large_for_one_file_is_split_under_an_index(corpus):
    files = sitemaps(corpus.values(), BASE, limit=2)
    assert sorted(files) == [
        "sitemap-records-1.xml",
        "sitemap-records-2.xml",
        "sitemap-records-3.xml",
        "sitemap-records.xml",
    ]
    index = ET.fromstring(files["sitemap-records.xml"].encode())
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [s.find(f"{SITEMAP}loc").text for s in index] == [f"{BASE}sitemap-records-{n}.xml" for n in (1, 2, 3)]
    parts = [ET.fromstring(files[f"sitemap-records-{n}.xml"].encode()) for n in (1, 2, 3)]
    assert [len(part.findall(f"{SITEMAP}url")) for part in parts] == [2, 2, 1]
    whole = ET.fromstring(sitemaps(corpus.values(), BASE)["sitemap-records.xml"].encode())
    assert [u.find(f"{SITEMAP}loc").text for part in parts for u in part] == [
        u.find(f"{SITEMAP}loc").text for u in whole
    ]


def test_project_records_head_and_sitemap():
    records = project_records()
    for record in records:
        for language in schema.LANGUAGES:
            head = Head(head_html(record, language, BASE))
            assert head.json_ld["identifier"] == record.id
            assert head.meta("DC.title") == [record.texts.get(language, record.texts[record.original_language]).title]
    root = ET.fromstring(sitemap_xml(records, BASE).encode())
    locs = {u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")}
    assert locs == {record_url(r.id, lang, BASE) for r in records for lang in r.languages}
    assert {lang for r in records for lang in r.languages} == {"ko", "en"}

"""Attack class 5 and the link that hid on the next line.

Before: ``![x](https://…)`` in a body made every reader's browser ask another site for the image;
a CSV cell starting with ``=`` reached spreadsheet users as a formula; a reference definition whose
``javascript:`` target was on the next line passed ``sillok check``.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from helpers.records import VALID_KO, valid_record

from sillok.check.check import check

IMAGES = {
    "inline": "![지도](https://maps.example.com/a.png)",
    "reference": "![지도][map]\n\n[map]: https://maps.example.com/a.png",
    "collapsed reference": "![map][]\n\n[map]:\n    <https://maps.example.com/a.png>",
    "protocol-relative": "![지도](//maps.example.com/a.png)",
}


@pytest.mark.parametrize("body", IMAGES.values(), ids=list(IMAGES))
def test_a_remote_image_is_an_error_with_the_fix(archive, body):
    found = check([archive(valid_record(ko_md=VALID_KO + "\n" + body + "\n")) / "records"]).errors
    assert [p.code for p in found] == ["remote-image"], [p.format() for p in found]
    assert "attachments" in found[0].hint


def test_a_link_to_another_site_is_still_fine(archive):
    body = VALID_KO + "\n[누리집](https://www.korea.kr/) 참조, [기관][k]\n\n[k]: https://www.opm.go.kr/\n"
    assert check([archive(valid_record(ko_md=body)) / "records"]).errors == []


def test_a_remote_image_never_reaches_a_page_even_past_the_check():
    from sillok.site.render import body_html

    html = body_html(
        "![지도](https://maps.example.com/a.png) ![첨부](briefing.png)", {"briefing.png": "../a/briefing.png"}
    )
    assert "maps.example.com" not in html and 'src="../a/briefing.png"' in html and "<span>지도</span>" in html


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt&#58;alert(1)", "vbscript:x", "data:text/html,x"])
def test_a_reference_target_on_the_next_line_is_checked(archive, target):
    body = VALID_KO + f"\n[눌러 보기][x]\n\n[x]:\n    {target}\n"
    found = check([archive(valid_record(ko_md=body)) / "records"]).errors
    assert [p.code for p in found] == ["link-scheme"], [p.format() for p in found]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(archive):
    from sillok.site.data.opendata import dataset_rows, records_csv

    result = check([archive(valid_record()) / "records"])
    record = result.records[0]
    texts = {k: dataclasses.replace(t, title=f'=HYPERLINK("http://evil","{k}")') for k, t in record.texts.items()}
    record = dataclasses.replace(record, texts=texts, writer="@SUM(1+1)", tags=("+1", "-2", "\tx", "\rcr", "ok"))
    for language in ("ko", "en"):
        rows = list(
            csv.DictReader(
                io.StringIO(records_csv(dataset_rows([record], language, "https://a.example/")).decode("utf-8-sig"))
            )
        )
        assert rows[0]["title"].startswith("'=HYPERLINK(")
        assert rows[0]["writer"] == "'@SUM(1+1)"
        assert rows[0]["tags"].startswith("'+1")
        for value in rows[0].values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

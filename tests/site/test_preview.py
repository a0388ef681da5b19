"""``sillok serve``: an edited record's page changes under a running server, quickly, without a build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from helpers.records import NOT_ARCHIVED_ID, RECORD_DIR, RECORD_ID, make_site_project, site_records

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_an_edited_record_shows_under_a_running_server(tmp_path):
    project = make_site_project(tmp_path, site_records(), own_records=False)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "sillok", "serve", "--port", "0", "--project", str(project)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    log: list[str] = []
    try:
        deadline = time.monotonic() + 180
        url = None
        while url is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            if not line:
                break
            log.append(line)
            if match := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
                url = match.group(1)
        assert url, "".join(log[-20:])
        page = f"{url}records/{RECORD_ID}/"
        assert "2050 탄소중립 범부처 TF 1차 회의" in fetch(page)
        ko = project / RECORD_DIR / "ko.md"
        ko.write_text(ko.read_text("utf-8").replace("title: ", "title: 미리보기 수정 ", 1), "utf-8")
        edited = time.monotonic()
        while "미리보기 수정" not in fetch(page):
            assert time.monotonic() - edited < 20, "the edited page did not change within 20 s"
            time.sleep(0.1)
        seconds = time.monotonic() - edited
        line = server.stderr.readline()
        assert "updated" in line and RECORD_ID in line, line  # the fast path, not a build
        assert seconds < 10  # the figure at 10,000 records is measured by scripts/bench_scale.py, not here
        neighbour = fetch(f"{url}records/{NOT_ARCHIVED_ID}/")  # the next record links back with the new title
        assert "미리보기 수정 2050 탄소중립" in neighbour
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def test_a_save_made_while_a_page_is_written_is_not_lost(tmp_path):
    """A record saved again while the preview writes the first save's pages (an editor saving twice, or
    scripts/bench_scale.py editing as soon as the page changed) is shown too: the watcher compares with what it
    saw before handling a change, not after."""
    import threading

    from sillok.site.build import build
    from sillok.site.recordpages.preview import Preview, serve

    project = make_site_project(tmp_path, site_records(), own_records=False)
    ko = project / RECORD_DIR / "ko.md"
    log: list[str] = []

    def on_log(line: str) -> None:
        log.append(line)
        if "updated" in line and len([x for x in log if "updated" in x]) == 1:  # inside the first update
            ko.write_text(ko.read_text("utf-8").replace("title: ", "title: 두번째 ", 1), "utf-8")

    preview = Preview(project, project / "site", build=lambda: build(project).records, log=on_log)
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=serve, args=(preview,), daemon=True, kwargs={"port": 0, "stop": stop, "ready": lambda _: ready.set()}
    )
    thread.start()
    try:
        assert ready.wait(300), log
        ko.write_text(ko.read_text("utf-8").replace("title: ", "title: 첫번째 ", 1), "utf-8")
        page = project / "site" / "records" / RECORD_ID / "index.html"
        deadline = time.monotonic() + 60
        while "두번째 첫번째" not in page.read_text("utf-8"):
            assert time.monotonic() < deadline, f"the second save was lost: {log[-5:]}"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=60)


def test_a_reader_never_sees_a_missing_or_half_written_page_while_the_preview_writes(tmp_path):
    """The preview writes into the site it serves: every read during a save gets a whole page, old or new
    (scripts/bench_scale.py once got a 404 in the moment between removing the old page and writing the new)."""
    from sillok.site.build import build
    from sillok.site.recordpages.preview import Preview

    project = make_site_project(tmp_path, site_records(), own_records=False)
    preview = Preview(project, project / "site", build=lambda: build(project).records, log=lambda line: None)
    preview.rebuild()
    number = next(n for n, record in enumerate(preview.ordered) if record.id == RECORD_ID)
    page = project / "site" / "records" / RECORD_ID / "index.html"
    reader = subprocess.Popen(  # another process, as a web server is: no lock shared with the writer
        [
            sys.executable,
            "-c",
            "import sys\n"
            "bad = 0\n"
            "for _ in range(200000):\n"
            "    try:\n"
            "        text = open(sys.argv[1], encoding='utf-8').read()\n"
            "    except FileNotFoundError:\n"
            "        bad += 1\n"
            "        continue\n"
            "    bad += not text.rstrip().endswith('</html>')\n"
            "print(bad)\n",
            str(page),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        while reader.poll() is None:
            preview._write([number])
    finally:
        output, _ = reader.communicate(timeout=120)
    assert output.strip() == "0", f"{output.strip()} reads found no page or half a page"

"""Readable ids for Korean imports and a default office from mkdocs.yml (``sillok import`` / ``sillok new``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers.records import ROOT, SEED, write_tree

from sillok.cli import main
from sillok.intake.slug import MAX_LENGTH, MAX_WORDS, romanize, slugify
from sillok.record import schema

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
HEADER = "\n".join(SEED_LINES[: SEED_LINES.index("subtop") + 1]) + "\n"
OPC = ["--office", "opc", "--office-ko", "국무조정실", "--office-en", "Office for Government Policy Coordination"]
DEFAULT_OFFICE = """\
site_name: test
extra:
  sillok:
    default_office:
      id: me
      ko: 환경부
      en: Ministry of Environment
"""


def page(title: str, text: str = "□ 관계부처는 이행과제를 점검하였다.", day: str = "2021.02.10") -> str:
    """A page saved from the web records, as the importer reads it (the seed's header above the title)."""
    return f"{HEADER}{title}\n작성자 : 홍보담당관 작성일 : {day} 09:05\n\n\u00a0\n{text}\n\n\u00a0\n확인\n\n아니오\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def created(capsys) -> list[str]:
    return capsys.readouterr().out.split()


# --- romanization --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("korean", "roman"),
    [
        ("한글", "hangeul"),
        ("부산", "busan"),
        ("대한민국", "daehanminguk"),
        ("국민", "gungmin"),  # nasalization
        ("합니다", "hamnida"),
        ("신라", "silla"),  # ㄴ+ㄹ → ll
        ("종로", "jongno"),  # ㄹ after ㅇ → n
        ("협력", "hyeomnyeok"),
        ("결과를", "gyeolgwareul"),  # a final moves onto a following vowel
        ("좋다", "jota"),  # ㅎ aspirates
        ("서울특별시", "seoulteukbyeolsi"),
        ("괜찮아요", "gwaenchanayo"),
    ],
)
def test_revised_romanization(korean, roman):
    assert romanize(korean) == roman


def test_slug_of_the_seed_records_korean_title():
    title = "2050 탄소중립 추진을 위한 범부처 전담조직(TF) 1차 회의 개최"
    assert slugify(title) == "2050-tansojungnip-chujineul-wihan-beombucheo"


@pytest.mark.parametrize("path", sorted((ROOT / "records").glob("*/*/ko.md")), ids=lambda p: p.parent.name)
def test_every_korean_title_in_the_archive_makes_a_readable_slug(path):
    title = next(line for line in path.read_text("utf-8").splitlines() if line.startswith("title:"))[6:].strip()
    slug = slugify(title)
    assert schema.OFFICE_ID.fullmatch(slug), slug  # the slug pattern: lowercase ASCII words and hyphens
    assert len(slug) <= MAX_LENGTH and len(slug.split("-")) <= MAX_WORDS
    assert any(c.isalpha() for c in slug.split("-")[0] + slug.split("-")[-1])


@pytest.mark.parametrize("title", ["2024", "(2021.02.10)", "「」 — ·", "漢字"])
def test_a_title_without_letters_gives_no_slug(title):
    assert slugify(title) == ""


def test_latin_words_are_kept_and_punctuation_dropped():
    assert slugify("Café «Résumé»: TF 회의, 2차!") == "cafe-resume-tf-hoeui-2cha"


# --- sillok import -------------------------------------------------------------------------------


def test_korean_import_gets_a_romanized_id(project, capsys):
    write_tree(project, {"pages/ko.txt": page("미세먼지 계절관리제 시행 준비 관계부처 점검회의 결과(2021.02.10)")})
    assert main(["import", "pages/ko.txt", *OPC]) == 0
    assert created(capsys) == ["records/2021/2021-02-10-misemeonji-gyejeolgwallije-sihaeng-junbi"]
    assert main(["check", "records"]) == 0


def test_a_title_without_words_falls_back_to_the_record_type_numbered(project, capsys):
    write_tree(
        project,
        {
            "pages/a.txt": page("「2021」", "□ 첫째 보도자료."),
            "pages/b.txt": page("(2021.02.10)", "□ 둘째 보도자료."),
            "pages/c.txt": page("2021", "□ 셋째 회의록."),
        },
    )
    assert main(["import", "pages/a.txt", "pages/b.txt", *OPC]) == 0
    assert main(["import", "pages/c.txt", *OPC, "--type", "meeting-record"]) == 0
    assert created(capsys) == [
        "records/2021/2021-02-10-press-release",
        "records/2021/2021-02-10-press-release-2",
        "records/2021/2021-02-10-meeting-record",
    ]
    # the same page again is refused as already imported, not numbered into a duplicate
    assert main(["import", "pages/b.txt", *OPC]) == 1
    assert "records/2021/2021-02-10-press-release-2 already exists" in capsys.readouterr().err
    assert len(list(Path("records/2021").iterdir())) == 3


# --- the default office --------------------------------------------------------------------------


def test_import_uses_the_default_office_and_office_overrides_it(project, capsys):
    write_tree(
        project, {"mkdocs.yml": DEFAULT_OFFICE, "pages/a.txt": page("홍수 예보 확대"), "pages/b.txt": page("댐 방류")}
    )
    assert main(["import", "pages/a.txt"]) == 0
    assert main(["import", "pages/b.txt", *OPC]) == 0
    a, b = created(capsys)
    assert "office:\n  id: me\n  ko: 환경부\n  en: Ministry of Environment\n" in Path(a, "record.yml").read_text(
        "utf-8"
    )
    assert "office:\n  id: opc\n  ko: 국무조정실\n" in Path(b, "record.yml").read_text("utf-8")


def test_new_uses_the_default_office_and_romanizes_a_korean_title(project, capsys):
    write_tree(project, {"mkdocs.yml": DEFAULT_OFFICE})
    argv = ["new", "--type", "press-release", "--date", "2022-03-04", "--title-ko", "봄철 미세먼지 대책"]
    assert main(argv) == 0
    folder = Path("records/2022/2022-03-04-bomcheol-misemeonji-daechaek")
    assert "office:\n  id: me\n  ko: 환경부\n" in (folder / "record.yml").read_text("utf-8")
    assert main(["new", "--type", "press-release", "--date", "2022-03-04", "--title-ko", "「」"]) == 0
    assert main(["new", "--type", "press-release", "--date", "2022-03-04", "--title-ko", "2022"]) == 0
    assert sorted(p.name for p in Path("records/2022").iterdir()) == [
        "2022-03-04-bomcheol-misemeonji-daechaek",
        "2022-03-04-press-release",
        "2022-03-04-press-release-2",
    ]


def test_a_default_office_by_id_takes_its_names_from_the_archive(project, capsys):
    write_tree(
        project, {"mkdocs.yml": "extra:\n  sillok:\n    default_office: opc\n", "pages/a.txt": page("회의 결과")}
    )
    assert main(["import", SEED.as_posix(), *OPC]) == 0
    assert main(["import", "pages/a.txt"]) == 0
    folder = created(capsys)[-1]
    assert "en: Office for Government Policy Coordination\n" in Path(folder, "record.yml").read_text("utf-8")


def test_no_office_and_no_default_is_a_usage_error(project):
    write_tree(project, {"mkdocs.yml": "site_name: test\n", "pages/a.txt": page("회의 결과")})
    run = subprocess.run(
        [sys.executable, "-m", "sillok", "import", "pages/a.txt"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert run.stderr.startswith("sillok import: which office issued it? give --office ID, or set ")
    assert "extra.sillok.default_office in " in run.stderr and "Traceback" not in run.stderr
    assert not Path("records").exists()


def test_an_invalid_default_office_is_reported_with_the_file(project, capsys):
    write_tree(project, {"mkdocs.yml": "extra:\n  sillok:\n    default_office: {id: Bad Id}\n"})
    assert main(["new", "--type", "press-release", "--date", "2022-03-04", "--title-en", "x"]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml: extra.sillok.default_office.id must be a lowercase ASCII slug such as opc" in err


def test_the_guide_documents_the_default_office():
    assert "extra.sillok.default_office" in (ROOT / "guide" / "site.md").read_text("utf-8")
    commands = (ROOT / "guide" / "commands.md").read_text("utf-8")
    assert commands.count("extra.sillok.default_office") >= 2  # --office of new and of import

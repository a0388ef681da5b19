"""Words the site shows around the records, and dates and sizes as each language writes them.

Every label is given in Korean and English; pages look labels up by key and language, so adding a
label is adding a line here.
"""

from __future__ import annotations

import datetime as dt
import re

from sillok.record.model import Record
from sillok.record.schema import LANGUAGE_NAMES, RECORD_TYPES, TRANSLATION_METHODS

LABELS: dict[str, dict[str, str]] = {
    "type": {"ko": "유형", "en": "Type"},
    "issued": {"ko": "일시", "en": "Issued"},
    "office": {"ko": "발행 기관", "en": "Issued by"},
    "writer": {"ko": "작성자", "en": "Writer (as recorded)"},
    "writer_short": {"ko": "작성자", "en": "Writer"},
    "record_id": {"ko": "기록 번호", "en": "Record id"},
    "original_language": {"ko": "원문 언어", "en": "Original language"},
    "permalink": {"ko": "영구 주소", "en": "Permanent URL"},
    "metadata": {"ko": "기록 정보", "en": "About this record"},
    "attachments": {"ko": "첨부 파일", "en": "Attachments"},
    "cite": {"ko": "이 기록 인용하기", "en": "Cite this record"},
    "rights": {"ko": "이용 조건", "en": "Terms of reuse"},
    "data": {"ko": "이 기록의 데이터(JSON)", "en": "This record as data (JSON)"},
    "fixity": {"ko": "봉인과 무결성", "en": "Seal and fixity"},
    "sealed": {
        "ko": "이 기록의 파일은 봉인 {number}번({time})에 봉인되었습니다. 봉인 해시: {hash}",
        "en": "This record's files were sealed in seal {number} ({time}). Seal hash: {hash}",
    },
    "not_sealed": {
        "ko": "이 기록은 아직 봉인되지 않았습니다(새로 추가된 기록).",
        "en": "This record is not sealed yet (a new addition).",
    },
    "verify_how": {
        "ko": "누구나 확인할 수 있습니다: 사이트의 BagIt 꾸러미({bag})를 내려받아 tar -xf로 풀고 bagit.py --validate로, 또는 sillok verify-site로 검사하십시오.",
        "en": "Anyone can check: download the site's BagIt bag ({bag}), unpack it with tar -xf and run bagit.py --validate, or run sillok verify-site.",
    },
    "file": {"ko": "파일", "en": "File"},
    "ledger_line": {"ko": "원장 줄", "en": "Ledger line"},
    "redaction": {"ko": "개인정보 가림 처리", "en": "Redaction of personal data"},
    "redaction_text": {
        "ko": "{decided}에 {basis}에 따라 이 기록에서 {scope}을(를) 가렸습니다(처리 번호 {number}, 요청일 {requested}, 승인: {approver}). {notice}",
        "en": "On {decided}, under {basis}, {scope} was removed from this record (redaction {number}; requested {requested}; approved by: {approver}). {notice}",
    },
    "redacted_scope_default": {"ko": "개인정보", "en": "personal information"},
    "redaction_log": {"ko": "개인정보 가림 처리 기록", "en": "Redaction log"},
    "redaction_log_lead": {
        "ko": "보관된 기록에서 개인정보를 가린 모든 처리가 여기에 공개됩니다. 가린 내용은 어디에도 남기지 않습니다.",
        "en": "Every redaction of personal data from the archived records is listed here. What was removed is kept nowhere.",
    },
    "inclusion_proof": {
        "ko": "이 기록의 포함 증명 (JSON, 서명된 체크포인트에 대한 Merkle 증명)",
        "en": "This record's inclusion proof (JSON: a Merkle proof against the signed checkpoint)",
    },
    "verify_button": {"ko": "이 기록 검증하기", "en": "Verify this record"},
    "redacted_mark": {"ko": "가림 처리된 내용", "en": "redacted text"},
    "no_redactions": {"ko": "가림 처리된 기록이 없습니다.", "en": "No record has been redacted."},
    "open_data": {"ko": "데이터 내려받기와 구독", "en": "Download and subscribe"},
    "feed": {"ko": "새 기록 구독(Atom 피드)", "en": "New records (Atom feed)"},
    "dictionary": {"ko": "데이터 사전", "en": "Data dictionary"},
    "dictionary_note": {
        "ko": "데이터 사전은 필드 정의에서 자동으로 만들어지며 영어로 제공됩니다.",
        "en": "The data dictionary is generated from the field schema.",
    },
    "previous": {"ko": "이전 기록", "en": "Previous record"},
    "next": {"ko": "다음 기록", "en": "Next record"},
    "record_nav": {"ko": "기록 사이 이동", "en": "Between records"},
    "record_text": {"ko": "본문", "en": "Text"},
    "other_language": {"ko": "다른 언어", "en": "Other language"},
    "read_in": {"ko": "{language}로 읽기", "en": "Read in {language}"},
    "browse": {"ko": "기록 둘러보기", "en": "Browse the records"},
    "by_date": {"ko": "날짜별 기록", "en": "Records by date"},
    "by_type": {"ko": "유형별 기록", "en": "Records by type"},
    "by_office": {"ko": "기관별 기록", "en": "Records by office"},
    "by_tag": {"ko": "주제어별 기록", "en": "Records by tag"},
    "tag": {"ko": "주제어", "en": "Tag"},
    "tags": {"ko": "주제어", "en": "Tags"},
    "tag_count": {"ko": "주제어 {count}개", "en": "{count} tags"},
    "tag_count_one": {"ko": "주제어 1개", "en": "1 tag"},
    "latest": {"ko": "최근 기록", "en": "Latest records"},
    "board": {"ko": "전체 기록", "en": "All records"},
    "board_page": {"ko": "{page}쪽 / {pages}쪽", "en": "page {page} of {pages}"},
    "newest_first": {"ko": "최신순", "en": "Newest first"},
    "oldest_first": {"ko": "오래된 순", "en": "Oldest first"},
    "number": {"ko": "번호", "en": "No."},
    "title": {"ko": "제목", "en": "Title"},
    "date": {"ko": "날짜", "en": "Date"},
    "pages": {"ko": "쪽 이동", "en": "Pages"},
    "previous_page": {"ko": "이전 쪽", "en": "Previous page"},
    "next_page": {"ko": "다음 쪽", "en": "Next page"},
    "breadcrumbs": {"ko": "현재 위치", "en": "You are here"},
    "home": {"ko": "첫 화면", "en": "Home"},
    "all_records": {"ko": "전체 기록 {count}건", "en": "{count} records in all"},
    "count": {"ko": "{count}건", "en": "{count} records"},
    "count_one": {"ko": "{count}건", "en": "1 record"},
    "year": {"ko": "{year}년", "en": "{year}"},
    "month": {"ko": "{year}년 {month}월", "en": "{month_name} {year}"},
    "no_records": {"ko": "아직 기록이 없습니다.", "en": "There are no records yet."},
    "translation_notice": {
        "ko": "이 {language} 본문은 {from_language} 원문을 {translator} {date}에 번역한 것입니다({method}). "
        "원본 기록은 {original} 본문입니다.",
        "en": "This {language} text is a {method} from {from_language} by {translator}, made on {date}. "
        "The authentic record is the {original} text.",
    },
    "not_translated": {
        "ko": "이 기록은 아직 한국어로 번역되지 않았습니다. 아래에 {available} 본문을 그대로 보여 드립니다.",
        "en": "This record has not been translated into English. Its {available} text is shown below as it was archived.",
    },
    "not_archived": {
        "ko": "이 기록의 한국어 본문은 원래 있었으나 보관되지 않았습니다. 보관되지 않은 본문은 나중에 새로 만들어 넣지 않습니다. "
        "아래에 {available} 본문을 보여 드립니다.",
        "en": "This record's English text existed but was not archived, and the archive never recreates a text it did not "
        "receive. Its {available} text is shown below.",
    },
    "illustrative": {
        "ko": "이 기록은 이 보관소를 위해 작성한 예시 자료이며 실제 기록이 아닙니다.",
        "en": "This is an illustrative sample written for this archive, not a real record.",
    },
    "notice": {"ko": "알림", "en": "Notice"},
    "only_in": {"ko": "{language} 본문만 있음", "en": "{language} text only"},
    "translation": {"ko": "번역", "en": "Translation"},
    "text_in": {"ko": "{language} 본문", "en": "{language} text"},
    "plain_citation": {"ko": "인용 문구", "en": "Citation"},
    "download_size": {"ko": "{kind}, {size}", "en": "{kind}, {size}"},
    "untitled_attachment": {"ko": "첨부 파일", "en": "Attachment"},
}

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS_KO = "월화수목금토일"
DEFAULT_TIMEZONE = "Asia/Seoul"
"""Korean readers read times in Korea without a zone name; other zones are always named."""


LAWS_EN = {
    "개인정보 보호법": "the Personal Information Protection Act",
    "공공기록물 관리에 관한 법률": "the Public Records Management Act",
    "공공기관의 정보공개에 관한 법률": "the Official Information Disclosure Act",
}
"""Korean statutes a redaction may cite, as English readers know them."""
_ARTICLE_PARTS = (
    (r"제\s*(\d+)\s*조(?:의\s*(\d+))?", "Article {0}{1}"),
    (r"제\s*(\d+)\s*항", "paragraph {0}"),
    (r"제\s*(\d+)\s*호", "item {0}"),
)


def legal_basis(text: str, language: str) -> str:
    """A legal basis as the reader's language writes it: ``개인정보 보호법 제36조`` is, for an English reader,
    ``the Personal Information Protection Act, Article 36 (개인정보 보호법 제36조)``; the original stays beside it."""
    if language == "ko" or not re.search("[가-힣]", text):
        return text
    english = text.replace("「", "").replace("」", "").strip()
    for korean, name in LAWS_EN.items():
        english = english.replace(korean, name + ",")
    for pattern, words in _ARTICLE_PARTS:
        english = re.sub(
            pattern,
            lambda m, w=words: w.format(
                m.group(1), f"-{m.group(2)}" if m.lastindex and m.lastindex > 1 and m.group(2) else ""
            ),
            english,
        )
    english = re.sub(r",\s*$", "", re.sub(r"\s+", " ", english)).strip()
    return text if re.search("[가-힣]", english) else f"{english} ({text})"


def label(key: str, language: str, /, **values: object) -> str:
    """The label ``key`` in ``language``, with ``{placeholders}`` filled in."""
    text = LABELS[key][language]
    return text.format(**values) if values else text


def subject(word: str) -> str:
    """``word`` with the Korean subject particle that fits its last syllable: 위원회가, 국무조정실이.

    After a word that does not end in Hangul (a name in Latin letters) both forms are shown: 이(가).
    """
    last = word.rstrip()[-1:] or " "
    if "가" <= last <= "힣":
        return word + ("이" if (ord(last) - ord("가")) % 28 else "가")
    return word + "이(가)"


def language_name(code: str, reader: str) -> str:
    """The name of language ``code`` in the reader's language (``en`` for a Korean reader: 영어)."""
    return LANGUAGE_NAMES[code][reader]


def type_name(record_type: str, language: str) -> str:
    return RECORD_TYPES[record_type][language]


def method_name(method: str, language: str) -> str:
    return TRANSLATION_METHODS[method][language]


def format_date(date: dt.date, language: str, *, weekday: bool = True) -> str:
    """``2021년 1월 13일 (수)`` (without ``weekday``: ``2021년 1월 13일``) or ``13 January 2021``."""
    if language == "ko":
        day = f"{date.year}년 {date.month}월 {date.day}일"
        return f"{day} ({WEEKDAYS_KO[date.weekday()]})" if weekday else day
    return f"{date.day} {MONTHS_EN[date.month - 1]} {date.year}"


def format_issued(record: Record, language: str) -> str:
    """Date and time of issue as the reader's language writes it: ``2021년 1월 13일 (수) 10:29`` / ``13 January 2021, 10:29 KST``."""
    date = format_date(record.date, language)
    if record.time is None:
        return date
    issued = record.issued
    clock = f"{issued:%H:%M}"
    zone = issued.tzname() or record.timezone
    if language == "ko":
        suffix = "" if record.timezone == DEFAULT_TIMEZONE else f" ({zone})"
        return f"{date} {clock}{suffix}"
    return f"{date}, {clock} {zone}"


def format_month(year: int, month: int, language: str) -> str:
    return label("month", language, year=year, month=month, month_name=MONTHS_EN[month - 1])


def format_count(count: int, language: str) -> str:
    """``12건`` / ``12 records``, ``1 record``; thousands grouped as both languages write them (``1,234건``)."""
    return label("count_one" if count == 1 else "count", language, count=f"{count:,}")


def format_tag_count(count: int, language: str) -> str:
    return label("tag_count_one" if count == 1 else "tag_count", language, count=f"{count:,}")


def format_size(size: int, language: str) -> str:
    """A file size for people: ``812 bytes`` / ``812바이트``, ``14 KB``, ``1.2 MB``."""
    if size < 1024:
        return f"{size}바이트" if language == "ko" else f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"

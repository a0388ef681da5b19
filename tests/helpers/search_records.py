"""A small bilingual archive for search tests: realistic records with the vocabulary Korean search must handle.

Compound nouns (탄소중립위원회, 재정전략회의, 시스템반도체), particles (탄소중립을, 기획재정부는), near
misses (기회 next to 기획재정부), numbers (2050, 340조원), a Korean-only record and an English original.
``files()`` returns ``{path: text}`` for ``conftest.write_tree``; ``sillok check`` must accept it.
"""

from __future__ import annotations

OFFICES = {
    "opc": ("국무조정실", "Office for Government Policy Coordination"),
    "moef": ("기획재정부", "Ministry of Economy and Finance"),
    "me": ("환경부", "Ministry of Environment"),
    "motie": ("산업통상자원부", "Ministry of Trade, Industry and Energy"),
    "cnc": ("2050 탄소중립녹색성장위원회", "2050 Presidential Commission on Carbon Neutrality and Green Growth"),
}

# (id, type, office, ko title, ko body, en title, en body); en None = Korean only; an en-original record starts its id with "en:"
RECORDS = [
    (
        "2021-01-13-carbon-neutrality-tf-1",
        "press-release",
        "opc",
        "2050 탄소중립 범부처 TF 1차 회의 개최",
        """□ 국무조정실은 1월 13일 2050 탄소중립 추진전략의 이행을 위한 범부처 TF 1차 회의를 개최하였다.

- ㅇ 관계부처는 탄소중립을 위한 부문별 이행과제를 점검하고, 탄소중립위원회 출범 준비 상황을 논의하였다.
  * 탄소중립위원회는 상반기 중 출범 예정
""",
        "2050 Carbon Neutrality Pan-Ministerial Task Force Holds First Meeting",
        """□ The Office for Government Policy Coordination held the first meeting of the pan-ministerial task force on January 13
to implement the 2050 carbon neutrality strategy.

- Ministries reviewed sector-by-sector tasks for carbon neutrality and preparations for launching the Carbon Neutrality Commission.
""",
    ),
    (
        "2021-05-29-carbon-neutrality-commission-launch",
        "press-release",
        "opc",
        "2050 탄소중립위원회 출범식 개최",
        """□ 2050 탄소중립위원회가 5월 29일 공식 출범하였다.

- ㅇ 위원회는 민간위원 77명과 관계부처 장관 18명으로 구성된다.
- ㅇ 정부는 탄소중립 사회로의 전환을 새로운 성장의 기회로 삼겠다고 밝혔다.
""",
        "Presidential Commission on Carbon Neutrality Launched",
        """□ The 2050 Carbon Neutrality Commission was officially launched on May 29.

- The commission has 77 civilian members and 18 ministers.
- The government said it would make the transition to a carbon-neutral society an opportunity for new growth.
""",
    ),
    (
        "2021-08-27-national-fiscal-strategy-meeting",
        "meeting-record",
        "moef",
        "2021년 국가재정전략회의 결과",
        """□ 기획재정부는 8월 27일 국가재정전략회의를 열어 2022년 예산안 편성 방향을 논의하였다.

- ㅇ 재정전략회의에서는 탄소중립과 디지털 전환에 대한 투자를 확대하기로 하였다.
- ㅇ 재정건전성 관리를 위한 지출 구조조정도 함께 추진한다.
""",
        "Results of the 2021 National Fiscal Strategy Meeting",
        """□ The Ministry of Economy and Finance held the National Fiscal Strategy Meeting on August 27 to discuss the 2022 budget.

- The meeting agreed to expand investment in carbon neutrality and the digital transition.
- Spending will be restructured to keep public finances sound.
""",
    ),
    (
        "2022-01-05-fine-dust-seasonal-review",
        "press-release",
        "me",
        "미세먼지 계절관리제 중간 점검 결과",
        """□ 환경부는 고농도 미세먼지가 잦은 겨울철을 맞아 미세먼지 계절관리제 이행 상황을 점검하였다.

- ㅇ 초미세먼지 평균 농도는 전년 같은 기간보다 낮아졌다.
- ㅇ 석탄발전소 가동을 줄이고 노후 경유차 운행을 제한하였다.
""",
        "Mid-Term Review of the Seasonal Fine Dust Management Programme",
        """□ The Ministry of Environment reviewed the seasonal fine dust management programme during the winter high-concentration season.

- Average ultrafine dust concentrations were lower than in the same period last year.
- Coal power plants ran less and old diesel vehicles were restricted.
""",
    ),
    (
        "2022-03-10-semiconductor-superpower-strategy",
        "press-release",
        "motie",
        "반도체 초강대국 달성 전략 발표",
        """□ 산업통상자원부는 반도체 산업 경쟁력 강화를 위해 2026년까지 민간 투자 340조원을 지원한다고 밝혔다.

- ㅇ 시스템반도체 설계 인력을 양성하고 소재·부품·장비 공급망을 강화한다.
""",
        "Strategy to Become a Semiconductor Superpower",
        """□ The Ministry of Trade, Industry and Energy will support KRW 340 trillion of private investment in semiconductors by 2026.

- It will train system semiconductor designers and strengthen the supply chain for materials, parts and equipment.
""",
    ),
    (
        "2022-06-16-economic-policy-directions",
        "press-release",
        "moef",
        "새정부 경제정책방향 발표",
        """□ 기획재정부는 6월 16일 새정부 경제정책방향을 발표하였다.

- ㅇ 민간 중심의 역동적 경제를 목표로 규제를 혁신하고 재정건전성을 강화한다.
""",
        "Economic Policy Directions of the New Government",
        """□ The Ministry of Economy and Finance announced the economic policy directions of the new government on June 16.

- Aiming at a dynamic private-sector-led economy, it will reform regulation and strengthen fiscal soundness.
""",
    ),
    (
        "2022-11-23-carbon-neutrality-commission-2",
        "meeting-record",
        "cnc",
        "탄소중립녹색성장위원회 제2차 전체회의",
        """□ 위원회는 제2차 전체회의에서 탄소중립·녹색성장 국가전략 수립 방향을 논의하였다.

- ㅇ 2030 국가 온실가스 감축목표 달성을 위한 부문별 감축 경로를 검토하였다.
""",
        "Second Plenary Meeting of the Presidential Commission on Carbon Neutrality and Green Growth",
        """□ At its second plenary meeting the commission discussed the national strategy for carbon neutrality and green growth.

- It reviewed sector pathways to the 2030 national greenhouse gas reduction target.
""",
    ),
    (
        "2023-02-14-semiconductor-plant-fine-dust-agreement",
        "press-release",
        "me",
        "반도체 공장 미세먼지 배출 저감 협약 체결",
        """□ 환경부는 반도체 공장 5곳과 미세먼지 배출을 줄이기 위한 자발적 협약을 체결하였다.

- ㅇ 참여 기업은 방지시설을 개선하여 배출량을 30% 줄인다.
""",
        "Agreement to Cut Fine Dust Emissions from Semiconductor Plants",
        """□ The Ministry of Environment signed voluntary agreements with five semiconductor plants to cut fine dust emissions.

- The companies will upgrade abatement equipment and cut emissions by 30%.
""",
    ),
    (
        "2023-04-04-national-fiscal-strategy-meeting",
        "meeting-record",
        "moef",
        "2023년 국가재정전략회의 개최",
        """□ 기획재정부는 4월 4일 국가재정전략회의를 개최하고 재정준칙 법제화 방안을 보고하였다.

- ㅇ 건전재정 기조를 유지하면서 약자 복지를 강화하기로 하였다.
""",
        "2023 National Fiscal Strategy Meeting Held",
        """□ The Ministry of Economy and Finance held the National Fiscal Strategy Meeting on April 4 and reported on legislating a fiscal rule.

- Sound public finances will be maintained while welfare for the vulnerable is strengthened.
""",
    ),
    (
        "2023-09-01-youth-opportunity-plan",
        "press-release",
        "opc",
        "청년 기회 확대 방안 확정",
        """□ 국무조정실은 청년에게 더 많은 기회를 제공하기 위한 청년정책 기본계획을 확정하였다.

- ㅇ 일자리, 주거, 교육 분야 과제를 담았다.
""",
        "Plan to Expand Opportunities for Young People Adopted",
        """□ The Office for Government Policy Coordination adopted a basic plan on youth policy to give young people more opportunities.

- It covers jobs, housing and education.
""",
    ),
    (
        "2024-01-18-clean-hydrogen-bidding-market",
        "press-release",
        "motie",
        "청정수소 발전 입찰시장 개설",
        """□ 산업통상자원부는 탄소중립 이행을 위한 청정수소 발전 입찰시장을 개설한다고 밝혔다.

- ㅇ 수소 발전량은 연 1,300 기가와트시 규모로 시작한다.
""",
        "Clean Hydrogen Power Bidding Market Opens",
        """□ The Ministry of Trade, Industry and Energy announced a bidding market for clean hydrogen power to implement carbon neutrality.

- The market starts with 1,300 gigawatt-hours of hydrogen power a year.
""",
    ),
    (
        "2024-03-20-regulatory-innovation-meeting",
        "meeting-record",
        "opc",
        "규제혁신전략회의 결과",
        """□ 국무조정실은 규제혁신전략회의를 열어 현장 규제 개선 과제를 논의하였다.

- ㅇ 덩어리 규제 50건을 우선 정비하기로 하였다.
""",
        None,
        None,
    ),
    (
        "en:2024-05-02-uk-climate-cooperation-statement",
        "press-release",
        "opc",
        "영국과의 기후협력 공동성명",
        """□ 양국은 2050 탄소중립 목표를 재확인하고 해상풍력 협력을 확대하기로 하였다.
""",
        "Joint Statement on Climate Cooperation with the United Kingdom",
        """□ The two countries reaffirmed their 2050 net zero goals and agreed to expand cooperation on offshore wind.
""",
    ),
]


def files() -> dict[str, str]:
    """The archive as ``{relative path: text}``."""
    out: dict[str, str] = {}
    for raw_id, record_type, office, ko_title, ko_body, en_title, en_body in RECORDS:
        original = "en" if raw_id.startswith("en:") else "ko"
        record_id = raw_id.removeprefix("en:")
        folder = f"records/{record_id[:4]}/{record_id}"
        ko_name, en_name = OFFICES[office]
        out[f"{folder}/record.yml"] = (
            f"id: {record_id}\ntype: {record_type}\ndate: {record_id[:10]}\ntimezone: Asia/Seoul\n"
            f"office:\n  id: {office}\n  ko: {ko_name}\n  en: {en_name}\noriginal_language: {original}\nillustrative: true\n"
        )
        for language, title, body in (("ko", ko_title, ko_body), ("en", en_title, en_body)):
            if title is None:
                continue
            translation = ""
            if language != original:
                translation = (
                    f"translation:\n  translator: sillok test suite\n  method: human\n"
                    f"  date: {record_id[:10]}\n  from: {original}\n"
                )
            out[f"{folder}/{language}.md"] = f"---\ntitle: {title}\n{translation}---\n\n{body}"
    return out


def record_ids() -> list[str]:
    return [raw.removeprefix("en:") for raw, *_ in RECORDS]


def write_and_read(root) -> list:
    """Write the archive under ``root`` with ``write_tree``, check it, and return its records (it must be clean)."""
    from helpers.records import write_tree
    from sillok.check.check import check

    write_tree(root, files())
    result = check([root / "records"])
    assert result.problems == [], "\n".join(p.format() for p in result.problems)
    return result.records

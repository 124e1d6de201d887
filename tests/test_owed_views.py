"""What the chase lists show of binding and projects on the shipped data, as of 30 June 2024:
the calendar's binding day on every R agency not bound, "not bound" in words that say what is
counted (its own OKR not bound and its own target not entered), and the projects owed listed
beside the reports on the site's missing page, its agency pages and the brief's owed sheet;
measured where they are seen (Chromium at 390 and 1280 px, the brief printed by LibreOffice)."""

from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from browser import Browser, open_browser
from office import convert, pdftotext_or_skip, soffice_or_skip

from helpers import SHIPPED, run

AS_OF = "2024-06-30"
JUNE = ("--data", str(SHIPPED), "--as-of", AS_OF)


def text_of(fragment: str) -> str:
    """A fragment of HTML as a reader sees its words."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return words.replace(" :", ":").replace(" ,", ",").replace(" )", ")")


def items_of(fragment: str) -> list[str]:
    return [text_of(li) for li in re.findall(r"<li>(.*?)</li>", fragment, re.S)]


# --- binding: the calendar's day, and the words -------------------------------------------------


def test_every_r_agency_not_bound_is_due_on_the_calendars_binding_day() -> None:
    code, output = run("missing", *JUNE, "-f", "json")
    assert code == 0, output
    unbound = [i for i in json.loads(output)["items"] if i["reason"] == "not-bound"]
    assert len(unbound) == 50
    # 45 days after 1 October 2023 (data/agencies/calendar.yaml): 228 days before 30 June 2024
    assert {(i["policy"], i["owed"], i["due"], i["days_overdue"]) for i in unbound} == {
        ("env-waste-points", None, "2023-11-15", 228)
    }


def test_not_bound_says_both_what_is_missing_in_thai_and_english() -> None:
    args = ("missing", *JUNE, "-a", "bang-rak", "--policy", "env-waste-points", "-f", "markdown")
    code, en = run(*args, "--lang", "en")
    assert code == 0, en
    assert en.splitlines()[-1] == (
        "| Bang Rak (1) | South Bangkok | not bound (own OKR and target not entered): Central "
        "waste points in housing estates | Environment Department | 15 Nov 2023 · 228 days "
        "overdue |"
    )
    code, th = run(*args)
    assert th.splitlines()[-1] == (
        "| บางรัก (1) | กรุงเทพใต้ | ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมาย): "
        "จุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร | สำนักสิ่งแวดล้อม | 15 พ.ย. 2566 · เกินกำหนด 228 วัน |"
    )
    code, brief = run("brief", "--host", "env", *JUNE, "--lang", "en")
    assert [line.split(" (50): ")[0] for line in brief.splitlines() if "(50): " in line] == [
        "**R agencies not bound (own OKR not bound to the key result and own target not entered)**"
    ]
    code, brief = run("brief", "--host", "env", *JUNE)
    assert [line.split(" (50): ")[0] for line in brief.splitlines() if "(50): " in line] == [
        "**หน่วยงาน R ที่ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนกับตัวชี้วัดและกรอกค่าเป้าหมายของตน)**"
    ]


# --- the site -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "s"
    code, output = run("site", "-o", str(folder), "--as-of", AS_OF, "-d", str(SHIPPED))
    assert code == 0, output
    return folder


def test_the_missing_page_lists_the_projects_owed_by_due_day_beside_the_reports(
    site: Path,
) -> None:
    page = (site / "missing.html").read_text(encoding="utf-8")
    toc = page[page.index('<nav class="toc"') :].split("</nav>")[0]
    assert items_of(toc) == [
        "ยังไม่ถึงกำหนด: กำหนดส่งวันที่ 5 กรกฎาคม 2567 (อีก 5 วัน) Not due yet: due on 5 July 2024 "
        "(in 5 days): 256",
        "ยังไม่ถึงกำหนด: กำหนดส่งวันที่ 10 กรกฎาคม 2567 (อีก 10 วัน) Not due yet: due on 10 July "
        "2024 (in 10 days): 3",
        "ยังไม่ผูก OKR: กำหนดผูกวันที่ 15 พฤศจิกายน 2566 (228 วันที่แล้ว) Not bound: due on 15 "
        "November 2023, 228 days ago: 50",
    ]
    groups = re.findall(
        r'<section class="due-group" id="due-\d".*?</h2>\s*<p>(.*?)</p>', page, re.S
    )
    assert [text_of(g) for g in groups] == [
        "250 รายงาน 250 reports, 6 โครงการ 6 projects: รายงานงวด 2567-06 the report for 2567-06",
        "3 โครงการ 3 projects: รายงานงวด FY2567-Q3 the report for FY2567-Q3",
        "หน่วยงานสนับสนุนที่ยังไม่ได้ผูก OKR ของตนกับตัวชี้วัดและกรอกค่าเป้าหมายของตน Supporters that "
        "have not bound their own OKR to the key result and entered their own target.",
    ]
    quarter = page[page.index('id="due-2"') : page.index('id="due-3"')]
    assert items_of(quarter) == [
        "โครงการ project ผลิตกล้าไม้และไม้ยืนต้นในเรือนเพาะชำ สสล. Grow saplings and perennial "
        "trees in the department's nurseries (รายงานงวด FY2567-Q3 the report for FY2567-Q3)",
        "โครงการ project ปลูกไม้พุ่มเป็นกำแพงกรองฝุ่นริมถนนสายหลัก Plant shrub dust-filter walls "
        "along main roads (รายงานงวด FY2567-Q3 the report for FY2567-Q3)",
        'โครงการ project โครงการไม่เทรวม: แยกเศษอาหารจากขยะทั่วไป "Don\'t mix": keep food waste '
        "out of general waste (รายงานงวด FY2567-Q3 the report for FY2567-Q3)",
    ]
    # each project links to its row on its policy page
    links = re.findall(r'href="policies/([a-z0-9-]+)\.html#(project-[a-z0-9-]+)"', quarter)
    assert links == [
        ("env-trees", "project-env-trees-nursery"),
        ("env-trees", "project-env-trees-dust-walls"),
        ("env-waste-separation", "project-env-waste-mai-te-ruam"),
    ]
    for policy, anchor in links:
        target = (site / "policies" / f"{policy}.html").read_text(encoding="utf-8")
        assert f'<tr id="{anchor}">' in target


def test_an_agency_page_lists_its_projects_owed_with_their_due_days(site: Path) -> None:
    page = (site / "agencies/env.html").read_text(encoding="utf-8")
    owed = page[page.index('<ul class="owed">') :].split("</ul>")[0]
    shown = items_of(owed)
    assert len(shown) == 7
    assert shown[0] == (
        "ยังไม่ถึงกำหนดส่งงวด 2567-06 not due yet for 2567-06: จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้าน"
        "จัดสรร Central waste points set up in housing estates กำหนดส่ง 5 ก.ค. 2567 due on 5 Jul "
        "2024 · อีก 5 วันถึงกำหนด due in 5 days"
    )
    assert shown[2] == (
        "โครงการยังไม่ถึงกำหนดส่งงวด FY2567-Q3 project not due yet for FY2567-Q3: ผลิตกล้าไม้และ"
        "ไม้ยืนต้นในเรือนเพาะชำ สสล. Grow saplings and perennial trees in the department's "
        "nurseries กำหนดส่ง 10 ก.ค. 2567 due on 10 Jul 2024 · อีก 10 วันถึงกำหนด due in 10 days"
    )
    assert [s.split(":")[0] for s in shown[1:]] == [
        "โครงการยังไม่ถึงกำหนดส่งงวด 2567-06 project not due yet for 2567-06",
        "โครงการยังไม่ถึงกำหนดส่งงวด FY2567-Q3 project not due yet for FY2567-Q3",
        "โครงการยังไม่ถึงกำหนดส่งงวด FY2567-Q3 project not due yet for FY2567-Q3",
        "โครงการยังไม่ถึงกำหนดส่งงวด 2567-06 project not due yet for 2567-06",
        "โครงการยังไม่ถึงกำหนดส่งงวด 2567-06 project not due yet for 2567-06",
        "โครงการยังไม่ถึงกำหนดส่งงวด FY2567-Q3 project not due yet for FY2567-Q3",
    ]
    district = (site / "agencies/phra-nakhon.html").read_text(encoding="utf-8")
    owed = district[district.index('<ul class="owed">') :].split("</ul>")[0]
    assert items_of(owed)[-1] == (
        "ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมาย) not bound (own OKR and target not "
        "entered): จุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร Central waste points in housing estates "
        "กำหนดส่ง 15 พ.ย. 2566 due on 15 Nov 2023 · เกินกำหนด 228 วัน 228 days overdue"
    )


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with open_browser() as browser:
        yield browser


#: Each project line of the missing page: its box, its mark's box and the mark's line height.
PROJECT_LINES = """() => Array.from(document.querySelectorAll('.owed li')).filter(
  li => li.querySelector('.kind')).map(li => {
    const r = li.getBoundingClientRect(), k = li.querySelector('.kind').getBoundingClientRect();
    const a = li.querySelector('a').getClientRects()[0];
    return {left: r.left, right: r.right, kLeft: k.left, kRight: k.right, kTop: k.top,
            kHeight: k.height, line: parseFloat(getComputedStyle(li).lineHeight),
            aTop: a.top, width: window.innerWidth,
            overflow: document.scrollingElement.scrollWidth - window.innerWidth};
  })"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_project_lines_fit_the_window_and_their_mark_sits_on_one_line(
    site: Path, chromium: Browser, width: int
) -> None:
    with chromium.open(site / "missing.html", width=width) as tab:
        lines = tab.page.evaluate(PROJECT_LINES)
    assert len(lines) == 9
    for m in lines:
        assert m["overflow"] <= 0
        assert m["left"] >= 0 and m["right"] <= m["width"]
        assert m["left"] <= m["kLeft"] and m["kRight"] <= m["right"]
        # the mark is one line of text, and the title starts on the mark's line
        assert m["kHeight"] <= m["line"] * 1.2
        assert abs(m["aTop"] - m["kTop"]) < m["line"]


# --- the brief's owed sheet -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def brief_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief") / "brief-en.xlsx"
    code, output = run("brief", "--host", "env", *JUNE, "--lang", "en", "-o", str(path))
    assert code == 0, output
    return path


def test_the_briefs_owed_sheet_lists_the_projects_owed_beside_the_reports(brief_en: Path) -> None:
    ws = openpyxl.load_workbook(brief_en)["Owed"]
    rows = [[c.value for c in row] for row in ws.iter_rows(max_col=7)]
    assert [r[0] for r in rows[:3]] == [
        "Follow-up brief: Environment Department (H)",
        "Reports missing for 2567-06: 1; R agencies not bound: 50",
        "Projects of these policies not reported: 6",
    ]
    head = next(i for i, r in enumerate(rows) if r[0] == "Agency")
    assert rows[head][:3] == ["Agency", "What is owed", "Key result or project"]
    env = "Environment Department"
    late = "project not reported for 2567-06"
    assert [(r[1], r[2], r[4], r[6]) for r in rows[head + 1 : head + 8]] == [
        (late, "Build and upgrade 15-minute parks, FY 2567", "5 Jul 2024 · due in 5 days", "env-parks-15min-build-2567"),
        (late, "Grow saplings and perennial trees in the department's nurseries", "10 Jul 2024 (FY2567-Q3) · due in 10 days", "env-trees-nursery"),
        (late, "Plant shrub dust-filter walls along main roads", "10 Jul 2024 (FY2567-Q3) · due in 10 days", "env-trees-dust-walls"),
        (late, "Re-plan district collection routes and rounds", "5 Jul 2024 · due in 5 days", "env-waste-collection-routes"),
        ("no report for 2567-06", "Central waste points set up in housing estates", "5 Jul 2024 · due in 5 days", "env-waste-points-set"),
        (late, "Agreements with housing-estate juristic persons", "5 Jul 2024 · due in 5 days", "env-waste-points-estates-mou"),
        ("not bound (own OKR and target not entered)", "Central waste points in housing estates", "15 Nov 2023 · 228 days overdue", "env-waste-points"),
    ]  # fmt: skip
    assert {r[0] for r in rows[head + 1 : head + 7]} == {env}
    assert len(rows) - head - 1 >= 6 + 1 + 50 + 1  # 6 projects, 1 report, 50 not bound, a legend


def test_a_project_row_of_the_owed_sheet_prints_its_reason_on_one_line(brief_en: Path) -> None:
    soffice_or_skip()
    pdftotext = pdftotext_or_skip()
    folder = Path(tempfile.mkdtemp(prefix="okrtool-owed-"))
    (pdf,) = convert([brief_en], folder)
    boxes = subprocess.run(
        [str(pdftotext), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [
        re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', p)
        for p in boxes.split("<page ")[1:]
    ]
    # the owed sheet's first page: the one with the projects' count under the title
    owed = [words for words in pages if ("these", "policies") in _pairs(words)]
    assert len(owed) == 1
    words = owed[0]
    # "project not reported for 2567-06" on one line: its five words at one height
    starts = [
        i for i, (_, w) in enumerate(words[:-4]) if (w, words[i + 1][1]) == ("project", "not")
    ]
    assert len(starts) == 5  # the first five project rows (the sixth, of another policy, later)
    for i in starts:
        line = words[i : i + 5]
        assert [w for _, w in line] == ["project", "not", "reported", "for", "2567-06"]
        assert len({y for y, _ in line}) == 1


def _pairs(words: list[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(a[1], b[1]) for a, b in itertools.pairwise(words)}

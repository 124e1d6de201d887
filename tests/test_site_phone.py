"""The site on a phone (390 px) and a desk (1280 px), measured in headless Chromium, and the
labels that make it honest and shareable: estimated figures marked, due and overdue told apart,
meta and Open Graph tags, a skip link, CSVs Excel reads as Thai, the data's licence.

The site of the shipped data is built once for the module by the real CLI (``okrtool site -o DIR
--as-of 2024-06-30``); each kind of page is measured on a sample (PAGES), not all 291.

With OKRTOOL_SCREENSHOTS=docs/img the README's screenshots are written there (README_SHOTS).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Browser, Tab, blankness, open_browser
from progress_data import key_result, policy, write_dataset

from helpers import SHIPPED, copy_dataset, run

AS_OF = "2024-06-30"
PHONE, DESK = 390, 1280
#: a word's width: no table column may be narrower (a Thai word of three letters is ~ 30 px)
WORD = 48
#: one page of each kind
PAGES = {
    "home": "index.html",
    "policy (trees, by quarter)": "policies/env-trees.html",
    "policy (canals, by month)": "policies/infra-canals.html",
    "policy without OKR": "policies/accessible-piers.html",
    "district": "agencies/bang-rak.html",
    "department": "agencies/env.html",
    "missing": "missing.html",
    "data": "data/index.html",
    "policies": "policies/index.html",
    "agencies": "agencies/index.html",
}
README_SHOTS = {
    ("index.html", DESK): "site-home.png",
    ("index.html", PHONE): "site-home-phone.png",
    ("policies/env-trees.html", DESK): "site-policy-trees.png",
    ("agencies/bang-rak.html", PHONE): "site-district-phone.png",
}

#: What a reader's window shows of the page: its width against the window's, every table cell
#: drawn (a visually hidden header row is not), and every chart label as drawn.
MEASURE = """() => {
  const inside = (r) => r.left >= -0.5 && r.right <= window.innerWidth + 0.5;
  const cells = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    const head = cell.closest('thead');
    if (head && head.getBoundingClientRect().width <= 1) continue;
    const r = cell.getBoundingClientRect();
    if (getComputedStyle(cell).display === 'none' || !cell.textContent.trim()) continue;
    cells.push({width: r.width, text: cell.textContent.trim().slice(0, 40), inside: inside(r)});
  }
  const texts = [];
  for (const t of document.querySelectorAll('svg text')) {
    if (getComputedStyle(t).display === 'none') continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    texts.push({px: px, text: t.textContent, inside: inside(t.getBoundingClientRect())});
  }
  return {
    overflow: document.scrollingElement.scrollWidth - window.innerWidth,
    height: document.scrollingElement.scrollHeight,
    cells: cells,
    texts: texts,
  };
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "s"
    code, out = run("site", "-o", str(folder), "--as-of", AS_OF, "-d", str(SHIPPED))
    assert code == 0, out
    return folder


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with open_browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def measured(site: Path, chromium: Browser) -> dict[tuple[str, int], dict[str, Any]]:
    """(page, width) → MEASURE of every page of PAGES at both widths, one window a width."""
    out = {}
    for width in (PHONE, DESK):
        pages = list(PAGES.values())
        with chromium.open(site / pages[0], width=width) as tab:
            for page in pages:
                goto(tab, site / page)
                out[(page, width)] = tab.page.evaluate(MEASURE)
    return out


def goto(tab: Tab, page: Path) -> None:
    tab.page.goto(page.resolve().as_uri(), wait_until="load")
    tab.page.evaluate("() => document.fonts.ready.then(() => true)")


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_no_page_is_wider_than_the_window_and_no_column_is_narrower_than_a_word(
    measured: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    wide = {
        page: m["overflow"] for (page, w), m in measured.items() if w == width and m["overflow"]
    }
    assert wide == {}, f"pages wider than {width} px (by px): {wide}"
    narrow = [
        f"{page}: {cell['width']:.0f} px {cell['text']!r}"
        for (page, w), m in measured.items()
        if w == width
        for cell in m["cells"]
        if cell["width"] < WORD or not cell["inside"]
    ]
    assert narrow == [], f"table cells narrower than {WORD} px or off-screen at {width} px"
    # the sample holds tables of every kind: urgent goals, a district's rows, agencies, trends
    cells = {page: len(m["cells"]) for (page, w), m in measured.items() if w == width}
    assert all(cells[PAGES[k]] for k in ("home", "district", "department", "data"))
    assert cells[PAGES["policy (trees, by quarter)"]] > 100


def test_bang_rak_on_a_phone_is_at_most_three_times_as_tall_as_on_a_desk(
    measured: dict[tuple[str, int], dict[str, Any]],
) -> None:
    phone = measured[(PAGES["district"], PHONE)]["height"]
    desk = measured[(PAGES["district"], DESK)]["height"]
    # before the cards: 17,268 px against 2,594 px (6.7 times)
    assert phone <= 3 * desk, f"Bang Rak: {phone} px at {PHONE} px, {desk} px at {DESK} px"


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_chart_text_is_drawn_at_11_px_or_more_inside_the_window(
    measured: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    charts = [PAGES["policy (trees, by quarter)"], PAGES["policy (canals, by month)"]]
    small = [
        f"{page}: {t['text']!r} at {t['px']:.1f} px"
        for page in charts
        for t in measured[(page, width)]["texts"]
        if t["px"] < 11 or not t["inside"]
    ]
    assert small == []
    drawn = [len(measured[(page, width)]["texts"]) for page in charts]
    # trees: trend charts of 6 and 5 round ticks and 3 quarters, 2 bar charts of 50 districts;
    # canals: 2 trend charts of 6 ticks and 9 months (every third on a phone: 3), 2 bar charts
    # of 51 agencies
    months = 9 if width == DESK else 3
    assert drawn == [(6 + 3) + (5 + 3) + 2 * 50, 2 * (6 + months) + 2 * 51]


def test_each_urgent_goals_status_shows_inside_a_phones_window(
    site: Path, chromium: Browser
) -> None:
    with chromium.open(site / "index.html", width=PHONE) as tab:
        statuses = tab.page.evaluate(
            """() => [...document.querySelectorAll(
                 'section[aria-labelledby=urgent] tr[data-kr] td[data-field=status] b')]
               .map(b => { const r = b.getBoundingClientRect();
                 return [b.closest('tr').dataset.kr, b.innerText.replace(/\\s+/g, ' '),
                         r.width > 0 && r.left >= 0 && r.right <= window.innerWidth]; })"""
        )
    assert statuses == [
        ["env-parks-15min-opened", "เสี่ยง at risk", True],
        ["env-trees-planted", "บรรลุแล้ว done", True],
        ["env-trees-perennial", "ล่าช้า behind", True],
        ["env-waste-collection-buildings", "ล่าช้า behind", True],
        ["env-waste-points-set", "ไม่มีข้อมูล no data", True],
        ["env-waste-separated", "ตามแผน on track", True],
    ]


def test_the_missing_page_says_junes_reports_are_due_on_5_july_2024_not_missing(
    site: Path, chromium: Browser
) -> None:
    with chromium.open(site / "missing.html", width=PHONE) as tab:
        text = tab.text()
    assert (
        "54 agencies: 0 reports overdue, 250 not due yet, 50 not bound และโครงการที่ยังไม่รายงาน 9 "
        "รายการ and 9 projects not reported"
    ) in text
    assert "Not due yet: due on 5 July 2024 (in 5 days)" in text
    assert "ยังไม่ถึงกำหนด: กำหนดส่งวันที่ 5 กรกฎาคม 2567 (อีก 5 วัน)" in text
    assert (
        "250 รายงาน 250 reports, 6 โครงการ 6 projects: รายงานงวด 2567-06 the report for 2567-06"
    ) in text
    assert "missing" not in text.lower().replace("who has not reported", "")


def test_an_overdue_report_says_how_many_days(tmp_path: Path) -> None:
    """As of 10 July 2024 June's reports were due 5 days before: overdue, not 'not due yet'."""
    out = tmp_path / "s"
    code, output = run("site", "-o", str(out), "--as-of", "2024-07-10", "-d", str(SHIPPED))
    assert code == 0, output
    html = (out / "missing.html").read_text(encoding="utf-8")
    assert (
        '<h2 id="due-h-1" class="overdue">เกินกำหนด: ครบกำหนดส่งวันที่ 5 กรกฎาคม 2567 (5 วันที่แล้ว) '
        '<span lang="en" class="en">Overdue: due on 5 July 2024, 5 days ago</span></h2>' in html
    )
    bang_rak = (out / "agencies" / "bang-rak.html").read_text(encoding="utf-8")
    assert (
        '<span class="due overdue">กำหนดส่ง 5 ก.ค. 2567 <span lang="en" class="en">due on '
        "5 Jul 2024</span> · เกินกำหนด 5 วัน "
        '<span lang="en" class="en">5 days overdue</span></span>' in bang_rak
    )


def test_a_card_names_each_figure_by_its_column_on_a_phone(site: Path, chromium: Browser) -> None:
    css = (site / "assets/site.css").read_text(encoding="utf-8")
    assert css.startswith('@charset "UTF-8";\n')
    # written once in the stylesheet, not in each of the cells (a city's district page has
    # hundreds of rows)
    assert '.t-own td:nth-child(8)::before{content:"อันดับในกลุ่มเขต · Place in zone"}' in css
    script = """() => [...document.querySelector('tr[data-kr=env-trees-planted]').cells]
        .map(c => getComputedStyle(c, '::before').content)"""
    with chromium.open(site / "agencies/bang-rak.html", width=PHONE) as tab:
        phone = tab.page.evaluate(script)
    with chromium.open(site / "agencies/bang-rak.html", width=DESK) as tab:
        desk = tab.page.evaluate(script)
    assert phone == [
        "none",
        '"เป้าหมายของตน · Own target"',
        '"ผลงาน · Actual"',
        '"% ของเป้า · % of target"',
        '"ควรได้ · Expected"',
        '"สถานะ · Status"',
        '"งวดล่าสุด · Last period"',
        '"อันดับในกลุ่มเขต · Place in zone"',
    ]
    assert desk == ["none"] * 8


def test_without_a_calendar_the_missing_page_gives_no_due_day_and_says_why(
    tmp_path: Path,
) -> None:
    parks = policy(
        "parks",
        [key_result("parks-opened", 10, allocations={"phra-nakhon": 4, "dusit": 6})],
        supporters=["phra-nakhon", "dusit"],
    )
    root = write_dataset(tmp_path, [parks], {"phra-nakhon": [("parks-opened", "2567-06", 4)]})
    out = tmp_path / "s"
    code, output = run("site", "-o", str(out), "--as-of", AS_OF, "-d", str(root), "--lang", "en")
    assert code == 0, output
    html = (out / "missing.html").read_text(encoding="utf-8")
    assert '<p class="lead">1 agencies: 1 reports not in, 0 not bound</p>' in html
    assert (
        '<p class="muted">No reporting calendar (data/agencies/calendar.yaml), so no due dates '
        "or days overdue.</p>" in html
    )
    assert '<h2 id="due-h-1">Not reported (no due date)</h2>' in html
    assert "overdue</h2>" not in html and "due on" not in html


def test_the_district_page_marks_its_estimated_figures_and_says_what_that_means(
    site: Path,
) -> None:
    html = (site / "agencies" / "bang-rak.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-kr="env-trees-planted">(.*?)</tr>', html, re.S)
    assert row is not None
    assert (
        '<td data-field="actual" data-value="2507">2,507'
        '<span class="est" title="ประมาณการ">ประมาณการ <span lang="en" class="en">est.</span>'
        "</span></td>" in row.group(1)
    )
    # each of its 15 rows with a figure (11; 4 have none reported yet) rests on an estimate
    rows = re.findall(
        r'<tr data-kr="[a-z0-9-]+">.*?data-field="actual" data-value="([^"]*)"', html, re.S
    )
    assert (len(rows), sum(1 for v in rows if v)) == (15, 11)
    assert html.count('<span class="est" ') == 11
    assert (
        '<p class="est-note">ประมาณการ: ตัวเลขนี้สร้างจากค่าประมาณ (เช่น ยอดรวมที่ กทม. เผยแพร่ '
        "แบ่งให้แต่ละเขต) ไม่ใช่ค่าที่หน่วยงานรายงานเอง" in html
    )
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        "18 จาก 19 ตัวชี้วัดสร้างจากค่าประมาณการ "
        '<span lang="en" class="en">18 of 19 key results are built from estimated values</span>'
        in home
    )


def test_trend_charts_have_round_ticks_a_visible_key_and_quarters_for_quarterly_reporters(
    site: Path, chromium: Browser
) -> None:
    with chromium.open(site / "policies/env-trees.html", width=PHONE) as tab:
        figure = tab.page.locator("#env-trees-planted figure.chart").first
        ticks = figure.locator("text.axis").all_text_contents()
        key = figure.locator("ul.key li").all_inner_texts()
        assert figure.locator("ul.key").is_visible()
    assert ticks == [
        "0",
        "50,000",
        "100,000",
        "150,000",
        "200,000",
        "250,000",
        "FY2567-Q1",
        "FY2567-Q2",
        "FY2567-Q3",
    ]
    assert [k.strip() for k in key] == [
        "ผลงาน actual",
        "ที่ควรได้ expected",
        "เป้าหมาย target",
    ]
    # waste separated is reported by quarter: by month it drifted to "at risk" in January,
    # February, April and May between two reports; by quarter it is on track each time
    html = (site / "policies/env-waste-separation.html").read_text(encoding="utf-8")
    section = html[html.index('<table class="trend-table stack t-trend">') :].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>.*?<b class="s-([a-z-]+)">', section)
    assert rows == [
        ("FY2567-Q1", "on-track"),
        ("FY2567-Q2", "on-track"),
        ("FY2567-Q3", "on-track"),
    ]


def test_bars_take_the_colour_of_their_agencys_status(site: Path) -> None:
    html = (site / "policies/infra-canals.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="kr" id="infra-canals-maintained"') :]
    section = section.split("</section>")[0]
    bars = re.findall(r'<rect class="f-([a-z-]+)" x="40.0%"', section)
    statuses = re.findall(
        r'data-field="status" data-value="([a-z-]+)"><b class="s-', section.split("</svg>")[-1]
    )
    assert len(bars) == 51 and bars == statuses  # 50 districts and the host
    css = (site / "assets/site.css").read_text(encoding="utf-8")
    # no band colours left: yellow is "at risk" in every chart and badge
    assert ".f-half-or-more" not in css and ".f-below-half" not in css


def test_every_page_has_a_description_and_open_graph_tags(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 291
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html.split("</head>")[0]
        title = re.search(r"<title>(.*?) · ", head)
        og = dict(re.findall(r'<meta property="og:([a-z:_]+)" content="([^"]*)">', head))
        description = re.search(r'<meta name="description" content="([^"]+)">', head)
        assert title and description, page
        assert og["title"] == title.group(1), page
        assert og["description"] == description.group(1), page
        assert og["type"] == "website" and og["locale"] == "th_TH", page
        assert og["site_name"] == "ความคืบหน้านโยบายกรุงเทพมหานคร", page
        assert '<a class="skip" href="#main">' in html and '<main id="main" tabindex="-1">' in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (
        '<meta name="description" content="ความคืบหน้านโยบายกรุงเทพมหานคร ปีงบประมาณ 2567 '
        "ณ วันที่ 30 มิ.ย. 2567: 19 ตัวชี้วัด: บรรลุแล้ว 1 · ตามแผน 3 · เสี่ยง 2 · ล่าช้า 12 · "
        'ไม่มีข้อมูล 1">' in home
    )


def test_the_skip_link_is_the_first_stop_of_the_tab_key_and_leads_to_the_content(
    site: Path, chromium: Browser
) -> None:
    with chromium.open(site / "agencies/bang-rak.html", width=PHONE) as tab:
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(
            "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
            " return [a.className, a.innerText, r.top >= 0 && r.bottom <= window.innerHeight]; }"
        )
        tab.page.keyboard.press("Enter")
        landed = tab.page.evaluate("() => [location.hash, document.activeElement.id]")
    assert focused == ["skip", "ข้ามไปยังเนื้อหา Skip to the content", True]
    assert landed == ["#main", "main"]


def test_source_urls_are_links(site: Path) -> None:
    html = (site / "policies/env-trees.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(https?://[^"]+)" rel="external noopener">', html)
    assert links and all(f"<code>{url}</code>" in html for url in links)


def test_csvs_start_with_a_byte_order_mark_and_the_data_page_is_in_both_languages(
    site: Path,
) -> None:
    for name in ("key-results", "allocations", "reports", "status"):
        data = (site / "data" / f"{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert not (site / "data" / f"{name}.json").read_bytes().startswith(b"\xef\xbb\xbf")
    reports = (site / "data/reports.csv").read_text(encoding="utf-8-sig").splitlines()
    assert reports[0].startswith("agency,fiscal_year,key_result,period,value,source,note")
    page = (site / "data/index.html").read_text(encoding="utf-8")
    assert "ค่าที่รายงาน: ทุกค่าที่หน่วยงานรายงานในปีงบประมาณที่แสดง ตามที่เก็บใน data/reports/ " in page
    assert '<span lang="en" class="en">Reported values: Every value agencies reported' in page
    assert (
        "ค่าที่รายงาน 1,139 จาก 1,140 ค่าเป็นค่าประมาณการ (คอลัมน์ source = estimated) "
        '<span lang="en" class="en">1,139 of the 1,140 reported values are estimates' in page
    )


def test_the_shipped_data_names_no_licence_and_the_data_page_says_so(site: Path) -> None:
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert "licenses" not in package
    page = (site / "data/index.html").read_text(encoding="utf-8")
    assert (
        '<p class="warning">ยังไม่ได้กำหนดสัญญาอนุญาตของข้อมูลชุดนี้ (ช่อง licence ในโฟลเดอร์ข้อมูล) '
        "ก่อนนำไปใช้ต่อ โปรดสอบถามเจ้าของข้อมูล "
        '<span lang="en" class="en">No licence is set for this data (the licence field in the '
        "data folder): ask the data&#39;s owner before reusing it.</span></p>" in page
    )


def test_a_licence_in_the_data_folder_goes_into_the_datapackage_and_the_data_page(
    tmp_path: Path,
) -> None:
    data = copy_dataset(tmp_path, SHIPPED)
    zones = data / "agencies" / "zones.yaml"
    zones.write_text(
        zones.read_text(encoding="utf-8")
        + "licence:\n  name: CC-BY-4.0\n  title: Creative Commons Attribution 4.0\n"
        "  url: https://creativecommons.org/licenses/by/4.0/\n",
        encoding="utf-8",
    )
    assert run("validate", "-d", str(data))[0] == 0
    out = tmp_path / "s"
    code, output = run("site", "-o", str(out), "--as-of", AS_OF, "-d", str(data))
    assert code == 0, output
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    page = (out / "data/index.html").read_text(encoding="utf-8")
    assert (
        '<p><a href="https://creativecommons.org/licenses/by/4.0/" rel="license external">'
        "Creative Commons Attribution 4.0</a> (CC-BY-4.0)</p>" in page
    )


@pytest.mark.parametrize(("page", "width"), sorted(README_SHOTS))
def test_screenshots_at_phone_and_desk_width_are_drawn(
    site: Path, chromium: Browser, tmp_path: Path, page: str, width: int
) -> None:
    shot = tmp_path / "shot.png"
    with chromium.open(site / page, width=width, height=1600 if width == PHONE else 1000) as tab:
        if page == "policies/env-trees.html":  # its key result, figures and trend chart
            tab.page.evaluate(
                "() => window.scrollTo(0, document.getElementById('env-trees-planted').offsetTop)"
            )
        tab.screenshot(shot)
    drawn = blankness(shot)
    assert not drawn.blank, drawn
    if os.environ.get("OKRTOOL_SCREENSHOTS"):
        folder = Path(os.environ["OKRTOOL_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, folder / README_SHOTS[(page, width)])

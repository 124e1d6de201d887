"""okrtool site: the static site of the shipped data and of small datasets, run through the real
CLI; figures checked against `okrtool status --format json`, open data against its
datapackage.json, links, determinism, hostile titles and the output folder's errors."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from progress_data import key_result, policy, write_dataset

from okrtool.progress import open_dataset

from helpers import SHIPPED, run, run_unprivileged, snapshot, unprivileged_folder

AS_OF = "2024-06-30"
#: the mark of a figure built from an estimated value
EST = '<span class="est" title="ประมาณการ">ประมาณการ <span lang="en" class="en">est.</span></span>'


class Figures(HTMLParser):
    """Every element carrying a figure (data-field + data-value), with the key result and agency
    of it or of its table row; every href and src; the text of the whole page."""

    def __init__(self, agency: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.agency = agency  # an agency page's own agency: its rows are its own figures
        self.figures: list[tuple[str | None, str | None, str, str]] = []
        self.links: list[str] = []
        self.row: dict[str, str | None] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr":
            self.row = a
        for name in ("href", "src"):
            if a.get(name) is not None:
                self.links.append(a[name] or "")
        if "data-field" in a and "data-value" in a:
            owner = a if "data-kr" in a else self.row
            kr, agency = owner.get("data-kr"), owner.get("data-agency")
            if owner is self.row and self.agency:
                agency = self.agency
            self.figures.append((kr, agency, a["data-field"] or "", a["data-value"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.row = {}

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Figures:
    parser = Figures(path.stem if path.parent.name == "agencies" else None)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    code, output = run("site", "-o", str(out), "--as-of", AS_OF, "--data", str(SHIPPED))
    assert code == 0, output
    files = sum(1 for p in out.rglob("*") if p.is_file())
    assert output == f"wrote {files} files to {out}; open {out / 'index.html'}\n"
    return out


def _raw(x: object) -> str:
    return "" if x is None else str(x)


def test_the_trees_page_shows_218910_against_200000_and_marks_estimates(shipped: Path) -> None:
    page = shipped / "policies" / "env-trees.html"
    html = page.read_text(encoding="utf-8")
    assert "<h1>ปลูกต้นไม้ล้านต้น สร้างพื้นที่สีเขียวและกำแพงกรองฝุ่นทั่วกรุง</h1>" in html
    assert (
        '<dd data-kr="env-trees-planted" data-field="actual" data-value="218910">218,910 '
        '<span lang="en" class="en">218,910</span></dd>'
    ) not in html  # the same text in both languages is written once
    # built from estimated values (each district's is a split of the published total): marked
    assert (
        '<dd data-kr="env-trees-planted" data-field="actual" data-value="218910">218,910'
        f"{EST}</dd>" in html
    )
    assert (
        '<dd data-kr="env-trees-planted" data-field="target" data-value="200000">200,000 ต้น '
        '<span lang="en" class="en">200,000 trees</span></dd>' in html
    )
    assert 'data-field="percent" data-value="109.455">109.5 %</dd>' in html
    # each of the 50 districts' figures on trees planted is estimated, and says so
    section = html[html.index('<section class="kr" id="env-trees-planted"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r'<tr data-kr="env-trees-planted" data-agency="([a-z-]+)">(.*?)</tr>', section, re.S
    )
    assert len(rows) == 50
    for _agency, row in rows:
        assert EST in row
        assert (
            '<span class="src src-estimated">ประมาณการ <span lang="en" class="en">estimated</span></span>'
            in row
        )
    dusit = dict(rows)["dusit"]
    assert 'data-field="target" data-value="2650">2,650</td>' in dusit
    assert f'data-field="actual" data-value="2588">2,588{EST}</td>' in dusit
    assert (
        'ตัวเลขของหน่วยงาน <span lang="en" class="en">Agencies&#39; figures</span>: '
        '<span class="src src-estimated">ประมาณการ <span lang="en" class="en">estimated</span></span> 50'
        in section
    )
    # the trend ends at the status row; its table is the chart's text alternative; the trees
    # are reported by quarter, so the trend is by quarter (no month between two reports)
    assert (
        '<tr><th scope="row">FY2567-Q3</th><td class="n">'
        f'218,910{EST}</td><td class="n">149,727</td>' in section
    )
    assert re.findall(r'<th scope="row">([^<]+)</th>', section)[:3] == [
        "FY2567-Q1",
        "FY2567-Q2",
        "FY2567-Q3",
    ]
    assert (
        '<svg class="trend" width="100%" height="240" role="img" '
        'aria-labelledby="t-env-trees-planted d-env-trees-planted">' in section
    )
    # the notes the districts typed, and the projects bound with their status
    assert "<q>split of published total (BRIEF June 2024)</q>" in section
    assert "ปลูกไม้พุ่มเป็นกำแพงกรองฝุ่นริมถนนสายหลัก" in html
    assert (
        '<span class="pstatus p-done">เสร็จแล้ว <span lang="en" class="en">done</span></span>' in html
    )


def test_every_figure_on_every_page_is_the_status_rows_own(shipped: Path) -> None:
    status = json.loads(run("status", "--as-of", AS_OF, "-d", str(SHIPPED), "-f", "json")[1])
    by_agency = json.loads(
        run("status", "--as-of", AS_OF, "-d", str(SHIPPED), "--by", "agency", "-f", "json")[1]
    )
    city = {r["key_result"]: r for r in status["rows"]}
    own = {
        (t["key_result"]["key_result"], r["agency"]): r
        for t in by_agency["tables"]
        for r in t["rows"]
    }
    checked = 0
    shown: set[str | None] = set()
    for page in sorted(shipped.rglob("*.html")):
        for kr, agency, field, value in parse(page).figures:
            expected = own[(kr, agency)] if agency else city[kr]
            assert value == _raw(expected[field]), (page, kr, agency, field)
            checked += 1
            shown.add(kr)
    assert shown == set(city) and len(city) == 19
    assert checked == 6260  # the shipped data's: 19 key results, 755 agencies' own rows


def test_the_home_page_counts_every_key_result_by_status(shipped: Path) -> None:
    html = (shipped / "index.html").read_text(encoding="utf-8")
    assert '<html lang="th">' in html
    assert "74.9 %" in html
    assert '30 มิ.ย. 2567 <span lang="en" class="en">30 Jun 2024</span>' in html
    all_counts = html[html.index('<section aria-labelledby="all">') :].split("</section>")[0]
    assert re.findall(r"<b>(\d+)</b>", all_counts) == ["1", "3", "2", "12", "1"]
    infra = html[html.index('id="group-infrastructure"') :].split("</article>")[0]
    assert re.findall(r"<b>(\d+)</b>", infra) == ["0", "0", "1", "7", "0"]
    # the urgent goals come first, before the groups and dimensions
    assert html.index('id="urgent"') < html.index('id="groups"') < html.index('id="dimensions"')


@pytest.mark.parametrize(("kind", "option"), [("group", "--group"), ("dimension", "--dimension")])
def test_each_group_and_dimension_counts_what_status_counts(
    shipped: Path, kind: str, option: str
) -> None:
    html = (shipped / "index.html").read_text(encoding="utf-8")
    cards = re.findall(
        rf'<article class="card" id="{kind}-([a-z0-9-]+)">(.*?)</article>', html, re.S
    )
    assert len(cards) == (3 if kind == "group" else 11)
    for ident, card in cards:
        doc = json.loads(
            run("status", option, ident, "--as-of", AS_OF, "-d", str(SHIPPED), "-f", "json")[1]
        )
        counts = doc["header"]["counts"]
        assert re.findall(r"<b>(\d+)</b>", card) == [str(n) for n in counts.values()], ident
        assert (
            f"<p>{doc['header']['key_results']} ตัวชี้วัด" in card
            or f"· {doc['header']['key_results']} ตัวชี้วัด" in card
        )


def test_agency_pages_show_own_figures_place_in_zone_and_what_is_owed(shipped: Path) -> None:
    html = (shipped / "agencies" / "dusit.html").read_text(encoding="utf-8")
    assert '<h1>ดุสิต <span lang="en" class="en">Dusit</span></h1>' in html
    row = re.search(r'<tr data-kr="env-trees-planted">(.*?)</tr>', html, re.S)
    assert row is not None
    # Dusit is at 97.7 % of its own target, 6th of the 9 central districts (status --by district)
    assert '<td data-field="place">6/9</td>' in row.group(1)
    env = (shipped / "agencies" / "env.html").read_text(encoding="utf-8")
    hosts = env[env.index('id="hosts"') :].split("</section>")[0]
    assert '<a href="../policies/env-trees.html">' in hosts


def test_the_missing_page_is_the_chase_list(shipped: Path) -> None:
    chase = json.loads(run("missing", "--as-of", AS_OF, "-d", str(SHIPPED), "-f", "json")[1])
    html = (shipped / "missing.html").read_text(encoding="utf-8")
    h = chase["header"]
    assert (
        f"<h1>ใครยังไม่รายงาน งวด {h['period']} "
        f'<span lang="en" class="en">Who has not reported for {h["period"]}</span></h1>'
    ) in html
    # June's reports are due on 5 July: as of 30 June none is overdue, and none is "missing"
    assert (h["overdue"], h["no_report"], h["not_bound"]) == (0, 250, 50)
    # the page chases values, bindings and projects (9, of 4 agencies, 2 of them with no value)
    values = {i["agency"] for i in chase["items"] if i["reason"] != "no-project-report"}
    assert (len(values), h["agencies"], h["no_project_report"]) == (52, 54, 9)
    assert (
        "54 agencies: 0 reports overdue, 250 not due yet, 50 not bound</span> "
        'และโครงการที่ยังไม่รายงาน 9 รายการ <span lang="en" class="en">and 9 projects not reported'
    ) in html
    assert (
        "ยังไม่ถึงกำหนด: กำหนดส่งวันที่ 5 กรกฎาคม 2567 (อีก 5 วัน) "
        '<span lang="en" class="en">Not due yet: due on 5 July 2024 (in 5 days)</span>' in html
    )
    assert "missing" not in html.split("<main")[1].split("</main>")[0]
    sections = re.findall(r'<section class="owed"(?: id="([a-z0-9-]+)")?>', html)
    in_order = list(
        dict.fromkeys(i["agency"] for i in chase["items"] if i["reason"] == "no-report")
    )
    assert sections[: len(in_order)] == in_order


def test_open_data_is_described_by_its_datapackage(shipped: Path) -> None:
    package = json.loads((shipped / "data" / "datapackage.json").read_text(encoding="utf-8"))
    values = sum(
        len(f.read_text(encoding="utf-8").splitlines()) - 1
        for f in (SHIPPED / "reports").rglob("*.csv")
    )
    assert values == 1140
    assert package["name"] == "okrtool-progress"
    paths = sorted(r["path"] for r in package["resources"])
    on_disk = sorted(p.name for p in (shipped / "data").iterdir() if p.suffix in (".csv", ".json"))
    assert paths == [p for p in on_disk if p != "datapackage.json"]
    for resource in package["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert all(
            f["type"] in ("string", "integer", "number") for f in resource["schema"]["fields"]
        )
        text = (shipped / "data" / resource["path"]).read_text(encoding="utf-8")
        if resource["format"] == "csv":
            # a byte-order mark first, so that Excel reads the Thai as UTF-8
            assert text.startswith("\ufeff")
            text = text[1:]
            assert resource["mediatype"] == "text/csv"
            records = list(csv.DictReader(io.StringIO(text)))
            assert list(records[0]) == fields
        else:
            assert resource["mediatype"] == "application/json"
            records = json.loads(text)
            assert list(records[0]) == fields
        if resource["name"].startswith("reports"):
            assert len(records) == values
    reports = list(
        csv.DictReader(
            io.StringIO((shipped / "data" / "reports.csv").read_text(encoding="utf-8-sig"))
        )
    )
    dusit = [
        r for r in reports if r["agency"] == "dusit" and r["key_result"] == "env-trees-planted"
    ]
    assert [(r["period"], r["value"], r["source"]) for r in dusit] == [
        ("FY2567-Q1", "624", "estimated"),
        ("FY2567-Q2", "930", "estimated"),
        ("FY2567-Q3", "1034", "estimated"),
    ]


def test_no_page_links_or_loads_anything_absolute(shipped: Path) -> None:
    pages = sorted(shipped.rglob("*.html"))
    ds, _ = open_dataset(SHIPPED)
    assert len(ds.policies) == 217 and len(ds.agencies) == 69
    assert len(pages) == len(ds.policies) + len(ds.agencies) + 5
    # the one kind of link that leaves the site: a policy's sources, each to its own address
    sources = {s.url for p in ds.policies.values() for s in p.sources if s.url}
    left = set()
    for page in pages:
        for link in parse(page).links:
            if link in sources:
                left.add(link)
                continue
            assert not re.match(r"^([a-z][a-z0-9+.-]*:|//|/)", link, re.I), (page, link)
            target = link.split("#")[0]
            if target:
                assert (page.parent / target).is_file(), (page, link)
    assert left == {u for u in sources if u.startswith(("https://", "http://"))}
    css = (shipped / "assets" / "site.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_the_same_data_and_day_give_the_same_bytes(shipped: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("site", "-o", str(again), "--as-of", AS_OF, "-d", str(SHIPPED))[0] == 0
    assert snapshot(again) == snapshot(shipped)
    # and a second run over its own output replaces it whole
    (again / "stray.html").write_text("old", encoding="utf-8")
    assert run("site", "-o", str(again), "--as-of", AS_OF, "-d", str(SHIPPED))[0] == 0
    assert snapshot(again) == snapshot(shipped)


def test_hostile_titles_render_as_text(tmp_path: Path) -> None:
    script = "<script>alert(1)</script>"
    img = '"><img src=x onerror=alert(1)>'
    hostile = policy(
        "hostile",
        [key_result("hostile-kr", 100, allocations={"dusit": 100}, title_en=img)],
        supporters=["dusit"],
    )
    hostile["title_th"] = script
    hostile["title_en"] = img
    root = write_dataset(tmp_path, [hostile], {"dusit": [("hostile-kr", "2567-03", 40)]})
    out = tmp_path / "site"
    code, output = run("site", "-o", str(out), "--as-of", AS_OF, "-d", str(root))
    assert code == 0, output
    for page in sorted(out.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html, page
    html = (out / "policies" / "hostile.html").read_text(encoding="utf-8")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert '<p class="subtitle" lang="en">&#34;&gt;&lt;img src=x onerror=alert(1)&gt;</p>' in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · " in html


def test_a_small_dataset_in_english(tmp_path: Path) -> None:
    p = policy(
        "parks",
        [key_result("parks-opened", 10, allocations={"phra-nakhon": 4, "dusit": 6})],
        supporters=["phra-nakhon", "dusit"],
        urgent=True,
    )
    root = write_dataset(
        tmp_path,
        [p],
        {
            "phra-nakhon": [("parks-opened", "2567-06", 4)],
            "dusit": [("parks-opened", "2567-03", 1)],
        },
    )
    out = tmp_path / "site"
    assert run("site", "-o", str(out), "--as-of", AS_OF, "-d", str(root), "--lang", "en")[0] == 0
    html = (out / "policies" / "parks.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and 'lang="en" class="en"' not in html
    assert '<dd data-kr="parks-opened" data-field="actual" data-value="5">5</dd>' in html
    assert '<dd data-kr="parks-opened" data-field="target" data-value="10">10 things</dd>' in html
    assert '<dd data-kr="parks-opened" data-field="reported">1/2 · 1 stale</dd>' in html
    assert '<span class="src src-manual">typed in</span> 2' in html
    dusit = (out / "agencies" / "dusit.html").read_text(encoding="utf-8")
    assert 'data-field="place">2/2</td>' in dusit
    # the small dataset has no reporting calendar: no due day, so a report not in is "no report"
    assert "no report for 2567-06 (last reported 2567-03)" in dusit
    phra = (out / "agencies" / "phra-nakhon.html").read_text(encoding="utf-8")
    assert 'data-field="place">1/2</td>' in phra
    assert "<p>Nothing missing</p>" in phra
    th = tmp_path / "th"
    assert run("site", "-o", str(th), "--as-of", AS_OF, "-d", str(root), "--lang", "th")[0] == 0
    assert 'lang="en"' not in (th / "policies" / "parks.html").read_text(encoding="utf-8")


def test_an_output_folder_that_is_not_a_site_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("keep me", encoding="utf-8")
    code, out = run("site", "-o", str(mine), "--as-of", AS_OF, "-d", str(SHIPPED))
    assert code == 2
    assert out == (
        f"okrtool: --output {mine}: the folder holds 1 entry and no .okrtool-site (not a folder "
        "okrtool wrote); give an empty or new folder, or --force to replace it\n"
    )
    assert (mine / "thesis.txt").read_text(encoding="utf-8") == "keep me"
    a_file = tmp_path / "file.html"
    a_file.write_text("x", encoding="utf-8")
    code, out = run("site", "-o", str(a_file), "--as-of", AS_OF, "-d", str(SHIPPED))
    assert (code, out) == (
        2,
        f"okrtool: --output {a_file}: not a folder; expected a folder to write into\n",
    )
    code, out = run("site", "-o", str(mine), "--as-of", AS_OF, "-d", str(SHIPPED), "--force")
    assert code == 0 and not (mine / "thesis.txt").exists() and (mine / "index.html").is_file()


def test_the_site_never_replaces_the_data_or_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dataset(tmp_path, [policy("parks", [key_result("parks-opened", 10)])])
    before = snapshot(tmp_path)
    code, out = run("site", "-o", str(tmp_path), "--as-of", AS_OF, "-d", str(root), "--force")
    assert (code, out) == (
        2,
        f"okrtool: --output {tmp_path}: replacing it would remove the data folder {root}/; give "
        "a folder of its own, like --output public\n",
    )
    monkeypatch.chdir(root)
    code, out = run("site", "-o", ".", "--as-of", AS_OF, "-d", str(root), "--force")
    assert (code, out) == (
        2,
        "okrtool: --output .: the data folder, where only import-reports writes; write elsewhere\n",
    )
    assert snapshot(tmp_path) == before


def test_an_unwritable_output_folder_is_a_usage_error() -> None:
    """A folder the user may not write in: one line, exit 2, nothing written."""
    shared = unprivileged_folder()  # run as uid 65534: root (CI) writes anywhere
    try:
        data = shutil.copytree(SHIPPED, shared / "data")
        locked = shared / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        code, out = run_unprivileged(
            "site", "-o", str(locked / "site"), "--as-of", AS_OF, "-d", str(data)
        )
        assert code == 2, out
        assert out == (
            f"okrtool: --output {locked / 'site'}: cannot write in the folder {locked}/ "
            "(permission denied); write elsewhere\n"
        )
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_a_bad_data_folder_or_day_exits_2_with_one_line(tmp_path: Path) -> None:
    code, out = run("site", "-o", str(tmp_path / "s"), "--as-of", "June", "-d", str(SHIPPED))
    assert code == 2 and out.count("\n") == 1 and "expected YYYY-MM-DD" in out
    assert not (tmp_path / "s").exists()


def test_help_does_not_import_jinja2() -> None:
    code = (
        "import sys, okrtool.cli; "
        "print(sorted(m for m in ('jinja2', 'markupsafe', 'okrtool.site.build') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    assert out.strip() == "[]"

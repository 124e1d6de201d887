"""`okrtool handbook`: an agency's Action Plan handbook in Markdown, xlsx and HTML, checked against
the policy YAML read here on its own (not through okrtool's loader)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import yaml

from helpers import SHIPPED, copy_dataset, edit, run, run_unprivileged, unprivileged_folder

AS_OF = "2024-06-30"
NO_OWN_TARGET = "ไม่มีเป้าหมายของตนในตัวชี้วัดนี้ / No own target here"


def _policies() -> list[dict]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((SHIPPED / "policies").rglob("*.yaml"))
    ]


def _zone(district: str) -> str:
    doc = yaml.safe_load((SHIPPED / "agencies/districts.yaml").read_text(encoding="utf-8"))
    return next(d["zone"] for d in doc["districts"] if d["id"] == district)


def _key_results(policy: dict, year: int = 2567) -> list[dict]:
    out = []
    for okr in policy.get("okrs") or []:
        if okr["fiscal_year"] == year:
            for kr in okr["key_results"]:
                out += [kr, *kr.get("sub_targets", [])]
    return out


def _shown(kr: dict, x: float) -> str:
    text = f"{int(x):,}" if x == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{text} %" if kr["unit"] == "percent" else text


def expected_supported(agency: str) -> dict[str, dict[str, float | None]]:
    """policy id → key result id → the agency's own target (None: not bound), for every policy
    of FY 2567 in which the agency is R: named, through all-districts or through its zone."""
    entries = {agency, "all-districts", f"zone:{_zone(agency)}"}
    out = {}
    for policy in _policies():
        krs = _key_results(policy)
        if krs and policy.get("host") != agency and entries & set(policy.get("supporters", [])):
            out[policy["id"]] = {kr["id"]: kr.get("allocations", {}).get(agency) for kr in krs}
    return out


def handbook(*args: str) -> tuple[int, str]:
    return run("handbook", "--data", str(SHIPPED), "--as-of", AS_OF, *args)


def test_bang_rak_lists_every_policy_it_supports_with_its_own_targets() -> None:
    expected = expected_supported("bang-rak")
    assert len(expected) == 13
    code, out = handbook("--agency", "bang-rak")
    assert code == 0, out
    lines = out.splitlines()
    assert (
        lines[0] == "# คู่มือปฏิบัติงาน ปีงบประมาณ 2567 — บางรัก / Action Plan handbook, FY 2567 — Bang Rak"
    )
    shown = [
        line.split(" · ")[0].rsplit("(", 1)[1].rstrip(")")
        for line in lines
        if line.startswith("#### ")
    ]
    assert sorted(shown) == sorted(expected)
    krs = {kr["id"]: kr for p in _policies() for kr in _key_results(p)}
    own = {}
    for line in lines:
        if line.startswith("| ") and "] |" in line:
            cells = line.strip("| ").split(" | ")
            own[cells[0].rsplit("[", 1)[1].rstrip("]")] = cells[4]
    want = {
        kr: NO_OWN_TARGET if target is None else _shown(krs[kr], target)
        for targets in expected.values()
        for kr, target in targets.items()
    }
    assert own == want
    assert own["env-trees-planted"] == "2,320"
    assert own["mgmt-budget-disbursed"] == "95 %"
    assert own["env-waste-points-set"] == NO_OWN_TARGET
    assert "ไม่มีนโยบายที่เป็นหน่วยงานรับผิดชอบหลัก / No policy hosted." in lines


def test_a_host_lists_every_agency_s_own_target_and_frequency() -> None:
    code, out = handbook("--agency", "env", "--lang", "en")
    assert code == 0, out
    trees = next(p for p in _policies() if p["id"] == "env-trees")
    planted = _key_results(trees)[0]
    table = out.split("Each agency's own target / เป้าหมายของแต่ละหน่วยงาน: Trees planted", 1)[1]
    rows = [line for line in table.split("\n\n", 2)[1].splitlines()[2:]]
    assert len(rows) == len(planted["allocations"]) == 50
    assert rows[0] == (
        "| Phra Nakhon / พระนคร | R | 2,320 | quarterly / รายไตรมาส | "
        "10 days after the period ends / 10 วันหลังสิ้นงวด |"
    )
    assert sum(int(r.split(" | ")[2].replace(",", "")) for r in rows) == planted["target"]
    assert "- Reporting calendar" not in out
    assert out.rstrip().splitlines()[-3:] == [
        "- monthly / รายเดือน: the 5th of the next month / วันที่ 5 ของเดือนถัดไป",
        "- quarterly / รายไตรมาส: 10 days after the period ends / 10 วันหลังสิ้นงวด",
        "- Contact / ติดต่อ: Strategy and Evaluation Department (SED) / "
        "สำนักยุทธศาสตร์และประเมินผล (สยป.)",
    ]


def test_the_workbook_round_trips_with_the_same_figures(tmp_path: Path) -> None:
    out = tmp_path / "bang-rak.xlsx"
    code, text = handbook("--agency", "bang-rak", "-o", str(out))
    assert (code, text) == (0, f"wrote {out}\n")
    wb = openpyxl.load_workbook(out)
    ws = wb["Handbook"]
    # a printed document (issue 17): six columns on the page, every field right of it
    assert ws.freeze_panes == "B5"
    assert ws.auto_filter.ref.startswith("A4:T")
    assert ws.print_area.startswith("'Handbook'!$A$1:$F$")
    assert ws.oddFooter.center.text == "&P / &N"
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    header = [c.value for c in ws[4]]
    policy, kr, own = (
        header.index(h)
        for h in (
            "รหัสนโยบาย\nPolicy id",
            "รหัสผลลัพธ์หลัก\nKey result id",
            "เป้าหมายของหน่วยงาน\nOwn target",
        )
    )
    got, not_bound = {}, []
    for row in ws.iter_rows(min_row=5, values_only=True):
        if row[policy] is not None and row[kr] is None:  # a supporter not bound: no own target
            not_bound.append((row[policy], row[own]))
        elif row[policy] is not None:  # not a policy's heading row
            got.setdefault(row[policy], {})[row[kr]] = row[own]
    assert got == expected_supported("bang-rak")
    # as a supporter, bang-rak's handbook lists its own binding only (the host's lists all 50)
    assert not_bound == [("env-waste-points", None)]
    number = next(r for r in ws.iter_rows(min_row=5) if r[kr].value == "env-trees-planted")
    assert (number[own].value, number[own].number_format) == (2320, "#,##0")


def test_all_writes_one_file_per_agency_that_hosts_or_supports(tmp_path: Path) -> None:
    agencies = set()
    for policy in _policies():
        if not _key_results(policy):
            continue
        agencies.add(policy["host"])
        for entry in policy.get("supporters", []):
            if entry == "all-districts":
                doc = yaml.safe_load((SHIPPED / "agencies/districts.yaml").read_text("utf-8"))
                agencies.update(d["id"] for d in doc["districts"])
            else:
                assert not entry.startswith("zone:")  # none in the shipped data
                agencies.add(entry)
    folder = tmp_path / "books"
    code, out = handbook("--agency", "all", "-o", str(folder), "--format", "html")
    assert (code, out) == (0, f"wrote {len(agencies)} handbooks into {folder}/ (html)\n")
    assert len(agencies) == 59
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{a}.html" for a in agencies)


def test_html_shows_a_hostile_title_as_text(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    edit(
        root / "policies/environment/trees.yaml",
        "title_en: Plant a million trees",
        'title_en: "<script>alert(1)</script> & trees"',
    )
    out = tmp_path / "br.html"
    code, text = run(
        "handbook", "--data", str(root), "-a", "bang-rak", "-o", str(out), "--as-of", AS_OF
    )
    assert code == 0, text
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "ปลูกต้นไม้ล้านต้น / &lt;script&gt;alert(1)&lt;/script&gt; &amp; trees <span" in html
    assert html.startswith('<!DOCTYPE html>\n<html lang="th">')


def test_a_file_already_there_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "br.md"
    out.write_text("an officer's notes\n", encoding="utf-8")
    code, text = handbook("-a", "bang-rak", "-o", str(out))
    assert code == 2
    assert text == (
        f"okrtool: --output {out}: already exists; pass --force to write over it, or write "
        "elsewhere\n"
    )
    assert out.read_text(encoding="utf-8") == "an officer's notes\n"
    code, text = handbook("-a", "bang-rak", "-o", str(out), "--force")
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("# คู่มือปฏิบัติงาน")
    assert [p.name for p in tmp_path.iterdir()] == ["br.md"]  # no temporary file left


def test_an_unwritable_folder_is_a_usage_error() -> None:
    shared = unprivileged_folder()  # run as uid 65534: root (CI) writes anywhere
    try:
        data = shutil.copytree(SHIPPED, shared / "data")
        folder = shared / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        out = folder / "br.md"
        code, text = run_unprivileged("handbook", "-d", str(data), "-a", "bang-rak", "-o", str(out))
        assert (code, text) == (
            2,
            f"okrtool: --output {out}: cannot write in the folder {folder}/ (permission denied); "
            "write elsewhere\n",
        )
        assert list(folder.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_output_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    code, text = handbook("-a", "bang-rak", "-o", str(tmp_path / "no" / "br.md"))
    assert (code, text) == (
        2,
        f"okrtool: --output {tmp_path / 'no' / 'br.md'}: no folder {tmp_path / 'no'}/ to write "
        "into; make it first, or write elsewhere\n",
    )
    code, text = handbook("-a", "bang-rak", "-o", str(tmp_path / "br.pdf"))
    assert (code, text) == (
        2,
        f"okrtool: --output {tmp_path / 'br.pdf'}: found the suffix '.pdf', expected .md, "
        ".xlsx or .html (or, with --agency all, a folder)\n",
    )
    code, text = handbook("-a", "all")
    assert code == 2
    assert text.startswith("okrtool: --agency all writes one file per agency: give a folder")
    code, text = handbook("-a", "bangrak")
    assert code == 2
    assert text.startswith("okrtool: unknown agency 'bangrak'; did you mean 'bang-rak'?")


def test_an_output_inside_a_file_is_a_usage_error(tmp_path: Path) -> None:
    # what root cannot write either: a "folder" that is a file
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    code, text = handbook("-a", "bang-rak", "-o", str(blocker / "br.md"))
    assert (code, text) == (
        2,
        f"okrtool: --output {blocker / 'br.md'}: {blocker} is not a folder; expected a folder "
        "to write into\n",
    )
    code, text = handbook("-a", "all", "-o", str(blocker))
    assert (code, text) == (
        2,
        f"okrtool: --output {blocker}: not a folder; expected a folder to write into\n",
    )


def test_a_title_like_a_formula_stays_text_in_the_workbook(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    edit(
        root / "policies/environment/trees.yaml",
        "title_en: Plant a million trees",
        'title_en: "=HYPERLINK(\\"http://x\\")"',
    )
    out = tmp_path / "env.xlsx"
    code, text = run(
        "handbook", "--data", str(root), "-a", "env", "-o", str(out), "--as-of", AS_OF,
        "--lang", "en",
    )  # fmt: skip
    assert code == 0, text
    ws = openpyxl.load_workbook(out)["Handbook"]
    assert ws["A1"].value == (
        "Action Plan handbook, FY 2567 — Environment Department / คู่มือปฏิบัติงาน "
        "ปีงบประมาณ 2567 — สำนักสิ่งแวดล้อม"
    )
    # the header's two lines, env's projects in English and Thai, then the column names
    assert ws["A3"].value.startswith("Projects: 1 project (")
    assert ws["L6"].value == "Policy (English)\nPolicy"
    cells = [c for c in ws["L"][6:] if c.value is not None]
    assert {c.value for c in cells} == {'=HYPERLINK("http://x")'}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    html = tmp_path / "env.html"
    code, _ = run(
        "handbook", "--data", str(root), "-a", "env", "-o", str(html), "--as-of", AS_OF,
        "--lang", "en",
    )  # fmt: skip
    assert html.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')

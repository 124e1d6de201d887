"""`okrtool import-plan` keeps free text as the officer typed it: titles, objectives, project
titles and the title of the OKR an agency binds are only trimmed, their line ends made "\\n" and
their marks put in Unicode's composed order (NFC); Thai digits, dashes and the spaces inside stay.
Amounts, ids and choices are read as before (Thai digits, commas). Workbooks are made by
`okrtool plan-template` and filled in with openpyxl."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from okrtool.typed import TypedError, free_text

from helpers import SHIPPED, edit, run, snapshot

PETS = "policies/environment/pets-in-parks.yaml"
POINTS = "policies/environment/env-waste-points.yaml"
KR = "env-waste-points-set"
#: ผู้ as typed with the tone mark before the vowel below (it looks the same), and composed
TYPED_PHU = "ผ\u0e49\u0e39"
PHU = "ผ\u0e39\u0e49"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED, root)
    # a host and a mission group, so that the policy may have OKRs
    edit(
        root / PETS,
        "dimension: environment\n",
        "dimension: environment\ngroup: quality-of-life\nhost: env\n",
    )
    return root


def template(data: Path, tmp_path: Path, name: str, *how: str) -> tuple[Path, openpyxl.Workbook]:
    path = tmp_path / name
    code, output = run("plan-template", "--data", str(data), *how, "-o", str(path))
    assert code == 0, output
    return path, openpyxl.load_workbook(path)


def import_plan(data: Path, book: Path, *more: str) -> tuple[int, str]:
    return run("import-plan", "--data", str(data), "--lang", "en", *more, str(book))


def pets_workshop(data: Path, tmp_path: Path) -> tuple[Path, openpyxl.Workbook]:
    """The workshop sheet of pets-in-parks (no OKR yet) with an OKR, two key results and a
    project written as officers type: Thai digits, spaces around, Alt+Enter, a line end pasted
    from Windows (CR LF, which Excel saves as ``_x000D_`` and a line feed), a tone mark typed
    before the vowel below, an é typed as e and an accent, an en dash."""
    book, wb = template(data, tmp_path, "pets.xlsx", "--policy", "pets-in-parks", "--fy", "2568")
    okr = wb["OKR"]
    okr["C6"] = "  สวนสาธารณะ ๑๐ แห่งให้สัตว์เลี้ยงเข้าได้ "
    okr["C7"] = "Parks open to pets_x000D_\nin 2568"
    rows = (
        ("ลดขยะ ๑๐ %", "Waste cut by 10 %", "parks", "๑๐"),
        (f"{TYPED_PHU}ใช้บริการ\nสวน ๒ แห่ง", "Cafe\u0301 visitors – with pets", "people", "๑,๐๐๐"),
    )
    for r, values in enumerate(rows, 10):
        for col, value in zip("CDEGJK", (*values, "cumulative", "sum"), strict=True):
            okr[f"{col}{r}"] = value
    projects = wb["Projects"]
    for col, value in zip(
        "CDEG", ("  โครงการ ๑ ", "Project 1 — signs", "env", "planned"), strict=True
    ):
        projects[f"{col}6"] = value
    return book, wb


#: What the import adds at the end of pets-in-parks.yaml, byte for byte.
PETS_OKR = f"""okrs:
  - id: pets-in-parks-2568
    fiscal_year: 2568
    owner: env
    objective_th: สวนสาธารณะ ๑๐ แห่งให้สัตว์เลี้ยงเข้าได้
    objective_en: "Parks open to pets\\nin 2568"
    key_results:
      - id: pets-in-parks-2568-kr1
        title_th: ลดขยะ ๑๐ %
        title_en: Waste cut by 10 %
        unit: parks
        target: 10
        direction: higher
        measure: cumulative
        aggregate: sum
      - id: pets-in-parks-2568-kr2
        title_th: "{PHU}ใช้บริการ\\nสวน ๒ แห่ง"
        title_en: Caf\u00e9 visitors – with pets
        unit: people
        target: 1000
        direction: higher
        measure: cumulative
        aggregate: sum
    projects:
      - id: pets-in-parks-2568-p1
        title_th: โครงการ ๑
        title_en: Project 1 — signs
        owner: env
        status: planned
"""


def fields(unit: str, baseline: str) -> list[str]:
    """The lines under a new key result of the sheet, as diff shows them."""
    return [
        f"        unit {unit}",
        f"        baseline {baseline}",
        "        direction higher is better",
        "        measure cumulative",
        "        aggregate sum",
        "        reporting frequency monthly",
    ]


def test_free_text_is_stored_as_typed_and_numbers_are_read_as_typed(
    data: Path, tmp_path: Path
) -> None:
    before = (data / PETS).read_bytes()
    book, wb = pets_workshop(data, tmp_path)
    wb.save(book)
    code, output = import_plan(data, book)
    assert code == 0, output
    after = (data / PETS).read_bytes()
    assert after == before + PETS_OKR.encode("utf-8")
    assert output.splitlines()[3:-1] == [
        "    + OKR pets-in-parks-2568: Parks open to pets\\nin 2568 (FY 2568, owner Environment "
        "Department)",
        "    + key result pets-in-parks-2568-kr1: Waste cut by 10 % — target 10 parks, allocated "
        "to 1 agency",
        '        Thai title "ลดขยะ ๑๐ %"',
        *fields("parks", "0 parks"),
        "    + key result pets-in-parks-2568-kr2: Café visitors – with pets — target 1,000 people, "
        "allocated to 1 agency",
        f'        Thai title "{PHU}ใช้บริการ\\nสวน ๒ แห่ง"',
        *fields("people", "0 people"),
        "    + project pets-in-parks-2568-p1: Project 1 — signs (Environment Department, planned)",
    ]
    code, output = run("validate", str(data))
    assert "pets-in-parks.yaml" not in "\n".join(x for x in output.splitlines() if ": E" in x)
    # the same workbook again, and the sheet made anew from the data: nothing changes
    assert import_plan(data, book) == (0, f"{book}: workshop pets-in-parks: nothing to change\n")
    again, _ = template(data, tmp_path, "again.xlsx", "--policy", "pets-in-parks", "--fy", "2568")
    assert import_plan(data, again) == (0, f"{again}: workshop pets-in-parks: nothing to change\n")
    assert (data / PETS).read_bytes() == after


def test_the_sheet_made_from_the_data_shows_the_text_as_stored(data: Path, tmp_path: Path) -> None:
    book, wb = pets_workshop(data, tmp_path)
    wb.save(book)
    assert import_plan(data, book)[0] == 0
    _, made = template(data, tmp_path, "made.xlsx", "--policy", "pets-in-parks", "--fy", "2568")
    okr = made["OKR"]
    assert [okr["C6"].value, okr["C7"].value, okr["C11"].value, okr["D11"].value] == [
        "สวนสาธารณะ ๑๐ แห่งให้สัตว์เลี้ยงเข้าได้",
        "Parks open to pets\nin 2568",
        f"{PHU}ใช้บริการ\nสวน ๒ แห่ง",
        "Café visitors – with pets",
    ]
    # rows tall enough for the lines of the English objective and of the Thai title
    assert [okr.row_dimensions[r].height for r in (6, 7, 10, 11)] == [None, 30, None, 30]


def test_a_title_the_data_holds_decomposed_is_not_rewritten_by_an_unchanged_sheet(
    data: Path, tmp_path: Path
) -> None:
    # a hand-typed YAML title with the tone mark before the vowel below (not NFC)
    edit(
        data / POINTS,
        "title_th: จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร\n",
        f"title_th: จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร{TYPED_PHU}\n",
    )
    files = snapshot(data)
    book, _ = template(data, tmp_path, "points.xlsx", "--policy", "env-waste-points")
    assert import_plan(data, book) == (
        0,
        f"{book}: workshop env-waste-points: nothing to change\n",
    )
    assert snapshot(data) == files


def test_a_title_yaml_would_read_as_another_type_is_written_quoted(
    data: Path, tmp_path: Path
) -> None:
    # the data files are read as YAML 1.1: plain Yes is true and 12:30 is 750 there
    book, wb = pets_workshop(data, tmp_path)
    wb["OKR"]["D10"] = "Yes"
    wb["Projects"]["D6"] = "12:30"
    wb.save(book)
    code, output = import_plan(data, book)
    assert code == 0, output
    text = (data / PETS).read_text(encoding="utf-8")
    assert "        title_en: 'Yes'\n" in text
    assert "        title_en: '12:30'\n" in text
    assert import_plan(data, book) == (0, f"{book}: workshop pets-in-parks: nothing to change\n")


def test_a_control_character_in_a_title_is_refused_at_its_cell(data: Path, tmp_path: Path) -> None:
    files = snapshot(data)
    book, wb = pets_workshop(data, tmp_path)
    # Excel saves a control character pasted into a cell as _x0007_; DEL (U+007F) as it is
    wb["OKR"]["D10"] = "Waste cut_x0007_ by 10 %"
    wb["Projects"]["C6"] = "โครงการ\x7f"
    wb.save(book)
    code, output = import_plan(data, book)
    assert code == 1
    hint = (
        "    hint: retype the text in the cell: such a character comes with text copied from "
        "another program"
    )
    assert output.splitlines() == [
        f"REFUSED {book} — nothing of it was written:",
        f"{book} › OKR!D10: E803 found the control character U+0007 at character 10 of "
        "'Waste cut\\x07 by 10 %', expected its English title: text without control characters",
        hint,
        f"{book} › Projects!C6: E803 found the control character U+007F at character 8 of "
        "'โครงการ\\x7f', expected the project's Thai title: text without control characters",
        hint,
        f"{book}: workshop pets-in-parks: refused (2)",
    ]
    assert snapshot(data) == files


def test_the_title_of_an_agencys_own_okr_is_stored_as_typed(data: Path, tmp_path: Path) -> None:
    book, wb = template(data, tmp_path, "bang-rak.xlsx", "--agency", "bang-rak", "--fy", "2567")
    ws = wb["Binding"]
    row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 3).value == KR)
    ws.cell(row, 9).value = " บางรักมีจุดรวมมูลฝอย ๕๐ จุด\nภายในปี ๒๕๖๗  "
    wb.save(book)
    code, output = import_plan(data, book)
    assert code == 0, output
    text = (data / POINTS).read_text(encoding="utf-8")
    today = date.today().isoformat()
    assert (
        "        bound:\n"
        "          bang-rak:\n"
        '            okr_title: "บางรักมีจุดรวมมูลฝอย ๕๐ จุด\\nภายในปี ๒๕๖๗"\n'
        f"            date: {today}\n"
    ) in text
    # each on one line, the line break shown as \n
    assert output.splitlines()[5:] == [
        "        + bound by Bang Rak: its OKR “บางรักมีจุดรวมมูลฝอย ๕๐ จุด\\nภายในปี ๒๕๖๗”",
        f"{book}: bound bang-rak → {KR}: บางรักมีจุดรวมมูลฝอย ๕๐ จุด\\nภายในปี ๒๕๖๗",
        f"{book}: binding bang-rak: wrote {data}/{POINTS}",
    ]
    files = snapshot(data)
    # typed again with a line end from Windows (CR LF), no spaces around: the same title
    ws.cell(row, 9).value = "บางรักมีจุดรวมมูลฝอย ๕๐ จุด\r\nภายในปี ๒๕๖๗"
    wb.save(book)
    assert import_plan(data, book) == (0, f"{book}: binding bang-rak: nothing to change\n")
    assert snapshot(data) == files


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  ลดขยะ ๑๐ %\u00a0", "ลดขยะ ๑๐ %"),
        ("one\r\ntwo\rthree\u2028four\u2029five\x85six", "one\ntwo\nthree\nfour\nfive\nsix"),
        ("\nA title\n", "A title"),
        ("tab\tinside", "tab\tinside"),
        (f"{TYPED_PHU}ใหญ่", f"{PHU}ใหญ่"),
        ("ทำ ๒–๓ ครั้ง", "ทำ ๒–๓ ครั้ง"),
        (2567.0, "2567"),
    ],
)
def test_free_text_rule(typed: object, stored: str) -> None:
    assert free_text(typed) == stored
    assert unicodedata.is_normalized("NFC", free_text(typed))


def test_free_text_refuses_a_control_character() -> None:
    with pytest.raises(TypedError) as caught:
        free_text("a\x1bb")
    assert str(caught.value) == (
        "found the control character U+001B at character 2 of 'a\\x1bb', expected text without "
        "control characters"
    )

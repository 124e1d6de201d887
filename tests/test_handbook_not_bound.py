"""The handbook workbook lists the supporters not bound yet, as its Markdown does: a row per
supporter under its policy, in the table's own columns (the name Thai above English, the day it
must bind its own OKR by)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from progress_data import key_result, policy, write_dataset

from okrtool.render.xlsx import LINE_PT

from helpers import SHIPPED, run

NOT_BOUND = "ยังไม่ผูก OKR / Not bound yet"


def _handbook(root: Path, agency: str, out: Path) -> tuple[list[tuple], object]:
    code, output = run(
        "handbook", "--agency", agency, "--as-of", "2024-06-30", "--data", str(root),
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, output
    ws = openpyxl.load_workbook(out)["Handbook"]
    return [tuple(c.value for c in row) for row in ws.iter_rows()], ws


def test_the_fifty_districts_not_bound_to_the_waste_points_have_a_row_each(
    tmp_path: Path,
) -> None:
    rows, ws = _handbook(SHIPPED, "env", tmp_path / "env.xlsx")
    header = next(r for r in rows if r[1] == "หน่วยงาน\nAgency")
    policy_col = header.index("รหัสนโยบาย\nPolicy id")
    not_bound = [r for r in rows if r[0] == NOT_BOUND]
    assert len(not_bound) == 50
    assert {r[policy_col] for r in not_bound} == {"env-waste-points"}
    assert not_bound[0][:6] == (
        NOT_BOUND,
        "พระนคร\nPhra Nakhon",
        "R",
        None,
        "–",
        "ผูก OKR ภายใน 15 พ.ย. 2566 / bind by 15 Nov 2023",
    )
    # under the policy's heading and its key result's row, below a heading of their own (what
    # "not bound" means, as the Markdown's line says), before the next policy's heading
    first = rows.index(not_bound[0])
    assert rows[first - 3][0].startswith("env-waste-points — จุดรวมมูลฝอยส่วนกลาง")
    assert rows[first - 2][:2] == (
        "จำนวนจุดรวมมูลฝอยส่วนกลางในหมู่บ้านจัดสรร\nCentral waste points set up in housing estates",
        "สำนักสิ่งแวดล้อม / Environment Department",
    )
    assert rows[first - 1][:2] == (
        "env-waste-points — ยังไม่ผูก OKR (ยังไม่ได้ผูก OKR ของตนและกรอกค่าเป้าหมายของตน) / Not "
        "bound yet (own OKR not bound and own target not entered) (50)",
        None,
    )
    assert rows[first + 50][0].startswith("env-waste-separation — ")
    # two printed lines: the name in Thai above English, the binding day wrapped in its column
    heights = {ws.row_dimensions[n].height for n, r in enumerate(rows, 1) if r[0] == NOT_BOUND}
    assert heights == {2 * LINE_PT + 2}


def test_the_workbook_names_the_same_supporters_as_the_markdown(tmp_path: Path) -> None:
    rows, _ = _handbook(SHIPPED, "env", tmp_path / "env.xlsx")
    in_book = [r[1].replace("\n", " / ") for r in rows if r[0] == NOT_BOUND]
    _handbook_md = tmp_path / "env.md"
    code, output = run(
        "handbook", "--agency", "env", "--as-of", "2024-06-30", "--data", str(SHIPPED),
        "-o", str(_handbook_md),
    )  # fmt: skip
    assert code == 0, output
    line = next(x for x in _handbook_md.read_text(encoding="utf-8").splitlines() if "(50): " in x)
    assert line.split("(50): ", 1)[1].split(", ") == in_book


def test_without_a_calendar_the_name_stays_on_one_line_and_no_day_is_given(
    tmp_path: Path,
) -> None:
    root = write_dataset(
        tmp_path,
        [
            policy(
                "p",
                [key_result("k", 10, allocations={"phra-nakhon": 10})],
                supporters=["phra-nakhon", "dusit"],
            )
        ],
    )
    rows, _ = _handbook(root, "env", tmp_path / "env.xlsx")
    assert [r[:6] for r in rows if r[0] == NOT_BOUND] == [
        (NOT_BOUND, "ดุสิต / Dusit", "R", None, "–", "–")
    ]

"""The brief's Markdown lists under each policy the projects owed a report, with the period each
owes and its due day, as the workbook's sheet of what is owed does (Thai and English)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from helpers import SHIPPED, run


def _brief(tmp_path: Path, lang: str, suffix: str = "md") -> Path:
    out = tmp_path / f"brief-{lang}.{suffix}"
    code, output = run(
        "brief", "--data", str(SHIPPED), "--host", "env", "--as-of", "2024-06-30", "--lang", lang,
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, output
    return out


def _blocks(text: str, heading: str) -> list[list[str]]:
    """Each block that starts with ``heading``: its heading line and item lines."""
    lines = text.splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.startswith(heading):
            block = [line]
            m = n + 2
            while m < len(lines) and lines[m].startswith("- "):
                block.append(lines[m])
                m += 1
            out.append(block)
    return out


def test_the_markdown_lists_the_projects_owed_under_each_policy(tmp_path: Path) -> None:
    text = _brief(tmp_path, "en").read_text(encoding="utf-8")
    assert _blocks(text, "**Projects not reported**") == [
        [
            "**Projects not reported** (1)",
            "- Build and upgrade 15-minute parks, FY 2567 — Environment Department: not reported "
            "for 2567-06; due 5 Jul 2024 · due in 5 days",
        ],
        [
            "**Projects not reported** (2)",
            "- Grow saplings and perennial trees in the department's nurseries — Environment "
            "Department: not reported for FY2567-Q3; due 10 Jul 2024 · due in 10 days",
            "- Plant shrub dust-filter walls along main roads — Environment Department: not "
            "reported for FY2567-Q3; due 10 Jul 2024 · due in 10 days",
        ],
        [
            "**Projects not reported** (1)",
            "- Re-plan district collection routes and rounds — Environment Department: not "
            "reported for 2567-06; due 5 Jul 2024 · due in 5 days",
        ],
        [
            "**Projects not reported** (1)",
            "- Agreements with housing-estate juristic persons — Environment Department: not "
            "reported for 2567-06; due 5 Jul 2024 · due in 5 days",
        ],
        [
            "**Projects not reported** (1)",
            '- "Don\'t mix": keep food waste out of general waste — Environment Department: not '
            "reported for FY2567-Q3; due 10 Jul 2024 · due in 10 days",
        ],
    ]
    # under its policy: after the parks policy's projects, before the next policy's heading
    parks = text.index("## 15-minute parks")
    assert parks < text.index("**Projects not reported** (1)") < text.index("## Plant a million")


def test_the_thai_markdown_says_the_same(tmp_path: Path) -> None:
    text = _brief(tmp_path, "th").read_text(encoding="utf-8")
    blocks = _blocks(text, "**โครงการที่ยังไม่รายงาน**")
    assert [len(b) - 1 for b in blocks] == [1, 2, 1, 1, 1]
    assert blocks[1][1] == (
        "- ผลิตกล้าไม้และไม้ยืนต้นในเรือนเพาะชำ สสล. — สำนักสิ่งแวดล้อม: ยังไม่รายงานงวด FY2567-Q3; "
        "กำหนดส่ง 10 ก.ค. 2567 · อีก 10 วันถึงกำหนด"
    )


def test_the_markdown_and_the_owed_sheet_list_the_same_projects(tmp_path: Path) -> None:
    text = _brief(tmp_path, "en").read_text(encoding="utf-8")
    listed = [
        line.split(" — ")[0][2:]
        for block in _blocks(text, "**Projects not reported**")
        for line in block[1:]
    ]
    ws = openpyxl.load_workbook(_brief(tmp_path, "en", "xlsx"))["Owed"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[1] and "project" in str(r[1])]
    assert [r[2] for r in rows] == listed
    assert len(listed) == 6


def test_the_hosts_own_projects_owe_the_period_its_chase_list_is_for(tmp_path: Path) -> None:
    """On 31 July nobody has reported July yet (due 5 August): the brief chases June, as
    missing does, and its line on the host's own projects names June too, not July."""
    out = tmp_path / "brief.md"
    code, output = run(
        "brief", "--data", str(SHIPPED), "--host", "env", "--as-of", "2024-07-31", "--lang", "en",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, output
    lines = out.read_text(encoding="utf-8").splitlines()
    own = [line for line in lines if line.startswith("- Projects env owns:")]
    assert own == [
        "- Projects env owns: 11 (0 not started · 6 in progress · 5 done · 0 cancelled); not "
        "reported for 2567-06: 3, FY2567-Q3: 3"
    ]
    assert any("not reported for 2567-06" in line for line in lines if "Projects env" not in line)
    assert not any("2567-07" in line for line in lines if "not reported for" in line)

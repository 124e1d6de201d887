"""``store.prepare`` keeps the text of the rows an import does not touch: a report file as
okrtool wrote it is not parsed and rendered again (issue 19's speed), and the file it writes is
the same, byte for byte, as rendering every row would give, whether the old file was okrtool's
own or saved by hand (a BOM, CRLF, quotes, a formula-like note, a negative value)."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrtool.fiscal import parse_period
from okrtool.io.store import prepare, render, report_file
from okrtool.model import ReportValue

HEADER = "key_result,period,value,source,note,file,sha256,cell,recorded_at\n"
STAMP = "2026-12-06T10:00:00+07:00"


def value(kr: str, period: str, number: float, note: str = "") -> ReportValue:
    return ReportValue(
        "bang-rak", 2567, kr, parse_period(period), number, "import", note, "b.xlsx", "ab",
        "Report!I6", STAMP,
    )  # fmt: skip


def write(root: Path, text: str, newline: str = "\n", bom: bool = False) -> Path:
    path = root / report_file(2567, "bang-rak")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    path.write_bytes(data.encode("utf-8"))
    return path


CANONICAL = (
    HEADER
    + "kr-a,2567-01,5,manual,,,,,\n"
    + "kr-a,2567-03,7,manual,ส่งช้า,,,,\n"
    + "kr-b,2567-02,1.5,manual,,,,,\n"
)
NEW = [value("kr-a", "2567-02", 6), value("kr-b", "2567-02", 2, 'says "so", then, ok')]
EXPECTED = (
    HEADER
    + "kr-a,2567-01,5,manual,,,,,\n"
    + f"kr-a,2567-02,6,import,,b.xlsx,ab,Report!I6,{STAMP}\n"
    + "kr-a,2567-03,7,manual,ส่งช้า,,,,\n"
    + f'kr-b,2567-02,2,import,"says ""so"", then, ok",b.xlsx,ab,Report!I6,{STAMP}\n'
)


def test_a_file_okrtool_wrote_keeps_its_lines_and_takes_the_new_rows(tmp_path: Path) -> None:
    write(tmp_path, CANONICAL)
    assert prepare(tmp_path, 2567, "bang-rak", NEW).text == EXPECTED


def test_a_new_file_is_the_header_and_the_new_rows_sorted(tmp_path: Path) -> None:
    got = prepare(tmp_path, 2567, "bang-rak", list(reversed(NEW))).text
    assert got == HEADER + EXPECTED.splitlines(keepends=True)[2] + EXPECTED.splitlines(True)[4]


@pytest.mark.parametrize(
    ("newline", "bom"), [("\r\n", False), ("\n", True), ("\r\n", True)], ids=["crlf", "bom", "both"]
)
def test_a_file_saved_by_hand_is_written_as_okrtool_writes_it(
    tmp_path: Path, newline: str, bom: bool
) -> None:
    write(tmp_path, CANONICAL, newline, bom)
    assert prepare(tmp_path, 2567, "bang-rak", NEW).text == EXPECTED


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ('"kr-a","2567-01","5",manual,,,,,\n', "kr-a,2567-01,5,manual,,,,,\n"),  # needless quotes
        ("kr-a,2567-01,5,manual,=HYPERLINK(x),,,,\n", "kr-a,2567-01,5,manual,'=HYPERLINK(x),,,,\n"),
        ("kr-a,2567-01,-5,manual,@x,,,,\n", "kr-a,2567-01,-5,manual,'@x,,,,\n"),
        ("kr-a,2567-01,-5,manual,,,,,\n", "kr-a,2567-01,-5,manual,,,,,\n"),  # a number stays
        ("kr-a,2567-01,5,manual,+1.5e3,,,,\n", "kr-a,2567-01,5,manual,+1.5e3,,,,\n"),
    ],
    ids=["quotes", "formula", "at-sign", "negative", "signed-number"],
)
def test_a_row_not_as_okrtool_writes_it_is_rendered_again(
    tmp_path: Path, line: str, written: str
) -> None:
    write(tmp_path, HEADER + line + "kr-b,2567-02,1.5,manual,,,,,\n")
    got = prepare(tmp_path, 2567, "bang-rak", NEW[:1]).text
    assert got == (
        HEADER
        + written
        + f"kr-a,2567-02,6,import,,b.xlsx,ab,Report!I6,{STAMP}\n"
        + "kr-b,2567-02,1.5,manual,,,,,\n"
    )


def test_a_blank_line_and_an_unsorted_file_come_out_sorted_without_it(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "kr-b,2567-02,1.5,manual,,,,,\n\nkr-a,2567-01,5,manual,,,,,\n")
    got = prepare(tmp_path, 2567, "bang-rak", NEW[:1]).text
    rows = [
        ["kr-a", "2567-01", "5", "manual", "", "", "", "", ""],
        ["kr-a", "2567-02", "6", "import", "", "b.xlsx", "ab", "Report!I6", STAMP],
        ["kr-b", "2567-02", "1.5", "manual", "", "", "", "", ""],
    ]
    assert got == render(rows)
    assert got.count("\n") == 4


def test_an_unsorted_file_okrtool_could_have_written_is_sorted(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "kr-b,2567-02,1.5,manual,,,,,\nkr-a,2567-01,5,manual,,,,,\n")
    got = prepare(tmp_path, 2567, "bang-rak", []).text
    assert got == HEADER + "kr-a,2567-01,5,manual,,,,,\nkr-b,2567-02,1.5,manual,,,,,\n"


def test_a_row_given_twice_keeps_the_last_as_before(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "kr-a,2567-01,5,manual,,,,,\nkr-a,2567-01,9,manual,,,,,\n")
    got = prepare(tmp_path, 2567, "bang-rak", []).text
    assert got == HEADER + "kr-a,2567-01,9,manual,,,,,\n"

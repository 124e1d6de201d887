"""A value's note on a report sheet is kept as the officer typed it, as a project's note is
(``typed.free_text``): Thai digits and line breaks (Alt+Enter) stay, the spaces around go; the
report file holds a note with a line break in quotes, validate reads it back, and the next
import rewrites that file; a control character is refused at its cell."""

from __future__ import annotations

from pathlib import Path

from xlsx_helpers import HEADER, import_, refusals, sheet

from helpers import copy_dataset, run, snapshot

FILE = "reports/2567/bang-rak.csv"


def typed(tmp_path: Path, name: str, period: str, value: int, note: str) -> Path:
    return sheet(
        tmp_path / name,
        [["หน่วยงาน:", "สำนักงานเขตบางรัก"], HEADER, ["trees-planted", period, value, note]],
    )


def test_a_note_is_stored_as_typed_and_read_back(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    note = "  ระยะที่ ๒\r\nปลูกครบ ๑๐๐ ต้น  "
    code, out = import_(root, str(typed(tmp_path, "july.xlsx", "2567-07", 41, note)))
    assert code == 0, out
    text = (root / FILE).read_text(encoding="utf-8")
    assert ',41,import,"ระยะที่ ๒\nปลูกครบ ๑๐๐ ต้น",july.xlsx,' in text
    code, out = run("validate", str(root))
    assert code == 0, out
    # the next import rewrites the file (no longer one whose lines can be kept as they are)
    code, out = import_(root, str(typed(tmp_path, "august.xlsx", "2567-08", 42, "ok")))
    assert code == 0, out
    text = (root / FILE).read_text(encoding="utf-8")
    assert ',41,import,"ระยะที่ ๒\nปลูกครบ ๑๐๐ ต้น",july.xlsx,' in text
    assert ",42,import,ok,august.xlsx," in text
    assert run("validate", str(root))[0] == 0


def test_a_note_with_a_control_character_is_refused_at_its_cell(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    before = snapshot(root)
    # Excel saves a control character pasted into a cell as _x0007_; the reader makes it one
    book = typed(tmp_path, "july.xlsx", "2567-07", 41, "ok_x0007_")
    code, out = import_(root, str(book))
    assert code == 1
    assert refusals(out) == [
        f"{book} › Sheet1!D3: E803 found the control character U+0007 at character 3 of "
        "'ok\\x07', expected text without control characters",
        "    hint: retype the text in the cell: such a character comes with text copied from "
        "another program",
    ]
    assert snapshot(root) == before

"""Wrapping at word boundaries, Thai included: the wrap function, then the tables and the lines
around them as `okrtool status` and `okrtool missing` print them at fixed widths."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from okrtool.render.thaiwrap import thai_words, wrap

from helpers import SHIPPED, run

JUNE = ("--as-of", "2024-06-30")
BORDERS = "│┌┐└┘├┤┬┴┼"
# before one of these (a following vowel, a mark above or below) or after a leading vowel, a
# break is inside a syllable: "สัปด|าห์"
FOLLOWING = {chr(c) for c in [*range(0x0E30, 0x0E3B), 0x0E45, *range(0x0E47, 0x0E4F)]}
LEADING = {chr(c) for c in range(0x0E40, 0x0E45)}


# --- the wrap function --------------------------------------------------------------------------


def test_a_thai_title_breaks_between_words() -> None:
    title = "ร้อยละของจุดเสี่ยงที่ได้รับการลดเงื่อนไขความล่อแหลม"
    assert wrap(title, 16) == ["ร้อยละของจุดเสี่ยงที่", "ได้รับการลดเงื่อนไข", "ความล่อแหลม"]
    assert wrap("ศูนย์พัฒนาเด็กก่อนวัยเรียนได้มาตรฐาน", 12) == [
        "ศูนย์พัฒนาเด็ก",
        "ก่อนวัยเรียนได้",
        "มาตรฐาน",
    ]


def test_width_is_counted_in_cells_so_marks_above_and_below_take_none() -> None:
    # 15 cells though 21 code points: ้ ุ ี ่ ี ่ sit on their letters
    assert cell_len("ร้อยละของจุดเสี่ยงที่") == 15
    assert wrap("ที่ที่ที่ ที่", 4) == ["ที่ที่ที่", "ที่"]


def test_a_space_is_the_first_place_to_break() -> None:
    text = "เก็บขนมูลฝอยจากอาคารทุกหลังอย่างน้อยสัปดาห์ละ 2 ครั้ง (H: สำนักสิ่งแวดล้อม)"
    # the agency's name fits a line of its own, so it goes there whole
    assert wrap(text, 20) == [
        "เก็บขนมูลฝอยจากอาคารทุก",
        "หลังอย่างน้อยสัปดาห์ละ 2",
        "ครั้ง (H:",
        "สำนักสิ่งแวดล้อม)",
    ]


def test_english_wraps_at_spaces_as_before() -> None:
    text = "Collect waste from every building at least twice a week"
    assert wrap(text, 20) == ["Collect waste from", "every building at", "least twice a week"]


def test_only_a_word_wider_than_the_line_is_folded() -> None:
    assert wrap("กรุงเทพมหานคร", 5) == ["กรุงเท", "พมหาน", "คร"]  # 5 cells each, marks kept
    assert wrap("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]


def test_newlines_break_and_the_first_line_keeps_its_indent() -> None:
    assert wrap("  └ จำนวนไม้ยืนต้นที่ปลูก", 12) == ["  └ จำนวนไม้", "ยืนต้นที่ปลูก"]
    assert wrap("line one\nสองบรรทัด", 40) == ["line one", "สองบรรทัด"]
    assert wrap("short", 40) == ["short"]


def test_thai_words_never_split_an_abbreviation_or_latin() -> None:
    assert thai_words("สำนักงบประมาณกรุงเทพมหานคร)") == ["สำนัก", "งบ", "ประมาณ", "กรุงเทพมหานคร)"]
    assert thai_words("สสล.") == ["สสล."]
    assert thai_words("กทม.") == ["กทม."]
    assert thai_words("OKRs") == ["OKRs"]
    assert thai_words("(ไม่เทรวม)") == ["(ไม่", "เท", "รวม)"]


def shipped_titles() -> list[str]:
    code, out = run("status", "--data", str(SHIPPED), *JUNE, "--format", "json")
    assert code == 0, out
    rows = json.loads(out)["rows"]
    return sorted({r["title"] for r in rows} | {r["policy_title"] for r in rows})


@pytest.mark.parametrize("width", range(8, 61, 4))
def test_every_shipped_title_breaks_only_between_words(width: int) -> None:
    for title in shipped_titles():
        lines = wrap(title, width)
        assert all(cell_len(line) <= width for line in lines), (title, lines)
        assert "".join(lines).replace(" ", "") == title.replace(" ", ""), (title, lines)
        at = 0
        for line in lines[:-1]:  # where each line ends in the title
            at = title.index(line, at) + len(line)
            while title[at] == " ":
                at += 1
            if title[at - 1] == " ":
                continue  # broke at a space
            run_start = title.rfind(" ", 0, at) + 1
            run_end = title.find(" ", at) % (len(title) + 1)
            words = thai_words(title[run_start:run_end])
            ends = {run_start + sum(len(w) for w in words[: k + 1]) for k in range(len(words))}
            folded = any(cell_len(w) > width for w in words)
            assert at in ends or folded, (title, width, lines)
            assert folded or (title[at] not in FOLLOWING and title[at - 1] not in LEADING)


PIECES = st.sampled_from(
    ["สัปดาห์", "มาตรฐาน", "ล่อแหลม", "สำนักสิ่งแวดล้อม", "ที่", "เก็บขนมูลฝอย", "(H:", "กทม.",
     "OKRs", "2,473", "%", "เส้นทาง", "ไม่เทรวม)", "waste", "ร้อยละ", "ๆ", "ฯ"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, database=None)
@given(
    words=st.lists(st.tuples(PIECES, st.sampled_from(["", "", " ", "  "])), min_size=1),
    width=st.integers(1, 40),
)
def test_any_text_wraps_within_the_width_and_loses_nothing(
    words: list[tuple[str, str]], width: int
) -> None:
    text = "".join(w + gap for w, gap in words).strip()
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cell_len(line) <= width for line in lines), lines  # "ที่" is 1 cell wide
    if width >= 3:  # room for any cluster: no line starts or ends inside a syllable
        assert all(line[:1] not in FOLLOWING and line[-1:] not in LEADING for line in lines), lines


def test_the_segmenter_is_loaded_only_when_thai_must_wrap() -> None:
    code = (
        "import sys\n"
        "from okrtool.render.thaiwrap import wrap\n"
        "wrap('สวน 15 นาที ทั่วกรุง', 80); wrap('สวน 15 นาที ทั่วกรุง', 8)\n"
        "wrap('Collect waste from every building at least twice a week', 10)\n"
        "print('icu4py' in sys.modules)\n"
        "wrap('เก็บขนมูลฝอยจากอาคารทุกหลัง', 10)\n"
        "print('icu4py' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    assert out.split() == ["False", "True"]


def test_help_loads_neither_the_wrapper_nor_the_segmenter() -> None:
    code = "import sys, okrtool.cli; print(sorted({'icu4py', 'okrtool.render.thaiwrap'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    assert out.strip() == "[]"


# --- the tables as printed ----------------------------------------------------------------------


def first_column(out: str) -> list[str]:
    """The text of the first column, line by line, of every table in ``out``."""
    return [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]


def check_layout(out: str, width: int) -> None:
    """Every table line as wide as the others and no wider than ``width``; every other line
    (title, notes, legend) no wider than ``width``."""
    table = [line for line in out.splitlines() if line and line[0] in BORDERS]
    text = [line for line in out.splitlines() if not line or line[0] not in BORDERS]
    assert table
    assert len({cell_len(line) for line in table}) == 1, {cell_len(line) for line in table}
    assert cell_len(table[0]) <= width
    assert max(cell_len(line) for line in text) <= width, [
        line for line in text if cell_len(line) > width
    ]


# Key results as the first column shows them at each width, each line ending between words.
RISK = "ร้อยละของจุดเสี่ยงที่ได้รับการลดเงื่อนไขความล่อแหลม"
CHILD = "จำนวนศูนย์พัฒนาเด็กก่อนวัยเรียนที่ผ่านการประเมินมาตรฐาน"
WASTE = "ร้อยละของอาคารที่ได้รับการเก็บขนมูลฝอยอย่างน้อยสัปดาห์ละ 2 ครั้ง"
WRAPPED = {
    60: {
        RISK: ["ร้อยละของ", "จุดเสี่ยงที่ได้", "รับการลด", "เงื่อนไขความ", "ล่อแหลม"],
        CHILD: ["จำนวนศูนย์", "พัฒนาเด็กก่อน", "วัยเรียนที่ผ่าน", "การประเมิน", "มาตรฐาน"],
        WASTE: ["ร้อยละของ", "อาคารที่ได้รับ", "การเก็บขน", "มูลฝอยอย่าง", "น้อยสัปดาห์ละ", "2 ครั้ง"],
    },
    80: {
        RISK: ["ร้อยละของจุดเสี่ยงที่ได้รับ", "การลดเงื่อนไขความล่อแหลม"],
        CHILD: ["จำนวนศูนย์พัฒนาเด็กก่อนวัย", "เรียนที่ผ่านการประเมิน", "มาตรฐาน"],
        WASTE: ["ร้อยละของอาคารที่ได้รับ", "การเก็บขนมูลฝอยอย่างน้อย", "สัปดาห์ละ 2 ครั้ง"],
    },
    120: {
        RISK: ["ร้อยละของจุดเสี่ยงที่ได้รับการลดเงื่อนไขความ", "ล่อแหลม"],
        CHILD: ["จำนวนศูนย์พัฒนาเด็กก่อนวัยเรียนที่ผ่านการ", "ประเมินมาตรฐาน"],
        WASTE: ["ร้อยละของอาคารที่ได้รับการเก็บขนมูลฝอย", "อย่างน้อยสัปดาห์ละ 2 ครั้ง"],
    },
}


@pytest.mark.parametrize("width", sorted(WRAPPED))
def test_status_wraps_titles_between_words(width: int) -> None:
    code, out = run("status", "--data", str(SHIPPED), *JUNE, "--width", str(width))
    assert code == 0, out
    check_layout(out, width)
    column = first_column(out)
    for title, lines in WRAPPED[width].items():
        starts = [i for i in range(len(column)) if column[i : i + len(lines)] == lines]
        assert starts, (title, width, column)
    # each shipped title that holds these words shows them whole, as often as the titles do
    for word, times in (("สัปดาห์", 2), ("มาตรฐาน", 2), ("ล่อแหลม", 1)):
        assert out.count(word) == times, (word, out.count(word))
    # "(H: สำนักสิ่งแวดล้อม)" has a line of its own from 80 columns; at 60 the title column is
    # 13 cells and ICU breaks the name between สิ่ง and แวดล้อม (two words of a compound)
    assert out.count("สิ่งแวดล้อม") == (5 if width >= 80 else 0)


def test_the_lines_above_the_table_wrap_to_the_terminal() -> None:
    env = {**os.environ, "COLUMNS": "60"}
    out = subprocess.run(
        ["okrtool", "status", "--data", str(SHIPPED), "--as-of", "2024-03-31"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    check_layout(out, 60)
    assert out.splitlines()[:7] == [
        "ทุกกลุ่มภารกิจ — ปีงบประมาณ 2567 (1 ต.ค. 2566 – 30 ก.ย. 2567), ณ",
        "วันที่ 31 มี.ค. 2567: 50.0 % ของปีผ่านไปแล้ว",
        "19 ตัวชี้วัด: 3 ตามแผน · 2 เสี่ยง · 6 ล่าช้า · 8 ไม่มีข้อมูล",
        "ฉบับของแผน platform-2024: นโยบาย 9 ด้าน 9 ดี ตามที่ กทม. ใช้ 2567",
        "ใช้ตั้งแต่ปีงบประมาณ 2567",
        "หมายเหตุ: ไม่นับ 606 ค่าของงวดที่สิ้นสุดหลังวันที่ 31 มี.ค. 2567",
        "(งวดล่าสุดสิ้นสุด 30 มิ.ย. 2567)",
    ]


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize(
    "args",
    [
        ["missing", "--period", "2567-06"],
        ["status", *JUNE, "--policy", "infra-risk-spots", "--by", "district"],
        ["status", *JUNE, "--policy", "env-waste-collection", "--by", "zone"],
        ["status", *JUNE, "--lang", "en"],
    ],
)
def test_every_table_fits_and_lines_up(args: list[str], width: int) -> None:
    code, out = run(*args, "--data", str(SHIPPED), "--width", str(width))
    assert code == 0, out
    check_layout(out, width)
    for line in out.splitlines():  # no cell line starts or ends inside a syllable
        for cell in line.split("│")[1:-1]:
            text = cell.strip()
            assert not text or (text[0] not in FOLLOWING and text[-1] not in LEADING), line

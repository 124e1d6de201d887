"""How many lines a wrapped cell prints (issue 17): the writer sizes each printed row by
``wrapped_lines``, which wraps text at its spaces by the width each character prints, in
LibreOffice's fonts here (DejaVu, measured from the fonts and from printed PDFs) and in Excel's
Calibri (its pixels), and takes the more lines of the two, never fewer than either prints.
Thai is counted as before: a character a digit wide.
"""

from __future__ import annotations

import pytest

from okrtool.render.xlsx import print_width, text_width, wrapped_lines


def test_an_english_key_result_as_wide_as_its_column_is_one_line() -> None:
    # dds: 34 characters in a 34-wide column; a character a digit wide made it two lines
    text = "Drain length cleaned at least once"
    assert (len(text), text_width(text)) == (34, 34)
    assert (round(print_width(text), 2), round(print_width(text, excel=True), 2)) == (27.91, 29.86)
    assert wrapped_lines(text, 34.0) == 1
    assert wrapped_lines(f"ความยาวท่อระบายน้ำที่ลอกแล้ว (อย่างน้อย 1 รอบ)\n{text}", 34.0) == 3


def test_a_line_breaks_at_a_space_when_the_next_word_does_not_fit() -> None:
    # 'Reported in the period', bold in a header 13 wide: 'Reported in the' is 14.5 digits
    assert wrapped_lines("Reported in the period", 13.0, bold=True) == 2
    assert wrapped_lines("Reported in the period", 30.0, bold=True) == 1


def test_letters_wider_than_a_digit_take_more_lines_than_their_count() -> None:
    # 14 characters in a 16-wide column: counted a digit each they fit one line; 'm' prints
    # 1.54 digits wide in DejaVu Sans, 1.71 in Excel's Calibri: two lines
    assert wrapped_lines("mmmm mmmm mmmm", 16.0) == 2
    assert wrapped_lines("iiii iiii iiii", 16.0) == 1


def test_excel_s_wider_letters_decide_when_they_need_a_line_more() -> None:
    # LibreOffice prints 'Pom Prap Sattru Phai' at most 17.5 digits wide (16.7 in DejaVu Sans),
    # Excel 18.4: in a column 18 wide (17 digits of text) Excel wraps it, so the row keeps two
    text = "Pom Prap Sattru Phai"
    assert (round(print_width(text), 1), round(print_width(text, excel=True), 1)) == (17.5, 18.4)
    assert wrapped_lines(text, 18.0) == 2
    assert wrapped_lines(text, 20.0) == 1


def test_a_word_longer_than_the_line_is_broken_and_a_line_break_starts_a_line() -> None:
    assert wrapped_lines("0" * 40, 10.0) == 6  # 9 digits a line, two kept for the break
    assert wrapped_lines("a\n\nb", 10.0) == 3
    assert wrapped_lines("", 10.0) == 1


def test_symbols_are_as_wide_as_they_print() -> None:
    # an em dash prints 1.57 digits wide (DejaVu): counted 2, not 1
    assert print_width("—") == 2.0
    assert wrapped_lines("—" * 4 + " " + "—" * 4, 10.0) == 2  # 8 digits a word, 9 a line
    # 7 characters, one line counted a digit each; 9.5 digits printed: two
    assert (text_width("— — — —"), wrapped_lines("— — — —", 10.0)) == (7, 2)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("จำนวนเส้นทางทางเท้าต้นแบบที่ปรับปรุงแล้วเสร็จ", 34.0, 2),  # 36 characters, 33 a line
        ("จำนวนเส้นทางทางเท้าต้นแบบที่ปรับปรุงแล้วเสร็จ", 38.0, 1),
        ("บางรัก / Bang Rak", 10.0, 2),
    ],
)
def test_thai_is_counted_a_character_a_digit(text: str, width: float, lines: int) -> None:
    assert wrapped_lines(text, width) == lines

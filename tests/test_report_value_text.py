"""A report file's value is a plain decimal (docs/data-format.md): what float() also takes —
"1_000", " 5", Thai digits, an exponent, a "+" — is refused by validate at its line and column
(E103), since other programs reading the CSV (the open data) would not take it."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import copy_dataset, run

FILE = "reports/2567/bang-rak.csv"


def with_value(tmp_path: Path, text: str) -> Path:
    root = copy_dataset(tmp_path)
    with (root / FILE).open("a", encoding="utf-8") as f:
        f.write(f"trees-planted,2567-02,{text},manual,,,,,\n")
    return root


@pytest.mark.parametrize("text", ["1_000", " 5", "5 ", "๕", "1e3", "+5", "0x10", "1,5"])
def test_a_value_float_takes_but_no_plain_decimal_is_refused(tmp_path: Path, text: str) -> None:
    root = with_value(tmp_path, f'"{text}"' if "," in text else text)
    code, out = run("validate", str(root))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{root}/{FILE}:5:23: E103 value {text!r} is not a plain number; expected digits with "
        "'.' as the decimal point, like 1234.5"
    )


@pytest.mark.parametrize("text", ["5", "5.", ".5", "0", "1234.5678"])
def test_a_plain_decimal_passes(tmp_path: Path, text: str) -> None:
    code, out = run("validate", str(with_value(tmp_path, text)))
    assert code == 0, out


def test_a_negative_plain_decimal_is_read_as_a_number(tmp_path: Path) -> None:
    root = with_value(tmp_path, "-2.5")
    code, out = run("validate", str(root))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{root}/{FILE}:5:1: E405 value -2.5 is negative; expected 0 or more trees"
    )

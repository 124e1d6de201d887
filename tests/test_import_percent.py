"""A percent key result's value typed as a plain number between 0 and 1 (0.57 in a General
cell) may be 0.57 % or 57 % written as a fraction: refused at its cell, as the Projects sheet's
percent complete is (``typed.percent_points``, the one rule); a % sign or a percentage format
says which, and a plain number from 1 is percentage points, as the template's column asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from xlsx_helpers import HEADER, import_, refusals, sheet

from helpers import copy_dataset, snapshot


def book(tmp_path: Path, value: object, **formats: str) -> Path:
    """A sheet typed from scratch for bang-rak with one value of the percent key result."""
    return sheet(
        tmp_path / "bang-rak-typed.xlsx",
        [["หน่วยงาน:", "สำนักงานเขตบางรัก"], HEADER, ["trees-waste-collected", "2567-07", value]],
        **formats,
    )


def stored(root: Path) -> str | None:
    for line in (root / "reports/2567/bang-rak.csv").read_text(encoding="utf-8").splitlines():
        kr, period, value = line.split(",")[:3]
        if (kr, period) == ("trees-waste-collected", "2567-07"):
            return value
    return None


@pytest.mark.parametrize(
    ("typed", "formats", "expected"),
    [
        (57, {}, "57"),
        (0.57, {"C3": "0%"}, "57"),
        (0.575, {"C3": "0.0%"}, "57.5"),
        ("57%", {}, "57"),
        ("0.5%", {}, "0.5"),
        ("๕๗", {}, "57"),
        (1, {}, "1"),
        (0, {}, "0"),
        (100, {}, "100"),
    ],
)
def test_a_percent_typed_so_that_it_can_be_told_is_stored_in_points(
    tmp_path: Path, typed: object, formats: dict[str, str], expected: str
) -> None:
    root = copy_dataset(tmp_path)
    code, out = import_(root, str(book(tmp_path, typed, **formats)))
    assert code == 0, out
    assert stored(root) == expected


@pytest.mark.parametrize(
    ("typed", "shown_as", "points"), [(0.57, "0.57", "57"), ("0.4", "'0.4'", "40")]
)
def test_a_fraction_typed_plainly_is_refused_at_its_cell(
    tmp_path: Path, typed: object, shown_as: str, points: str
) -> None:
    root = copy_dataset(tmp_path)
    before = snapshot(root)
    path = book(tmp_path, typed)
    code, out = import_(root, str(path))
    assert code == 1
    value = shown_as.strip("'")
    assert refusals(out) == [
        f"{path} › Sheet1!C3: E803 found {shown_as} in a cell not formatted as a percentage "
        f"({value} % or {points} %?), expected a percentage from 0 to 100",
        f"    hint: type {points} for {points} %; for less than 1 %, type it with the sign: "
        f"{value}%",
    ]
    assert snapshot(root) == before

"""Properties, with hypothesis: a number typed any way an officer types it reads back as itself;
a period written in BE or CE, Thai or English, as a month, a quarter or a date reads back as the
same period; and a template filled with random values imports exactly what was typed.

Garbage never crashes a reader: it is read, or refused with ``TypedError``. The regressions the
properties found stand beside them as plain tests.
"""

from __future__ import annotations

import csv
import math
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from progress_data import DISTRICTS, key_result, policy, write_dataset
from xlsx_helpers import fill_template, import_, make_template

from okrtool.fiscal import Period, be_to_ce, month, quarter
from okrtool.typed import SENSIBLE, TypedError, number, period_of, plain

from helpers import run

#: Fast properties: many examples. No deadline: speed is measured in bench/, not asserted here
#: (a per-example deadline fails at random on a busy machine).
QUICK = settings(max_examples=300, deadline=None, database=None)

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
#: Spaces officers type or paste around a number: plain, non-breaking, thin, narrow no-break.
SPACES = st.sampled_from(["", " ", "  ", "\u00a0", "\u2009", "\u202f", "\t"])


# --- numbers -----------------------------------------------------------------------------------


@st.composite
def decimals(draw: st.DrawFn, max_digits: int = 11, max_places: int = 4) -> Decimal:
    """A decimal of up to ``max_digits`` before the point and ``max_places`` after it: at most
    15 significant digits in all, what Excel keeps."""
    whole = draw(st.integers(0, 10**max_digits - 1))
    places = draw(st.integers(0, max_places))
    fraction = draw(st.integers(0, 10**places - 1)) if places else 0
    value = Decimal(whole) + Decimal(fraction).scaleb(-places)
    return -value if draw(st.booleans()) else value


def grouped(whole: str, separator: str) -> str:
    """``1234567`` → ``1,234,567`` with ``separator``."""
    head = len(whole) % 3 or 3
    return separator.join([whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)])


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[object, Decimal, bool]:
    """A number as an officer puts it in a cell: (the cell's value, the number, percent?)."""
    value = draw(decimals())
    percent = draw(st.booleans())
    if draw(st.booleans()) and not percent:  # a number cell
        raw: object = int(value) if value == value.to_integral_value() else float(value)
        return raw, value, False
    sign, digits = ("-" if value < 0 else draw(st.sampled_from(["", "+"]))), f"{abs(value):f}"
    whole, _, fraction = digits.partition(".")
    if draw(st.booleans()) and whole == "0" and fraction:
        whole = ""  # .5
    separator = draw(st.sampled_from(["", ",", " ", "\u00a0"]))
    text = sign + (grouped(whole, separator) if separator else whole)
    if fraction or draw(st.booleans()):
        text += "." + fraction  # '5.' is 5 too
    if draw(st.booleans()):
        text = text.translate(THAI)
    if percent:
        text += draw(SPACES) + "%"
    return draw(SPACES) + text + draw(SPACES), value, percent


@QUICK
@given(typed_numbers())
def test_a_number_typed_any_way_reads_back_as_itself(case: tuple[object, Decimal, bool]) -> None:
    raw, value, percent = case
    assert number(raw) == (float(value), percent)


@QUICK
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙,. %+-\u00a0\u2212eE#!/"),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        st.dates(),
        st.datetimes(),
    ),
    st.sampled_from(["General", "0.00%", "0%", '0.00"%"', "#,##0", "@", "%"]),
    st.lists(st.text(max_size=6), max_size=2),
)
def test_anything_in_a_value_cell_is_read_as_a_finite_number_or_refused(
    raw: object, number_format: str, units: list[str]
) -> None:
    try:
        read = number(raw, number_format, tuple(units))
    except TypedError:
        return
    assert isinstance(read.value, float)
    plain(read.value)  # finite: it can be written to a report file


@pytest.mark.parametrize(
    ("raw", "found", "expected"),
    [
        (1.7976931348623157e308, "1.79769313486232e+308", SENSIBLE),  # 15 digits: inf
        (math.inf, "a number that is not finite", "a number"),
        (math.nan, "a number that is not finite", "a number"),
        (10**400, "a number too large to read", SENSIBLE),
        ("1" + "0" * 400, "'1000000000000000000000000000000000000...'", SENSIBLE),
    ],
)
def test_a_number_too_large_for_a_float_is_refused_not_a_crash(
    raw: object, found: str, expected: str
) -> None:
    # found while writing the property above (the largest float is its smallest failing
    # example): it and inf raised ValueError, an integer cell of 400 digits OverflowError, and
    # the same typed as text read as inf, which crashed the import when it wrote the value
    with pytest.raises(TypedError) as info:
        number(raw)
    assert (info.value.found, info.value.expected) == (found, expected)


# --- periods -----------------------------------------------------------------------------------

THAI_MONTHS = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]
THAI_ABBR = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@st.composite
def typed_months(draw: st.DrawFn) -> tuple[object, Period]:
    """A month of a BE fiscal year, typed or entered as a date: (the cell's value, the period)."""
    be = draw(st.integers(2443, 2699))  # years that read the same in BE and CE (CE 1900–2156)
    m = draw(st.integers(1, 12))
    ce = be_to_ce(be)
    day = draw(st.integers(1, 28))
    th, abbr, en = THAI_MONTHS[m - 1], THAI_ABBR[m - 1], EN_MONTHS[m - 1]
    forms: list[object] = [
        f"{be}-{m:02d}",
        f"{ce}-{m:02d}",
        f"{be}/{m:02d}",
        f"{m:02d}/{be}",
        f"{m}/{ce}",
        f"{day}/{m}/{be}",
        f"{ce}-{m:02d}-{day:02d}",
        f"{th} {be}",
        f"{th} พ.ศ. {be}",
        f"เดือน{th} {be}",
        f"{abbr} {be}",
        f"{abbr}{be}",
        f"{day} {abbr} {be}",
        f"{en} {ce}",
        f"{en[:3]} {ce}",
        f"{en.upper()} {be}",
        datetime(ce, m, day, 9, 30),
        date(ce, m, day),
    ]
    if 2543 <= be <= 2599:  # two digits: 43 and above are BE
        forms += [f"{abbr} {be % 100}", f"{th} {be % 100:02d}", f"{m}/{be % 100}"]
    if 2000 <= ce <= 2042:  # below 43: CE
        forms += [f"{en[:3]}-{ce % 100:02d}", f"{abbr} ค.ศ. {ce}"]
    raw = draw(st.sampled_from(forms))
    if isinstance(raw, str):
        if draw(st.booleans()):
            raw = raw.translate(THAI)
        raw = draw(SPACES) + raw + draw(SPACES)
    return raw, month(be, m)


@st.composite
def typed_quarters(draw: st.DrawFn) -> tuple[str, Period]:
    """A quarter of a BE fiscal year as typed: (the text, the period)."""
    fy = draw(st.integers(2443, 2700))
    q = draw(st.integers(1, 4))
    ce = be_to_ce(fy)
    forms = [
        f"FY{fy}-Q{q}",
        f"Q{q}/{fy}",
        f"q{q} fy{ce}",
        f"FY{ce} Q{q}",
        f"ไตรมาส {q}/{fy}",
        f"ไตรมาสที่ {q} ปีงบประมาณ {fy}",
    ]
    if 2543 <= fy <= 2599:
        forms.append(f"ไตรมาส {q} ปีงบ {fy % 100}")
    raw = draw(st.sampled_from(forms))
    if draw(st.booleans()):
        raw = raw.translate(THAI)
    return raw, quarter(fy, q)


@QUICK
@given(st.one_of(typed_months(), typed_quarters()))
def test_a_period_typed_any_way_reads_back_as_the_same_period(case: tuple[object, Period]) -> None:
    raw, period = case
    assert period_of(raw) == period
    assert period_of(str(period)) == period  # and its canonical text reads back as itself


@QUICK
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙-/ .QqFYfyมิยไตรมาส"),
        st.integers(),
        st.floats(),
        st.none(),
        st.dates(),
        st.datetimes(),
    ),
    st.none() | st.integers(2400, 2700),
)
def test_anything_in_a_period_cell_is_read_as_a_period_or_refused(
    raw: object, fiscal_year: int | None
) -> None:
    try:
        found = period_of(raw, fiscal_year)
    except TypedError:
        return
    assert isinstance(found, Period)
    assert period_of(str(found)) == found


def test_a_date_outside_the_years_of_the_grammar_is_refused_not_a_crash() -> None:
    # found by the property above: a date cell of 2158 or 9999 raised PeriodError
    with pytest.raises(TypedError) as info:
        period_of(date(2158, 10, 1))
    assert info.value.expected.endswith("(fiscal year 2701 is not a BE year (2400–2700))")
    with pytest.raises(TypedError):
        period_of(datetime(9999, 12, 31))


@pytest.mark.parametrize("typed", ["มิ.ย. 0000", "June 0024", "06/0099", "Q3/0067", date(24, 6, 1)])
def test_a_year_of_four_digits_below_1000_is_refused_not_read_as_two(typed: object) -> None:
    # found while writing the properties: 'มิ.ย. 0000' read as June 2543 (00 taken for BE 2543)
    with pytest.raises(TypedError) as info:
        period_of(typed)
    assert "is not a year)" in info.value.expected


# --- template → fill → import ------------------------------------------------------------------

#: Values an officer types: whole or with up to two decimals, as numbers or as text.
VALUES = decimals(max_digits=6, max_places=2).map(abs)


Round = tuple[dict[str, dict[str, Decimal]], str, str, dict[str, tuple[object, Decimal]]]


@st.composite
def rounds(draw: st.DrawFn) -> Round:
    """Random allocations of two key results (a sum of things, a percentage level) over the
    four districts, an agency, a month of FY 2567, and what the agency types for each key
    result: (allocations, agency, period, key result → (what is typed, its value))."""
    things = {d: draw(VALUES) + 1 for d in DISTRICTS}
    levels = {d: Decimal(draw(st.integers(1, 100))) for d in DISTRICTS}
    agency = draw(st.sampled_from(DISTRICTS))
    m = draw(st.integers(1, 12))
    period = str(month(2566 if m >= 10 else 2567, m))  # FY 2567: October 2566 – September 2567
    typed: dict[str, tuple[object, Decimal]] = {}
    for kr in sorted(draw(st.sets(st.sampled_from(["things", "level"]), min_size=1))):
        value = draw(VALUES if kr == "things" else st.integers(0, 100).map(Decimal))
        typed[kr] = (draw(ways_to_type(value, kr == "level")), value)
    return {"things": things, "level": levels}, agency, period, typed


def ways_to_type(value: Decimal, percent: bool) -> st.SearchStrategy[object]:
    whole, _, fraction = f"{value:f}".partition(".")
    text = grouped(whole, ",") + ("." + fraction if fraction else "")
    forms: list[object] = [
        float(value) if fraction else int(value),
        f"{value:f}",
        text,
        text.translate(THAI),
        f"\u00a0{text} ",
    ]
    if percent:
        forms.append(f"{value:f}%")
    return st.sampled_from(forms)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rounds())
def test_a_filled_template_imports_exactly_what_was_typed(case: Round) -> None:
    allocations, agency, period, typed = case
    things = key_result(
        "things",
        float(sum(allocations["things"].values())),
        allocations={d: float(v) for d, v in allocations["things"].items()},
    )
    level = key_result(
        "level",
        100,
        measure="level",
        aggregate="share-at-target",
        unit="percent",
        allocations={d: float(v) for d, v in allocations["level"].items()},
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        root = write_dataset(tmp_path, [policy("round", [things, level])])
        assert run("validate", str(root))[0] == 0
        template = make_template(root, tmp_path, agency, period)
        filled = fill_template(template, {kr: raw for kr, (raw, _) in typed.items()})

        code, out = import_(root, str(filled))
        assert code == 0, out
        assert f"{len(typed)} added, 0 changed, 0 unchanged" in out
        stored = {(r["key_result"], r["period"]): r["value"] for r in stored_rows(root, agency)}
        assert stored == {(kr, period): plain(float(v)) for kr, (_, v) in typed.items()}
        assert run("validate", str(root))[0] == 0

        code, out = import_(root, str(filled))
        assert code == 0, out
        assert f"0 added, 0 changed, {len(typed)} unchanged" in out


def stored_rows(root: Path, agency: str) -> list[dict[str, str]]:
    path = root / "reports" / "2567" / f"{agency}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))

"""Reading what people type into a spreadsheet: numbers and periods as officers write them.

Numbers: Thai digits (๐–๙), thousands separators, a trailing ``%``, spaces and non-breaking
spaces, numbers stored as text, and ``-`` or a blank cell for "not reported".

Periods: the canonical grammar of ``fiscal.py`` (``2567-06``, ``FY2567-Q3``), and months and
dates in BE or CE, Thai month names and abbreviations (``มิ.ย. 67``, ``มิถุนายน 2567``), English
month names (``June 2024``, ``Jun-24``), numeric forms (``06/2567``, ``2024-06``, ``30/6/2567``)
and fiscal quarters (``Q3/2567``, ``ไตรมาส 3 ปีงบประมาณ 2567``).

Every function raises ``TypedError`` with what was found and what was expected; none prints.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from okrtool.fiscal import (
    MIN_BE_YEAR,
    THAI_MONTH_ABBR,
    THAI_MONTHS,
    Period,
    PeriodError,
    ce_to_be,
    month,
    parse_period,
    quarter,
)
from okrtool.model import CONTROL_CHARS

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: Characters that look like a space (non-breaking, thin, zero-width, ideographic, BOM).
_SPACE_LIKE = str.maketrans(dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u3000\t\r\n", " "))
# zero-width spaces and joiners, the BOM, and the direction marks and embeddings that text
# copied from right-to-left documents carries: none of them is ever meant as part of a value
_INVISIBLE = str.maketrans(
    dict.fromkeys(
        "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069"
    )
)
_DASHES = str.maketrans(dict.fromkeys("\u2212\u2013\u2014\u2010\u2011\ufe63\uff0d", "-"))
#: What a cell says when there is nothing to report.
NOT_REPORTED_TEXTS = frozenset({"", "-", "--", "---"})
#: Excel's error values, as a cached formula result shows them.
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)
#: Excel shows 15 significant digits; more are floating-point noise of a calculation.
SIGNIFICANT_DIGITS = 15

#: A report value is below 10**15 and, unless 0, at least 10**-6: Excel keeps 15 significant
#: digits, so a number with more before the point is not what was typed (and nothing a city
#: counts runs so high); one that small is a calculation's noise or a slip, and either would
#: print as a line of 300 digits in every table.
LARGEST = 10.0**SIGNIFICANT_DIGITS
SMALLEST = 1e-6
SENSIBLE = (
    "a number below 1,000,000,000,000,000 (15 digits, what Excel keeps) and, unless 0, at "
    "least 0.000001"
)
#: The most digits a number typed as text may have: twice what Excel keeps is a paste gone wrong.
MOST_DIGITS = 2 * SIGNIFICANT_DIGITS

# digits, grouped by 3 with ',' or ' ' (1,234,567 / 1 234 567) or not grouped, then decimals
_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)?(?:\.\d*)?$")
NUMBER_EXAMPLES = "like 1234, 1,234.5, ๑๒๓๔ or 57.05%"


class TypedError(ValueError):
    """A cell that could not be read: ``found`` is what it held, ``expected`` what was wanted."""

    def __init__(self, found: str, expected: str) -> None:
        super().__init__(f"found {found}, expected {expected}")
        self.found = found
        self.expected = expected


class NotFinite(str):
    """A number cell holding a number that is not finite (``<v>inf</v>``, ``nan`` or ``1e999``
    in a damaged or forged file), as a reader hands it on: text (``inf``, ``nan``), so that no
    reader of a text column takes it for a number, and a number column refuses it at its cell
    (``number``); ``shown`` names it. Excel never saves one."""

    __slots__ = ()


#: How a message names a ``NotFinite`` cell.
NOT_FINITE = "a number that is not finite"


class Number(NamedTuple):
    """A number read from a cell; ``percent`` if it was written or formatted as a percentage."""

    value: float
    percent: bool = False


def normalize(text: str) -> str:
    """Thai digits to ASCII, every kind of space to one plain space, dashes to '-', stripped."""
    if text.isascii() and text.isprintable() and "  " not in text:
        return text.strip()  # most cells (ids, periods, numbers): nothing to translate
    text = text.translate(THAI_DIGITS).translate(_INVISIBLE).translate(_SPACE_LIKE)
    return re.sub(" +", " ", text.translate(_DASHES)).strip()


#: Every way a line can end (Windows' CR LF, old Mac's CR, Unicode's NEL, line and paragraph
#: separators; YAML 1.1 takes the last three for line breaks too): each becomes "\n".
_LINE_ENDS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_CONTROL = re.compile(CONTROL_CHARS)
#: How to mend a cell that ``free_text`` refuses.
CONTROL_HINT = (
    "retype the text in the cell: such a character comes with text copied from another program"
)


def free_text(raw: object) -> str:
    """What somebody wrote in a title, an objective or a note, kept as written: only trimmed of
    surrounding spaces, with every line end as "\\n" (Alt+Enter in a cell) and in Unicode's
    composed form (NFC: a tone mark typed before or after a vowel below, or an é typed as e and
    an accent, is one and the same text, shown the same). Thai digits, dashes, spaces inside
    are not touched (``normalize`` is for numbers, ids and choices). A number is written plain
    (2567, not 2567.0). Raises TypedError for a control character (other than tab and line
    ends), which neither a data file's title nor a workbook may hold."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return plain(float(raw))
    text = unicodedata.normalize("NFC", _LINE_ENDS.sub("\n", str(raw))).strip()
    found = _CONTROL.search(text)
    if found is not None:
        at = found.start()
        raise TypedError(
            f"the control character U+{ord(found.group()):04X} at character {at + 1} of "
            f"{shown(text)}",
            "text without control characters",
        )
    return text


def same_text(typed: str, current: str | None) -> bool:
    """Whether ``typed`` (as ``free_text`` read it) is the text ``current`` holds: equal once
    both are composed (NFC), so that a title the data holds decomposed is not rewritten by a
    sheet that shows it unchanged."""
    return current is not None and unicodedata.normalize("NFC", current) == typed


#: What people write before a district's name: สำนักงานเขตบางรัก, เขตบางรัก, Bang Rak District.
AGENCY_PREFIXES = ("สำนักงานเขต", "เขต", "สำนักงาน", "district office", "district")


def strip_agency_prefix(text: str) -> str:
    """``text`` without a leading 'สำนักงานเขต', 'เขต', 'District' (any case) and the like."""
    low = text.lower()
    for prefix in AGENCY_PREFIXES:
        if low.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def shown(raw: object) -> str:
    """A cell value as a message shows it: text in quotes, numbers plain, dates as dates."""
    if raw is None:
        return "an empty cell"
    if isinstance(raw, NotFinite):
        return NOT_FINITE
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, datetime):
        return f"the date {raw.date().isoformat()}"
    if isinstance(raw, date):
        return f"the date {raw.isoformat()}"
    if isinstance(raw, time):
        return f"the time {raw.isoformat(timespec='seconds' if raw.second else 'minutes')}"
    if isinstance(raw, float | int):
        try:
            value = float(raw)
        except OverflowError:
            return "a number too large to read"
        if not math.isfinite(value) or not (value == 0 or 1e-6 <= abs(value) < 1e21):
            # not 300 digits in a message
            return format(value, f".{SIGNIFICANT_DIGITS}g")
        return plain(value)
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def plain(value: float) -> str:
    """A number as a plain decimal: no exponent, no separators, no trailing '.0' (4377, 991.5)."""
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    text = format(Decimal(format(value, f".{SIGNIFICANT_DIGITS}g")).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _excel_float(value: float) -> float:
    """A float from a cell, rid of the noise digits past what Excel shows."""
    return float(format(value, f".{SIGNIFICANT_DIGITS}g"))


def is_not_reported(raw: object) -> bool:
    """True for a blank cell, spaces only, or a dash: the officer has nothing to report."""
    if raw is None:
        return True
    return isinstance(raw, str) and normalize(raw) in NOT_REPORTED_TEXTS


def number(raw: object, number_format: str = "General", units: tuple[str, ...] = ()) -> Number:
    """Read a typed number. A cell formatted as a percentage (Excel stores 57 % as 0.57) and a
    text ending in '%' come back as percent numbers (57.0, percent=True). ``units`` are words
    allowed after the number (``4,377 ต้น``). Raises TypedError; check ``is_not_reported`` first."""
    if isinstance(raw, bool) or raw is None:
        raise TypedError(shown(raw), f"a number ({NUMBER_EXAMPLES})")
    if isinstance(raw, NotFinite):
        raise TypedError(NOT_FINITE, "a number")
    if isinstance(raw, datetime | date | time):
        what = "a time" if isinstance(raw, time) else "a date"
        raise TypedError(
            shown(raw),
            f"a number; Excel turned what was typed into {what}: format the cell as Number "
            "and type the number again",
        )
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int of more digits than a float holds
            raise TypedError(shown(raw), SENSIBLE) from None
        if not math.isfinite(value):
            raise TypedError(NOT_FINITE, "a number")
        value = _excel_float(value)  # the largest floats round up to inf: too large, below
        if is_percent_format(number_format):
            return _sensible(raw, Number(float(Decimal(repr(value)) * 100), True))
        return _sensible(raw, Number(value))
    text = normalize(str(raw))
    if text.upper() in EXCEL_ERRORS:
        raise TypedError(
            f"the Excel error {text.upper()}", "a number: fix the formula or type the number"
        )
    body, percent = text, False
    for unit in sorted(units, key=len, reverse=True):
        if unit and body.lower().endswith(unit.lower()):
            body = body[: -len(unit)].rstrip()
            break
    if body.endswith("%"):
        body, percent = body[:-1].rstrip(), True
    if body.startswith("+"):
        body = body[1:]
    if not _NUMBER_RE.match(body) or not any(c.isdigit() for c in body):
        raise TypedError(shown(raw), f"a number ({NUMBER_EXAMPLES})")
    try:
        value = Decimal(body.replace(",", "").replace(" ", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise TypedError(shown(raw), f"a number ({NUMBER_EXAMPLES})") from None
    if not math.isfinite(float(value)):  # 400 digits: inf, which no report file can hold
        raise TypedError(shown(raw), SENSIBLE)
    digits = sum(c.isdigit() for c in body)
    if digits > MOST_DIGITS:
        raise TypedError(
            f"{shown(raw)} ({digits:,} digits)", f"a number of at most {MOST_DIGITS} digits"
        )
    return _sensible(raw, Number(_excel_float(float(value)), percent))


def is_percent_format(number_format: str) -> bool:
    """Whether a cell's number format shows its value as a percentage (57 % stored as 0.57): a
    ``%`` outside quoted text (``0" %"`` shows the number itself, with a % sign after it)."""
    return "%" in re.sub(r'"[^"]*"', "", number_format)


class AmbiguousPercent(TypedError):
    """A number between 0 and 1 in a percent column, typed with neither a % sign nor a percentage
    format: 0.4 may be 0.4 % or 40 % written as a fraction, and nothing in the cell says which."""

    def __init__(self, raw: object, value: float) -> None:
        super().__init__(
            f"{shown(raw)} in a cell not formatted as a percentage ({plain(value)} % or "
            f"{plain(value * 100)} %?)",
            "a percentage from 0 to 100",
        )
        self.value = value
        self.hint = (
            f"type {plain(value * 100)} for {plain(value * 100)} %; for less than 1 %, type it "
            f"with the sign: {plain(value)}%"
        )


def percent_points(raw: object, number_format: str = "General") -> float:
    """A value of a column whose unit is percent, in percentage points (40 for 40 %): the one
    rule for a percent column. A % sign typed, or a percentage format (0% stores 40 % as 0.4),
    says the number is a percentage and is read as such; a plain number is taken as points, as
    the column asks (0–100), except one between 0 and 1, which may be a fraction: refused
    (``AmbiguousPercent``), since a percent complete of 0.4 % and one of 40 % are both likely.
    Raises TypedError; check ``is_not_reported`` first."""
    return as_percent_points(raw, number(raw, number_format))


def as_percent_points(raw: object, read: Number) -> float:
    """``percent_points`` of a cell already read (``read = number(raw, ...)``)."""
    if not read.percent and 0 < read.value < 1:
        raise AmbiguousPercent(raw, read.value)
    return read.value


def is_sensible(value: float) -> bool:
    """True if ``value`` has a size a report value can have (see LARGEST): the one rule of
    import-reports (a cell) and validate (a report file's value)."""
    return -LARGEST < value < LARGEST and not (value and -SMALLEST < value < SMALLEST)


def _sensible(raw: object, read: Number) -> Number:
    """``read``, unless its size is absurd for a report value (``is_sensible``): TypedError
    then."""
    if not is_sensible(read.value):
        raise TypedError(shown(raw), SENSIBLE)
    return read


# --- periods ----------------------------------------------------------------------------------

_THAI_MONTHS = " ".join(THAI_MONTHS)
_THAI_ABBR = " ".join(m.replace(".", "") for m in THAI_MONTH_ABBR)
_EN_MONTHS = "january february march april may june july august september october november december"
#: month name or abbreviation (dots removed, lower case) → month number
MONTH_NAMES: dict[str, int] = {}
for _names in (_THAI_MONTHS, _THAI_ABBR, _EN_MONTHS):
    MONTH_NAMES.update({name: n for n, name in enumerate(_names.split(" "), 1)})
MONTH_NAMES.update({name[:3]: n for n, name in enumerate(_EN_MONTHS.split(" "), 1)})
MONTH_NAMES.update({"sept": 9, "กพ": 2, "กุมภา": 2, "มิถุนา": 6})

_MONTH_ALT = "|".join(sorted(map(re.escape, MONTH_NAMES), key=len, reverse=True))
_BE_MARK, _CE_MARK = "พศ", "คศ"
_ERA = rf"(?:({_BE_MARK}|{_CE_MARK}|be|ce|ad)\s*)?"
# [day] month-name [era] year:  มิย 67 / 1 มิถุนายน 2567 / June 2024 / jun-24 / มิย พศ 2567
_NAMED_RE = re.compile(rf"^(?:(\d{{1,2}})\s*)?({_MONTH_ALT})\s*{_ERA}(\d{{2}}|\d{{4}})$")
# year-month[-day] / month-year / day-month-year, with '-' '/' or ' ' between
_YM_RE = re.compile(r"^(\d{4})[-/ ](\d{1,2})(?:[-/ ](\d{1,2}))?$")
_MY_RE = re.compile(r"^(?:(\d{1,2})[-/ ])?(\d{1,2})[-/ ](\d{4}|\d{2})$")
# quarters: q3/2567, fy2567-q3, q3 fy2024, ไตรมาส 3/2567, ไตรมาสที่ 3 ปีงบประมาณ 2567
_QUARTER_WORD = r"(?:q|ไตรมาสที่|ไตรมาส)\s*([1-4])"
_FY_WORD = r"(?:fy|ปีงบประมาณ|ปีงบ|ปี)?\s*(\d{4}|\d{2})"
_QUARTER_RE = (
    re.compile(rf"^{_QUARTER_WORD}\s*(?:[-/ ,]\s*)?(?:{_FY_WORD})?$"),
    re.compile(rf"^{_FY_WORD}\s*[-/ ,]?\s*{_QUARTER_WORD}$"),
)

PERIOD_EXAMPLES = (
    "a month like 2567-06, มิ.ย. 67, มิถุนายน 2567, June 2024 or 06/2567, "
    "or a fiscal quarter like FY2567-Q3 or ไตรมาส 3/2567"
)


def be_year(year: int, era: str | None = None) -> int:
    """A year as typed (2567, 2024, 67, 24) → a BE year. Two digits: with a BE or CE mark as
    marked, else 43 and above are BE (2543 = CE 2000) and below are CE (24 → 2024 → 2567)."""
    if era in (_CE_MARK, "ce", "ad"):
        year = year + 2000 if year < 100 else year
        return ce_to_be(year)
    if year < 100:
        if era in (_BE_MARK, "be") or year >= 43:
            return 2500 + year
        return ce_to_be(2000 + year)
    if year < MIN_BE_YEAR and era not in (_BE_MARK, "be"):
        return ce_to_be(year)
    return year


def period_of(raw: object, fiscal_year: int | None = None) -> Period:
    """Read a typed month or quarter (BE or CE, Thai or English); ``fiscal_year`` completes a
    quarter typed without its year. Raises TypedError."""
    if isinstance(raw, datetime | date):
        try:
            return month(_year(str(raw.year).zfill(4)), raw.month)
        except PeriodError as exc:  # a date of year 2399 or 9999
            raise TypedError(shown(raw), f"{PERIOD_EXAMPLES} ({exc})") from None
    if raw is None or isinstance(raw, bool | int | float):
        raise TypedError(shown(raw), PERIOD_EXAMPLES)
    text = normalize(str(raw))
    try:
        return parse_period(text)
    except PeriodError:
        pass
    key = re.sub(r"(?<=\D)\.|\.(?=\D)|\.$", "", text.lower())  # dots of abbreviations, not 1.5
    key = re.sub(r"^(?:เดือน|ประจำเดือน)\s*", "", key)
    try:
        found = _month_or_quarter(key, fiscal_year)
    except PeriodError as exc:
        raise TypedError(shown(raw), f"{PERIOD_EXAMPLES} ({exc})") from None
    if found is None:
        raise TypedError(shown(raw), PERIOD_EXAMPLES)
    return found


def _month_or_quarter(key: str, fiscal_year: int | None) -> Period | None:
    m = _NAMED_RE.match(key.replace(",", " ").replace("-", " ").replace("/", " "))
    if m:
        day, name, era, year = m.groups()
        _check_day(day)
        return month(_year(year, era), MONTH_NAMES[name])
    m = _YM_RE.match(key)
    if m and len(m.group(1)) == 4:
        year, mon, day = m.groups()
        _check_day(day)
        return month(_year(year), int(mon))
    m = _MY_RE.match(key)
    if m:
        day, mon, year = m.groups()
        _check_day(day)
        return month(_year(year), int(mon))
    for pattern in _QUARTER_RE:
        m = pattern.match(key)
        if not m:
            continue
        groups = m.groups()
        number, year = (groups[0], groups[1]) if pattern is _QUARTER_RE[0] else groups[::-1]
        if year is None:
            if fiscal_year is None:
                raise PeriodError("a quarter needs its fiscal year")
            return quarter(fiscal_year, int(number))
        return quarter(_year(year), int(number))
    return None


def _year(digits: str, era: str | None = None) -> int:
    """A year as typed, two or four digits, as a BE year (``be_year``); four digits below 1000
    (``0000``, ``0024``) are no year, not a two-digit one."""
    if len(digits) > 2 and int(digits) < 1000:
        raise PeriodError(f"year {digits} is not a year")
    return be_year(int(digits), era)


def _check_day(day: str | None) -> None:
    if day is not None and not 1 <= int(day) <= 31:
        raise PeriodError(f"day {day} is not 1–31")

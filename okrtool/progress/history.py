"""The history of one key result: its figures at the end of each reporting period of the year.

Every figure of a period is the one ``status`` gives as of that period's last day: the running
figure, expected by then and the status come from ``key_result_row`` (the city) or ``own_row``
(``--agency``) with the as-of day moved to the period's end, so a history can never disagree
with the status table of that day. What this module adds is the period's own value (the values
that became counted in it, combined by the key result's ``aggregate`` rule), the list of periods
and, with ``--years N``, the same key result in earlier fiscal years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from okrtool.dataset import Dataset
from okrtool.errors import UsageError
from okrtool.fiscal import (
    Period,
    ce_to_be,
    elapsed_fraction,
    fiscal_year_bounds,
    fiscal_year_of,
    month,
    quarter,
)
from okrtool.model import KeyResult, ReportValue
from okrtool.progress.figures import agency_actuals, agency_figures, aggregate, expected_by_now
from okrtool.progress.filters import (
    DEFINITIONS,
    Lang,
    Note,
    Query,
    Scope,
    resolve,
    resolve_scope,
    today,
)
from okrtool.progress.frequency import by_quarter
from okrtool.progress.names import agency_name
from okrtool.progress.rows import AgencyRow, KeyResultRow, clean_number
from okrtool.progress.tables import (
    agency_rows,
    beside_note,
    beside_rows,
    key_result_row,
    own_row,
)


@dataclass
class HistoryRow:
    """One reporting period of a key result: what was reported in it, and the figures of
    ``status`` as of its last day (None for a period that ends after the as-of day)."""

    fiscal_year: int
    period: Period
    key_result: str
    #: The key result's target that year (with ``--agency``, the agency's allocation).
    target: float
    #: The values that became counted in this period, combined by the key result's aggregate
    #: rule (one agency's own value with ``--agency``); None if nobody reported in it.
    value: float | None
    #: How many allocated agencies reported a value in this period.
    reported: int
    allocated: int
    #: The period ends after the as-of day: only ``expected`` is known.
    future: bool
    actual: float | None
    percent: float | None
    expected: float | None
    expected_percent: float
    #: Where ``expected`` stands, in percent of the way to the target: the share of the year
    #: gone; for share-at-target, the share of the agencies on track or done.
    expected_progress: float | None
    status: str | None
    #: The whole status row as of the period's end (None for a future period).
    row: KeyResultRow | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data."""
        return {
            "fiscal_year": self.fiscal_year,
            "period": str(self.period),
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "key_result": self.key_result,
            "target": clean_number(self.target),
            "value": clean_number(self.value),
            "reported": self.reported,
            "allocated": self.allocated,
            "actual": clean_number(self.actual),
            "percent": clean_number(self.percent),
            "expected": clean_number(self.expected),
            "expected_percent": clean_number(self.expected_percent),
            "expected_progress": clean_number(self.expected_progress),
            "status": self.status,
            "future": self.future,
        }


@dataclass
class HistoryReport:
    """``okrtool history``: a key result's periods, oldest first, and what they are about."""

    as_of: date
    lang: Lang
    #: The key result's status row as of the as-of day (names, unit, target, status now).
    current: KeyResultRow
    rows: list[HistoryRow]
    #: The fiscal year of the as-of day's key result, and every year shown (oldest first).
    fiscal_year: int
    fiscal_years: list[int]
    agency: str | None = None
    agency_name: str | None = None
    notes: tuple[Note, ...] = ()
    today: date | None = None

    @property
    def counted(self) -> list[HistoryRow]:
        """The periods ended on or before the as-of day."""
        return [r for r in self.rows if not r.future]

    @property
    def reported(self) -> bool:
        """True if any value was counted in any period shown."""
        return any(r.value is not None for r in self.counted)

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        c = self.current
        return {
            "key_result": c.key_result,
            "title": c.title,
            "policy": c.policy,
            "policy_title": c.policy_title,
            "host": c.host,
            "host_name": c.host_name,
            "agency": self.agency,
            "agency_name": self.agency_name,
            "unit": c.unit,
            "unit_name": c.unit_name,
            "direction": c.direction,
            "measure": c.measure,
            "aggregate": c.aggregate,
            "baseline": clean_number(c.baseline),
            "target": clean_number(c.target),
            "as_of": self.as_of.isoformat(),
            "fiscal_year": self.fiscal_year,
            "fiscal_years": self.fiscal_years,
            "actual": clean_number(c.actual),
            "percent": clean_number(c.percent),
            "status": c.status,
            "periods": len(self.rows),
            "notes": [n.en for n in self.notes],
            "definitions": DEFINITIONS,
        }


@dataclass
class HistoryAgencyRow:
    """``history --by district``: one agency's row of ``status --by`` as of the as-of day, and
    its running figure at the end of each period (None once the period is after the as-of day
    or before its first value)."""

    row: AgencyRow
    running: list[float | None]

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data: the status --by row and the running figures."""
        return {**self.row.to_dict(), "running": [clean_number(x) for x in self.running]}


@dataclass
class HistoryByReport:
    """``okrtool history --by``: the key result's agencies, worst first, with their trend."""

    history: HistoryReport
    by: str
    periods: list[Period]
    rows: list[HistoryAgencyRow]

    def header(self) -> dict[str, Any]:
        """The history's header, the grouping and the periods of the trend."""
        return {
            **self.history.header(),
            "by": self.by,
            "trend_periods": [str(p) for p in self.periods],
        }


# --- which key result, which periods ----------------------------------------------------------


def resolve_key_result(ds: Dataset, text: str) -> str:
    """The key result ``text`` names (an id, a title or a unique part of one); UsageError with
    the closest match otherwise."""
    return resolve("key result", text, ds.key_results)


def fiscal_year_of_key_result(ds: Dataset, kr_id: str) -> int:
    """The fiscal year of the OKR a key result belongs to."""
    return ds.okrs[ds.kr_okr[kr_id]].fiscal_year


def same_key_result(ds: Dataset, kr_id: str, fiscal_year: int) -> str | None:
    """The key result of the same policy that stands for ``kr_id`` in ``fiscal_year``: the one
    with the same English title, else the one at the same place in the policy's key results
    (sub-targets counted); None if the policy has none that year."""
    kr = ds.key_results[kr_id]
    policy = ds.policies[ds.kr_policy[kr_id]]
    own_year = fiscal_year_of_key_result(ds, kr_id)
    if fiscal_year == own_year:
        return kr_id
    mine = [k.id for okr, k in ds.iter_key_results(policy) if okr.fiscal_year == own_year]
    theirs = [k for okr, k in ds.iter_key_results(policy) if okr.fiscal_year == fiscal_year]
    for other in theirs:
        if other.title_en == kr.title_en:
            return other.id
    place = mine.index(kr_id)
    return theirs[place].id if place < len(theirs) else None


def history_periods(kr: KeyResult, values: list[ReportValue], fiscal_year: int) -> list[Period]:
    """The reporting periods of a key result's year: its four quarters when every value of the
    year is for a quarter, else its twelve months (a quarter's value then counts in the month
    the quarter ends, as it does in ``status``)."""
    of_year = [rv for rv in values if rv.fiscal_year == fiscal_year]
    if by_quarter(rv.period for rv in of_year):
        return [quarter(fiscal_year, n) for n in range(1, 5)]
    start, _ = fiscal_year_bounds(fiscal_year)
    out = []
    for i in range(12):
        m = (start.month - 1 + i) % 12 + 1
        ce = start.year + (1 if m < start.month else 0)
        out.append(month(ce_to_be(ce), m))
    return out


def history_years(text: str, as_of: date, years: int = 1) -> Callable[[Dataset], set[int]]:
    """The fiscal years whose reports ``okrtool history`` needs, as a function of the plan."""

    def needed(ds: Dataset) -> set[int]:
        try:
            kr_id = resolve_key_result(ds, text)
        except UsageError:
            return {fiscal_year_of(as_of)}  # history_report says what is wrong with it
        fy = _year_shown(ds, kr_id, as_of)[0]
        return set(range(fy - years + 1, fy + 1))

    return needed


def _year_shown(ds: Dataset, kr_id: str, as_of: date) -> tuple[int, str, list[Note]]:
    """The fiscal year a history shows and its key result: the year of the as-of day if the
    key result's policy has it for that year, else the key result's own year (with a note)."""
    own = fiscal_year_of_key_result(ds, kr_id)
    wanted = fiscal_year_of(as_of)
    if wanted == own:
        return own, kr_id, []
    there = same_key_result(ds, kr_id, wanted)
    if there is not None:
        return (
            wanted,
            there,
            [
                Note(
                    f"{kr_id} is a key result of FY {own}; showing {there}, its counterpart in "
                    f"FY {wanted}, the year of {as_of.isoformat()}",
                    f"{kr_id} เป็นตัวชี้วัดของปีงบประมาณ {own}; แสดง {there} ซึ่งเป็นตัวชี้วัดเดียวกัน"
                    f"ของปีงบประมาณ {wanted} (ปีของวันที่ {as_of.isoformat()})",
                )
            ],
        )
    start, end = fiscal_year_bounds(own)
    if as_of > end:
        note = Note(
            f"{kr_id} is a key result of FY {own}, over on {end.isoformat()}: every period "
            "is judged as of its end",
            f"{kr_id} เป็นตัวชี้วัดของปีงบประมาณ {own} ซึ่งสิ้นสุดแล้ววันที่ {end.isoformat()}: "
            "ทุกงวดประเมิน ณ วันสิ้นงวด",
        )
    else:
        note = Note(
            f"{kr_id} is a key result of FY {own}, which starts on {start.isoformat()}: as of "
            f"{as_of.isoformat()} no period of it has ended",
            f"{kr_id} เป็นตัวชี้วัดของปีงบประมาณ {own} ซึ่งเริ่มวันที่ {start.isoformat()}: "
            f"ณ วันที่ {as_of.isoformat()} ยังไม่มีงวดใดสิ้นสุด",
        )
    return own, kr_id, [note]


# --- the figures of each period ----------------------------------------------------------------


def _by_agency(values: list[ReportValue]) -> dict[str, list[ReportValue]]:
    out: dict[str, list[ReportValue]] = defaultdict(list)
    for rv in values:
        out[rv.agency].append(rv)
    return out


def _scope(ds: Dataset, kr_id: str, fy: int, as_of: date, agency: str | None, lang: Lang) -> Scope:
    """The scope ``status --policy KR [--agency A] --as-of DAY`` resolves to."""
    return resolve_scope(
        ds, Query(as_of=as_of, fiscal_year=fy, policy=kr_id, agency=agency, lang=lang)
    )


#: key result → its report values (every agency), in file order; see ``reports_index``.
ReportIndex = Mapping[str, list[ReportValue]]


def reports_index(ds: Dataset, key_results: Collection[str] | None = None) -> ReportIndex:
    """key result → its values, in file order (of ``key_results`` only, if given), in one pass
    over the reports. A caller making many histories (a brief) builds it once and passes it."""
    out: dict[str, list[ReportValue]] = defaultdict(list)
    for rv in ds.reports:
        if key_results is None or rv.key_result in key_results:
            out[rv.key_result].append(rv)
    return out


def _year_rows(
    ds: Dataset,
    kr_id: str,
    fy: int,
    as_of: date,
    agency: str | None,
    lang: Lang,
    index: ReportIndex,
) -> list[HistoryRow]:
    """The history rows of one key result's fiscal year."""
    kr = ds.key_results[kr_id]
    policy = ds.policies[ds.kr_policy[kr_id]]
    allocations = ds.allocations(kr_id)
    of_year = [rv for rv in index.get(kr_id, ()) if rv.fiscal_year == fy]
    values = of_year
    if agency is not None:
        values = [rv for rv in values if rv.agency == agency]
    target = allocations[agency] if agency is not None else kr.target
    count_target = aggregate(kr, {}, allocations).count_target if agency is None else None
    rows = []
    previous_end = date.min
    for period in history_periods(kr, values, fy):
        in_period = [rv for rv in values if previous_end < rv.period.end <= period.end]
        previous_end = period.end
        of_period = agency_actuals(kr, _by_agency(in_period))
        if agency is not None:
            value = of_period[agency].value if agency in of_period else None
            allocated = 1
        else:
            value = aggregate(kr, of_period, allocations).actual
            allocated = len(allocations)
        reported = sum(1 for a in of_period if a in allocations)
        elapsed = elapsed_fraction(fy, period.end)
        if period.end > as_of:
            rows.append(
                HistoryRow(
                    fiscal_year=fy,
                    period=period,
                    key_result=kr_id,
                    target=target,
                    value=None,
                    reported=0,
                    allocated=allocated,
                    future=True,
                    actual=None,
                    percent=None,
                    expected=_expected_ahead(kr, allocations, agency, elapsed),
                    expected_percent=elapsed * 100,
                    expected_progress=100.0 if count_target is not None else elapsed * 100,
                    status=None,
                )
            )
            continue
        scope = _scope(ds, kr_id, fy, period.end, agency, lang)
        counted = agency_actuals(
            kr, _by_agency([rv for rv in values if rv.period.end <= period.end])
        )
        if agency is not None:
            # own_row reads the other agencies' values too, for the city row beside it
            every = [rv for rv in of_year if rv.period.end <= period.end]
            row = own_row(ds, policy, kr, agency_actuals(kr, _by_agency(every)), scope, agency)
        else:
            row = key_result_row(ds, policy, kr, counted, scope)
        rows.append(
            HistoryRow(
                fiscal_year=fy,
                period=period,
                key_result=kr_id,
                target=target,
                value=value,
                reported=reported,
                allocated=allocated,
                future=False,
                actual=row.actual,
                percent=row.percent,
                expected=row.expected,
                expected_percent=row.expected_percent,
                expected_progress=_expected_progress(row),
                status=row.status,
                row=row,
            )
        )
    return rows


def _expected_progress(row: KeyResultRow) -> float | None:
    """Expected by then, in percent of the way to the target (see HistoryRow)."""
    if row.count_target is None:
        return row.expected_percent
    if row.expected is None or not row.count_target:
        return None
    return row.expected / row.count_target * 100


def _expected_ahead(
    kr: KeyResult, allocations: Mapping[str, float], agency: str | None, elapsed: float
) -> float | None:
    """Expected by the end of a period not yet reached, as the status rows have it
    (``expected_by_now``; an agency's from its share of the baseline; share-at-target: how many
    agencies should be on track, that is all of them)."""
    if agency is not None:
        return agency_figures(kr, agency, allocations, None, elapsed, None).expected
    agg = aggregate(kr, {}, allocations)
    if agg.count_target is not None:
        return float(agg.count_target)
    return expected_by_now(agg, kr.direction, elapsed)


def history_report(
    ds: Dataset,
    key_result: str,
    as_of: date,
    agency: str | None = None,
    years: int = 1,
    lang: Lang = "th",
    index: ReportIndex | None = None,
) -> HistoryReport:
    """``okrtool history``: the key result's figures at the end of each reporting period of the
    fiscal year of ``as_of`` (and ``years - 1`` earlier years), each equal to the status row of
    that day; with ``agency``, that agency's own figures against its own allocation. ``index``
    (``reports_index``) saves a pass over every report when making many."""
    if years < 1:
        raise UsageError(f"--years {years} is not a number of years; expected 1 or more")
    kr_id = resolve_key_result(ds, key_result)
    who = resolve("agency", agency, ds.agencies) if agency else None
    fy, kr_id, notes = _year_shown(ds, kr_id, as_of)
    if who is not None and who not in ds.allocations(kr_id):
        bound = ", ".join(ds.allocations(kr_id)) or "none"
        raise UsageError(
            f"agency {who!r} has no allocation on key result {kr_id!r}; agencies with one: {bound}"
        )
    rows: list[HistoryRow] = []
    shown = []
    wanted = {year: same_key_result(ds, kr_id, year) for year in range(fy - years + 1, fy + 1)}
    if index is None:
        index = reports_index(ds, {k for k in wanted.values() if k is not None})
    for year, there in wanted.items():
        if there is None or (who is not None and who not in ds.allocations(there)):
            notes.append(
                Note(
                    f"FY {year}: no key result of this policy stands for {kr_id}",
                    f"ปีงบประมาณ {year}: นโยบายนี้ไม่มีตัวชี้วัดที่ตรงกับ {kr_id}",
                )
            )
            continue
        shown.append(year)
        rows += _year_rows(ds, there, year, as_of, who, lang, index)
    policy = ds.policies[ds.kr_policy[kr_id]]
    kr = ds.key_results[kr_id]
    scope = _scope(ds, kr_id, fy, as_of, who, lang)
    counted = [rv for rv in index.get(kr_id, ()) if rv.fiscal_year == fy and rv.period.end <= as_of]
    actuals = agency_actuals(kr, _by_agency(counted))
    if who is not None:
        current = own_row(ds, policy, kr, actuals, scope, who)
    else:
        current = key_result_row(ds, policy, kr, actuals, scope)
    return HistoryReport(
        as_of=as_of,
        lang=lang,
        current=current,
        rows=rows,
        fiscal_year=fy,
        fiscal_years=shown,
        agency=who,
        agency_name=agency_name(ds, who, lang) if who else None,
        notes=tuple(notes),
        today=today(),
    )


def history_by_report(
    ds: Dataset,
    key_result: str,
    as_of: date,
    by: str = "district",
    lang: Lang = "th",
    index: ReportIndex | None = None,
) -> HistoryByReport:
    """``okrtool history --by district|agency``: the rows of ``status --by`` as of ``as_of``,
    worst first, each with its running figure at the end of every period of the year."""
    history = history_report(ds, key_result, as_of, lang=lang, index=index)
    kr_id = history.current.key_result
    kr = ds.key_results[kr_id]
    fy = fiscal_year_of_key_result(ds, kr_id)
    scope = _scope(ds, kr_id, fy, as_of, None, lang)
    if index is None:
        index = reports_index(ds, {kr_id})
    values = [rv for rv in index.get(kr_id, ()) if rv.fiscal_year == fy]
    counted = agency_actuals(kr, _by_agency([rv for rv in values if rv.period.end <= as_of]))
    rows = agency_rows(ds, kr, counted, by, scope)  # type: ignore[arg-type]
    periods = history_periods(kr, values, fy)
    running: dict[str, list[float | None]] = {r.agency: [] for r in rows}
    for period in periods:
        upto = (
            agency_actuals(kr, _by_agency([rv for rv in values if rv.period.end <= period.end]))
            if period.end <= as_of
            else {}
        )
        for agency, trend in running.items():
            got = upto.get(agency)
            trend.append(got.value if got else None)
    # the departments a --by district table leaves out, named under its header as status does
    beside = beside_note(
        ds,
        ds.policies[ds.kr_policy[kr_id]],
        history.current,
        beside_rows(ds, kr, counted, by, scope),  # type: ignore[arg-type]
    )
    notes = (*history.notes, beside) if beside else history.notes
    return HistoryByReport(
        history=replace(
            history, rows=[r for r in history.rows if r.fiscal_year == fy], notes=notes
        ),
        by=by,
        periods=periods,
        rows=[HistoryAgencyRow(r, running[r.agency]) for r in rows],
    )

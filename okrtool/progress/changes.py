"""What changed since the last meeting: ``status --since DAY`` beside ``status`` of today.

Both sides are the status rows themselves: ``status_report`` (or ``by_report``) as of the
``--since`` day, for the same fiscal year and filters, matched to the rows as of ``--as-of`` by
key result (and agency or zone). Nothing is computed here but the differences and whether the
agencies reported in between, so the figures "then" are always what ``status --as-of DAY``
printed on that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from okrtool.dataset import Dataset
from okrtool.errors import UsageError
from okrtool.fiscal import day_text, fiscal_year_bounds
from okrtool.progress.bands import STATUSES
from okrtool.progress.filters import By, Note, Query
from okrtool.progress.names import zone_of
from okrtool.progress.rows import AgencyRow, ByReport, KeyResultRow, StatusReport, clean_number
from okrtool.progress.tables import by_report, status_report

BETTER, WORSE = "better", "worse"


@dataclass(frozen=True)
class Since:
    """A row's figures on the ``--since`` day and the change to the ``--as-of`` day."""

    as_of: date
    #: False when the row did not exist then (a key result or allocation added since).
    existed: bool
    actual: float | None
    percent: float | None
    status: str | None
    #: Actual now − actual then; percent now − percent then, in points (None if either is).
    change: float | None
    change_points: float | None
    #: BETTER or WORSE when the status moved (by the order of STATUSES, best first), else None.
    moved: str | None
    #: One agency's row: whether it recorded a value for a period that ended after the since
    #: day and on or before the as-of day. A city or zone row: how many of its agencies did.
    reported_since: bool | None = None
    agencies_reported_since: int | None = None

    @property
    def new(self) -> bool:
        """True if the row did not exist on the since day."""
        return not self.existed

    def to_dict(self) -> dict[str, Any]:
        """The figures then and the change, as JSON-able data."""
        return {
            "as_of": self.as_of.isoformat(),
            "new": self.new,
            "actual": clean_number(self.actual),
            "percent": clean_number(self.percent),
            "status": self.status,
            "change": clean_number(self.change),
            "change_points": clean_number(self.change_points),
            "moved": self.moved,
            "reported_since": self.reported_since,
            "agencies_reported_since": self.agencies_reported_since,
        }


def moved(then: str | None, now: str) -> str | None:
    """BETTER or WORSE if the status moved between two days, by the order of STATUSES."""
    if then is None or then == now:
        return None
    return BETTER if STATUSES.index(now) < STATUSES.index(then) else WORSE


def _difference(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def since_of(
    now_actual: float | None,
    now_percent: float | None,
    now_status: str,
    then: KeyResultRow | AgencyRow | None,
    day: date,
) -> Since:
    """The Since of one row from its row on the since day (None: it did not exist then)."""
    if then is None:
        return Since(day, False, None, None, None, None, None, None)
    return Since(
        as_of=day,
        existed=True,
        actual=then.actual,
        percent=then.percent,
        status=then.status,
        change=_difference(now_actual, then.actual),
        change_points=_difference(now_percent, then.percent),
        moved=moved(then.status, now_status),
    )


@dataclass
class ChangedRow:
    """A status row (``status`` or ``status --agency``) and its change since the since day."""

    row: KeyResultRow
    since: Since

    def to_dict(self) -> dict[str, Any]:
        """The status row as JSON, with a ``since`` object."""
        return {**self.row.to_dict(), "since": self.since.to_dict()}


@dataclass
class ChangedAgencyRow:
    """A row of ``status --by`` and its change since the since day."""

    row: AgencyRow
    since: Since

    def to_dict(self) -> dict[str, Any]:
        """The status --by row as JSON, with a ``since`` object."""
        return {**self.row.to_dict(), "since": self.since.to_dict()}


def change_counts(sinces: list[Since]) -> dict[str, int]:
    """How many rows got better, worse, are new, or kept their status."""
    return {
        BETTER: sum(s.moved == BETTER for s in sinces),
        WORSE: sum(s.moved == WORSE for s in sinces),
        "new": sum(s.new for s in sinces),
        "unchanged": sum(s.existed and s.moved is None for s in sinces),
    }


def _since_header(report: ChangeReport | ChangeByReport) -> dict[str, Any]:
    return {
        "since": report.since.isoformat(),
        "changed_only": report.changed_only,
        "changes": report.counts,
        "since_notes": [n.en for n in report.notes],
    }


@dataclass
class ChangeReport:
    """``status --since``: the status rows as of --as-of, each with its change since --since."""

    now: StatusReport
    then: StatusReport
    since: date
    rows: list[ChangedRow]
    changed_only: bool = False
    #: What is compared, when it needs saying (a since day before the fiscal year began).
    notes: tuple[Note, ...] = ()
    #: change_counts over every row (also those --changed-only leaves out).
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def scope(self):  # -> Scope
        """The scope of the table as of --as-of."""
        return self.now.scope

    def header(self) -> dict[str, Any]:
        """The status header, with the since day."""
        return {**self.now.header(), **_since_header(self)}


@dataclass
class ChangedTable:
    """One key result of ``status --by --since``: its city row and its agencies, with changes."""

    key_result: ChangedRow
    by: str
    rows: list[ChangedAgencyRow]


@dataclass
class ChangeByReport:
    """``status --by … --since``: the per-agency tables, each row with its change."""

    now: ByReport
    then: ByReport
    since: date
    tables: list[ChangedTable]
    changed_only: bool = False
    notes: tuple[Note, ...] = ()
    #: change_counts over every agency (or zone) row, also those --changed-only leaves out.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def scope(self):  # -> Scope
        """The scope of the tables as of --as-of."""
        return self.now.scope

    def header(self) -> dict[str, Any]:
        """The status --by header, with the since day."""
        return {**self.now.header(), **_since_header(self)}


# --- building them ------------------------------------------------------------------------------


def _then_query(ds: Dataset, query: Query, since: date, fiscal_year: int) -> Query:
    """The same query on the since day, pinned to the fiscal year shown as of --as-of."""
    if since > query.as_of:
        raise UsageError(
            f"--since {since.isoformat()} is after --as-of {query.as_of.isoformat()}; expected "
            "the day of the last meeting, on or before the as-of day"
        )
    return replace(query, as_of=since, fiscal_year=fiscal_year)


def _what_is_compared(since: date, fiscal_year: int) -> tuple[Note, ...]:
    start, _ = fiscal_year_bounds(fiscal_year)
    if since >= start:
        return ()
    return (
        Note(
            f"--since {day_text(since, 'en')} is before FY {fiscal_year} began "
            f"({day_text(start, 'en')}): the figures then are FY {fiscal_year}'s key results "
            "on that day, with no value counted yet",
            f"--since {day_text(since, 'th')} อยู่ก่อนเริ่มปีงบประมาณ {fiscal_year} "
            f"({day_text(start, 'th')}): ค่า ณ วันนั้นคือตัวชี้วัดของปีงบประมาณ {fiscal_year} "
            "ซึ่งยังไม่มีค่าที่นับได้",
        ),
    )


def _reported_between(
    ds: Dataset, fiscal_year: int, since: date, as_of: date
) -> set[tuple[str, str]]:
    """(key result, agency) of every value for a period that ended after ``since`` and on or
    before ``as_of``."""
    return {
        (rv.key_result, rv.agency)
        for rv in ds.reports
        if rv.fiscal_year == fiscal_year and since < rv.period.end <= as_of
    }


def change_report(
    ds: Dataset, query: Query, since: date, changed_only: bool = False
) -> ChangeReport:
    """``okrtool status --since``: every status row with its figures and status on the since
    day (``status_report`` as of that day), the change, and who reported in between."""
    now = status_report(ds, query)
    fy = now.scope.fiscal_year
    then = status_report(ds, _then_query(ds, query, since, fy))
    before = {(r.key_result, r.agency): r for r in then.rows}
    between = _reported_between(ds, fy, since, query.as_of)
    rows = []
    every = []
    for row in now.rows:
        s = since_of(
            row.actual, row.percent, row.status, before.get((row.key_result, row.agency)), since
        )
        if row.agency is not None:
            s = replace(s, reported_since=(row.key_result, row.agency) in between)
        else:
            allocated = ds.allocations(row.key_result)
            s = replace(
                s, agencies_reported_since=sum((row.key_result, a) in between for a in allocated)
            )
        every.append(s)
        if not changed_only or s.moved:
            rows.append(ChangedRow(row, s))
    notes = _what_is_compared(since, fy)
    return ChangeReport(now, then, since, rows, changed_only, notes, change_counts(every))


def change_by_report(
    ds: Dataset, query: Query, by: By, since: date, changed_only: bool = False
) -> ChangeByReport:
    """``okrtool status --by … --since``: every table of ``by_report`` with each row's change
    since the since day; with ``changed_only`` only the rows whose status moved (a table
    stays if its key result or one of its agencies moved)."""
    now = by_report(ds, query, by)
    fy = now.scope.fiscal_year
    then = by_report(ds, _then_query(ds, query, since, fy), by)
    then_tables = {t.key_result.key_result: t for t in then.tables}
    between = _reported_between(ds, fy, since, query.as_of)
    tables = []
    every = []
    for t in now.tables:
        kr = t.key_result
        old = then_tables.get(kr.key_result)
        head = since_of(kr.actual, kr.percent, kr.status, old.key_result if old else None, since)
        allocated = ds.allocations(kr.key_result)
        head = replace(
            head, agencies_reported_since=sum((kr.key_result, a) in between for a in allocated)
        )
        old_rows = {r.agency: r for r in old.rows} if old else {}
        rows = []
        for r in t.rows:
            s = since_of(r.actual, r.percent, r.status, old_rows.get(r.agency), since)
            if by == "zone":
                members = [a for a in allocated if zone_of(ds, a) == r.agency]
                s = replace(
                    s, agencies_reported_since=sum((kr.key_result, a) in between for a in members)
                )
            else:
                s = replace(s, reported_since=(kr.key_result, r.agency) in between)
            every.append(s)
            if not changed_only or s.moved:
                rows.append(ChangedAgencyRow(r, s))
        if changed_only and not rows and not head.moved:
            continue
        tables.append(ChangedTable(ChangedRow(kr, head), t.by, rows))
    notes = _what_is_compared(since, fy)
    return ChangeByReport(now, then, since, tables, changed_only, notes, change_counts(every))

"""Rows: what a status table holds, by key result and by agency, as plain objects.

The types every renderer prints (terminal, CSV, JSON, markdown, xlsx, site) and computes nothing
from; ``tables`` builds them from ``figures``. ``clean_number`` is how a figure is written to JSON
and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okrtool.fiscal import fiscal_year_bounds
from okrtool.model import Edition
from okrtool.progress.bands import STATUSES, Bands
from okrtool.progress.binding import BindingCount
from okrtool.progress.filters import DEFINITIONS, Note, Scope, scope_filters


@dataclass
class KeyResultRow:
    """One key result's progress: target, actual, percent of target, expected, status."""

    policy: str
    policy_title: str
    key_result: str
    title: str
    parent: str | None
    unit: str
    unit_name: str
    direction: str
    measure: str
    aggregate: str
    host: str
    host_name: str
    baseline: float
    #: The key result's target; for share-at-target, each agency's own level (see ``agencies``).
    target: float
    #: The aggregated actual; for share-at-target, how many agencies reached their target.
    actual: float | None
    #: Percent of the way from the baseline to the target (100 = reached).
    percent: float | None
    #: Where the time of year says the actual should be by now, in the key result's units
    #: (for share-at-target: how many agencies are on track or done), and the share of the
    #: year gone, in percent.
    expected: float | None
    expected_percent: float
    status: str
    #: How many allocated agencies have reported for ``period`` (``report_state``) ...
    reported: int
    allocated: int
    bands: Bands | None
    last_period: str | None
    #: ... and how many have values, all older than ``period``.
    stale: int = 0
    period: str | None = None
    #: How many allocated agencies have each status against their own target, STATUSES order.
    status_counts: dict[str, int] = field(default_factory=dict)
    #: share-at-target only: how many agencies the count of those at target is out of (the
    #: ``target`` stays the level each must reach).
    count_target: int | None = None
    #: Set when the row is one agency's own (``status --agency``); ``city`` is then the key
    #: result's city row, for the column labelled as the city's.
    agency: str | None = None
    city: KeyResultRow | None = None

    @property
    def is_share(self) -> bool:
        """True if the actual counts agencies at their own target (never on an agency's row)."""
        return self.aggregate == "share-at-target" and self.agency is None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data."""
        return {
            "policy": self.policy,
            "policy_title": self.policy_title,
            "key_result": self.key_result,
            "title": self.title,
            "parent": self.parent,
            "host": self.host,
            "host_name": self.host_name,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "direction": self.direction,
            "measure": self.measure,
            "aggregate": self.aggregate,
            "baseline": clean_number(self.baseline),
            "target": clean_number(self.target),
            "actual": clean_number(self.actual),
            "percent": clean_number(self.percent),
            "expected": clean_number(self.expected),
            "expected_percent": clean_number(self.expected_percent),
            "status": self.status,
            "reported": self.reported,
            "allocated": self.allocated,
            "districts": self.bands.to_dict() if self.bands else None,
            "last_period": self.last_period,
            "period": self.period,
            "stale": self.stale,
            "status_counts": self.status_counts,
            "count_target": self.count_target,
            "agency": self.agency,
            "city": self.city.to_dict() if self.city else None,
        }


@dataclass
class StatusReport:
    """The rows of ``okrtool status`` and what they are about (the header)."""

    scope: Scope
    title: str
    rows: list[KeyResultRow]
    #: With ``--agency``: its name; every row is then its own (``own_row``).
    agency_name: str | None = None
    #: The edition of the plan in force in the fiscal year shown (None: no editions listed).
    edition: Edition | None = None
    #: How many own targets are bound, on the key results that record bindings (None: none do).
    binding: BindingCount | None = None

    @property
    def counts(self) -> dict[str, int]:
        """How many key results have each status, in the order of STATUSES."""
        out = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            out[row.status] += 1
        return out

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        start, end = fiscal_year_bounds(s.fiscal_year)
        return {
            "title": self.title,
            "fiscal_year": s.fiscal_year,
            "fiscal_year_start": start.isoformat(),
            "fiscal_year_end": end.isoformat(),
            "as_of": s.as_of.isoformat(),
            "elapsed_percent": clean_number(s.elapsed * 100),
            "filters": scope_filters(s),
            "key_results": len(self.rows),
            "counts": self.counts,
            "notes": [n.en for n in s.notes],
            "period": str(s.period) if s.period else None,
            "agency": s.agency,
            "edition": edition_dict(self.edition),
            "definitions": DEFINITIONS,
        } | ({"binding": self.binding.to_dict()} if self.binding else {})


@dataclass
class AgencyRow:
    """One agency's (or one zone's) progress on one key result."""

    agency: str
    name: str
    zone: str | None
    zone_name: str
    target: float
    actual: float | None
    percent: float | None
    band: str
    status: str
    reported: int = 1
    allocated: int = 1
    last_period: str | None = None
    bands: Bands | None = None
    #: REPORTED, STALE or NO_REPORT for the period; None for a zone (see reported, stale).
    report: str | None = None
    stale: int = 0
    expected: float | None = None
    status_counts: dict[str, int] = field(default_factory=dict)
    #: A share-at-target zone: how many districts its count is out of (``target``: the level).
    count_target: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-able data."""
        return {
            "agency": self.agency,
            "name": self.name,
            "zone": self.zone,
            "zone_name": self.zone_name,
            "target": clean_number(self.target),
            "actual": clean_number(self.actual),
            "percent": clean_number(self.percent),
            "band": self.band,
            "status": self.status,
            "reported": self.reported,
            "allocated": self.allocated,
            "last_period": self.last_period,
            "districts": self.bands.to_dict() if self.bands else None,
            "report": self.report,
            "stale": self.stale,
            "expected": clean_number(self.expected),
            "status_counts": self.status_counts,
            "count_target": self.count_target,
        }


@dataclass
class AgencyTable:
    """``status --by``: one key result and its agencies (or zones), worst first."""

    key_result: KeyResultRow
    by: str
    rows: list[AgencyRow]
    #: Under ``--by district`` or ``zone``: the allocated agencies the rows leave out (the
    #: departments), their own figures, which the key result's row counts; and the line that
    #: says so under the table.
    beside: list[AgencyRow] = field(default_factory=list)
    note: Note | None = None

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-able data."""
        return {
            "key_result": self.key_result.to_dict(),
            "rows": [r.to_dict() for r in self.rows],
            "beside": [r.to_dict() for r in self.beside],
            "note": self.note.en if self.note else None,
        }


@dataclass
class ByReport:
    """The per-agency tables of ``okrtool status --by``."""

    scope: Scope
    title: str
    by: str
    tables: list[AgencyTable]

    def header(self) -> dict[str, Any]:
        """The header as JSON-able data."""
        s = self.scope
        return {
            "title": self.title,
            "by": self.by,
            "fiscal_year": s.fiscal_year,
            "as_of": s.as_of.isoformat(),
            "elapsed_percent": clean_number(s.elapsed * 100),
            "filters": scope_filters(s),
            "notes": [n.en for n in s.notes],
            "period": str(s.period) if s.period else None,
            "definitions": DEFINITIONS,
        }


def clean_number(x: float | None) -> float | int | None:
    """A number for JSON and CSV: whole numbers as ints, float noise rounded away."""
    if x is None:
        return None
    x = round(x, 6)
    return int(x) if x == int(x) else x


def edition_dict(edition: Edition | None) -> dict[str, Any] | None:
    """An edition of the plan as a status header shows it."""
    if edition is None:
        return None
    return {
        "id": edition.id,
        "name_th": edition.name_th,
        "name_en": edition.name_en,
        "kind": edition.kind,
        "first_year": edition.first_year,
        "status": edition.status,
    }

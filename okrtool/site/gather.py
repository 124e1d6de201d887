"""What the site shows, gathered once for one as-of day: every row builder run, nothing rendered.

``build.py`` renders the pages from it and ``opendata.py`` the downloads; both import this
module, and it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from okrtool.dataset import Dataset
from okrtool.errors import OkrtoolError
from okrtool.progress import (
    AgencyTable,
    KeyResultRow,
    MissingReport,
    Query,
    StatusReport,
    by_report,
    missing_report,
    status_report,
)
from okrtool.progress.frequency import frequencies
from okrtool.progress.site import (
    Place,
    Provenance,
    TrendPoint,
    estimated,
    provenance,
    subset,
    trends,
    zone_places,
)


@dataclass
class Gathered:
    """Every row the site shows, gathered once for one as-of day."""

    ds: Dataset
    as_of: date
    status: dict[str, StatusReport]  # by language
    rows: dict[str, dict[str, KeyResultRow]]  # language → key result → row
    urgent: list[str]  # key results of urgent policies, in status order
    dimensions: dict[str, StatusReport]
    groups: dict[str, StatusReport]
    tables: dict[str, AgencyTable]  # key result → its agencies, worst first
    trend: dict[str, list[TrendPoint]]
    prov: dict[str, dict[str, Provenance]]  # key result → agency → provenance
    places: dict[tuple[str, str], Place]
    missing: MissingReport | None
    missing_why: str = ""
    errors: int = 0
    by_policy: dict[str, list[str]] = field(default_factory=dict)
    #: key results whose city figures count an estimated value
    estimated: set[str] = field(default_factory=set)
    #: key results reported by quarter (``Frequencies.key_result_quarterly``: their trend is
    #: by quarter)
    quarterly: set[str] = field(default_factory=set)


def gather(ds: Dataset, as_of: date, errors: int = 0) -> Gathered:
    """Run the row builders the site needs: status (both languages, per dimension, per group,
    urgent), status --by agency, missing, and the trend, provenance and zone places."""
    status = {lang: status_report(ds, Query(as_of=as_of, lang=lang)) for lang in ("th", "en")}
    fy = status["th"].scope.fiscal_year
    q = Query(as_of=as_of, fiscal_year=fy)
    rows = {lang: {r.key_result: r for r in rep.rows} for lang, rep in status.items()}
    full = status["th"]
    urgent = [r.key_result for r in subset(ds, full, Query(as_of, fy, urgent=True)).rows]
    dimensions = {d: subset(ds, full, Query(as_of, fy, dimension=d)) for d in ds.dimensions}
    groups = {g: subset(ds, full, Query(as_of, fy, group=g)) for g in ds.groups}
    tables = {t.key_result.key_result: t for t in by_report(ds, q, "agency").tables}
    try:
        missing, why = missing_report(ds, q, projects=True), ""
    except OkrtoolError as exc:
        missing, why = None, str(exc)
    by_policy: dict[str, list[str]] = {}
    for r in status["th"].rows:
        by_policy.setdefault(r.policy, []).append(r.key_result)
    prov = provenance(ds, fy, as_of)
    return Gathered(
        ds=ds,
        as_of=as_of,
        status=status,
        rows=rows,
        urgent=urgent,
        dimensions=dimensions,
        groups=groups,
        tables=tables,
        trend=trends(ds, fy, as_of),
        prov=prov,
        places=zone_places(ds, list(tables.values())),
        missing=missing,
        missing_why=why,
        errors=errors,
        by_policy=by_policy,
        estimated=estimated(prov),
        quarterly=frequencies(ds, fy).quarterly_key_results(),
    )

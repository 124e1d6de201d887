"""The status tables: each key result's city row, an agency's own row, the ``--by`` tables.

``status_report`` and ``by_report`` resolve a query (``filters``), take every figure from
``figures`` and fill the rows of ``rows``; nothing here decides what a figure means.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from okrtool.dataset import Dataset
from okrtool.editions import in_force
from okrtool.fiscal import day_text, fiscal_year_bounds
from okrtool.model import KeyResult, Policy
from okrtool.progress.bands import REPORTED, STALE, Bands, band
from okrtool.progress.binding import binding_count
from okrtool.progress.figures import (
    CITY_STATUS,
    AgencyActual,
    AgencyFigures,
    agency_actuals,
    agency_figures,
    aggregate,
    later_values,
    progress,
    reports_by_key_result,
    status_counts,
)
from okrtool.progress.filters import (
    By,
    Lang,
    Note,
    Query,
    Scope,
    fiscal_years,
    resolve_scope,
    selected_key_results,
)
from okrtool.progress.names import agency_name, name_in, table_title, zone_name, zone_of
from okrtool.progress.rows import AgencyRow, AgencyTable, ByReport, KeyResultRow, StatusReport


def key_result_row(
    ds: Dataset,
    policy: Policy,
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    scope: Scope,
) -> KeyResultRow:
    """One key result's city row from its agencies' actuals."""
    allocations = ds.allocations(kr.id)
    agg = aggregate(kr, actuals, allocations)
    done = progress(agg, kr.direction)
    agencies = [
        agency_figures(kr, a, allocations, actuals.get(a), scope.elapsed, scope.period)
        for a in allocations
    ]
    expected, verdict = CITY_STATUS[kr.aggregate](agg, agencies, kr.direction, scope.elapsed)
    bands = None
    if any(a in ds.districts for a in allocations):
        bands = Bands()
        for figures in agencies:
            if figures.agency in ds.districts:
                bands.add(figures.band)
    periods = [a.last_period for a in agencies if a.last_period]
    last = max(periods, key=lambda p: p.end, default=None)
    return KeyResultRow(
        **_kr_names(ds, policy, kr, scope.lang),
        baseline=agg.baseline,
        target=agg.target,
        actual=agg.actual,
        percent=None if done is None else done * 100,
        expected=expected,
        expected_percent=scope.elapsed * 100,
        status=verdict,
        reported=sum(a.report == REPORTED for a in agencies),
        allocated=len(allocations),
        bands=bands,
        last_period=str(last) if last else None,
        stale=sum(a.report == STALE for a in agencies),
        period=str(scope.period) if scope.period else None,
        status_counts=status_counts(agencies),
        count_target=agg.count_target,
    )


def _kr_names(ds: Dataset, policy: Policy, kr: KeyResult, lang: Lang) -> dict[str, Any]:
    return {
        "policy": policy.id,
        "policy_title": name_in(policy, lang, "title"),
        "key_result": kr.id,
        "title": name_in(kr, lang, "title"),
        "parent": ds.kr_parent.get(kr.id),
        "unit": kr.unit,
        "unit_name": (kr.unit_th or kr.unit) if lang == "th" else kr.unit,
        "direction": kr.direction,
        "measure": kr.measure,
        "aggregate": kr.aggregate,
        "host": policy.host,
        "host_name": agency_name(ds, policy.host, lang),
    }


def own_row(
    ds: Dataset,
    policy: Policy,
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    scope: Scope,
    agency: str,
) -> KeyResultRow:
    """One agency's own row on a key result it has an allocation on (``status --agency``):
    its allocation as the target, its own actual, expected by now and status; the city row
    rides along in ``city``."""
    a = agency_figures(
        kr, agency, ds.allocations(kr.id), actuals.get(agency), scope.elapsed, scope.period
    )
    return KeyResultRow(
        **_kr_names(ds, policy, kr, scope.lang),
        baseline=a.baseline,
        target=a.target,
        actual=a.actual,
        percent=None if a.progress is None else a.progress * 100,
        expected=a.expected,
        expected_percent=scope.elapsed * 100,
        status=a.status,
        reported=int(a.report == REPORTED),
        allocated=1,
        bands=None,
        last_period=str(a.last_period) if a.last_period else None,
        stale=int(a.report == STALE),
        period=str(scope.period) if scope.period else None,
        status_counts=status_counts([a]),
        agency=agency,
        city=key_result_row(ds, policy, kr, actuals, scope),
    )


def _time_notes(ds: Dataset, scope: Scope) -> tuple[Note, ...]:
    notes = list(scope.notes)
    later = later_values(ds, scope.fiscal_year, scope.as_of)
    if later:
        ends = [rv.period.end for rv in ds.reports if rv.fiscal_year == scope.fiscal_year]
        last = max(ends)
        notes.append(
            Note(
                f"{later:,} value{'s' if later > 1 else ''} for periods ending after "
                f"{day_text(scope.as_of, 'en')} not counted (latest period ends "
                f"{day_text(last, 'en')})",
                f"ไม่นับ {later:,} ค่าของงวดที่สิ้นสุดหลังวันที่ {day_text(scope.as_of, 'th')} "
                f"(งวดล่าสุดสิ้นสุด {day_text(last, 'th')})",
            )
        )
    _, fy_end = fiscal_year_bounds(scope.fiscal_year)
    if scope.as_of > fy_end and scope.fiscal_year in fiscal_years(ds):
        ends = [
            rv.period.end
            for rv in ds.reports
            if rv.fiscal_year == scope.fiscal_year and rv.period.end <= scope.as_of
        ]
        en = f"FY {scope.fiscal_year} ended on {day_text(fy_end, 'en')}: short of target is behind"
        th = (
            f"ปีงบประมาณ {scope.fiscal_year} สิ้นสุดแล้ววันที่ {day_text(fy_end, 'th')}: ที่ยังไม่ถึงเป้าถือว่าล่าช้า"
        )
        if ends and max(ends) < fy_end:
            last = max(ends)
            en += (
                f"; the latest report is for a period ending {day_text(last, 'en')} "
                f"(--as-of {last.isoformat()} shows the year as it stood then)"
            )
            th += (
                f"; รายงานล่าสุดเป็นของงวดที่สิ้นสุด {day_text(last, 'th')} "
                f"(--as-of {last.isoformat()} แสดงสถานะ ณ วันนั้น)"
            )
        notes.append(Note(en, th))
    return tuple(notes)


def _with_notes(scope: Scope, notes: tuple[Note, ...]) -> Scope:
    return replace(scope, notes=notes)


def status_report(ds: Dataset, query: Query) -> StatusReport:
    """``okrtool status``: one row per key result of the selected policies, sub-targets right
    after their parent."""
    scope = resolve_scope(ds, query)
    scope = _with_notes(scope, _time_notes(ds, scope))
    reports = reports_by_key_result(ds, scope.fiscal_year, scope.as_of)
    rows = []
    unallocated = 0
    for policy, kr in selected_key_results(ds, scope):
        actuals = agency_actuals(kr, reports.get(kr.id, {}))
        if scope.agency is None:
            rows.append(key_result_row(ds, policy, kr, actuals, scope))
        elif scope.agency in ds.allocations(kr.id):
            rows.append(own_row(ds, policy, kr, actuals, scope, scope.agency))
        else:
            unallocated += 1
    if unallocated:
        scope = _with_notes(scope, (*scope.notes, _unallocated_note(ds, scope, unallocated)))
    name = agency_name(ds, scope.agency, scope.lang) if scope.agency else None
    edition = in_force(ds, scope.fiscal_year)
    bound = binding_count(ds, selected_key_results(ds, scope))
    return StatusReport(scope, table_title(ds, scope), rows, name, edition, bound)


def _unallocated_note(ds: Dataset, scope: Scope, n: int) -> Note:
    en_name, th_name = (agency_name(ds, scope.agency or "", lang) for lang in ("en", "th"))
    plural = "key result" if n == 1 else "key results"
    return Note(
        f"{n} {plural} of the policies {en_name} hosts or supports "
        f"{'has' if n == 1 else 'have'} no allocation for it: not shown "
        "(okrtool status without --agency shows the city's figures)",
        f"ไม่แสดง {n} ตัวชี้วัดของนโยบายที่{th_name}เป็น H หรือ R แต่ไม่มีเป้าหมายของ{th_name} "
        "(okrtool status โดยไม่ใส่ --agency แสดงผลของทั้งเมือง)",
    )


# --- status --by district | zone | agency ---------------------------------------------------------


def _worst_first(row: AgencyRow) -> tuple[int, float, str]:
    # not reported first (they are the ones to chase), then the least progress
    return (0 if row.percent is None else 1, row.percent or 0.0, row.name)


def agency_rows(
    ds: Dataset,
    kr: KeyResult,
    actuals: Mapping[str, AgencyActual],
    by: By,
    scope: Scope,
) -> list[AgencyRow]:
    """Each allocated agency (or each zone) on one key result, worst first."""
    allocations = ds.allocations(kr.id)
    lang = scope.lang
    rows = []
    figures = {
        a: agency_figures(kr, a, allocations, actuals.get(a), scope.elapsed, scope.period)
        for a in allocations
    }
    if by == "zone":
        zones: dict[str, dict[str, float]] = {}
        for agency, own in allocations.items():
            zone = zone_of(ds, agency)
            if zone is not None:
                zones.setdefault(zone, {})[agency] = own
        for zone, members in zones.items():
            agg = aggregate(kr, actuals, allocations, members)
            done = progress(agg, kr.direction)
            of_zone = [figures[a] for a in members]
            expected, verdict = CITY_STATUS[kr.aggregate](agg, of_zone, kr.direction, scope.elapsed)
            bands = Bands()
            for a in of_zone:
                bands.add(a.band)
            last = max(
                (a.last_period for a in of_zone if a.last_period), key=lambda p: p.end, default=None
            )
            rows.append(
                AgencyRow(
                    agency=zone,
                    name=zone_name(ds, zone, lang),
                    zone=zone,
                    zone_name=zone_name(ds, zone, lang),
                    target=agg.target,
                    actual=agg.actual,
                    percent=None if done is None else done * 100,
                    band=band(done),
                    status=verdict,
                    reported=sum(a.report == REPORTED for a in of_zone),
                    allocated=len(members),
                    last_period=str(last) if last else None,
                    bands=bands,
                    stale=sum(a.report == STALE for a in of_zone),
                    expected=expected,
                    status_counts=status_counts(of_zone),
                    count_target=agg.count_target,
                )
            )
    else:
        shown = [a for a in figures.values() if by == "agency" or a.agency in ds.districts]
        rows = [_own_agency_row(ds, a, lang) for a in shown]
    return sorted(rows, key=_worst_first)


def _own_agency_row(ds: Dataset, a: AgencyFigures, lang: Lang) -> AgencyRow:
    zone = zone_of(ds, a.agency)
    return AgencyRow(
        agency=a.agency,
        name=agency_name(ds, a.agency, lang),
        zone=zone,
        zone_name=zone_name(ds, zone, lang),
        target=a.target,
        actual=a.actual,
        percent=None if a.progress is None else a.progress * 100,
        band=a.band,
        status=a.status,
        reported=int(a.report == REPORTED),
        last_period=str(a.last_period) if a.last_period else None,
        report=a.report,
        stale=int(a.report == STALE),
        expected=a.expected,
        status_counts=status_counts([a]),
    )


def beside_rows(
    ds: Dataset, kr: KeyResult, actuals: Mapping[str, AgencyActual], by: By, scope: Scope
) -> list[AgencyRow]:
    """The allocated agencies a ``--by district`` or ``--by zone`` table does not list (the
    departments: a host carrying its own share, a supporting department), with their own
    figures: the key result's row counts them. None under ``--by agency``."""
    if by == "agency":
        return []
    allocations = ds.allocations(kr.id)
    return [
        _own_agency_row(
            ds,
            agency_figures(kr, a, allocations, actuals.get(a), scope.elapsed, scope.period),
            scope.lang,
        )
        for a in allocations
        if a not in ds.districts
    ]


def beside_note(
    ds: Dataset, policy: Policy, row: KeyResultRow, beside: list[AgencyRow]
) -> Note | None:
    """The line under a ``--by district`` or ``--by zone`` table naming what its rows leave out
    and the key result's figures count: each department's own actual and target, and for a sum
    how the key result's actual adds up."""
    if not beside:
        return None
    en, th = [], []
    for r in beside:
        host = r.agency == policy.host
        en.append(
            f"{agency_name(ds, r.agency, 'en')} ({'host' if host else 'R'}): "
            f"{_amount(r.actual)} of {_amount(r.target)}"
        )
        th.append(
            f"{agency_name(ds, r.agency, 'th')} ({'H' if host else 'R'}): "
            f"{_amount(r.actual)} จาก {_amount(r.target)}"
        )
    text_en = "Not a district, so not in the table, but counted in the key result's figures: "
    text_th = "ไม่ใช่สำนักงานเขตจึงไม่อยู่ในตาราง แต่นับรวมในผลของตัวชี้วัด: "
    text_en, text_th = text_en + "; ".join(en), text_th + "; ".join(th)
    if row.aggregate == "sum" and row.actual is not None:
        own = [_amount(r.actual or 0.0) for r in beside]
        districts = _amount(row.actual - math.fsum(r.actual or 0.0 for r in beside))
        text_en += f" ({_amount(row.actual)} = the districts' {districts} + {' + '.join(own)})"
        text_th += f" ({_amount(row.actual)} = ของสำนักงานเขต {districts} + {' + '.join(own)})"
    return Note(text_en, text_th)


def _amount(x: float | None) -> str:
    """A figure in a note: thousands separated, at most two decimals, "–" for none."""
    if x is None:
        return "–"
    x = round(x, 2)
    return f"{int(x):,}" if x == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def by_report(ds: Dataset, query: Query, by: By) -> ByReport:
    """``okrtool status --by``: for each selected key result, its agencies worst first."""
    scope = resolve_scope(ds, query)
    scope = _with_notes(scope, _time_notes(ds, scope))
    reports = reports_by_key_result(ds, scope.fiscal_year, scope.as_of)
    tables = []
    for policy, kr in selected_key_results(ds, scope):
        actuals = agency_actuals(kr, reports.get(kr.id, {}))
        row = key_result_row(ds, policy, kr, actuals, scope)
        beside = beside_rows(ds, kr, actuals, by, scope)
        tables.append(
            AgencyTable(
                row,
                by,
                agency_rows(ds, kr, actuals, by, scope),
                beside,
                beside_note(ds, policy, row, beside),
            )
        )
    return ByReport(scope, table_title(ds, scope), by, tables)

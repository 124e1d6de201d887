"""Progress against targets: pure functions over a loaded ``Dataset``, rows out, no printing.

- ``bands``: the statuses and bands and their thresholds;
- ``figures``: the aggregation rules, one function per figure of docs/definitions.md;
- ``filters``: a command's query resolved into a scope (year, period, group, agency ...);
- ``rows``: what a status row holds, by key result and by agency (the renderers' input);
- ``tables``: the status tables built from the figures (``status``, ``status --by``);
- ``names``: what the tables call agencies, zones, policies and key results;
- ``missing``: who has not reported;
- ``brief``: the host's follow-up brief (rows chosen from status and missing);
- ``history``: a key result's figures period by period (``okrtool history``);
- ``changes``: each status row's change since an earlier day (``status --since``);
- ``calendar``: when a period's report is due, and how many days it is overdue;
- ``handbook``: an agency's Action Plan handbook (what it hosts and supports);
- ``site``: what the public site shows beside the rows (monthly trend, provenance, places in
  a zone), imported by ``okrtool site`` only.

The names below are the package's public surface; import them from ``okrtool.progress``.
Each is imported from its module when first asked for (PEP 562), so that a command pays
only for the modules it uses (measured: importing them all took 35 ms of `import-reports`,
which needs ``filters`` alone).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Each public name → the module of ``okrtool.progress`` that defines it.
_HOMES = {
    "AT_RISK": "bands",
    "AT_RISK_GAP": "bands",
    "AT_TARGET": "bands",
    "BANDS": "bands",
    "BEHIND": "bands",
    "BELOW_HALF": "bands",
    "Bands": "bands",
    "DONE": "bands",
    "EPSILON": "bands",
    "HALF": "bands",
    "HALF_OR_MORE": "bands",
    "NOT_REPORTED": "bands",
    "NO_DATA": "bands",
    "NO_REPORT": "bands",
    "ON_TRACK": "bands",
    "ON_TRACK_GAP": "bands",
    "REPORTED": "bands",
    "STALE": "bands",
    "STATUSES": "bands",
    "STATUS_RULES": "bands",
    "agency_progress": "bands",
    "band": "bands",
    "expected_value": "bands",
    "meets": "bands",
    "status": "bands",
    "status_of_gap": "bands",
    "Brief": "brief",
    "BriefKeyResult": "brief",
    "BriefPolicy": "brief",
    "Decision": "brief",
    "NoHostedPolicy": "brief",
    "NoteGroup": "brief",
    "ProjectRow": "brief",
    "brief_report": "brief",
    "decisions_needed": "brief",
    "hosted_policies": "brief",
    "Due": "calendar",
    "days_overdue": "calendar",
    "days_to_go": "calendar",
    "due_date": "calendar",
    "BETTER": "changes",
    "ChangeByReport": "changes",
    "ChangeReport": "changes",
    "ChangedAgencyRow": "changes",
    "ChangedRow": "changes",
    "ChangedTable": "changes",
    "Since": "changes",
    "WORSE": "changes",
    "change_by_report": "changes",
    "change_counts": "changes",
    "change_report": "changes",
    "moved": "changes",
    "since_of": "changes",
    "AgencyActual": "figures",
    "AgencyFigures": "figures",
    "Aggregated": "figures",
    "CITY_STATUS": "figures",
    "CityStatus": "figures",
    "agency_actual": "figures",
    "agency_actuals": "figures",
    "agency_figures": "figures",
    "aggregate": "figures",
    "by_quarter": "figures",
    "city_status_latest": "figures",
    "city_status_mean": "figures",
    "city_status_share_at_target": "figures",
    "city_status_sum": "figures",
    "covers": "figures",
    "due_period": "figures",
    "expected_by_now": "figures",
    "is_cap": "figures",
    "judged": "figures",
    "later_values": "figures",
    "latest_period": "figures",
    "latest_value": "figures",
    "owed_period": "figures",
    "own_baseline": "figures",
    "progress": "figures",
    "report_state": "figures",
    "reports_by_key_result": "figures",
    "status_counts": "figures",
    "By": "filters",
    "DEFINITIONS": "filters",
    "DataError": "filters",
    "Lang": "filters",
    "Note": "filters",
    "Query": "filters",
    "Scope": "filters",
    "fiscal_years": "filters",
    "open_dataset": "filters",
    "parse_day": "filters",
    "pick_fiscal_year": "filters",
    "resolve": "filters",
    "resolve_scope": "filters",
    "selected_key_results": "filters",
    "selected_policies": "filters",
    "today": "filters",
    "years_for": "filters",
    "HistoryAgencyRow": "history",
    "HistoryByReport": "history",
    "HistoryReport": "history",
    "HistoryRow": "history",
    "history_by_report": "history",
    "history_periods": "history",
    "history_report": "history",
    "history_years": "history",
    "reports_index": "history",
    "resolve_key_result": "history",
    "same_key_result": "history",
    "MissingItem": "missing",
    "MissingReport": "missing",
    "NothingToReport": "missing",
    "missing_report": "missing",
    "agency_name": "names",
    "AgencyRow": "rows",
    "AgencyTable": "rows",
    "ByReport": "rows",
    "KeyResultRow": "rows",
    "StatusReport": "rows",
    "edition_dict": "rows",
    "agency_rows": "tables",
    "beside_note": "tables",
    "beside_rows": "tables",
    "by_report": "tables",
    "key_result_row": "tables",
    "own_row": "tables",
    "status_report": "tables",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))

"""Runs every rule family of validate and import-reports in one fixed order: add a family here."""

from __future__ import annotations

from okrtool.dataset import Dataset
from okrtool.problems import Problem
from okrtool.rules.common import Rule
from okrtool.rules.editions import (
    continues_previous_edition,
    dimensions_in_edition,
    edition_references,
    editions_first_years,
    okr_years_in_edition,
    previous_edition_earlier,
)
from okrtool.rules.gaps import warnings
from okrtool.rules.projects import project_reports
from okrtool.rules.references import agency_references, duplicate_ids, policy_references
from okrtool.rules.report_values import report_values
from okrtool.rules.reporting_calendar import reporting_calendar
from okrtool.rules.supporters import host_and_supporters
from okrtool.rules.targets import targets_and_allocations

#: Every rule, in the order its problems come out (``locate`` sorts them by place afterwards).
RULES: list[Rule] = [
    duplicate_ids,
    agency_references,
    policy_references,
    host_and_supporters,
    targets_and_allocations,
    edition_references,
    previous_edition_earlier,
    editions_first_years,
    dimensions_in_edition,
    okr_years_in_edition,
    continues_previous_edition,
    reporting_calendar,
    report_values,
    project_reports,
    warnings,
]


def check(ds: Dataset) -> list[Problem]:
    """Run every rule over the dataset; return the problems (lines not yet resolved).

    While a data file does not load, what it defines is unknown: references to the ids written
    in it are not reported (``common.missing``, ``report_values.value_problems``), everything
    else is.
    """
    out: list[Problem] = []
    for rule in RULES:
        out.extend(rule(ds))
    return out

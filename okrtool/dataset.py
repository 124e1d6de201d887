"""The Dataset index: every object of a data folder by id, and where each is written.

With the shorthands that relate them (a policy's supporters, a key result's allocations): the
vocabulary every figure, rule and command takes; ``io.loaddata.load_dataset`` fills it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrtool.model import (
    ALL_DISTRICTS,
    ZONE_PREFIX,
    Department,
    Dimension,
    District,
    Edition,
    Group,
    KeyResult,
    Licence,
    Okr,
    Policy,
    Project,
    ProjectReport,
    ReportingCalendar,
    ReportValue,
    Section,
    Zone,
)

if TYPE_CHECKING:
    from okrtool.io.load import Locator

#: The folders of a data folder.
AGENCIES_DIR = "agencies"
POLICIES_DIR = "policies"
REPORTS_DIR = "reports"
#: The folder of a fiscal year's report folder that holds project reports, one file an agency.
PROJECTS_DIR = "projects"


@dataclass(frozen=True)
class Where:
    """Where an object is written: a file relative to the data folder, and the path inside it."""

    file: str
    path: tuple[Any, ...]


@dataclass
class Dataset:
    """Everything in a data folder, indexed by id."""

    root: Path
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    editions: dict[str, Edition] = field(default_factory=dict)
    zones: dict[str, Zone] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    okrs: dict[str, Okr] = field(default_factory=dict)
    key_results: dict[str, KeyResult] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    #: the reporting calendar (data/agencies/calendar.yaml), if any, and where it is written
    calendar: ReportingCalendar | None = None
    calendar_where: Where | None = None
    #: further calendars written (E506): one dataset has one
    calendar_duplicates: list[Where] = field(default_factory=list)
    #: the licence the data is published under (key ``licence`` of an agency file), if any
    licence: Licence | None = None
    #: key result id → its OKR id / its policy id / its parent key result id (sub-targets)
    #: departments and districts: every agency that can be host, supporter or reporter
    agencies: dict[str, Department | District] = field(default_factory=dict)
    kr_okr: dict[str, str] = field(default_factory=dict)
    kr_policy: dict[str, str] = field(default_factory=dict)
    kr_parent: dict[str, str] = field(default_factory=dict)
    okr_policy: dict[str, str] = field(default_factory=dict)
    reports: list[ReportValue] = field(default_factory=list)
    #: what each agency reported on its projects (data/reports/<FY>/projects/<agency>.csv)
    project_reports: list[ProjectReport] = field(default_factory=list)
    #: values read, checked and let go without being kept in ``reports`` (validate), and
    #: the key results they were for
    reports_let_go: int = 0
    key_results_reported_let_go: set[str] = field(default_factory=set)
    #: (kind, id) → where it is written
    where: dict[tuple[str, str], Where] = field(default_factory=dict)
    #: (kind, id, the later place) for every id written a second time
    duplicates: list[tuple[str, str, Where]] = field(default_factory=list)
    files: dict[str, list[str]] = field(
        default_factory=lambda: {AGENCIES_DIR: [], POLICIES_DIR: [], REPORTS_DIR: []}
    )
    #: key result ids written in policy files that failed to load: known, but not checkable
    unverified_key_results: set[str] = field(default_factory=set)
    #: ids of agency-file entries that failed to load (reported once, not at every reference)
    unverified_ids: set[str] = field(default_factory=set)
    #: an agency file could not be read at all: references to agencies cannot be checked
    agencies_unreadable: bool = False
    #: a policy file could not be read at all, so any key result id may be one of its
    policies_unreadable: bool = False
    #: a report file or folder could not be read, so a key result may have reports unseen
    reports_unreadable: bool = False
    #: report files whose name or folder could not be read (agency or year unknown)
    report_file_agency: dict[str, str] = field(default_factory=dict)

    #: the folder paths are shown from (validate: the current one); None: relative to ``root``
    show_paths_from: Path | None = None

    _locator: Locator | None = None

    def shown(self, file: str) -> str:
        """A file of the data folder as the user names it (``show_paths_from``, ``shown_path``)."""
        if self.show_paths_from is None:
            return file
        return shown_path(self.root, file, self.show_paths_from)

    def line_of(self, where: Where) -> int:
        """The line at which an object is written (composes its file on first use)."""
        if self._locator is None:
            from okrtool.io.load import Locator  # the vocabulary reads no file until asked

            self._locator = Locator(self.root)
        return self._locator.locate(where.file, where.path)[0]

    def agency_name(self, agency_id: str, lang: str = "th") -> str:
        agency = self.departments.get(agency_id) or self.districts.get(agency_id)
        if agency is None:
            return agency_id
        return agency.name_th if lang == "th" else agency.name_en

    def expand_supporter(self, entry: str) -> list[str]:
        """Agency ids meant by one `supporters` entry (shorthands expanded; unknowns as written)."""
        if entry == ALL_DISTRICTS:
            return list(self.districts)
        if entry.startswith(ZONE_PREFIX):
            zone = entry[len(ZONE_PREFIX) :]
            return [d.id for d in self.districts.values() if d.zone == zone]
        return [entry]

    def supporters(self, policy: Policy) -> list[str]:
        """The R agencies of a policy, shorthands expanded, each once, in order."""
        seen: dict[str, None] = {}
        for entry in policy.supporters:
            for agency in self.expand_supporter(entry):
                seen.setdefault(agency, None)
        return list(seen)

    def allocations(self, kr_id: str) -> dict[str, float]:
        """Each bound agency's own target; a key result with none is carried by its host alone
        (by nobody while the policy has no host: E304)."""
        kr = self.key_results[kr_id]
        if kr.allocations:
            return kr.allocations
        host = self.policies[self.kr_policy[kr_id]].host
        return {host: kr.target} if host is not None else {}

    def iter_key_results(self, policy: Policy) -> Iterator[tuple[Okr, KeyResult]]:
        """Every (OKR, key result) of a policy, sub-targets right after their parent."""
        for okr in policy.okrs:
            for kr in okr.all_key_results():
                yield okr, kr


def shown_path(root: Path, file: str, cwd: Path) -> str:
    """``file`` of the data folder ``root`` as a path from the folder ``cwd``: relative when it is
    inside ``cwd`` (``data/policies/x.yaml`` from a repository's root, what GitHub and editors
    resolve), else absolute."""
    full = Path(os.path.normpath(cwd / root / file))
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        return full.as_posix()

"""The data model: one pydantic model per kind of thing in the data files — the single source of
the data format (docs/data-format.md describes it; ``okrtool schema`` exports it).

Shapes only live here; every rule that relates one object to another (references, H and R,
allocations, periods) lives in ``rules.py`` so that each has a stable code and a location.

Terms: a *policy* (นโยบาย) has one host agency H (หน่วยงานรับผิดชอบหลัก) and supporting agencies R
(หน่วยงานสนับสนุน); OKRs are bound (ผูก) to a policy; an *allocation* is an agency's own target on
a key result, which is what binding an R agency means; a *mission group* is a กลุ่มภารกิจ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from okrtool.fiscal import Period

ID_PATTERN = r"^[a-z][a-z0-9-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
#: Control characters other than tab and line ends: no name or title holds them, and an .xlsx
#: cannot (report-template would write U+FFFD for them). As a regular expression's class.
CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
CONTROL_FREE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text = Annotated[str, StringConstraints(min_length=1, pattern=CONTROL_FREE)]

#: `supporters` shorthand for every district office, and the prefix for one zone's districts.
ALL_DISTRICTS = "all-districts"
ZONE_PREFIX = "zone:"
#: The unit whose values are percentages (0–100).
PERCENT = "percent"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Source(_Model):
    """Where a fact came from."""

    title: Text
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None


class Named(_Model):
    """Anything with an id and a Thai and English name."""

    id: Id
    name_th: Text
    name_en: Text


class Dimension(Named):
    """One of the nine dimensions of the governor's platform (9 ด้าน 9 ดี)."""


class Goal(Named):
    """A goal (เป้าหมาย) of a development issue of a development strategy; ``continues`` names the
    policy of the previous edition it carries on, if any."""

    continues: Id | None = None


class DevelopmentIssue(Named):
    """A development issue (ประเด็นการพัฒนา) of a development strategy, with its goals."""

    dimension: Id | None = None
    goals: list[Goal] = []


class Edition(Named):
    """An edition of the plan: the dimensions it names, the fiscal year (BE) it is in force from
    (until the next edition's ``first_year``) and, for a development strategy, its development
    issues. ``previous`` is the edition it follows; ``status: incomplete`` marks an edition whose
    published structure is not all known yet (docs/data-format.md, "Editions of the plan")."""

    kind: Literal["platform", "strategy"]
    first_year: int
    previous: Id | None = None
    status: Literal["complete", "incomplete"] = "complete"
    dimensions: list[Id] = []
    development_issues: list[DevelopmentIssue] = []
    sources: list[Source] = []


class Zone(Named):
    """A district zone (กลุ่มเขต)."""


class Section(Named):
    """A section role that exists inside every district office (ฝ่าย), e.g. public works."""


class Department(Named):
    """A department or office of the city (สำนัก / สำนักงาน)."""

    abbr_th: str | None = None
    abbr_en: str | None = None


class District(Named):
    """A district office (สำนักงานเขต)."""

    code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
    zone: Id


class StandingOrder(Named):
    """A standing order of the permanent secretary for a mission group."""


class Group(Named):
    """A mission group (กลุ่มภารกิจ): member departments and district section roles, a secretary."""

    secretary: Id
    departments: list[Id] = []
    district_sections: list[Id] = []
    standing_orders: list[StandingOrder] = []


#: The reporting frequency a calendar names for each kind of period (``Period.kind``).
FREQUENCY = {"month": "monthly", "quarter": "quarterly"}
#: A due day of the next month that every month has.
LAST_SAFE_DAY = 28


class DueRule(_Model):
    """When the report of a period is due: on the given day of the month after the period ends
    (``day_of_next_month: 5``), or so many days after its last day (``days_after: 10``). Exactly
    one of the two (E503)."""

    day_of_next_month: int | None = None
    days_after: int | None = None


class YearDue(_Model):
    """The due rules of one fiscal year (BE), in place of the calendar's ``due`` for it."""

    fiscal_year: int
    due: dict[str, DueRule]


class DueException(_Model):
    """One period whose report is due on another day than its rule gives (a holiday)."""

    period: str
    due: dt.date
    reason_th: Text | None = None
    reason_en: Text | None = None


class Contact(_Model):
    """Who agencies ask about their reports: an office, not a person."""

    name_th: Text
    name_en: Text
    phone: str | None = None
    email: str | None = None


class BindingDue(_Model):
    """When R agencies must have bound their OKRs to a host's goal (the workshop's due date):
    so many days after the fiscal year starts on 1 October, or a fiscal year's own date."""

    days_after_year_start: int
    years: dict[int, dt.date] = {}


class ReportingCalendar(_Model):
    """When each period's report is due (ปฏิทินการรายงาน), by reporting frequency (``monthly``,
    ``quarterly``): the rules, a fiscal year's own rules, named exceptions, the SED contact
    printed on report templates, and when R agencies must have bound their OKRs (``binding``;
    docs/data-format.md, "The reporting calendar")."""

    contact: Contact | None = None
    binding: BindingDue | None = None
    due: dict[str, DueRule]
    years: list[YearDue] = []
    exceptions: list[DueException] = []


class Licence(_Model):
    """The licence the dataset is published under (optional; none is assumed when absent): the
    site's data page names it and its datapackage.json carries it (Frictionless ``licenses``)."""

    #: a short id, an SPDX identifier where there is one: CC-BY-4.0, ODC-By-1.0
    name: Text
    title: Text | None = None
    url: str | None = None


class AgencyFile(_Model):
    """A file under data/agencies/: any of these lists, the reporting calendar, and the
    dataset's licence."""

    sources: list[Source] = []
    dimensions: list[Dimension] = []
    editions: list[Edition] = []
    zones: list[Zone] = []
    sections: list[Section] = []
    departments: list[Department] = []
    districts: list[District] = []
    groups: list[Group] = []
    calendar: ReportingCalendar | None = None
    licence: Licence | None = None


class CalendarFile(_Model):
    """data/agencies/calendar.yaml: an agency file that holds the reporting calendar (the
    schema of ``okrtool schema --kind calendar``; read as any agency file)."""

    sources: list[Source] = []
    calendar: ReportingCalendar


Measure = Literal["increment", "cumulative", "level"]
Aggregate = Literal["sum", "share-at-target", "mean", "latest"]


class Binding(_Model):
    """How an agency bound (ผูก) its own OKR to a key result: the title of its OKR, and when."""

    okr_title: Text
    date: dt.date | None = None


class KeyResult(_Model):
    """A measurable key result of an OKR, with each agency's own target (allocations) and, once
    the workshop has set them, which agencies have bound their own OKR to it (``bound``: absent
    for a plan written before bindings were recorded, whose allocations count as bound)."""

    id: Id
    title_th: Text
    title_en: Text
    unit: Text
    unit_th: str | None = None
    baseline: float = 0
    target: float
    direction: Literal["higher", "lower"] = "higher"
    measure: Measure
    aggregate: Aggregate
    allocations: dict[Id, float] = {}
    bound: dict[Id, Binding] | None = None
    sub_targets: list[KeyResult] = []

    @property
    def is_percent(self) -> bool:
        return self.unit == PERCENT


class Project(_Model):
    """A project or activity bound to an OKR. ``status`` is its starting state, as planned: its
    current state is the latest one its owner reported (``ProjectReport``; ``STARTING_STATE``
    maps one onto the other)."""

    id: Id
    title_th: Text
    title_en: Text
    owner: Id
    key_result: Id | None = None
    status: Literal["planned", "in-progress", "done"]


class Okr(_Model):
    """An objective with key results, owned by an agency for one fiscal year (BE)."""

    id: Id
    fiscal_year: int
    owner: Id
    objective_th: Text
    objective_en: Text
    key_results: list[KeyResult] = Field(min_length=1)
    projects: list[Project] = []

    def all_key_results(self) -> Iterator[KeyResult]:
        """Every key result of the OKR, each sub-target right after its parent."""
        for kr in self.key_results:
            yield kr
            yield from kr.sub_targets


class Policy(_Model):
    """A policy with its host H, its supporters R and the OKRs bound to it.

    ``dimension`` is the primary dimension (the policy's folder); ``tags`` are further
    dimensions it belongs to. ``host`` and ``group`` may be left out (None) while they are not
    known, as for most entries of the 2022 platform: no public source names them per policy. A
    policy with OKRs must have both (E304). ``catalogue_no`` is the entry's number in the 2022
    platform's list (docs/catalogue/platform-2022.csv, column ``n``). ``edition`` is the edition
    of the plan the policy belongs to (default: the edition in force in its first OKR's fiscal
    year, else the first edition); ``continues`` names the policy of the previous edition it
    carries on.
    """

    id: Id
    title_th: Text
    title_en: Text
    dimension: Id
    tags: list[Id] = []
    catalogue_no: int | None = None
    edition: Id | None = None
    continues: Id | None = None
    group: Id | None = None
    standing_order: Id | None = None
    urgent: bool = False
    key_project: bool = False
    host: Id | None = None
    supporters: list[str] = []
    district_section: Id | None = None
    sources: list[Source] = []
    okrs: list[Okr] = []


#: The columns of a report file, in order (data/reports/<fiscal year>/<agency>.csv).
REPORT_COLUMNS = (
    "key_result",
    "period",
    "value",
    "source",
    "note",
    "file",
    "sha256",
    "cell",
    "recorded_at",
)
REPORT_SOURCES = ("published", "estimated", "import", "manual")


@dataclass(slots=True)
class ReportValue:
    """One reported value: what an agency reported for a key result and a period."""

    agency: str
    fiscal_year: int
    key_result: str
    period: Period
    value: float
    source: str = "manual"
    note: str = ""
    file: str = ""
    sha256: str = ""
    cell: str = ""
    recorded_at: str = ""
    #: Where it is stored: the report file (relative to the data folder) and its line.
    origin: str = ""
    line: int = 0


#: The states of a project as its owner reports it each period, in the order counts are shown.
PROJECT_STATES = ("not-started", "in-progress", "done", "cancelled")
#: Each state as the template's drop-down and every table name it: (Thai, English).
PROJECT_STATE_WORDS = {
    "not-started": ("ยังไม่เริ่ม", "not started"),
    "in-progress": ("กำลังดำเนินการ", "in progress"),
    "done": ("เสร็จแล้ว", "done"),
    "cancelled": ("ยกเลิก", "cancelled"),
}
#: States in which a project is over: it is not chased for reports any more.
FINISHED_STATES = ("done", "cancelled")
#: A project's ``status`` in the policy file as the state it starts from, before any report.
STARTING_STATE = {"planned": "not-started", "in-progress": "in-progress", "done": "done"}
#: The columns of a project report file, in order (data/reports/<FY>/projects/<agency>.csv).
PROJECT_REPORT_COLUMNS = (
    "project",
    "period",
    "status",
    "percent",
    "note",
    "file",
    "sha256",
    "cell",
    "recorded_at",
)


@dataclass(slots=True)
class ProjectReport:
    """What an agency reported for one of its projects for a period: its state, how far along
    it is (percent complete, 0–100, or None when not given) and a note."""

    agency: str
    fiscal_year: int
    project: str
    period: Period
    status: str
    percent: float | None = None
    note: str = ""
    file: str = ""
    sha256: str = ""
    cell: str = ""
    recorded_at: str = ""
    #: Where it is stored: the project report file (relative to the data folder) and its line.
    origin: str = ""
    line: int = 0

"""The Action Plan handbook (คู่มือปฏิบัติงาน) of one agency: what it hosts and what it supports.

For one agency and one fiscal year: the policies it hosts (H), each key result with every bound
agency's own target and reporting frequency, and the supporters not bound yet; and the policies it
supports (R), each key result with its own target. Grouped by mission group and dimension, in the
dataset's order; every name in Thai and English. Rows only: the renderers (``okrtool.render``) lay
them out as Markdown, HTML or a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from okrtool.dataset import Dataset
from okrtool.errors import UsageError
from okrtool.fiscal import Period, month, quarter
from okrtool.model import FREQUENCY, KeyResult, Policy, ReportingCalendar
from okrtool.progress.binding import unbound_supporters
from okrtool.progress.calendar import binding_due, rule_for, rule_words
from okrtool.progress.filters import Note, Query, pick_fiscal_year, resolve
from okrtool.progress.frequency import QUARTERLY, Frequencies, frequencies
from okrtool.progress.projects import AgencyProjects, agency_projects

Role = Literal["host", "supporter"]


@dataclass(frozen=True)
class Names:
    """An id with its Thai and English names."""

    id: str
    th: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name_th": self.th, "name_en": self.en}


@dataclass
class Allocation:
    """One bound agency's own target on a key result and how it reports it."""

    agency: Names
    role: Role
    target: float
    frequency: str
    due_th: str
    due_en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency.id,
            "name_th": self.agency.th,
            "name_en": self.agency.en,
            "role": self.role,
            "target": self.target,
            "frequency": self.frequency,
            "due_th": self.due_th,
            "due_en": self.due_en,
        }


@dataclass
class HandbookKeyResult:
    """A key result as the handbook shows it: the city's target and, for the agency, its own
    target (None when it is not bound on it) and reporting frequency with the due rule; for a
    hosted policy, every bound agency's allocation."""

    id: str
    title_th: str
    title_en: str
    unit: str
    unit_th: str
    baseline: float
    target: float
    direction: str
    measure: str
    aggregate: str
    parent: str | None
    own_target: float | None
    frequency: str | None
    due_th: str
    due_en: str
    allocations: list[Allocation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_result": self.id,
            "title_th": self.title_th,
            "title_en": self.title_en,
            "unit": self.unit,
            "unit_th": self.unit_th,
            "baseline": self.baseline,
            "target": self.target,
            "direction": self.direction,
            "measure": self.measure,
            "aggregate": self.aggregate,
            "parent": self.parent,
            "own_target": self.own_target,
            "frequency": self.frequency,
            "due_th": self.due_th,
            "due_en": self.due_en,
            "allocations": [a.to_dict() for a in self.allocations],
        }


@dataclass
class HandbookPolicy:
    """One policy in the handbook, as the agency's role in it (H or R) makes it."""

    id: str
    title_th: str
    title_en: str
    role: Role
    group: Names | None
    dimension: Names
    host: Names
    supporters: list[Names]
    not_bound: list[Names]
    urgent: bool
    key_project: bool
    objectives: list[tuple[str, str]]
    key_results: list[HandbookKeyResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.id,
            "title_th": self.title_th,
            "title_en": self.title_en,
            "role": self.role,
            "group": self.group.to_dict() if self.group else None,
            "dimension": self.dimension.to_dict(),
            "host": self.host.to_dict(),
            "supporters": [s.to_dict() for s in self.supporters],
            "not_bound": [s.to_dict() for s in self.not_bound],
            "urgent": self.urgent,
            "key_project": self.key_project,
            "objectives": [{"th": th, "en": en} for th, en in self.objectives],
            "key_results": [k.to_dict() for k in self.key_results],
        }


@dataclass
class Section:
    """The policies of one mission group and dimension, hosted or supported."""

    role: Role
    group: Names | None
    dimension: Names
    policies: list[HandbookPolicy]


@dataclass
class Handbook:
    """One agency's Action Plan handbook for a fiscal year."""

    agency: Names
    fiscal_year: int
    as_of: date
    hosted: list[Section]
    supported: list[Section]
    #: the calendar's due rules in words, per frequency, and its exceptions of the year
    due_rules: list[tuple[str, str, str]]
    exceptions: list[tuple[str, date, str, str]]
    contact: dict[str, str | None] | None
    notes: list[Note] = field(default_factory=list)
    #: the projects the agency owns that year, as ``status --projects --agency A`` counts them
    projects: AgencyProjects | None = None
    #: the day a supporter must have bound its own OKR by (``calendar.binding_due``), if the
    #: calendar says: what a supporter not bound owes (``HandbookPolicy.not_bound``)
    binding_due: date | None = None

    @property
    def empty(self) -> bool:
        return not self.hosted and not self.supported

    def policies(self) -> list[HandbookPolicy]:
        """Every policy of the handbook, hosted first."""
        return [p for s in (*self.hosted, *self.supported) for p in s.policies]

    def to_dict(self) -> dict[str, Any]:
        def sections(items: list[Section]) -> list[dict[str, Any]]:
            return [
                {
                    "group": s.group.to_dict() if s.group else None,
                    "dimension": s.dimension.to_dict(),
                    "policies": [p.to_dict() for p in s.policies],
                }
                for s in items
            ]

        return {
            "agency": self.agency.to_dict(),
            "fiscal_year": self.fiscal_year,
            "as_of": self.as_of.isoformat(),
            "hosted": sections(self.hosted),
            "supported": sections(self.supported),
            "due_rules": [{"frequency": f, "th": th, "en": en} for f, th, en in self.due_rules],
            "exceptions": [
                {"period": p, "due": d.isoformat(), "th": th, "en": en}
                for p, d, th, en in self.exceptions
            ],
            "contact": self.contact,
            "notes": [n.en for n in self.notes],
            "projects": self.projects.to_dict() if self.projects else None,
        }


def _names(obj: Any, fallback: str = "") -> Names:
    if obj is None:
        return Names(fallback, fallback, fallback)
    return Names(obj.id, obj.name_th, obj.name_en)


def _agency(ds: Dataset, agency: str, names: dict[str, Names] | None = None) -> Names:
    if names is not None and agency in names:
        return names[agency]
    found = ds.agencies.get(agency)
    return _names(found) if found is not None else Names(agency, agency, agency)


def _sample_period(fiscal_year: int, frequency: str) -> Period:
    """A period of the year with ``frequency``, to ask the calendar for its rule."""
    if frequency == QUARTERLY:
        return quarter(fiscal_year, 1)
    return month(fiscal_year - 1, 10)


def _due_words(
    calendar: ReportingCalendar | None, fiscal_year: int, frequency: str
) -> tuple[str, str]:
    if calendar is None:
        return "", ""
    rule = rule_for(calendar, _sample_period(fiscal_year, frequency))
    return rule_words(rule) if rule is not None else ("", "")


def handbook(ds: Dataset, agency_text: str, query: Query) -> Handbook:
    """The handbook of the agency ``agency_text`` names (id, name or abbreviation) for the
    fiscal year of ``query`` (``--year``, else the one of the as-of day, else the latest earlier
    year with OKRs). UsageError for an agency that names nothing."""
    agency = resolve("agency", agency_text, ds.agencies)
    return handbook_of(ds, agency, query)


@dataclass
class _Year:
    """What every agency's handbook of one fiscal year reads, worked out once for ``all``."""

    fiscal_year: int
    notes: list[Note]
    #: how each agency reports each key result that year (``progress.frequency``): the
    #: frequency shown beside each own target, and what each agency's projects owe
    frequencies: Frequencies
    words: dict[str, tuple[str, str]]
    #: each policy with key results that year: its (key result, allocations), its supporters,
    #: the agencies with an own target on any of its key results, and its supporters not bound
    #: (``progress.binding``: an own target, and an OKR bound where the key result records it)
    policies: list[
        tuple[Policy, list[tuple[KeyResult, dict[str, float]]], list[str], set[str], list[str]]
    ]
    #: every agency's names, made once
    names: dict[str, Names]


def _year(ds: Dataset, query: Query) -> _Year:
    fiscal_year, notes = pick_fiscal_year(ds, query)
    policies = []
    for policy in ds.policies.values():
        krs = [
            (kr, ds.allocations(kr.id))
            for okr, kr in ds.iter_key_results(policy)
            if okr.fiscal_year == fiscal_year
        ]
        allocated = {a for _, allocations in krs for a in allocations}
        supporters = ds.supporters(policy) if krs or allocated else []
        not_bound = unbound_supporters(ds, policy, [kr for kr, _ in krs]) if supporters else []
        policies.append((policy, krs, supporters, allocated, not_bound))
    words = {f: _due_words(ds.calendar, fiscal_year, f) for f in FREQUENCY.values()}
    names = {a: _names(obj) for a, obj in ds.agencies.items()}
    return _Year(
        fiscal_year,
        notes,
        frequencies(ds, fiscal_year),
        words,
        policies,
        names,
    )


def handbook_of(ds: Dataset, agency: str, query: Query, year: _Year | None = None) -> Handbook:
    """``handbook`` for an agency id known to the dataset."""
    if agency not in ds.agencies:
        raise UsageError(f"unknown agency {agency!r}")
    year = year or _year(ds, query)
    fiscal_year, freq, words = year.fiscal_year, year.frequencies, year.words

    def allocation(kr_id: str, who: str, target: float, role: Role) -> Allocation:
        frequency = freq.agency_frequency(kr_id, who)
        th, en = words[frequency]
        return Allocation(_agency(ds, who, year.names), role, target, frequency, th, en)

    hosted: dict[tuple[str | None, str], list[HandbookPolicy]] = {}
    supported: dict[tuple[str | None, str], list[HandbookPolicy]] = {}
    for policy, krs, supporters, allocated, not_bound in year.policies:
        if policy.host == agency and krs:
            role: Role = "host"
        elif agency in allocated or (agency in supporters and krs and policy.host is not None):
            role = "supporter"
        else:
            continue  # a catalogue entry with no host and no allocation for the agency: not here
        key_results = []
        for kr, allocations in krs:
            own = allocations.get(agency)
            frequency = None
            if own is not None:
                frequency = freq.agency_frequency(kr.id, agency)
            th, en = words[frequency] if frequency else ("", "")
            row = _key_result(ds, kr, own, frequency, th, en)
            if role == "host":
                row.allocations = [
                    allocation(kr.id, who, target, "host" if who == policy.host else "supporter")
                    for who, target in allocations.items()
                ]
            key_results.append(row)
        # the host chases every supporter not bound; a supporter needs only its own binding
        mine = not_bound if role == "host" else [a for a in not_bound if a == agency]
        entry = _policy(ds, policy, role, supporters, mine, key_results, year)
        key = (policy.group, policy.dimension)
        (hosted if role == "host" else supported).setdefault(key, []).append(entry)
    calendar = ds.calendar
    return Handbook(
        agency=_agency(ds, agency, year.names),
        fiscal_year=fiscal_year,
        as_of=query.as_of,
        hosted=_sections(ds, hosted, "host"),
        supported=_sections(ds, supported, "supporter"),
        due_rules=[(f, *words[f]) for f in FREQUENCY.values() if words[f][0]],
        exceptions=_exceptions(calendar, fiscal_year),
        contact=calendar.contact.model_dump() if calendar and calendar.contact else None,
        notes=year.notes,
        projects=agency_projects(ds, agency, fiscal_year, query.as_of, freq),
        binding_due=binding.date if (binding := binding_due(calendar, fiscal_year)) else None,
    )


def _key_result(
    ds: Dataset, kr: KeyResult, own: float | None, frequency: str | None, th: str, en: str
) -> HandbookKeyResult:
    return HandbookKeyResult(
        id=kr.id,
        title_th=kr.title_th,
        title_en=kr.title_en,
        unit=kr.unit,
        unit_th=kr.unit_th or "",
        baseline=kr.baseline,
        target=kr.target,
        direction=kr.direction,
        measure=kr.measure,
        aggregate=kr.aggregate,
        parent=ds.kr_parent.get(kr.id),
        own_target=own,
        frequency=frequency,
        due_th=th,
        due_en=en,
    )


def _policy(
    ds: Dataset,
    policy: Policy,
    role: Role,
    supporters: list[str],
    not_bound: list[str],
    key_results: list[HandbookKeyResult],
    year: _Year,
) -> HandbookPolicy:
    names = year.names
    return HandbookPolicy(
        id=policy.id,
        title_th=policy.title_th,
        title_en=policy.title_en,
        role=role,
        group=_names(ds.groups.get(policy.group)) if policy.group in ds.groups else None,
        dimension=_names(ds.dimensions.get(policy.dimension), policy.dimension),
        host=_agency(ds, policy.host, names)
        if policy.host
        else Names("", "ยังไม่กำหนด", "not assigned"),
        supporters=[names[a] for a in supporters if a in names],
        not_bound=[names[a] for a in not_bound if a in names],
        urgent=policy.urgent,
        key_project=policy.key_project,
        objectives=[
            (o.objective_th, o.objective_en)
            for o in policy.okrs
            if o.fiscal_year == year.fiscal_year
        ],
        key_results=key_results,
    )


def _sections(
    ds: Dataset, found: dict[tuple[str | None, str], list[HandbookPolicy]], role: Role
) -> list[Section]:
    """The groups in the order of groups.yaml (no group last), dimensions in the order of
    dimensions.yaml, policies in dataset order."""
    groups = {g: n for n, g in enumerate(ds.groups)}
    dimensions = {d: n for n, d in enumerate(ds.dimensions)}
    keys = sorted(
        found,
        key=lambda k: (groups.get(k[0] or "", len(groups)), dimensions.get(k[1], len(dimensions))),
    )
    return [Section(role, found[k][0].group, found[k][0].dimension, found[k]) for k in keys]


def _exceptions(
    calendar: ReportingCalendar | None, fiscal_year: int
) -> list[tuple[str, date, str, str]]:
    from okrtool.fiscal import PeriodError, parse_period

    out = []
    for exception in calendar.exceptions if calendar else []:
        try:
            period = parse_period(exception.period)
        except PeriodError:
            continue  # validate says what is wrong with it
        if period.fiscal_year == fiscal_year:
            out.append(
                (str(period), exception.due, exception.reason_th or "", exception.reason_en or "")
            )
    return out


def all_handbooks(ds: Dataset, query: Query) -> list[Handbook]:
    """The handbook of every agency that has anything in it (a policy hosted or supported), in
    dataset order: what ``--agency all`` writes."""
    year = _year(ds, query)
    books = (handbook_of(ds, agency, query, year) for agency in ds.agencies)
    return [book for book in books if not book.empty]

"""What a table asks for: the query a command parsed, resolved against the dataset into a scope.

``Query`` holds the options as typed; ``resolve_scope`` checks them (unknown group, agency or year:
a usage error naming the closest match) and picks the fiscal year and the period; then
``selected_policies`` / ``selected_key_results`` are what every table iterates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from okrtool.dataset import Dataset
from okrtool.errors import OkrtoolError, UsageError
from okrtool.fiscal import (
    FIRST_DAY,
    JUDGED,
    LAST_DAY,
    MIN_BE_YEAR,
    Period,
    PeriodError,
    be_to_ce,
    check_fiscal_year,
    elapsed_fraction,
    fiscal_year_of,
)
from okrtool.model import KeyResult, Policy

if TYPE_CHECKING:
    from okrtool.rules.validate import YearsWanted
from okrtool.progress.figures import due_period
from okrtool.typed import strip_agency_prefix

Lang = Literal["th", "en"]
By = Literal["district", "zone", "agency"]

#: Where every figure below is defined in words; the tables name it in their footer.
DEFINITIONS = "docs/definitions.md"


class DataError(OkrtoolError):
    """The data folder has errors: figures computed from it could be wrong."""


@dataclass(frozen=True)
class Note:
    """A line under a header, in both languages (JSON carries the English)."""

    en: str
    th: str

    def text(self, lang: Lang) -> str:
        """The note in ``lang``."""
        return self.th if lang == "th" else self.en


# --- the query: which key results, which year, which day ---------------------------------------


@dataclass(frozen=True)
class Query:
    """What to show: filters as typed on the command line (ids or names), the year and the day."""

    as_of: date
    fiscal_year: int | None = None
    group: str | None = None
    dimension: str | None = None
    agency: str | None = None
    policy: str | None = None
    urgent: bool = False
    key_projects: bool = False
    lang: Lang = "th"


@dataclass(frozen=True)
class Scope:
    """A query resolved against the dataset: ids, not names, and a fiscal year."""

    fiscal_year: int
    as_of: date
    elapsed: float
    group: str | None
    dimension: str | None
    agency: str | None
    policy: str | None
    key_result: str | None
    urgent: bool
    key_projects: bool
    lang: Lang
    notes: tuple[Note, ...] = ()
    #: The period every agency should have reported for by the as-of day (``due_period``).
    period: Period | None = None
    #: The day the command runs: an as-of day before it is in the past (labels name the date).
    today: date | None = None


def scope_filters(s: Scope) -> dict[str, Any]:
    """The filters a scope applies, by option name (JSON ``filters``)."""
    return {
        k: v
        for k, v in {
            "group": s.group,
            "dimension": s.dimension,
            "agency": s.agency,
            "policy": s.policy,
            "key_result": s.key_result,
            "urgent": s.urgent or None,
            "key_projects": s.key_projects or None,
        }.items()
        if v is not None
    }


def today() -> date:
    """Today's date: the default as-of day."""
    return date.today()


def parse_day(text: str | None, option: str = "--as-of") -> date:
    """A day typed as YYYY-MM-DD (or 2567-6-30, as the periods take 2567-6), CE or BE (a year
    of 2400 or more is BE), in Thai digits too; None is today.
    A day outside the fiscal years okrtool can judge (FIRST_DAY–LAST_DAY) is refused.
    ``option`` names the option in the error message."""
    if text is None:
        return today()
    from okrtool.typed import normalize  # Thai digits as typed: ๒๕๖๗-๐๖-๓๐

    try:
        found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", normalize(text))
        if found is None:
            raise ValueError(text)
        year = int(found.group(1))
        ce = be_to_ce(year) if year >= MIN_BE_YEAR else year
        day = date(ce, int(found.group(2)), int(found.group(3)))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date; expected YYYY-MM-DD, like 2024-06-30 "
            "(or in BE, 2567-06-30)"
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(
            f"{option} {text}: okrtool judges days from {FIRST_DAY.isoformat()} to "
            f"{LAST_DAY.isoformat()} (fiscal years {JUDGED[0]}–{JUDGED[1]} BE)"
        )
    return day


def parse_period_option(text: str, option: str = "--period") -> Period:
    """A period as people type it on the command line (2567-06, มิ.ย. 67, June 2024, FY2567-Q3,
    ไตรมาส 3/2567): the reader report-template and import-reports use; UsageError otherwise."""
    from okrtool.typed import TypedError, period_of

    try:
        return period_of(text)
    except TypedError as exc:
        raise UsageError(f"{option} {text}: {exc}") from None


# --- loading ------------------------------------------------------------------------------------


def open_dataset(
    root: Path, allow_errors: bool = False, years: YearsWanted | None = None
) -> tuple[Dataset, int]:
    """Load and check the data folder; raise DataError if it has errors (unless allowed).

    Returns the dataset and how many errors it has. Warnings (an R agency not bound, a key result
    not reported yet) are what the status and chase list are for, so they never stop it. With
    ``years`` (see ``validate.load_checked``), only the reports of the fiscal years it names are
    read and checked: errors in other years' reports do not change this year's figures.
    """
    from okrtool.rules.validate import load_checked

    ds, errors = load_checked(root, years)
    if errors and not allow_errors:
        first = errors[0]
        raise DataError(
            f"{root} has {len(errors)} error{'s' if len(errors) > 1 else ''} "
            f"(first: {first.file}:{first.line}: {first.code} {first.message}); "
            "figures from it could be wrong. Run 'okrtool validate' to see them all, or pass "
            "--allow-errors to print anyway."
        )
    return ds, len(errors)


def years_for(query: Query, period: str | None = None) -> Callable[[Dataset], set[int]]:
    """The fiscal years whose reports ``query`` (and the chase list's ``period``) needs, as a
    function of the plan: the year it will show, nothing more."""

    def needed(ds: Dataset) -> set[int]:
        if period:
            try:
                return {parse_period_option(period).fiscal_year}
            except UsageError:
                pass  # missing_report says what is wrong with it
        return {pick_fiscal_year(ds, query)[0]}

    return needed


# --- resolving filters --------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve(kind: str, text: str, options: Mapping[str, Any]) -> str:
    """The id in ``options`` that ``text`` names: an id, a Thai or English name or abbreviation,
    or a unique part of a name. Raise UsageError listing the choices otherwise."""
    if text in options:
        return text
    wanted = _norm(text)
    names: dict[str, list[str]] = {}
    for key, obj in options.items():
        for attr in ("name_th", "name_en", "abbr_th", "abbr_en", "title_th", "title_en"):
            value = getattr(obj, attr, None)
            if value:
                names.setdefault(key, []).append(_norm(value))
    exact = [k for k, ns in names.items() if wanted in ns or _norm(k) == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = [k for k, ns in names.items() if any(wanted in n for n in ns)]
    bare = _norm(strip_agency_prefix(text))
    if not exact and not partial and bare and bare != wanted:  # สำนักงานเขตบางรัก: บางรัก
        exact = [k for k, ns in names.items() if bare in ns]
        if len(exact) == 1:
            return exact[0]
        partial = [k for k, ns in names.items() if any(bare in n for n in ns)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise UsageError(f"{kind} {text!r} is ambiguous: it could be {', '.join(partial)}")
    near = difflib.get_close_matches(text, list(options), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'? " if near else ""
    shown = ", ".join(list(options)[:12]) + (" ..." if len(options) > 12 else "")
    raise UsageError(f"unknown {kind} {text!r}; {hint}expected one of: {shown}")


def fiscal_years(ds: Dataset) -> list[int]:
    """The fiscal years that have OKRs, oldest first."""
    return sorted({okr.fiscal_year for okr in ds.okrs.values()})


def pick_fiscal_year(ds: Dataset, query: Query) -> tuple[int, list[Note]]:
    """The fiscal year ``query`` shows and a note on how it was chosen: ``query.fiscal_year`` if
    given, else the one the as-of date falls in; if no OKR is for that year, the latest earlier
    year that has OKRs. Raise UsageError for a year that is not a BE fiscal year."""
    notes: list[Note] = []
    years = fiscal_years(ds)
    if query.fiscal_year is not None:
        try:
            fy = check_fiscal_year(query.fiscal_year)
        except PeriodError as exc:
            raise UsageError(str(exc)) from None
        if fy not in years:
            notes.append(
                Note(
                    f"no OKR is for FY {fy}; years with OKRs: {years_text(years)}",
                    f"ไม่มี OKR ของปีงบประมาณ {fy}; ปีที่มี OKR: {years_text(years)}",
                )
            )
    else:
        fy = fiscal_year_of(query.as_of)
        if fy not in years and years:
            earlier = [y for y in years if y < fy]
            chosen = earlier[-1] if earlier else years[0]
            which = ("latest", "ล่าสุด") if earlier else ("first", "แรก")
            notes.append(
                Note(
                    f"no OKR is for FY {fy} (the year of {query.as_of.isoformat()}); "
                    f"showing FY {chosen}, the {which[0]} with OKRs",
                    f"ไม่มี OKR ของปีงบประมาณ {fy} (ปีของวันที่ {query.as_of.isoformat()}); "
                    f"แสดงปีงบประมาณ {chosen} ซึ่งเป็นปี{which[1]}ที่มี OKR",
                )
            )
            fy = chosen
    return fy, notes


def resolve_scope(ds: Dataset, query: Query) -> Scope:
    """Turn names into ids and pick the fiscal year; raise UsageError for what names nothing.

    The fiscal year is ``query.fiscal_year`` if given, else the one the as-of date falls in;
    if no OKR is for that year, the latest earlier year that has OKRs (with a note).
    """
    fy, notes = pick_fiscal_year(ds, query)
    group = resolve("group", query.group, ds.groups) if query.group else None
    dimension = resolve("dimension", query.dimension, ds.dimensions) if query.dimension else None
    agency = resolve("agency", query.agency, ds.agencies) if query.agency else None
    if dimension is not None:
        notes.extend(_tagged_note(ds, dimension, fy))
    policy = key_result = None
    if query.policy:
        if query.policy in ds.key_results:
            key_result = query.policy
            policy = ds.kr_policy[key_result]
        else:
            policy = resolve("policy or key result", query.policy, ds.policies)
    return Scope(
        fiscal_year=fy,
        as_of=query.as_of,
        elapsed=elapsed_fraction(fy, query.as_of),
        group=group,
        dimension=dimension,
        agency=agency,
        policy=policy,
        key_result=key_result,
        urgent=query.urgent,
        key_projects=query.key_projects,
        lang=query.lang,
        notes=tuple(notes),
        period=due_period(fy, query.as_of),
        today=today(),
    )


def _tagged_note(ds: Dataset, dimension: str, fy: int) -> list[Note]:
    """A note naming the policies of other dimensions counted under ``dimension`` by their tags
    (those with an OKR of ``fy``: a policy with none gives no row)."""
    tagged = [
        p.id
        for p in ds.policies.values()
        if dimension in p.tags and any(okr.fiscal_year == fy for okr in p.okrs)
    ]
    if not tagged:
        return []
    names = ", ".join(tagged)
    return [
        Note(
            f"a policy counts under each of its dimensions: {names} "
            + (
                f"is here by its tag '{dimension}'"
                if len(tagged) == 1
                else f"are here by their tag '{dimension}'"
            ),
            f"นโยบายนับในทุกด้านที่ติดแท็กไว้: {names} อยู่ที่นี่ด้วยแท็ก '{dimension}'",
        )
    ]


def years_text(years: list[int]) -> str:
    """Fiscal years for a message: ``2566, 2567``, or ``none``."""
    return ", ".join(map(str, years)) or "none"


def selected_policies(ds: Dataset, scope: Scope) -> list[Policy]:
    """The policies that pass every filter of the scope, in dataset order."""
    out = []
    for policy in ds.policies.values():
        if scope.group and policy.group != scope.group:
            continue
        if scope.dimension and scope.dimension not in (policy.dimension, *policy.tags):
            continue
        if scope.policy and policy.id != scope.policy:
            continue
        if scope.urgent and not policy.urgent:
            continue
        if scope.key_projects and not policy.key_project:
            continue
        if scope.agency and not (
            policy.host == scope.agency or scope.agency in ds.supporters(policy)
        ):
            continue
        out.append(policy)
    return out


def selected_key_results(ds: Dataset, scope: Scope) -> Iterator[tuple[Policy, KeyResult]]:
    """Every key result of the scope's fiscal year under the selected policies, sub-targets
    right after their parent."""
    for policy in selected_policies(ds, scope):
        for okr, kr in ds.iter_key_results(policy):
            if okr.fiscal_year != scope.fiscal_year:
                continue
            if scope.key_result and scope.key_result not in (kr.id, ds.kr_parent.get(kr.id)):
                continue
            yield policy, kr


def describe_filters(scope: Scope) -> str:
    """The filters as options, for a message: ``--group infrastructure, --urgent``."""
    return ", ".join(
        f"--{k.replace('_', '-')}" + ("" if v is True else f" {v}")  # a flag has no value
        for k, v in scope_filters(scope).items()
    )

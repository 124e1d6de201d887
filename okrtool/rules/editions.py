"""Rules on editions of the plan (E901–E905): their order, dimensions and fiscal years."""

from __future__ import annotations

from collections.abc import Iterator

from okrtool.dataset import Dataset, Where
from okrtool.editions import allowed_dimensions, covers, in_force, policy_edition
from okrtool.fiscal import PeriodError, check_fiscal_year
from okrtool.model import Edition, Policy
from okrtool.problems import Problem
from okrtool.rules.common import missing, problem_at, unknown_id


def edition_references(ds: Dataset) -> Iterator[Problem]:
    """E202/E501: what an edition names exists (its previous edition, its dimensions and those of
    its development issues), its first year is a fiscal year; a policy's edition exists."""
    for edition in ds.editions.values():
        where = ds.where[("edition", edition.id)]
        try:
            check_fiscal_year(edition.first_year)
        except PeriodError as exc:
            yield problem_at(where, "E501", str(exc), "first_year")
        if edition.previous is not None and missing(ds, edition.previous, ds.editions):
            msg, hint = unknown_id("edition", edition.previous, ds.editions)
            yield problem_at(where, "E202", msg, "previous", hint=hint)
        for i, dim in enumerate(edition.dimensions):
            if missing(ds, dim, ds.dimensions):
                msg, hint = unknown_id("dimension", dim, ds.dimensions)
                yield problem_at(where, "E202", msg, "dimensions", i, hint=hint)
        for i, issue in enumerate(edition.development_issues):
            if issue.dimension is not None and missing(ds, issue.dimension, ds.dimensions):
                msg, hint = unknown_id("dimension", issue.dimension, ds.dimensions)
                yield problem_at(
                    where, "E202", msg, "development_issues", i, "dimension", hint=hint
                )
    for policy in ds.policies.values():
        if policy.edition is not None and missing(ds, policy.edition, ds.editions):
            msg, hint = unknown_id("edition", policy.edition, ds.editions)
            yield problem_at(ds.where[("policy", policy.id)], "E202", msg, "edition", hint=hint)


def previous_edition_earlier(ds: Dataset) -> Iterator[Problem]:
    """E901: an edition's previous edition comes into force before it does."""
    for edition in ds.editions.values():
        previous = ds.editions.get(edition.previous) if edition.previous else None
        if previous is not None and previous.first_year >= edition.first_year:
            yield problem_at(
                ds.where[("edition", edition.id)],
                "E901",
                f"edition '{edition.id}' (in force from FY {edition.first_year}) follows "
                f"'{previous.id}', which is in force from FY {previous.first_year}, not earlier",
                "previous",
                hint="name an earlier edition as previous, or fix one of the first years",
            )


def editions_first_years(ds: Dataset) -> Iterator[Problem]:
    """E902: no two editions come into force in the same fiscal year."""
    first: dict[int, str] = {}
    for edition in ds.editions.values():
        other = first.setdefault(edition.first_year, edition.id)
        if other != edition.id:
            yield problem_at(
                ds.where[("edition", edition.id)],
                "E902",
                f"editions '{other}' and '{edition.id}' are both in force from "
                f"FY {edition.first_year}",
                "first_year",
                hint="each edition ends where the next begins: give each its own first year",
            )


def _edition_why(policy: Policy, edition: Edition) -> str:
    """How ``policy`` came to belong to ``edition``, for a message."""
    if policy.edition is not None:
        return f"edition '{edition.id}'"
    if policy.okrs:
        year = min(okr.fiscal_year for okr in policy.okrs)
        return f"edition '{edition.id}' (in force in FY {year}, its first OKR's year)"
    return f"edition '{edition.id}' (the first edition: the policy has no OKR)"


def dimensions_in_edition(ds: Dataset) -> Iterator[Problem]:
    """E903: a policy's dimension and tags, and a development issue's dimension, are among the
    dimensions of their edition (or of the editions of the same plan it renames)."""
    allowed_of = {e.id: allowed_dimensions(ds, e) for e in ds.editions.values()}
    for policy in ds.policies.values():
        edition = policy_edition(ds, policy)
        if edition is None:
            continue
        allowed = allowed_of[edition.id]
        where = ds.where[("policy", policy.id)]
        named = [
            (policy.dimension, ("dimension",)),
            *((t, ("tags", i)) for i, t in enumerate(policy.tags)),
        ]
        for dim, path in named:
            if dim in ds.dimensions and dim not in allowed:
                yield problem_at(
                    where,
                    "E903",
                    f"dimension '{dim}' is not one of {_edition_why(policy, edition)}: "
                    f"expected one of {', '.join(allowed) or '(none listed yet)'}",
                    *path,
                    hint="name a dimension of the policy's edition, or set the policy's `edition`",
                )
    for edition in ds.editions.values():
        allowed = allowed_dimensions(ds, edition)
        for i, issue in enumerate(edition.development_issues):
            if issue.dimension in ds.dimensions and issue.dimension not in allowed:
                yield problem_at(
                    ds.where[("edition", edition.id)],
                    "E903",
                    f"development issue '{issue.id}' names dimension '{issue.dimension}', "
                    f"not one of edition '{edition.id}': expected one of "
                    f"{', '.join(allowed) or '(none listed yet)'}",
                    "development_issues",
                    i,
                    "dimension",
                )


def okr_years_in_edition(ds: Dataset) -> Iterator[Problem]:
    """E904: an OKR's fiscal year is one in which its policy's edition (or a renaming of it) is
    in force: a 2569 OKR bound to a policy of the 2022 platform counts under a plan that has
    ended."""
    for policy in ds.policies.values():
        edition = policy_edition(ds, policy)
        if edition is None:
            continue
        for okr in policy.okrs:
            if covers(ds, edition, okr.fiscal_year):
                continue
            current = in_force(ds, okr.fiscal_year)
            now = (
                f"edition '{current.id}' is in force then"
                if current is not None
                else "no edition is in force then"
            )
            yield problem_at(
                ds.where[("okr", okr.id)],
                "E904",
                f"OKR '{okr.id}' is for FY {okr.fiscal_year}, but its policy '{policy.id}' "
                f"belongs to {_edition_why(policy, edition)}; {now}",
                "fiscal_year",
                hint="bind the OKR to a policy of the edition in force that year (`continues` "
                "names the one it carries on)",
            )


def continues_previous_edition(ds: Dataset) -> Iterator[Problem]:
    """E202/E905: the policy a policy or a development-strategy goal ``continues`` exists and
    belongs to the previous edition of its own edition."""
    for policy in ds.policies.values():
        if policy.continues is None:
            continue
        edition = policy_edition(ds, policy)
        yield from _continues(
            ds,
            ds.where[("policy", policy.id)],
            ("continues",),
            f"policy '{policy.id}'",
            policy.continues,
            edition,
        )
    for edition in ds.editions.values():
        for i, issue in enumerate(edition.development_issues):
            for j, goal in enumerate(issue.goals):
                if goal.continues is not None:
                    yield from _continues(
                        ds,
                        ds.where[("edition", edition.id)],
                        ("development_issues", i, "goals", j, "continues"),
                        f"goal '{goal.id}'",
                        goal.continues,
                        edition,
                    )


def _continues(
    ds: Dataset,
    where: Where,
    path: tuple[object, ...],
    what: str,
    continued: str,
    edition: Edition | None,
) -> Iterator[Problem]:
    if continued not in ds.policies:
        if not ds.policies_unreadable:
            msg, hint = unknown_id("policy", continued, ds.policies)
            yield problem_at(where, "E202", msg, *path, hint=hint)
        return
    if edition is None or (edition.previous is not None and edition.previous not in ds.editions):
        return  # an unknown previous edition is reported (E202)
    previous = ds.editions.get(edition.previous) if edition.previous else None
    of = policy_edition(ds, ds.policies[continued])
    if previous is None or of is None or of.id != previous.id:
        expected = (
            f"a policy of '{previous.id}'"
            if previous is not None
            else f"nothing: edition '{edition.id}' has no previous edition"
        )
        yield problem_at(
            where,
            "E905",
            f"{what} of edition '{edition.id}' continues '{continued}', which belongs to "
            f"'{of.id if of else 'no edition'}'; expected {expected}",
            *path,
            hint="name the policy of the previous edition that this one carries on",
        )

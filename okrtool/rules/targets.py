"""Rules on targets, allocations and bindings (E401–E405, E501): to H or R, adding up, in range."""

from __future__ import annotations

from collections.abc import Iterator

from okrtool.dataset import Dataset, Where
from okrtool.fiscal import PeriodError, check_fiscal_year
from okrtool.model import KeyResult
from okrtool.problems import Problem
from okrtool.rules.common import check_amount, missing, num, problem_at, unknown_id

#: Allocations may differ from a summed target by this much (floating point), no more.
TOLERANCE = 1e-6


def targets_and_allocations(ds: Dataset) -> Iterator[Problem]:
    """E401–E405 and E501: allocations go to H or R and add up; amounts are in range."""
    for policy in ds.policies.values():
        bound = {policy.host, *ds.supporters(policy)}
        for okr in policy.okrs:
            okr_where = ds.where[("okr", okr.id)]
            try:
                check_fiscal_year(okr.fiscal_year)
            except PeriodError as exc:
                yield problem_at(okr_where, "E501", str(exc), "fiscal_year")
            for kr in okr.all_key_results():
                where = ds.where.get(("key result", kr.id))
                if where is None or ds.key_results[kr.id] is not kr:
                    continue  # a second key result with this id: reported as E201
                for field_name in ("target", "baseline"):
                    bad = check_amount(kr, getattr(kr, field_name), field_name)
                    if bad:
                        yield problem_at(where, bad[0], bad[1], field_name)
                for agency, amount in kr.allocations.items():
                    if missing(ds, agency, ds.agencies):
                        msg, hint = unknown_id("agency", agency, ds.agencies)
                        yield problem_at(where, "E202", msg, "allocations", agency, hint=hint)
                    elif (
                        agency in ds.agencies and agency not in bound and policy.host in ds.agencies
                    ):
                        yield problem_at(
                            where,
                            "E401",
                            f"allocation to '{agency}', which is neither the host "
                            f"'{policy.host}' nor a supporter of policy '{policy.id}'",
                            "allocations",
                            agency,
                            hint=f"add '{agency}' to the policy's supporters, or remove it",
                        )
                    bad = check_amount(kr, amount, f"allocation to '{agency}'")
                    if bad:
                        yield problem_at(where, bad[0], bad[1], "allocations", agency)
                yield from _bindings(ds, kr, where, bound, policy.host, policy.id)
                if kr.aggregate == "sum" and kr.allocations:
                    total = sum(kr.allocations.values())
                    if abs(total - kr.target) > TOLERANCE * max(1.0, abs(kr.target)):
                        diff = total - kr.target
                        side = "over" if diff > 0 else "short"
                        yield problem_at(
                            where,
                            "E402",
                            f"allocations of '{kr.id}' add up to {num(total)} {kr.unit}; "
                            f"the target is {num(kr.target)} ({num(abs(diff))} {side})",
                            "allocations",
                        )
                parent_id = ds.kr_parent.get(kr.id)
                if parent_id is not None:
                    yield from _sub_target_within_parent(ds, kr, ds.key_results[parent_id], where)


def _bindings(
    ds: Dataset, kr: KeyResult, where: Where, may: set, host: str | None, policy: str
) -> Iterator[Problem]:
    """E202/E401 for a binding (``bound``) by an unknown agency or one neither H nor R."""
    for agency in kr.bound or {}:
        if missing(ds, agency, ds.agencies):
            msg, hint = unknown_id("agency", agency, ds.agencies)
            yield problem_at(where, "E202", msg, "bound", agency, hint=hint)
        elif agency in ds.agencies and agency not in may and host in ds.agencies:
            yield problem_at(
                where,
                "E401",
                f"binding by '{agency}', which is neither the host '{host}' nor a supporter of "
                f"policy '{policy}'",
                "bound",
                agency,
                hint=f"add '{agency}' to the policy's supporters, or remove its binding",
            )


def _sub_target_within_parent(
    ds: Dataset, kr: KeyResult, parent: KeyResult, where: Where
) -> Iterator[Problem]:
    if kr.target > parent.target:
        yield problem_at(
            where,
            "E403",
            f"sub-target '{kr.id}' ({num(kr.target)}) is above its parent "
            f"'{parent.id}' ({num(parent.target)})",
            "target",
        )
    parent_alloc = ds.allocations(parent.id)
    for agency, amount in kr.allocations.items():
        if agency in parent_alloc and amount > parent_alloc[agency]:
            yield problem_at(
                where,
                "E403",
                f"allocation to '{agency}' on sub-target '{kr.id}' ({num(amount)}) is above "
                f"its allocation on '{parent.id}' ({num(parent_alloc[agency])})",
                "allocations",
                agency,
            )

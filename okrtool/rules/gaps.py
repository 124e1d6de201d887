"""Warnings on what the plan lacks yet (W701–W703, W705): OKRs, hosts, bindings, reports."""

from __future__ import annotations

from collections.abc import Iterator

from okrtool.dataset import Dataset
from okrtool.model import ALL_DISTRICTS, ZONE_PREFIX
from okrtool.problems import Problem
from okrtool.rules.common import problem_at

#: How many names a message lists before it says "+N more".
LIST_NAMES = 5


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:LIST_NAMES])
    return shown + (f" (+{len(ids) - LIST_NAMES} more)" if len(ids) > LIST_NAMES else "")


def warnings(ds: Dataset) -> Iterator[Problem]:
    """W701–W703, W705: a policy with no OKR, an R agency not bound, a key result not yet
    reported, a policy with no host assigned yet."""
    reported = {rv.key_result for rv in ds.reports} | ds.key_results_reported_let_go
    for policy in ds.policies.values():
        where = ds.where[("policy", policy.id)]
        if policy.host is None:
            yield problem_at(
                where,
                "W705",
                f"policy '{policy.id}' has no host agency assigned yet"
                + (" (nor a mission group)" if policy.group is None else ""),
                "id",
            )
        if not policy.okrs:
            yield problem_at(where, "W701", f"policy '{policy.id}' has no OKR bound to it", "id")
            continue
        bound: set[str] = set()
        for _, kr in ds.iter_key_results(policy):
            bound.update(kr.allocations)
        for i, entry in enumerate(policy.supporters):
            agencies = [a for a in ds.expand_supporter(entry) if a in ds.agencies]
            unbound = [a for a in agencies if a not in bound and a != policy.host]
            if not unbound:
                continue
            if entry in (ALL_DISTRICTS,) or entry.startswith(ZONE_PREFIX):
                msg = (
                    f"{len(unbound)} of {len(agencies)} agencies of '{entry}' are not bound "
                    f"(no allocation on any key result): {_names(unbound)}"
                )
            else:
                msg = f"supporter '{entry}' is not bound (no allocation on any key result)"
            yield problem_at(where, "W702", msg, "supporters", i)
        if ds.reports_unreadable:
            continue  # W703 would name key results whose reports are in what was not read
        for _, kr in ds.iter_key_results(policy):
            if kr.id not in reported and ("key result", kr.id) in ds.where:
                yield problem_at(
                    ds.where[("key result", kr.id)],
                    "W703",
                    f"key result '{kr.id}' has no report yet",
                    "id",
                )

"""Rules on a policy's host and supporters, H and R (E301, E302): no overlap, no repeat."""

from __future__ import annotations

from collections.abc import Iterator

from okrtool.dataset import Dataset
from okrtool.problems import Problem
from okrtool.rules.common import problem_at


def host_and_supporters(ds: Dataset) -> Iterator[Problem]:
    """E301/E302: H is not also R, and no R agency is listed twice."""
    for policy in ds.policies.values():
        where = ds.where[("policy", policy.id)]
        seen: dict[str, int] = {}
        for i, entry in enumerate(policy.supporters):
            for agency in ds.expand_supporter(entry):
                if agency == policy.host:
                    via = "" if agency == entry else f" (through '{entry}')"
                    yield problem_at(
                        where,
                        "E301",
                        f"host '{policy.host}' is also listed as a supporter{via}",
                        "supporters",
                        i,
                    )
                elif agency in seen:
                    yield problem_at(
                        where,
                        "E302",
                        f"supporter '{agency}' is listed twice (entries {seen[agency] + 1} "
                        f"and {i + 1} of supporters)",
                        "supporters",
                        i,
                    )
                else:
                    seen[agency] = i

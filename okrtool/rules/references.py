"""Rules on ids and references (E201–E204, E303, E304, E406): unique, existing, fitting."""

from __future__ import annotations

from collections.abc import Iterator

from okrtool.dataset import Dataset, Where
from okrtool.model import ALL_DISTRICTS, ZONE_PREFIX, Policy
from okrtool.problems import Problem
from okrtool.rules.common import missing, problem_at, unknown_id


def duplicate_ids(ds: Dataset) -> Iterator[Problem]:
    """E201: an id written twice within its kind, anywhere in the dataset."""
    for kind, obj_id, where in ds.duplicates:
        first = ds.where[(kind, obj_id)]
        yield problem_at(
            where,
            "E201",
            f"duplicate {kind} id '{obj_id}' (first at {ds.shown(first.file)}:{ds.line_of(first)})",
            "id",
        )
    codes: dict[str, str] = {}
    for district in ds.districts.values():
        if district.code in codes:
            yield problem_at(
                ds.where[("agency", district.id)],
                "E201",
                f"district code {district.code} is used by '{codes[district.code]}' too",
                "code",
            )
        codes.setdefault(district.code, district.id)


def agency_references(ds: Dataset) -> Iterator[Problem]:
    """E202: zones of districts, group members and secretaries exist."""
    for district in ds.districts.values():
        if missing(ds, district.zone, ds.zones):
            msg, hint = unknown_id("zone", district.zone, ds.zones)
            yield problem_at(ds.where[("agency", district.id)], "E202", msg, "zone", hint=hint)
    for group in ds.groups.values():
        where = ds.where[("group", group.id)]
        if missing(ds, group.secretary, ds.departments):
            msg, hint = unknown_id("department", group.secretary, ds.departments)
            yield problem_at(where, "E202", msg, "secretary", hint=hint)
        for i, dep in enumerate(group.departments):
            if missing(ds, dep, ds.departments):
                msg, hint = unknown_id("department", dep, ds.departments)
                yield problem_at(where, "E202", msg, "departments", i, hint=hint)
        for i, sec in enumerate(group.district_sections):
            if missing(ds, sec, ds.sections):
                msg, hint = unknown_id("section role", sec, ds.sections)
                yield problem_at(where, "E202", msg, "district_sections", i, hint=hint)


def policy_references(ds: Dataset) -> Iterator[Problem]:
    """E202/E203/E204/E303/E304/E406: what a policy, its OKRs and projects name exists and fits."""
    for policy in ds.policies.values():
        where = ds.where[("policy", policy.id)]
        folder, _, name = where.file.removeprefix("policies/").rpartition("/")
        stem = name.rsplit(".", 1)[0]
        if stem != policy.id:
            yield problem_at(
                where,
                "E203",
                f"policy id '{policy.id}' is in a file named '{name}'",
                "id",
                hint=f"rename the file to {policy.id}.yaml",
            )
        if missing(ds, policy.dimension, ds.dimensions):
            msg, hint = unknown_id("dimension", policy.dimension, ds.dimensions)
            yield problem_at(where, "E202", msg, "dimension", hint=hint)
        elif folder != policy.dimension:
            yield problem_at(
                where,
                "E203",
                f"policy of dimension '{policy.dimension}' is in folder 'policies/{folder}'",
                "dimension",
                hint=f"move it to policies/{policy.dimension}/",
            )
        yield from _tags(ds, policy, where)
        group = ds.groups.get(policy.group) if policy.group is not None else None
        if policy.group is not None and missing(ds, policy.group, ds.groups):
            msg, hint = unknown_id("mission group", policy.group, ds.groups)
            yield problem_at(where, "E202", msg, "group", hint=hint)
        if policy.standing_order is not None:
            orders = {o.id: g.id for g in ds.groups.values() for o in g.standing_orders}
            if missing(ds, policy.standing_order, orders):
                msg, hint = unknown_id("standing order", policy.standing_order, orders)
                yield problem_at(where, "E202", msg, "standing_order", hint=hint)
            elif (
                group is not None
                and policy.standing_order in orders
                and orders[policy.standing_order] != group.id
            ):
                yield problem_at(
                    where,
                    "E303",
                    f"standing order '{policy.standing_order}' belongs to group "
                    f"'{orders[policy.standing_order]}', not to '{group.id}'",
                    "standing_order",
                )
        if policy.district_section is not None and missing(
            ds, policy.district_section, ds.sections
        ):
            msg, hint = unknown_id("section role", policy.district_section, ds.sections)
            yield problem_at(where, "E202", msg, "district_section", hint=hint)
        if policy.host is not None and missing(ds, policy.host, ds.agencies):
            msg, hint = unknown_id("agency", policy.host, ds.agencies)
            yield problem_at(where, "E202", msg, "host", hint=hint)
        if policy.okrs and (policy.host is None or policy.group is None):
            lacking = " and ".join(
                what
                for what, value in (
                    ("host agency (host)", policy.host),
                    ("mission group (group)", policy.group),
                )
                if value is None
            )
            yield problem_at(
                where,
                "E304",
                f"policy '{policy.id}' has {len(policy.okrs)} OKR(s) but no {lacking}",
                "okrs",
                hint="name the host and the group, or take the OKRs out",
            )
        for i, entry in enumerate(policy.supporters):
            if entry == ALL_DISTRICTS:
                continue
            if entry.startswith(ZONE_PREFIX):
                zone = entry[len(ZONE_PREFIX) :]
                if missing(ds, zone, ds.zones):
                    msg, hint = unknown_id("zone", zone, ds.zones)
                    yield problem_at(where, "E202", msg, "supporters", i, hint=hint)
            elif missing(ds, entry, ds.agencies):
                msg, hint = unknown_id("agency", entry, ds.agencies)
                if not hint:
                    hint = f"write an agency id, '{ALL_DISTRICTS}' or 'zone:<zone id>'"
                yield problem_at(where, "E202", msg, "supporters", i, hint=hint)
        for o, okr in enumerate(policy.okrs):
            if missing(ds, okr.owner, ds.agencies):
                msg, hint = unknown_id("agency", okr.owner, ds.agencies)
                yield problem_at(where, "E202", msg, "okrs", o, "owner", hint=hint)
            own_krs = {kr.id for kr in okr.all_key_results()}
            for j, project in enumerate(okr.projects):
                if missing(ds, project.owner, ds.agencies):
                    msg, hint = unknown_id("agency", project.owner, ds.agencies)
                    yield problem_at(
                        where, "E202", msg, "okrs", o, "projects", j, "owner", hint=hint
                    )
                kr_id = project.key_result
                if kr_id is None or kr_id in own_krs:
                    continue
                if kr_id in ds.key_results:
                    yield problem_at(
                        where,
                        "E406",
                        f"project '{project.id}' is bound to key result '{kr_id}' of OKR "
                        f"'{ds.kr_okr[kr_id]}', not of its own OKR '{okr.id}'",
                        "okrs",
                        o,
                        "projects",
                        j,
                        "key_result",
                    )
                else:
                    msg, hint = unknown_id("key result", kr_id, own_krs)
                    yield problem_at(
                        where, "E202", msg, "okrs", o, "projects", j, "key_result", hint=hint
                    )


def _tags(ds: Dataset, policy: Policy, where: Where) -> Iterator[Problem]:
    """E202/E204: each further dimension tag exists, and is neither the primary one nor a repeat."""
    seen = {policy.dimension}
    for i, tag in enumerate(policy.tags):
        if tag in seen:
            what = "the policy's own dimension" if tag == policy.dimension else "listed twice"
            yield problem_at(where, "E204", f"dimension tag '{tag}' is {what}", "tags", i)
        elif missing(ds, tag, ds.dimensions):
            msg, hint = unknown_id("dimension", tag, ds.dimensions)
            yield problem_at(where, "E202", msg, "tags", i, hint=hint)
        seen.add(tag)

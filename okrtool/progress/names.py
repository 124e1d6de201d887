"""What the tables call things, in Thai or English: agencies, zones, policies and key results,
and a table's title from its filters."""

from __future__ import annotations

from typing import Any

from okrtool.dataset import Dataset
from okrtool.progress.filters import Lang, Scope


def name_in(obj: Any, lang: Lang, attr: str = "name") -> str:
    """An object's ``name`` (or ``title``, with ``attr``) in ``lang``."""
    return getattr(obj, f"{attr}_{lang}")


def agency_name(ds: Dataset, agency: str | None, lang: Lang) -> str:
    """An agency's name in ``lang``, or its id if it is unknown; for no agency (a host not
    assigned yet, shown only with --allow-errors) words that say so."""
    if agency is None:
        return "ยังไม่กำหนด" if lang == "th" else "not assigned"
    return ds.agency_name(agency, lang)


def zone_of(ds: Dataset, agency: str) -> str | None:
    """The zone of a district; None for a department."""
    district = ds.districts.get(agency)
    return district.zone if district else None


def zone_name(ds: Dataset, zone: str | None, lang: Lang) -> str:
    """A zone's name in ``lang`` ("" for none, its id if it is unknown)."""
    if zone is None:
        return ""
    return name_in(ds.zones[zone], lang) if zone in ds.zones else zone


def table_title(ds: Dataset, scope: Scope) -> str:
    """A table's title: what its filters select, or "all groups"."""
    lang = scope.lang
    parts = []
    if scope.group:
        parts.append(name_in(ds.groups[scope.group], lang))
    if scope.dimension:
        parts.append(name_in(ds.dimensions[scope.dimension], lang))
    if scope.key_result:
        parts.append(name_in(ds.key_results[scope.key_result], lang, "title"))
    elif scope.policy:
        parts.append(name_in(ds.policies[scope.policy], lang, "title"))
    if scope.agency:
        parts.append(agency_name(ds, scope.agency, lang))
    if scope.urgent:
        parts.append("นโยบายเร่งด่วน" if lang == "th" else "urgent")
    if scope.key_projects:
        parts.append("Key Projects")
    if not parts:
        parts.append("ทุกกลุ่มภารกิจ" if lang == "th" else "all groups")
    return " · ".join(parts)

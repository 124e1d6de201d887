"""Renderings of a ``PlanDiff``: text for the terminal, Markdown for a pull-request comment, JSON.

Text and Markdown are made from the same outline of lines (``_policy_lines``): a policy, then
what changed in it, one level deeper for each thing inside. Names are Thai first with the English
beside (``--lang en``: English only). Every figure comes from ``progress/`` (``diffmodel``); this
module only words and formats it, and folds lines that read alike (``--format json`` keeps them
all). The words themselves are in ``diff_words``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from okrtool.render.diff_words import WORDS
from okrtool.render.text import number as plain_number
from okrtool.render.text import one_line

if TYPE_CHECKING:
    from okrtool.progress.diffmodel import (
        AllocationChange,
        AllocationDiff,
        BindingChange,
        FieldChange,
        KeyResultDiff,
        Name,
        OkrDiff,
        Orphans,
        PlanDiff,
        PolicyDiff,
        ProjectDiff,
        Side,
        Unit,
        ValueChange,
    )

FORMATS = ("text", "markdown", "json")
#: A list of agencies longer than this is counted rather than named, where it is a summary.
NAMED_AT_MOST = 5
MINUS = "−"  # U+2212, as in a printed table: −20,000

_MARKS = {"added": "+", "removed": "-", "changed": "~", "renamed": "~", "unreadable": "?"}
#: In Markdown a leading "-" would start a list: the marks in bold, the minus as a minus sign.
_MD_MARKS = {"+": "**+** ", "-": f"**{MINUS}** ", "~": "**~** ", "?": "**?** ", "": ""}


def number(x: float | None) -> str:
    """``plain_number`` with a minus sign (−2,630), as in a printed table."""
    return plain_number(x).replace("-", MINUS)


@dataclass(frozen=True)
class _Style:
    """How text and Markdown differ: ids in backticks, free text escaped."""

    lang: str
    markdown: bool

    def w(self, key: str, **kw: Any) -> str:
        text = WORDS[self.lang][key]
        return text.format(**kw) if kw else text

    def code(self, text: str) -> str:
        return f"`{text}`" if self.markdown else text

    def text(self, text: str) -> str:
        """Free text on one line (a line break shown as ``\\n``); escaped for Markdown."""
        text = one_line(text)
        if not self.markdown:
            return text
        return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)

    def name(self, n: Name) -> str:
        """Thai first with the English beside; English alone with --lang en."""
        if self.lang == "en" or n.th == n.en:
            return self.text(n.en)
        return self.text(f"{n.th} ({n.en})")

    def names(self, names: list[Name], summary: bool = False) -> str:
        if summary and len(names) > NAMED_AT_MOST:
            shown = ", ".join(self.name(n) for n in names[:NAMED_AT_MOST])
            return f"{shown} {self.w('more', n=len(names) - NAMED_AT_MOST)}"
        return ", ".join(self.name(n) for n in names)

    def unit(self, unit: Unit) -> str:
        return (unit.th or unit.code) if self.lang == "th" else unit.code

    def amount(self, x: float | None, unit: Unit) -> str:
        """``200,000 trees``, ``80 %``; ``none`` for no value."""
        if x is None:
            return self.w("none")
        if unit.is_percent:
            return f"{number(x)} %"
        return f"{number(x)} {self.text(self.unit(unit))}"

    def signed(self, x: float, unit: Unit | None = None) -> str:
        """A difference with its sign: ``−20,000``, ``+2,320``, ``+10 points`` (percent units)."""
        sign = "+" if x > 0 else MINUS if x < 0 else "±"
        text = f"{sign}{number(abs(x))}"
        return f"{text} {self.w('points')}" if unit is not None and unit.is_percent else text

    @staticmethod
    def signed_percent(x: float) -> str:
        """A relative change to one decimal with its sign: ``−10.0 %``."""
        x = round(x, 1)
        sign = "+" if x > 0 else MINUS if x < 0 else "±"
        return f"{sign}{abs(x):.1f} %"


@dataclass
class _Line:
    depth: int
    mark: str
    text: str


# --- the outline --------------------------------------------------------------------------------


def _value(s: _Style, ch: FieldChange) -> tuple[str, str]:
    """Old and new of a field change, worded."""

    def one(v: Any, name: Name | None) -> str:
        if name is not None:
            return s.name(name)
        if v is None:
            return s.w("none")
        if ch.field == "records_bindings":
            return s.w("recorded" if v else "not_recorded")
        if isinstance(v, bool):
            return s.w("yes" if v else "no")
        if ch.field == "direction":
            return s.w(v)
        if ch.field in (
            "okr",
            "parent",
            "policy",
            "dimension",
            "group",
            "standing_order",
            "district_section",
            "measure",
            "aggregate",
            "unit",
            "key_result",
            "status",
        ):
            return s.code(str(v))
        if ch.field == "fiscal_year":
            return str(v)
        return f'"{s.text(str(v))}"'

    return one(ch.old, ch.old_name), one(ch.new, ch.new_name)


def _change_line(s: _Style, ch: FieldChange) -> str:
    """A field change as ``label old → new``."""
    old, new = _value(s, ch)
    return f"{s.w(f'f_{ch.field}')} {old} → {new}"


def _field_line(s: _Style, ch: FieldChange, unit: Unit, old_unit: Unit) -> str:
    """A key result's field change; an amount with how much it changed, in its unit."""
    if ch.delta is None:
        return _change_line(s, ch)
    label = s.w(f"f_{ch.field}")
    if unit == old_unit and not unit.is_percent:
        values = f"{number(ch.old)} → {s.amount(ch.new, unit)}"
    else:
        values = f"{s.amount(ch.old, old_unit)} → {s.amount(ch.new, unit)}"
    how_much = [s.signed(ch.delta, unit if unit == old_unit else None)]
    if ch.percent is not None and not unit.is_percent:
        how_much.append(s.signed_percent(ch.percent))
    return f"{label} {values} ({', '.join(how_much)})"


def _allocation_lines(s: _Style, a: AllocationDiff, unit: Unit, depth: int) -> Iterator[_Line]:
    if a.written is not None:  # the same own targets, now written down or no longer
        yield _Line(depth, "", f"{s.w('allocations')}: {s.w(f'allocations_{a.written}')}")
        for c in a.changes:
            yield _Line(depth + 1, "", f"{s.name(c.agency)} {s.amount(c.new, unit)}")
        return
    parts = []
    givers, takers = s.names(a.givers, summary=True), s.names(a.takers, summary=True)
    if a.summed and a.moved:
        amount = s.amount(a.moved, unit)
        parts.append(s.w("moved", amount=amount, givers=givers, takers=takers))
    elif a.summed:
        if a.cut:
            parts.append(s.w("cut", amount=s.amount(a.cut, unit), givers=givers))
        if a.added:
            parts.append(s.w("raised", amount=s.amount(a.added, unit), takers=takers))
    if a.summed and a.total_delta:
        parts.append(
            s.w(
                "total",
                old=number(a.total_old),
                new=s.amount(a.total_new, unit),
                delta=s.signed(a.total_delta),
            )
        )
    elif a.summed:
        parts.append(s.w("total_same", total=s.amount(a.total_new, unit)))
    head = f"{s.w('allocations')}:" + (" " + "; ".join(parts) if parts else "")
    yield _Line(depth, "", head)
    # agencies whose own target changed alike: one line, with how many and who
    alike: dict[tuple[float | None, float | None, float], list[AllocationChange]] = {}
    for c in a.changes:
        alike.setdefault((c.old, c.new, c.delta), []).append(c)
    for (was, now, delta), same in alike.items():
        old = s.w("none") if was is None else number(was)
        new = s.amount(now, unit) if now is not None else s.w("none")
        change = f"{old} → {new} ({s.signed(delta, unit)})"
        if len(same) == 1:
            yield _Line(depth + 1, "", f"{s.name(same[0].agency)} {change}")
            continue
        agencies = _count(s, len(same), "agency", "agencies")
        names = s.names([c.agency for c in same], summary=True)
        yield _Line(depth + 1, "", s.w("folded", agencies=agencies, change=change, names=names))


def _kr_lines(s: _Style, k: KeyResultDiff, depth: int) -> Iterator[_Line]:
    head = f"{s.w('key_result')} {s.code(k.id)}: {s.name(k.title)}"
    if k.change != "changed":
        sign = "≤ " if k.direction == "lower" else ""
        facts = [f"{s.w('target')} {sign}{s.amount(k.target, k.unit)}"]
        facts.append(s.w("allocated_to", n=_count(s, k.allocated, "agency", "agencies")))
        if k.parent:
            facts.append(s.w("sub_target_of", parent=s.code(k.parent)))
        yield _Line(depth, _MARKS[k.change], f"{head} — {', '.join(facts)}")
        if k.change == "added":
            yield from _new_kr_lines(s, k, depth + 1)
        return
    yield _Line(depth, _MARKS[k.change], head)
    for ch in k.fields:
        yield _Line(depth + 1, "", _field_line(s, ch, k.unit, k.old_unit))
    if k.allocations is not None:
        yield from _allocation_lines(s, k.allocations, k.unit, depth + 1)
    yield from _binding_lines(s, k.bindings, depth + 1)


def _new_kr_lines(s: _Style, k: KeyResultDiff, depth: int) -> Iterator[_Line]:
    """The fields of a new key result, one a line, labelled as a changed one's are (``label
    value``); its Thai title where the line above does not show it (``--lang en``)."""
    if s.lang == "en" and k.title.th != k.title.en:
        yield _Line(depth, "", f'{s.w("f_title_th")} "{s.text(k.title.th)}"')
    fields = [("unit", s.code(k.unit.code))]
    if k.unit.th:
        fields.append(("unit_th", f'"{s.text(k.unit.th)}"'))
    fields += [
        ("baseline", s.amount(k.baseline, k.unit)),
        ("direction", s.w(k.direction)),
        ("measure", s.code(k.measure)),
        ("aggregate", s.code(k.aggregate)),
    ]
    if k.frequency:
        fields.append(("frequency", s.w(k.frequency)))
    for name, value in fields:
        yield _Line(depth, "", f"{s.w(f'f_{name}')} {value}")


def _binding_lines(s: _Style, bindings: list[BindingChange], depth: int) -> Iterator[_Line]:
    """Who unbound, who bound another OKR (or on another date), who bound (with the OKR's
    title); many alike on one line."""
    for change, mark in (("removed", "-"), ("changed", "~"), ("added", "+")):
        same = [b for b in bindings if b.change == change]
        word = {"added": "bound", "removed": "unbound", "changed": "rebound"}[change]
        if len(same) > NAMED_AT_MOST:
            agencies = _count(s, len(same), "agency", "agencies")
            names = s.names([b.agency for b in same], summary=True)
            yield _Line(depth, mark, s.w(f"{word}_many", agencies=agencies, names=names))
            continue
        for b in same:
            agency, title = s.name(b.agency), s.text(b.okr_title)
            if change != "changed":
                yield _Line(depth, mark, s.w(f"{word}_one", agency=agency, title=title))
            elif b.old_okr_title != b.okr_title:
                old = s.text(b.old_okr_title or "")
                yield _Line(depth, mark, s.w("rebound_one", agency=agency, title=title, old=old))
            else:  # the same OKR, recorded with another date
                old_date, new_date = b.old_date or s.w("none"), b.date or s.w("none")
                yield _Line(depth, mark, s.w("bound_on", agency=agency, old=old_date, new=new_date))


def _okr_lines(s: _Style, o: OkrDiff, depth: int) -> Iterator[_Line]:
    head = f"{s.w('okr')} {s.code(o.id)}: {s.name(o.objective)}"
    if o.change != "changed":
        facts = s.w("fy_owner", fy=o.fiscal_year, owner=s.name(o.owner))
        yield _Line(depth, _MARKS[o.change], f"{head} ({facts})")
        return
    yield _Line(depth, _MARKS[o.change], head)
    for ch in o.fields:
        yield _Line(depth + 1, "", _change_line(s, ch))


def _policy_lines(s: _Style, diff: PlanDiff, p: PolicyDiff) -> Iterator[_Line]:
    pid = s.code(p.id)
    if p.old_id is not None:
        pid = s.w("renamed_from", old=s.code(p.old_id), new=pid)
    yield _Line(0, _MARKS[p.change], f"{s.w('policy')} {pid}: {s.name(p.title)}")
    if p.unreadable_on is not None:
        side = diff.new if p.unreadable_on == "new" else diff.old
        yield _Line(1, "", s.w("unreadable_on", side=_side_name(s, side)))
        return
    if p.change in ("added", "removed"):
        r = s.names(p.supporters, summary=True) if p.supporters else s.w("none")
        host = s.name(p.host) if p.host else s.w("none")
        yield _Line(1, "", f"{s.w('h')} {host}; {s.w('r')} {r}")
    for ch in p.fields:
        yield _Line(1, "", _change_line(s, ch))
    for mark, names in (("-", p.supporters_removed), ("+", p.supporters_added)):
        if len(names) > NAMED_AT_MOST:  # like all the districts: one line, how many and who
            agencies = _count(s, len(names), "agency", "agencies")
            names_shown = s.names(names, summary=True)
            yield _Line(1, mark, s.w("r_folded", agencies=agencies, names=names_shown))
            continue
        for n in names:
            yield _Line(1, mark, f"{s.w('r')} {s.name(n)}")
    for o in p.okrs:
        yield from _okr_lines(s, o, 1)
    for k in p.key_results:
        yield from _kr_lines(s, k, 1)
    for j in p.projects:
        yield from _project_lines(s, j, 1)


def _project_lines(s: _Style, j: ProjectDiff, depth: int) -> Iterator[_Line]:
    head = f"{s.w('project')} {s.code(j.id)}: {s.name(j.title)}"
    if j.change != "changed":
        owner, status = s.name(j.owner), s.code(j.status)
        facts = (
            s.w("project_for", owner=owner, key_result=s.code(j.key_result), status=status)
            if j.key_result
            else s.w("project_facts", owner=owner, status=status)
        )
        yield _Line(depth, _MARKS[j.change], f"{head} ({facts})")
        return
    yield _Line(depth, _MARKS[j.change], head)
    for ch in j.fields:
        yield _Line(depth + 1, "", _change_line(s, ch))


def _count(s: _Style, n: int, one: str, many: str) -> str:
    return s.w(one if n == 1 else many, n=f"{n:,}")


def _side_name(s: _Style, side: Side) -> str:
    if side.commit is None:
        return s.w("working_tree")
    if side.merge_base_of:
        return s.w("merge_base", branch=s.code(side.merge_base_of), short=s.code(side.short or ""))
    return f"{s.code(side.name)} ({s.code(side.short or '')})"


def _summary(s: _Style, diff: PlanDiff) -> str:
    parts = []
    for side in (diff.old, diff.new):
        if side.unloaded is not None:
            parts.append(f"{s.w('policies')}: {s.w('not_compared', side=_side_name(s, side))}")
            break
    else:
        if not diff.changed:
            return s.w("no_change")
    counts = diff.counts()
    for kind in ("policies", "okrs", "key_results", "projects"):
        done = _counted(s, counts[kind])
        if done:
            parts.append(f"{s.w(kind)}: {done}")
    orphaned = counts["orphaned_values"]["values"]
    if orphaned:
        parts.append(f"{s.w('orphaned_values')}: {orphaned:,}")
    if diff.values:
        parts.append(f"{s.w('report_values')}: {_counted(s, counts['report_values'])}")
    return " · ".join(parts)


def _counted(s: _Style, counts: dict[str, int]) -> str:
    """``1 changed, 2 added``: the non-zero counts."""
    return ", ".join(s.w(what, n=f"{n:,}") for what, n in counts.items() if n)


def _warnings(s: _Style, diff: PlanDiff) -> Iterator[list[str]]:
    """Each warning about a side: it does not load (one line); it does not validate (a line,
    then its first errors)."""
    for side in (diff.old, diff.new):
        if side.unloaded is not None:
            yield [s.w("unloaded", side=_side_name(s, side), why=s.text(side.unloaded))]
    for side in (diff.old, diff.new):
        warning = list(_invalid(s, side))
        if warning:
            yield warning


def _invalid(s: _Style, side: Side) -> Iterator[str]:
    if not side.errors:
        return
    codes = ", ".join(f"{code} ×{n}" for code, n in side.error_codes.items())
    yield s.w(
        "invalid",
        side=_side_name(s, side),
        errors=_count(s, side.errors, "error", "errors"),
        codes=codes,
    )
    for p in side.first_errors:
        yield f"{p.file}:{p.line}:{p.column}: {p.code} {p.message}"


def _in_groups(orphans: list[Orphans]) -> list[Orphans]:
    return [o for group in _orphan_groups(orphans).values() for o in group]


def _orphan_groups(orphans: list[Orphans]) -> dict[tuple[str, str], list[Orphans]]:
    groups: dict[tuple[str, str], list[Orphans]] = {}
    for o in orphans:
        groups.setdefault((o.key_result.id, o.reason), []).append(o)
    return groups


def _amount(s: _Style, x: float | None, unit: Unit | None) -> str:
    """A stored value in its key result's unit (a plain number when the unit is unknown)."""
    return s.amount(x, unit) if unit is not None else number(x)


def _file_value_lines(s: _Style, values: list[ValueChange]) -> Iterator[tuple[str, str]]:
    """(mark, text) of the values of one report file: a line for each value changed; the values
    of one key result added (or removed) on one line, periods and values."""
    alike: dict[tuple[str, str], list[ValueChange]] = {}
    for v in values:
        alike.setdefault((v.key_result.id, v.change), []).append(v)
    for (kr, change), same in alike.items():
        unit = same[0].unit
        if change == "changed":
            for v in same:
                assert v.old is not None and v.new is not None
                delta = s.signed(v.new - v.old, unit)
                text = f"{v.period}: {number(v.old)} → {_amount(s, v.new, unit)} ({delta})"
                yield _MARKS[change], f"{s.code(kr)} {text}"
            continue
        amounts = [v.new if change == "added" else v.old for v in same]
        if len(same) == 1:
            text = f"{same[0].period}: {_amount(s, amounts[0], unit)}"
        elif len(same) <= NAMED_AT_MOST:
            periods = ", ".join(v.period for v in same)
            numbers = ", ".join(number(x) for x in amounts[:-1])
            text = f"{periods}: {numbers}, {_amount(s, amounts[-1], unit)}"
        else:
            first, last = same[0].period, same[-1].period
            text = "— " + s.w("values_span", n=f"{len(same):,}", first=first, last=last)
        yield _MARKS[change], f"{s.code(kr)} {text}"


def _value_lines(s: _Style, diff: PlanDiff) -> Iterator[_Line]:
    """The report values that differ, by file; files whose lines are the same, once."""
    by_file: dict[str, list[ValueChange]] = {}
    for v in diff.values:
        by_file.setdefault(v.file, []).append(v)
    alike: dict[tuple[tuple[str, str], ...], list[tuple[str, Name]]] = {}
    for file, values in by_file.items():
        alike.setdefault(tuple(_file_value_lines(s, values)), []).append((file, values[0].agency))
    for lines, files in alike.items():
        if len(files) == 1:
            file, agency = files[0]
            yield _Line(1, "", f"{s.code(file)} ({s.name(agency)})")
        else:
            folders = ", ".join(s.code(f) for f in sorted({f.rpartition("/")[0] for f, _ in files}))
            names = s.names([agency for _, agency in files], summary=True)
            yield _Line(
                1, "", s.w("files_in", n=f"{len(files):,}", folders=folders, agencies=names)
            )
        for mark, text in lines:
            yield _Line(2, mark, text)


def _values_head(s: _Style, diff: PlanDiff) -> str:
    reports = s.code(f"{diff.data}/reports" if diff.data else "reports")
    return s.w(
        "values_changed", reports=reports, counts=_counted(s, diff.counts()["report_values"])
    )


# --- text ---------------------------------------------------------------------------------------


def render_text(diff: PlanDiff, lang: str = "th") -> str:
    """The diff for a terminal: one line a change, indented under its policy."""
    s = _Style(lang, markdown=False)
    out = [_header(s, diff), _summary(s, diff)]
    for warning in _warnings(s, diff):
        out += [warning[0], *(f"    {line}" for line in warning[1:])]
    for p in diff.policies:
        out.append("")
        for line in _policy_lines(s, diff, p):
            mark = f"{line.mark} " if line.mark else ""
            out.append(f"{'    ' * line.depth}{mark}{line.text}")
    if diff.orphans:
        out += ["", _orphans_head(s, diff)]
        for (kr, reason), group in _orphan_groups(diff.orphans).items():
            out.append(f"    {kr}: {s.name(group[0].key_result)} — {s.w(reason)}")
            for o in group:
                values = _count(s, o.values, "value", "values")
                out.append(f"        {o.file}: {values} ({s.name(o.agency)})")
    if diff.values:
        out += ["", _values_head(s, diff)]
        for line in _value_lines(s, diff):
            mark = f"{line.mark} " if line.mark else ""
            out.append(f"{'    ' * line.depth}{mark}{line.text}")
    return "\n".join(out) + "\n"


def _header(s: _Style, diff: PlanDiff) -> str:
    old, new = _side_name(s, diff.old), _side_name(s, diff.new)
    return s.w("header", data=s.code(f"{diff.data or '.'}/"), old=old, new=new)


def _orphans_head(s: _Style, diff: PlanDiff) -> str:
    n = diff.counts()["orphaned_values"]["values"]
    reports = s.code(f"{diff.data}/reports" if diff.data else "reports")
    return s.w("orphans", reports=reports, side=_side_name(s, diff.new), n=f"{n:,}")


# --- markdown -----------------------------------------------------------------------------------


def render_markdown(diff: PlanDiff, lang: str = "th") -> str:
    """The diff for a pull-request comment: a heading per policy, a list of its changes, and a
    table of the report values orphaned."""
    s = _Style(lang, markdown=True)
    out = [f"### {_header(s, diff)}", "", _summary(s, diff)]
    for warning in _warnings(s, diff):
        out += ["", f"> **{warning[0]}**"]
        out += [f"> - `{line}`" for line in warning[1:]]
    for p in diff.policies:
        lines = list(_policy_lines(s, diff, p))
        out += ["", f"#### {_MD_MARKS[lines[0].mark]}{lines[0].text}", ""]
        for line in lines[1:]:
            out.append(f"{'  ' * (line.depth - 1)}- {_MD_MARKS[line.mark]}{line.text}")
    if diff.orphans:
        out += ["", f"#### {_orphans_head(s, diff)}", ""]
        heads = [s.w(h) for h in ("file", "key_result", "agency_head", "values_head", "why")]
        out.append("| " + " | ".join(heads) + " |")
        out.append("|---|---|---|--:|---|")
        for o in _in_groups(diff.orphans):
            cells = [
                s.code(o.file),
                s.code(o.key_result.id),
                s.name(o.agency),
                f"{o.values:,}",
                s.w(o.reason),
            ]
            out.append("| " + " | ".join(cells) + " |")
    if diff.values:
        out += ["", f"#### {_values_head(s, diff)}", ""]
        for line in _value_lines(s, diff):
            out.append(f"{'  ' * (line.depth - 1)}- {_MD_MARKS[line.mark]}{line.text}")
    return "\n".join(out) + "\n"


# --- json ---------------------------------------------------------------------------------------


def render_json(diff: PlanDiff) -> str:
    """The diff as one JSON document: raw numbers and ids, both names of everything."""
    return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_diff(diff: PlanDiff, fmt: str = "text", lang: str = "th") -> str:
    """``diff`` in ``fmt`` (text, markdown or json)."""
    if fmt == "json":
        return render_json(diff)
    if fmt == "markdown":
        return render_markdown(diff, lang)
    return render_text(diff, lang)

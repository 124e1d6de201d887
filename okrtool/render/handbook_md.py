"""The Action Plan handbook as Markdown: headings by role, mission group and dimension, a table of
key results per policy (and, for a hosted policy, a table of each agency's own target)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrtool.render import handbook_text as t
from okrtool.render.markdown import md_table

if TYPE_CHECKING:
    from okrtool.progress.handbook import Handbook, HandbookPolicy, Section


def _policy_lines(p: HandbookPolicy, lang: str) -> list[str]:
    marks = [t.word("urgent", lang)] if p.urgent else []
    if p.key_project:
        marks.append(t.word("key_project", lang))
    heading = f"#### {t.both(p.title_th, p.title_en, lang)} ({p.id})"
    lines = [heading + (f" · {', '.join(marks)}" if marks else ""), ""]
    lines.append(f"- {t.word('host', lang)}: {t.names(p.host, lang)}")
    if p.supporters:  # each named in the tables of own targets; a count here
        lines.append(f"- {t.word('supporters', lang)}: {t.count(len(p.supporters), lang)}")
    if p.not_bound:
        shown = ", ".join(t.names(s, lang) for s in p.not_bound)
        lines.append(f"- {t.word('not_bound', lang)} ({len(p.not_bound)}): {shown}")
    for th, en in p.objectives:
        lines.append(f"- {t.word('objective', lang)}: {t.both(th, en, lang)}")
    lines.append("")
    if p.role == "supporter":
        rows = [t.supported_cells(kr, lang) for kr in p.key_results]
        right = [c in ("baseline", "city_target", "own_target") for c in t.SUPPORTED_COLUMNS]
        lines.append(md_table(t.headers(t.SUPPORTED_COLUMNS, lang), rows, right))
        return [*lines, ""]
    rows = [t.hosted_cells(kr, lang) for kr in p.key_results]
    right = [c in ("baseline", "target") for c in t.HOSTED_COLUMNS]
    lines += [md_table(t.headers(t.HOSTED_COLUMNS, lang), rows, right), ""]
    for kr in p.key_results:
        lines += [f"{t.word('allocations', lang)}: {t.kr_title(kr, lang)}", ""]
        rows = [t.allocation_cells(kr, a, lang) for a in kr.allocations]
        right = [c == "own_target" for c in t.ALLOCATION_COLUMNS]
        lines += [md_table(t.headers(t.ALLOCATION_COLUMNS, lang), rows, right), ""]
    return lines


def _sections(sections: list[Section], lang: str, empty: str) -> list[str]:
    if not sections:
        return [t.word(empty, lang), ""]
    lines = []
    for s in sections:
        lines += [f"### {t.section_title(s.group, s.dimension, lang)}", ""]
        for p in s.policies:
            lines += _policy_lines(p, lang)
    return lines


def handbook_markdown(book: Handbook, lang: str) -> str:
    """One agency's handbook as a Markdown document."""
    lines = [f"# {t.title(book, lang)}", "", t.made_line(book, lang), ""]
    lines += [f"{t.word('note', lang)}: {n.text(lang)}" for n in book.notes]  # type: ignore[arg-type]
    if book.notes:
        lines.append("")
    lines += [f"## {t.word('hosted', lang)}", ""]
    lines += _sections(book.hosted, lang, "none_hosted")
    lines += [f"## {t.word('supported', lang)}", ""]
    lines += _sections(book.supported, lang, "none_supported")
    own = t.projects_line(book, lang)
    if own:
        lines += [f"## {t.word('projects', lang)}", "", *(f"- {x}" for x in own.split("\n")), ""]
    lines += [f"## {t.word('calendar', lang)}", ""]
    lines += [f"- {line}" for line in t.calendar_lines(book, lang)]
    return "\n".join(lines).rstrip("\n") + "\n"

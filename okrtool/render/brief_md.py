"""``okrtool brief`` in Markdown: the one-screen summary first, then each hosted policy and key
result with its agencies worst first, who owes a report, the notes and the projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrtool.render.brief_text import (
    agency_cells,
    agency_headers,
    bands_line,
    bw,
    changes_line,
    city_line,
    counts_text,
    decision_cells,
    decision_headers,
    host_projects_line,
    hosted_line,
    missing_names,
    note_line,
    notes_heading,
    owed_line,
    period_line,
    project_counts_text,
    project_status,
    since_line,
    sparkline,
    title_line,
    trend_line,
)
from okrtool.render.markdown import md_table
from okrtool.render.text import definitions_line, due_text, legend_text, notes

if TYPE_CHECKING:
    from okrtool.progress import Brief, BriefKeyResult, BriefPolicy, MissingItem, ProjectRow


def brief_markdown(brief: Brief) -> str:
    """The whole brief as Markdown: summary, decisions, then policy by policy."""
    lang = brief.scope.lang
    parts = [f"# {title_line(brief, lang)}", "", *_summary(brief, lang)]
    for policy in brief.policies:
        parts += ["", *_policy(brief, policy, lang)]
    if brief.without_key_results:
        ids = ", ".join(brief.without_key_results)
        parts += ["", bw(lang, "no_okr", fy=brief.scope.fiscal_year, ids=ids)]
    parts += ["", legend_text(lang), "", definitions_line(lang)]
    return "\n".join(parts) + "\n"


def _summary(brief: Brief, lang: str) -> list[str]:
    lines = [
        f"## {bw(lang, 'summary')}",
        "",
        f"- {period_line(brief, lang)}",
        f"- {hosted_line(brief, lang)}",
        f"- {bw(lang, 'counts')}: {counts_text(brief.counts, lang) or '–'}",
        f"- {owed_line(brief, lang)}",
    ]
    own = host_projects_line(brief, lang)
    if own:
        lines.append(f"- {own}")
    changes = changes_line(brief, lang)
    if changes:
        lines.append(f"- {changes}")
    lines += [f"- {n}" for n in notes(brief.scope, lang)]
    lines += ["", f"### {bw(lang, 'decisions')}", ""]
    if brief.decisions:
        rows = [decision_cells(n, d, lang) for n, d in enumerate(brief.decisions, 1)]
        right = [True, False, False, False, True, True, True, True, True]
        lines.append(md_table(decision_headers(brief, lang), rows, right))
    else:
        lines.append(bw(lang, "decisions_none"))
    lines += ["", bw(lang, "decision_rule", n=5)]
    return lines


def _policy(brief: Brief, policy: BriefPolicy, lang: str) -> list[str]:
    urgent = f" · {bw(lang, 'urgent')}" if policy.urgent else ""
    lines = [
        f"## {policy.title} ({policy.policy})",
        "",
        f"{bw(lang, 'supporters', n=policy.supporters)}{urgent}",
    ]
    for kr in policy.key_results:
        lines += ["", *_key_result(brief, kr, lang)]
    if policy.not_bound:
        lines += ["", f"**{bw(lang, 'not_bound')}** ({len(policy.not_bound)}): "]
        lines[-1] += ", ".join(i.name for i in policy.not_bound)
    if policy.projects_owed:  # as the workbook's owed sheet lists them beside the values
        lines += ["", f"**{bw(lang, 'projects_owed')}** ({len(policy.projects_owed)})", ""]
        lines += [f"- {_project_owed(m, lang)}" for m in policy.projects_owed]
    if policy.projects:
        lines += ["", f"**{bw(lang, 'okr_projects')}**", "", *_projects(policy.projects, lang)]
    return lines


def _key_result(brief: Brief, kr: BriefKeyResult, lang: str) -> list[str]:
    row = kr.row
    sub = "└ " if row.parent else ""
    lines = [f"### {sub}{row.title} ({row.key_result})", "", city_line(brief, row, lang)]
    estimated = brief.estimated.count(row.key_result)
    if estimated:  # issue 17: an estimated figure is never shown as fact
        lines += ["", bw(lang, "estimated", count=estimated, allocated=row.allocated)]
    for extra in (since_line(brief, kr, lang), bands_line(row, lang), trend_line(kr, lang)):
        if extra:
            lines += ["", extra]
    spark = sparkline(kr)
    if spark:
        lines += ["", "```", *spark, "```"]
    lines += ["", f"**{bw(lang, 'agencies')}**", ""]
    cells = [agency_cells(brief, kr, a, lang) for a in kr.agencies]
    right = [False, False, True, True, True, True, False, False, False]
    if brief.since is not None:
        right += [True, True]
    lines.append(md_table(agency_headers(brief, lang), cells, right))
    if brief.period is not None:
        owed = [m for m in kr.missing if m.reason == "no-report"]
        who = missing_names(owed, brief.period, lang) if owed else bw(lang, "everyone")
        heading = bw(lang, "not_reported", period=brief.period)
        lines += ["", f"**{heading}** ({len(owed)}): {who}"]
    if kr.notes:
        lines += ["", f"**{notes_heading(brief, lang)}**", ""]
        lines += [f"- {note_line(n, lang)}" for n in kr.notes]
    else:
        lines += ["", f"**{notes_heading(brief, lang)}**: {bw(lang, 'notes_none')}"]
    head = f"**{bw(lang, 'projects')}**: "
    if kr.projects:
        lines += ["", head + project_counts_text(kr.project_counts, lang), ""]
        lines += _projects(kr.projects, lang)
    else:
        lines += ["", head + bw(lang, "projects_none")]
    return lines


def _project_owed(item: MissingItem, lang: str) -> str:
    """``Build 15-minute parks 2567 — Environment Department: not reported for 2567-06; due 5
    Jul 2024 · due in 5 days``: the period it owes (a quarter for a project whose key result is
    reported by quarter) and its due day, as the owed sheet says them."""
    return bw(
        lang,
        "project_owed_line",
        title=item.title,
        owner=item.name,
        owed=item.owed or "–",
        due=due_text(item, item.owed or "", lang),
    )


def _projects(projects: list[ProjectRow], lang: str) -> list[str]:
    return [
        "- "
        + bw(
            lang,
            "project_line",
            title=p.title,
            owner=p.owner_name,
            status=project_status(p.status, lang),
        )
        for p in projects
    ]

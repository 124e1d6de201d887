"""The one Problem type that every rule and importer produces, the rule codes, and renderings.

A problem is data first (``to_dict``); text, JSON and GitHub annotations are three renderings of
the same list. The catalogue ``CODES`` is the single home of the rule codes: docs/rules.md is
generated from it (``okrtool rules``) and a test checks the two agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """A stable rule code with its title and a one-line example of the fix."""

    code: str
    title: str
    fix: str

    @property
    def severity(self) -> str:
        return WARNING if self.code.startswith("W") else ERROR


_CATALOGUE = [
    # files and syntax
    Code(
        "E101",
        "YAML syntax error",
        "Fix the YAML at the line shown (often a missing ':' or a bad indent).",
    ),
    Code(
        "E102",
        "key written twice in one mapping",
        "Keep one of the two keys; YAML would silently keep the last.",
    ),
    Code(
        "E103",
        "wrong type or value",
        "Write the value in the type the field expects (number, text, yes/no, list).",
    ),
    Code("E104", "unknown key", "Remove the key or fix its spelling (a near miss is suggested)."),
    Code("E105", "missing key", "Add the required key."),
    Code(
        "E106",
        "unreadable file or folder, or not a data file",
        "Let okrtool read it (permissions; links inside the data folder), save it as UTF-8 with "
        "the expected top-level shape, or move what is not data out of the data folder.",
    ),
    Code(
        "E107",
        "malformed report file",
        "Keep the header `key_result,period,value,source,note,file,sha256,cell,recorded_at`.",
    ),
    Code(
        "E108",
        "value YAML cannot construct",
        "Write a real date (YYYY-MM-DD) or a value of the type its tag names; put text that "
        "looks like a date in quotes (`id: '2024-13-45'`).",
    ),
    Code(
        "E109",
        "number that is not finite",
        "Write a plain number (`target: 156`): `.inf` and `.nan` are no target, baseline, "
        "allocation or threshold.",
    ),
    # identity and references
    Code(
        "E201",
        "duplicate id",
        "Give each object an id of its own; ids are unique per kind across the dataset.",
    ),
    Code("E202", "unknown reference", "Refer to an id that exists (a near miss is suggested)."),
    Code(
        "E203",
        "id does not match its file",
        "Name the file (and folder) after the object's id (and dimension).",
    ),
    Code(
        "E204",
        "dimension tag repeated",
        "List each further dimension once in `tags`, and not the policy's own `dimension`.",
    ),
    # host and supporters
    Code(
        "E301",
        "host also listed as supporter",
        "An agency is either the host H or a supporter R of a policy, not both.",
    ),
    Code(
        "E302",
        "supporter listed twice",
        "List each supporting agency once (`all-districts` and `zone:` already include districts).",
    ),
    Code(
        "E303",
        "standing order outside the policy's group",
        "Use a standing order of the policy's own mission group.",
    ),
    Code(
        "E304",
        "policy with OKRs but no host or mission group",
        "Name the policy's host agency H (`host`) and mission group (`group`) before binding "
        "OKRs to it.",
    ),
    # targets and allocations
    Code(
        "E401",
        "allocation or binding by an agency that is neither host nor supporter",
        "Allocate only to H or to an R agency (and record only their bindings), or add the "
        "agency to `supporters`.",
    ),
    Code(
        "E402",
        "allocations do not add up to the target",
        "For a summed key result, make the agencies' allocations add up to its target.",
    ),
    Code(
        "E403",
        "sub-target above its parent",
        "A sub-target cannot be larger than the target it sits inside.",
    ),
    Code("E404", "percentage outside 0–100", "Percentages are between 0 and 100."),
    Code("E405", "negative count", "Counts and amounts cannot be negative."),
    Code(
        "E406",
        "project bound to a key result of another OKR",
        "Bind the project to a key result of its own OKR.",
    ),
    # years and periods
    Code(
        "E501",
        "invalid fiscal year or period",
        "Write BE years (2567) and periods as `2567-06` or `FY2567-Q3`.",
    ),
    Code(
        "E502",
        "period outside the fiscal year",
        "Report a period inside the key result's fiscal year (Oct–Sep).",
    ),
    # the reporting calendar (data/agencies/calendar.yaml)
    Code(
        "E503",
        "due rule that gives no due date",
        "Give each frequency one rule: `day_of_next_month: 5` (a day from 1 to 28, which every "
        "month has) or `days_after: 10`.",
    ),
    Code(
        "E504",
        "due date not after the period ends",
        "A report is due after its period's last day: make `days_after` 1 or more, or move "
        "the exception's `due` after the period ends.",
    ),
    Code(
        "E505",
        "unknown reporting frequency",
        "Name the frequency `monthly` or `quarterly`: periods are months or quarters.",
    ),
    Code(
        "E506",
        "reporting calendar, fiscal year or exception given twice",
        "Keep one reporting calendar in data/agencies/, one entry per fiscal year under "
        "`years` and one exception per period.",
    ),
    # report values
    Code(
        "E601",
        "report from an agency without an allocation",
        "Bind the agency (give it an allocation) before it reports, or fix the agency.",
    ),
    Code("E602", "value reported twice", "Keep one value per agency, key result and period."),
    Code(
        "E603",
        "months and quarters mixed",
        "Report one key result either monthly or quarterly for an agency, not both.",
    ),
    Code(
        "E604",
        "cumulative total goes down",
        "A cumulative key result is a running total since 1 October: report the total so far "
        "(the earlier total plus this period's amount), not the period's amount alone.",
    ),
    # project reports (data/reports/<FY>/projects/<agency>.csv)
    Code(
        "E605",
        "report on an unknown project",
        "Report on a project written in a policy file (its `id` under an OKR's `projects`).",
    ),
    Code(
        "E606",
        "project reported by another agency than its owner",
        "An agency reports on the projects it owns (`owner`); move the row to the owner's file.",
    ),
    Code(
        "E607",
        "unknown project state",
        "Write one of not-started, in-progress, done, cancelled.",
    ),
    Code(
        "E608",
        "percent complete outside 0–100",
        "Percent complete is between 0 and 100 (57.5, not 0.575).",
    ),
    Code(
        "E609",
        "project reported twice for one period",
        "Keep one row per project and period.",
    ),
    # editions of the plan (data/agencies/editions.yaml)
    Code(
        "E901",
        "previous edition not earlier",
        "Name as `previous` an edition in force from an earlier fiscal year (`first_year`).",
    ),
    Code(
        "E902",
        "two editions in force from the same year",
        "Give each edition its own `first_year`: an edition is in force until the next begins.",
    ),
    Code(
        "E903",
        "dimension not in the edition",
        "Name a dimension of the policy's edition (or of the edition it renames), or set the "
        "policy's `edition`.",
    ),
    Code(
        "E904",
        "OKR outside its policy's edition",
        "Bind the OKR to a policy of the edition in force in its fiscal year; that policy's "
        "`continues` names the one it carries on.",
    ),
    Code(
        "E905",
        "continues a policy not of the previous edition",
        "In `continues`, name a policy of the edition's `previous` edition.",
    ),
    # warnings: incomplete, not broken
    Code("W701", "policy with no OKR", "Bind at least one OKR to the policy."),
    Code(
        "W702",
        "supporter not bound",
        "Give the R agency an allocation on one of the policy's key results.",
    ),
    Code(
        "W703", "key result with no report yet", "Chase the allocated agencies for a first report."
    ),
    Code(
        "W704",
        "import interrupted while writing",
        "Run okrtool import-reports again (the same workbooks, or any): before anything else it "
        "finishes the writes of the interrupted one and says which files it put in place.",
    ),
    Code(
        "W705",
        "no host agency assigned yet",
        "Write the policy's host agency H (`host`) and mission group (`group`) once a source "
        "names them (SED's action plans); until then nobody is chased for it.",
    ),
    Code(
        "W706",
        "calendar entry for a fiscal year with no OKRs",
        "Check the year (BE, like 2567): no key result is for it, so no report is due by it. "
        "Keep it if the year's OKRs are still to come.",
    ),
    # import-reports: workbooks refused (the report rules above apply to imported values too)
    Code(
        "E801",
        "workbook cannot be read",
        "Save it as an Excel Workbook (.xlsx) or an ODF Spreadsheet (.ods): not .xls, without a "
        "password.",
    ),
    Code(
        "E802",
        "no report table or no value in the workbook",
        "Use the template from `okrtool report-template`, or head the columns "
        "'Key result id' and 'Value'.",
    ),
    Code(
        "E803",
        "cell not understood",
        "Type a number (1,234.5; Thai digits and a trailing % are fine) next to a key result id.",
    ),
    Code(
        "E804",
        "formula without a saved result",
        "Open the file in Excel or LibreOffice so it calculates, and save it; or type the number.",
    ),
    Code(
        "E805",
        "value differs from the one stored",
        "Correct the cell, or import with `--replace` to change the stored value.",
    ),
    Code(
        "E806",
        "agency or period not known for a row",
        "Add an Agency or Period column or label, or pass `--agency` / `--period`.",
    ),
    Code(
        "E807",
        "workbook too large",
        "Send the report table alone in a new .xlsx: at most 64 MiB, parts of at most 32 MiB "
        "unpacked (64 MiB in all), 50,000 rows a table.",
    ),
    Code(
        "E808",
        "workbook with macros or links to other workbooks",
        "Save as Excel Workbook (.xlsx) without macros; break the links (Data › Edit Links › "
        "Break Link).",
    ),
    # import-plan: workshop and binding sheets refused (every rule above applies to the result)
    Code(
        "E809",
        "not a plan sheet, or one for a policy or agency not in the data",
        "Make the sheet with `okrtool plan-template`, fill in its yellow cells only, and send it "
        "to `okrtool import-plan` (report workbooks go to `import-reports`).",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CATALOGUE}


@dataclass
class Problem:
    """One located problem: where (file, line, column), which rule (code) and what (message)."""

    code: str
    file: str
    message: str
    line: int = 0
    column: int = 0
    hint: str = ""
    #: Where in the file the problem is, as keys and indexes, until a line is known.
    path: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "title": CODES[self.code].title,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    """(errors, warnings) in ``problems``."""
    errors = warnings = 0
    for p in problems:
        if p.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


#: A warning code with more problems than this is summarised in one line by ``render_text``
#: (unless every warning is asked for), naming this many of its places.
SUMMARISE_OVER = 3


def summarised(problems: list[Problem], every_warning: bool) -> dict[str, list[Problem]]:
    """The warning codes shown as one summary line (more than ``SUMMARISE_OVER`` problems each),
    with their problems; none when ``every_warning``. Errors are never summarised."""
    if every_warning:
        return {}
    by_code: dict[str, list[Problem]] = {}
    for p in problems:
        if p.severity == WARNING:
            by_code.setdefault(p.code, []).append(p)
    return {code: ps for code, ps in sorted(by_code.items()) if len(ps) > SUMMARISE_OVER}


def _summary_of(code: str, ps: list[Problem]) -> str:
    places = ", ".join(f"{p.file}:{p.line}:{p.column}" for p in ps[:SUMMARISE_OVER])
    return (
        f"{code} {CODES[code].title}: {len(ps)} warnings, first at {places}"
        f" (+{len(ps) - SUMMARISE_OVER} more)"
    )


def _summarised_note(summed: dict[str, list[Problem]]) -> str:
    return (
        f"{sum(len(ps) for ps in summed.values())} warnings summarised by code; "
        "--show-warnings lists each"
    )


def render_text(problems: list[Problem], every_warning: bool = True) -> str:
    """``file:line:col: CODE message`` a problem, the hint indented beneath it.

    Without ``every_warning``, a warning code with more than ``SUMMARISE_OVER`` problems is one
    line after the rest: code, title, count and its first places; errors are never summarised.
    """
    summed = summarised(problems, every_warning)
    lines = []
    for p in problems:
        if p.code in summed:
            continue
        lines.append(f"{p.file}:{p.line}:{p.column}: {p.code} {p.message}")
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    lines += [_summary_of(code, ps) for code, ps in summed.items()]
    if summed:
        lines.append(_summarised_note(summed))
    return "\n".join(lines)


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(problems: list[Problem], every_warning: bool = True) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` annotation a problem.

    Without ``every_warning``, a summarised warning code (see ``summarised``) is one annotation
    at its first place, so that hundreds of them do not crowd out the rest of a pull request's.
    """
    summed = summarised(problems, every_warning)
    out = []
    for p in problems:
        if p.code in summed and p is not summed[p.code][0]:
            continue
        level = "error" if p.severity == ERROR else "warning"
        props = (
            f"file={_github_escape(p.file, True)},line={p.line},col={p.column},"
            f"title={_github_escape(p.code + ' ' + CODES[p.code].title, True)}"
        )
        if p.code in summed:
            msg = f"{_summary_of(p.code, summed[p.code])}; --show-warnings lists each"
        else:
            msg = p.message + (f" (hint: {p.hint})" if p.hint else "")
        out.append(f"::{level} {props}::{_github_escape(msg)}")
    return "\n".join(out)


def rules_markdown() -> str:
    """docs/rules.md: the catalogue of rule codes as a Markdown page."""
    lines = [
        "# Rule codes",
        "",
        "Generated by `okrtool rules --markdown` from the catalogue in "
        "`okrtool/problems.py`; a test keeps the two equal. Codes are stable: a code is never "
        "reused for another rule.",
        "",
        "Errors (`E`) fail `okrtool validate`; warnings (`W`) fail it only with `--strict`. "
        "Every problem is printed as `file:line:col: CODE message`.",
        "",
        "| code | severity | rule | how to fix |",
        "|---|---|---|---|",
    ]
    for c in CODES.values():
        lines.append(f"| {c.code} | {c.severity} | {c.title} | {c.fix} |")
    return "\n".join(lines) + "\n"


def render_json(problems: list[Problem], summary: dict[str, Any]) -> str:
    """The problems and the summary as one JSON document."""
    return json.dumps(
        {"problems": [p.to_dict() for p in problems], "summary": summary},
        ensure_ascii=False,
        indent=2,
    )

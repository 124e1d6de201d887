"""Rules on project reports (E605–E609): each report is on a project of the reporting agency,
in a state the tool knows, with a percent complete between 0 and 100, once a period."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from okrtool.dataset import Dataset
from okrtool.fiscal import Period
from okrtool.model import PROJECT_STATES, ProjectReport
from okrtool.problems import Problem
from okrtool.rules.common import num, unknown_id


def _at_row(pr: ProjectReport, code: str, message: str, hint: str = "") -> Problem:
    return Problem(code, pr.origin, message, pr.line, 1, hint=hint)


def project_reports(ds: Dataset) -> Iterator[Problem]:
    """E605–E609 over every project report of the dataset."""
    yield from project_problems(ds, ds.project_reports)


def project_problems(ds: Dataset, reports: Iterable[ProjectReport]) -> Iterator[Problem]:
    """E605 unknown project, E606 a project of another agency, E607 a state that is not one,
    E608 percent complete outside 0–100, E609 a project reported twice for one period."""
    seen: dict[tuple[str, str, Period], ProjectReport] = {}
    for pr in reports:
        project = ds.projects.get(pr.project)
        if project is None:
            if not ds.policies_unreadable:
                msg, hint = unknown_id("project", pr.project, ds.projects)
                yield _at_row(pr, "E605", msg, hint)
        elif project.owner != pr.agency:
            yield _at_row(
                pr,
                "E606",
                f"project '{pr.project}' is owned by '{project.owner}', not '{pr.agency}': an "
                "agency reports on its own projects",
                f"move the row to {project.owner}'s file, or change the project's owner",
            )
        if pr.status not in PROJECT_STATES:
            yield _at_row(
                pr,
                "E607",
                f"status {pr.status!r} is not a project state; expected one of "
                + ", ".join(PROJECT_STATES),
            )
        if pr.percent is not None and not 0 <= pr.percent <= 100:
            yield _at_row(pr, "E608", f"percent complete {num(pr.percent)} is outside 0–100")
        key = (pr.agency, pr.project, pr.period)
        first = seen.setdefault(key, pr)
        if first is not pr:
            where = f"line {first.line}" if first.origin == pr.origin else first.origin
            yield _at_row(
                pr,
                "E609",
                f"project '{pr.project}' is reported twice for {pr.period} (first at {where})",
                "keep one row per project and period",
            )

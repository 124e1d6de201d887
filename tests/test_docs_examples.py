"""Every `$ okrtool …` example in README.md and docs/ is the real output, and every relative link
in them (and in bench/RESULTS.md) leads to a file and heading that exist.

The convention, written for the people who edit the docs:

- An example is a line starting with ``$ okrtool `` inside a fenced block (any fence, any info
  string); its output is the lines after it up to the next ``$ `` line or the end of the block.
  The test runs it in-process at 100 columns (``COLUMNS=100``), in a scratch folder that holds a
  copy of the shipped ``data/``, so paths print as ``data/…`` and files it writes go nowhere.
  The examples of one page run in order in one scratch folder, like a session at a terminal: a
  file written by one example is there for the next.
- A line ``...`` or ``…`` (alone, or as a table row ``| … |``) stands for lines left out: at the
  end of the output, the rest; at its start, the lines before; in the middle, a gap. Every other
  line must be printed exactly, in that order.
- An example that cannot be checked (it needs a git branch, or a workbook an officer filled in)
  has the line ``<!-- unchecked: why -->`` right above its fence; ``UNCHECKED`` below lists
  every such block, so a new one is a deliberate choice. Prefer ``--as-of 2024-06-30`` to an
  unchecked example that depends on today's date.
"""

from __future__ import annotations

import difflib
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from okrtool.cli import app

ROOT = Path(__file__).parent.parent
#: Every page of documentation: the top-level ones (README.md, and ARCHITECTURE.md once it is
#: there), docs/ and its folders, bench/RESULTS.md.
PAGES = sorted([*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md"), *(ROOT / "bench").glob("*.md")])

#: The blocks not run: page, first command, reason (the marker above each block says the same).
#: The two imports were checked by hand on 2026-12-06, on templates filled in with openpyxl.
UNCHECKED = {
    ("docs/diff.md", "$ git switch cr-2567-trees", "needs the change-request branch in git"),
    (
        "docs/reporting.md",
        "$ okrtool import-reports inbox/bang-rak-2567-07.xlsx",
        "needs a workbook an officer filled in",
    ),
    (
        "docs/reporting.md",
        "$ okrtool import-reports inbox/bang-rak-2567-07.xlsx",
        "needs a workbook with '5' typed into a cumulative row",
    ),
    (
        "docs/plan.md",
        "$ okrtool import-plan inbox/env-waste-points.xlsx",
        "needs a workshop sheet filled in",
    ),
    (
        "docs/plan.md",
        "$ okrtool import-plan inbox/env-waste-points.xlsx --lang en",
        "needs a workshop sheet filled in",
    ),
    (
        "docs/plan.md",
        "$ okrtool import-plan inbox/bang-rak.xlsx --lang en",
        "needs a binding sheet filled in",
    ),
    (
        "docs/plan.md",
        "$ okrtool status --as-of 2024-06-30 --policy env-waste-points --lang en",
        "needs the workshop and binding sheets imported",
    ),
}

FENCE = re.compile(r"^(`{3,})(.*)$")
GAP = {"...", "…", "| … |"}


@dataclass
class Example:
    page: str
    line: int  # 1-based, of the `$ okrtool` line
    command: str
    shown: list[str]


@dataclass
class Block:
    page: str
    line: int
    lines: list[str]
    unchecked: str | None


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, each with the reason it is not checked, if it is marked."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    name = page.relative_to(ROOT).as_posix()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, start = opening.group(1), i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        before = lines[start - 1].strip() if start else ""
        marker = re.fullmatch(r"<!-- unchecked: (.+) -->", before)
        found.append(Block(name, start + 2, body, marker.group(1) if marker else None))
        i += 1
    return found


def examples(block: Block) -> list[Example]:
    """The `$ okrtool` examples of a block; another `$ ` command ends the output before it."""
    found: list[Example] = []
    for offset, text in enumerate(block.lines):
        if text.startswith("$ "):
            found.append(Example(block.page, block.line + offset, text[2:], []))
        elif found:
            found[-1].shown.append(text)
    return [e for e in found if e.command.startswith("okrtool ")]


def other_commands(block: Block) -> list[str]:
    return [
        line for line in block.lines if line.startswith("$ ") and not line.startswith("$ okrtool ")
    ]


def all_blocks() -> list[Block]:
    return [b for page in PAGES for b in blocks(page) if examples(b)]


def checked_pages() -> dict[str, list[Example]]:
    """The examples to run, by page, in the page's order."""
    pages: dict[str, list[Example]] = {}
    for block in all_blocks():
        if block.unchecked is None:
            pages.setdefault(block.page, []).extend(examples(block))
    return pages


def first_command(block: Block) -> str:
    return block.lines[0].split("  #", 1)[0].rstrip()


def matches(got: list[str], want: list[str]) -> bool:
    """``want`` is ``got`` with gaps (``...``) standing for lines left out."""
    segments: list[list[str]] = [[]]
    for line in want:
        if line.strip() in GAP:
            segments.append([])
        else:
            segments[-1].append(line)
    at = 0
    for n, segment in enumerate(segments):
        first, last = n == 0, n == len(segments) - 1
        if first:
            if got[: len(segment)] != segment:
                return False
            at = len(segment)
            if last:
                return at == len(got)
            continue
        if last and segment:
            return len(got) - len(segment) >= at and got[len(got) - len(segment) :] == segment
        if not segment:
            continue
        found = next(
            (
                i
                for i in range(at, len(got) - len(segment) + 1)
                if got[i : i + len(segment)] == segment
            ),
            None,
        )
        if found is None:
            return False
        at = found + len(segment)
    return True


def run_in(folder: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lines ``command`` prints (stdout and stderr, as a terminal shows them) in ``folder``."""
    monkeypatch.chdir(folder)
    args = shlex.split(command, comments=True)[1:]
    env = {"COLUMNS": "100", "NO_COLOR": "1", "OKRTOOL_DATA": None}  # ./data of the folder
    result = CliRunner().invoke(app, args, env=env)
    return [line.rstrip() for line in result.output.rstrip("\n").splitlines()]


CHECKED = checked_pages()


@pytest.mark.parametrize("page", sorted(CHECKED))
def test_the_examples_of_the_page_are_the_real_output(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    wrong = []
    for example in CHECKED[page]:
        got = run_in(tmp_path, example.command, monkeypatch)
        want = [line.rstrip() for line in example.shown]
        if not matches(got, want):
            diff = difflib.unified_diff(want, got, "shown", "printed", lineterm="")
            wrong.append(f"{page}:{example.line}: $ {example.command}\n" + "\n".join(diff))
    assert not wrong, "\n\n".join(wrong)


def test_the_unchecked_examples_are_the_listed_ones() -> None:
    marked = {(b.page, first_command(b), b.unchecked) for b in all_blocks() if b.unchecked}
    assert marked == UNCHECKED


def test_a_checked_block_runs_nothing_but_okrtool() -> None:
    """A `$ mkdir` in a checked block would not run, and the session after it would differ."""
    others = [(b.page, other_commands(b)) for b in all_blocks() if b.unchecked is None]
    assert [(page, lines) for page, lines in others if lines] == []


def test_every_example_but_the_listed_few_is_checked() -> None:
    counted = sum(len(found) for found in CHECKED.values())
    assert counted == 45


def test_the_readme_fits() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 350


# --- links ---------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def outside_fences(page: Path) -> list[tuple[int, str]]:
    """The lines of a page that are not in a fenced block, numbered from 1; a fence closes only
    with as many backticks as it opened with (a ```` block may hold ``` lines)."""
    found = []
    fence = ""
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        opening = FENCE.match(line)
        if fence:
            if line.startswith(fence) and not line[len(fence) :].strip():
                fence = ""
        elif opening:
            fence = opening.group(1)
        else:
            found.append((number, line))
    return found


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to '-'."""
    return {
        re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for _, line in outside_fences(page)
        if line.startswith("#")
    }


def links(page: Path) -> list[tuple[int, str]]:
    return [(n, target) for n, line in outside_fences(page) for target in LINK.findall(line)]


def test_every_relative_link_leads_to_a_file_and_anchor_that_exist() -> None:
    broken = []
    for page in PAGES:
        for number, target in links(page):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            where = f"{page.relative_to(ROOT)}:{number}: {target}"
            if not file.exists():
                broken.append(f"{where}: no such file")
            elif anchor and file.suffix == ".md" and anchor not in anchors(file):
                broken.append(f"{where}: no such heading")
    assert broken == []


def test_the_readme_links_every_page_of_docs() -> None:
    readme = ROOT / "README.md"
    linked = {(ROOT / target.partition("#")[0]).resolve() for _, target in links(readme)}
    pages = {page.resolve() for page in (ROOT / "docs").rglob("*.md")}
    assert sorted(p.relative_to(ROOT).as_posix() for p in pages - linked) == []

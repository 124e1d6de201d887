"""``okrtool brief`` in the format its output file names: Markdown, JSON or a workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from okrtool.errors import UsageError

if TYPE_CHECKING:
    from okrtool.progress import Brief

#: The formats ``brief -o FILE`` writes, by the file's suffix.
BRIEF_SUFFIXES = (".md", ".json", ".xlsx")


def render_brief(brief: Brief, suffix: str) -> str:
    """The brief as the text of a .md or .json file."""
    if suffix == ".json":
        return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2) + "\n"
    from okrtool.render.brief_md import brief_markdown

    return brief_markdown(brief)


def brief_suffix(path: Path | None) -> str:
    """The format a file name asks for (.md without a file); UsageError for another suffix."""
    if path is None:
        return ".md"
    suffix = path.suffix.lower()
    if suffix not in BRIEF_SUFFIXES:
        raise UsageError(
            f"-o {path}: cannot tell the format from {suffix or 'a name with no suffix'}; "
            f"expected a file ending in {', '.join(BRIEF_SUFFIXES)}"
        )
    return suffix


def write_brief(brief: Brief, path: Path) -> None:
    """Write the brief to ``path`` in the format of its suffix, whole or not at all (a file
    beside it, then renamed: a reader never sees half a workbook). The path was checked
    (``okrtool.io.outfile.check_file``); UsageError if writing fails all the same."""
    from okrtool.io.outfile import write_text

    if brief_suffix(path) == ".xlsx":
        from okrtool.render.brief_xlsx import write_brief_xlsx

        write_brief_xlsx(brief, path)
    else:
        write_text(path, render_brief(brief, brief_suffix(path)))

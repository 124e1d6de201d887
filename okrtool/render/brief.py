"""``okrtool brief`` in the format its output file names: Markdown, JSON or a workbook."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from okrtool.errors import UsageError

if TYPE_CHECKING:
    from okrtool.progress import Brief

#: The formats ``brief -o FILE`` writes, by the file's suffix.
BRIEF_SUFFIXES = (".md", ".json")


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
    beside it, then renamed: a reader never sees half a workbook)."""
    suffix = brief_suffix(path)
    data = render_brief(brief, suffix).encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None

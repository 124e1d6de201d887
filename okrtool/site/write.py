"""Writing a built site into a folder: all of it or nothing.

The pages are written into a fresh folder beside the target, which then takes the target's
place by rename; a reader of the old site never sees half of the new one. A folder that holds
something other than a site okrtool wrote (no ``MARKER`` file) is refused unless forced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from okrtool.errors import UsageError

#: The file that marks a folder as a site okrtool wrote (safe to replace).
MARKER = ".okrtool-site"


def check_target(out: Path, force: bool, keep: tuple[Path, ...] = ()) -> None:
    """Raise UsageError if ``out`` cannot take a site: a file, a folder that holds the current
    folder or one of ``keep`` (the data), or a non-empty folder that is not a previous okrtool
    site (unless ``force``)."""
    target = out.resolve()
    for folder in (Path.cwd(), *keep):
        held = folder.resolve()
        if target == held or target in held.parents:
            raise UsageError(
                f"-o {out}: the site would replace {folder}, which it holds; give a folder of "
                "its own, like -o public"
            )
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: is a file, not a folder; give a folder for the site")
    if out.is_dir() and not force:
        try:
            entries = os.listdir(out)
        except OSError as exc:
            raise UsageError(f"-o {out}: cannot read the folder ({exc.strerror})") from None
        if entries and MARKER not in entries:
            what = "1 entry" if len(entries) == 1 else f"{len(entries)} entries"
            raise UsageError(
                f"-o {out}: the folder holds {what} "
                f"and no {MARKER} (not a site okrtool wrote); give an empty or new folder, "
                "or --force to replace it"
            )


def write_site(
    pages: Mapping[str, bytes], out: Path, force: bool = False, keep: tuple[Path, ...] = ()
) -> int:
    """Write ``pages`` (path → bytes) as the folder ``out``, replacing a previous site there;
    return how many files were written. Raise UsageError if ``out`` cannot be written or would
    replace the current folder or one of ``keep``."""
    check_target(out, force, keep)
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    except OSError as exc:
        raise UsageError(f"-o {out}: cannot write in {parent} ({exc.strerror})") from None
    try:
        for path, data in sorted(pages.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MARKER).write_text("written by okrtool site; replaced on the next run\n")
        staging.chmod(0o755)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.rename(out, old / "site")
        os.rename(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"-o {out}: cannot write the site ({exc.strerror})") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return len(pages) + 1

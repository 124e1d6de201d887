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
from okrtool.io.outfile import check_replace

#: The file that marks a folder as a site okrtool wrote (safe to replace).
MARKER = ".okrtool-site"


def write_site(
    pages: Mapping[str, bytes], out: Path, force: bool = False, data: Path | None = None
) -> int:
    """Write ``pages`` (path → bytes) as the folder ``out``, replacing a previous site there;
    return how many files were written. Raise UsageError if ``out`` cannot be written, or is
    in the data folder ``data`` or would replace it or the current folder (``check_replace``)."""
    check_replace(out, force, data, MARKER)
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

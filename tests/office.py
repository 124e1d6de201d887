"""Open a workbook in LibreOffice (Debian's libreoffice-calc-nogui) the way a reader's office would.

openpyxl reading back what okrtool wrote proves little: it is the library that wrote it.
LibreOffice is another implementation of the format; converting the .xlsx to PDF makes it load
and lay out every sheet, and it refuses files Excel would refuse to open.

``soffice_or_skip()`` skips the calling test when LibreOffice is absent, unless
OKRTOOL_REQUIRE_OFFICE is set (``.ci/run`` sets it): then an absent LibreOffice fails it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = Path("/usr/bin/soffice")
REQUIRE = "OKRTOOL_REQUIRE_OFFICE"


PDFTOTEXT = Path("/usr/bin/pdftotext")


def pdftotext_or_skip() -> Path:
    """poppler's pdftotext (Debian's 'poppler-utils'), which measures the pages LibreOffice
    prints; skips the calling test when absent unless OKRTOOL_REQUIRE_OFFICE is set."""
    if PDFTOTEXT.exists():
        return PDFTOTEXT
    message = f"{PDFTOTEXT} is not installed (Debian package 'poppler-utils'; .ci/run installs it)"
    if os.environ.get(REQUIRE):
        pytest.fail(f"{message}, and {REQUIRE} is set", pytrace=False)
    pytest.skip(message)


class OfficeError(Exception):
    """LibreOffice did not turn the workbook into a PDF; the message carries what it said."""


def soffice_or_skip() -> Path:
    """The soffice binary; skips the test when absent unless OKRTOOL_REQUIRE_OFFICE is set."""
    if SOFFICE.exists():
        return SOFFICE
    message = (
        f"{SOFFICE} is not installed (Debian package 'libreoffice-calc-nogui'; .ci/run installs it)"
    )
    if os.environ.get(REQUIRE):
        pytest.fail(f"{message}, and {REQUIRE} is set", pytrace=False)
    pytest.skip(message)


def xlsx_to_pdf(workbook: Path, outdir: Path, timeout: float = 120) -> Path:
    """Convert ``workbook`` to ``outdir``/<name>.pdf with headless LibreOffice; return its path
    (``convert``)."""
    return convert([workbook], outdir, timeout=timeout)[0]


def convert(files: list[Path], outdir: Path, to: str = "pdf", timeout: float = 300) -> list[Path]:
    """Convert ``files`` with one run of headless LibreOffice into ``outdir`` (``to``: the
    target, ``pdf`` or a filter such as ``ods``); the files written, in the same order.

    Each call has a LibreOffice profile of its own, so tests running at once do not share (and
    lock) one. soffice exits 0 even when it cannot load a file, so success is every output
    being there; otherwise OfficeError with soffice's output. A run over ``timeout`` seconds
    is killed, soffice.bin with it.
    """
    soffice = soffice_or_skip()
    outdir.mkdir(parents=True, exist_ok=True)
    suffix = to.split(":")[0]
    outputs = [outdir / f"{f.stem}.{suffix}" for f in files]
    for out in outputs:
        out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="okrtool-soffice-") as profile:
        command = [
            str(soffice),
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        # a session of its own: soffice starts soffice.bin, and a timeout must end both
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            raise OfficeError(
                f"soffice did not convert {len(files)} file(s) within {timeout:g} s: "
                f"{output.strip()}"
            ) from None
    failed = [
        f for f, o in zip(files, outputs, strict=True) if not o.is_file() or not o.stat().st_size
    ]
    if process.returncode != 0 or failed:
        target = "PDF" if suffix == "pdf" else suffix
        raise OfficeError(
            f"soffice could not convert {', '.join(map(str, failed or files))} to {target} "
            f"(exit {process.returncode}): {output.strip()}"
        )
    return outputs

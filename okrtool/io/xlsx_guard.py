"""What is refused before a workbook is opened: files too large, zip bombs, macros, links to other
workbooks, and files that are not an .xlsx or .ods (each with what to do instead).

``read_file`` reads a workbook's bytes (no further than a limit, never from a pipe or a device);
``refuse_format`` checks them. Both raise ``WorkbookError``, the one error of reading a workbook
(``xlsx_read`` raises it too), which the importer turns into a Problem.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn


class WorkbookError(Exception):
    """A workbook that cannot be read as a report; ``code`` is its problem code."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
SAVE_AS_XLSX = "open it in Excel (or LibreOffice) and save it as an Excel Workbook (.xlsx)"
#: What a file that is refused as no workbook is expected to be.
EXPECTED = "expected an .xlsx or .ods workbook saved from Excel or LibreOffice"


@dataclass(frozen=True)
class Signature:
    """How one kind of file that is not a workbook is told, and what to do with it. It is told
    by the bytes it starts with (``start``), or as text (after a byte-order mark and blanks, in
    lower case, UTF-16 read as UTF-8) by how it starts (``text``) and what its first 4 KB hold
    (``holds``), or by a stream of an OLE file (Office 97–2003: ``ole``), or by a part of a zip
    (``part``)."""

    what: str
    hint: str
    start: bytes = b""
    text: bytes = b""
    holds: bytes = b""
    ole: str = ""
    part: str = ""


_TEMPLATE = "type the values into the template from `okrtool report-template`"
_PICTURE = f"a picture of a table cannot be read: {_TEMPLATE}, or send the workbook itself"
_DOCUMENT = (
    "copy the table into the template from `okrtool report-template` (or into a new workbook), "
    "save it as .xlsx and send that"
)
_UNPACK = "unpack it and import the workbook inside"
_WEB_PAGE = (
    "web systems export a table as a web page named .xls: open it in Excel (or LibreOffice) "
    "and save it as an Excel Workbook (.xlsx)"
)

#: Every kind of file named here when it is given as a workbook: the one table of signatures.
#: Checked in order; an OLE file with none of these streams is taken for an Excel 97–2003
#: workbook.
SIGNATURES = (
    Signature(
        "a PDF document",
        "a PDF is a printout, not the workbook: send the .xlsx it was printed from, or "
        + _TEMPLATE,
        start=b"%PDF-",
    ),
    Signature("a PNG image", _PICTURE, start=b"\x89PNG\r\n\x1a\n"),
    Signature("a JPEG image (a photo?)", _PICTURE, start=b"\xff\xd8\xff"),
    Signature("a GIF image", _PICTURE, start=b"GIF8"),
    Signature("an RTF document", _DOCUMENT, start=b"{\\rtf"),
    Signature("a RAR archive", _UNPACK, start=b"Rar!\x1a\x07"),
    Signature("a 7-Zip archive", _UNPACK, start=b"7z\xbc\xaf\x27\x1c"),
    Signature("a gzip archive", _UNPACK, start=b"\x1f\x8b"),
    Signature("a single-file web page (.mht)", _WEB_PAGE, start=b"MIME-Version:"),
    Signature("a web page (HTML)", _WEB_PAGE, text=b"<!doctype html"),
    Signature("a web page (HTML)", _WEB_PAGE, text=b"<html"),
    Signature("a web page (HTML)", _WEB_PAGE, text=b"<table"),
    Signature("a web page (HTML)", _WEB_PAGE, text=b"<?xml", holds=b"<html"),
    Signature(
        "an Excel 2003 XML spreadsheet",
        SAVE_AS_XLSX,
        text=b"<?xml",
        holds=b"urn:schemas-microsoft-com:office:spreadsheet",
    ),
    Signature("an Excel 97–2003 workbook (.xls)", SAVE_AS_XLSX, ole="Workbook"),
    Signature("an Excel 5.0/95 workbook (.xls)", SAVE_AS_XLSX, ole="Book"),
    Signature("a Word 97–2003 document (.doc)", _DOCUMENT, ole="WordDocument"),
    Signature("a PowerPoint 97–2003 presentation (.ppt)", _DOCUMENT, ole="PowerPoint Document"),
    Signature("a Word document (.docx)", _DOCUMENT, part="word/document.xml"),
    Signature("a PowerPoint presentation (.pptx)", _DOCUMENT, part="ppt/presentation.xml"),
)

# --- limits, checked before anything is unpacked ---------------------------------------------
# A district's report workbook is 20–300 KB and unpacks to a few MB. The limits are far above
# that and far below what would exhaust memory or time; a zip bomb's parts declare their sizes.
# Time: openpyxl parses a sheet written without a <dimension> element whole when it opens the
# workbook (measured: 4.5 s for 40 MiB), so the unpacked limits also bound the time.

#: The workbook file itself.
MAX_FILE_BYTES = 64 * 2**20
#: One part (a sheet's XML, the shared strings…), unpacked, as the zip directory declares it.
MAX_PART_BYTES = 32 * 2**20
#: All parts together, unpacked.
MAX_UNPACKED_BYTES = 64 * 2**20
#: Parts in the archive (a workbook has tens; each costs memory to list).
MAX_PARTS = 10_000
SMALLER = (
    "a report workbook is a few hundred KB: copy the report table into a new workbook "
    "(without pictures), save it as .xlsx and send that"
)
#: Parts that hold macros (VBA, Excel 4.0 macro sheets): never run, and refused.
_MACRO_PART = re.compile(
    r"(?i)(^|/)vbaProject\.bin$|^xl/macrosheets/|^xl/dialogsheets/|^(Basic|Scripts)/[^/]+/"
)
#: The mimetype part of an OpenDocument spreadsheet (.ods), which is read like an .xlsx.
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_LINK_PART = re.compile(r"(?i)^xl/externalLinks/[^/]+\.xml$")


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def _zip_part_count(data: bytes) -> int | None:
    """How many parts the zip directory of ``data`` lists, read from its end record (zip64
    too) without listing them; None if there is no end record (a damaged archive)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record : record + 4] == b"PK\x06\x06" and record + 40 <= len(data):
            count = struct.unpack_from("<Q", data, record + 32)[0]
    return count


def _refuse_zip(zf: zipfile.ZipFile) -> None:
    """Raise WorkbookError for an archive too large to unpack (by the sizes its directory
    declares, before unpacking anything), or holding macros or links to other workbooks."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookError(
                "E807",
                f"found the part {info.filename!r} declaring {_mib(info.file_size)} unpacked, "
                f"expected at most {_mib(MAX_PART_BYTES)} a part (is it a zip bomb?)",
                SMALLER,
            )
    if total > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            "E807",
            f"found parts declaring {_mib(total)} unpacked in all, expected at most "
            f"{_mib(MAX_UNPACKED_BYTES)} (is it a zip bomb?)",
            SMALLER,
        )
    names = zf.namelist()
    # by what the archive holds, not by its name: a workbook saved as .xlsm without macros, or
    # an .xlsx renamed, holds no macro part and is read like any other
    macros = [n for n in names if _MACRO_PART.search(n)]
    if macros:
        raise WorkbookError(
            "E808",
            f"found macros ({macros[0]}), expected a workbook without them: macros are never "
            "run, and a workbook that holds them is not accepted",
            "in Excel: File › Save As… › Excel Workbook (.xlsx), which leaves the macros out; "
            "send that file",
        )
    links = sorted(n for n in names if _LINK_PART.match(n))
    if links:
        raise WorkbookError(
            "E808",
            f"found {len(links)} link(s) to other workbooks ({links[0]}), expected a workbook "
            "whose values are its own: a linked value may be stale or come from a file that "
            "was not sent",
            "in Excel: Data › Edit Links › Break Link (the values stay as they are), save and "
            "send the file again",
        )


def refuse_format(path: Path, data: bytes) -> None:
    """Raise WorkbookError for a file that is not an .xlsx or .ods that can be read, saying what
    it is (``SIGNATURES``) and what to do."""
    if not data:
        raise WorkbookError(
            "E801", "the file is empty (0 bytes)", "send the workbook again: this copy is empty"
        )
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise WorkbookError(
                "E801",
                "the workbook is password-protected (encrypted); it cannot be read",
                "remove the password (Excel: File › Info › Protect Workbook › Encrypt with "
                "Password, clear it) and save again; locked sheets without a password are fine",
            )
        _refuse_kind(kind_of(data) or _OLD_EXCEL)
    if data.startswith(b"PK\x03\x04"):
        _refuse_archive(data)
        return
    kind = kind_of(data)
    if kind is not None:
        _refuse_kind(kind)
    if _is_text(data):
        what = "a CSV file" if path.suffix.lower() == ".csv" else "a text file (a CSV export?)"
        _refuse_kind(Signature(what, SAVE_AS_XLSX))
    first = " ".join(f"{b:02X}" for b in data[:8])
    _refuse_kind(Signature(f"a file of no kind okrtool knows (it begins {first})", SAVE_AS_XLSX))


#: An OLE file (Office 97–2003) that is neither encrypted nor of another application.
_OLD_EXCEL = Signature("an Excel 97–2003 workbook (.xls)", SAVE_AS_XLSX)


def _refuse_kind(kind: Signature) -> NoReturn:
    raise WorkbookError("E801", f"found {kind.what}, {EXPECTED}", kind.hint)


def kind_of(data: bytes, parts: Collection[str] = ()) -> Signature | None:
    """The kind of a file that is not a workbook, told by ``SIGNATURES`` from its bytes (and,
    for a zip, the names of its ``parts``); None if none matches."""
    head = data[:4096]
    text = _text_head(head)
    ole = head.startswith(_OLE_MAGIC)
    for kind in SIGNATURES:
        if kind.start and head.startswith(kind.start):
            return kind
        if kind.text and text.startswith(kind.text) and kind.holds in text:
            return kind
        if kind.ole and ole and _ole_stream(data, kind.ole):
            return kind
        if kind.part and kind.part in parts:
            return kind
    return None


def _ole_stream(data: bytes, name: str) -> bool:
    """True if the OLE file ``data`` has a directory entry ``name`` (entries are 128 bytes,
    each starting with its name in UTF-16, ended by a 0)."""
    entry = name.encode("utf-16-le") + b"\0\0"
    at = data.find(entry)
    while at >= 0:
        if at % 128 == 0:
            return True
        at = data.find(entry, at + 1)
    return False


def _text_head(head: bytes) -> bytes:
    """``head`` as the ``text`` of a signature is matched against: UTF-16 (by its byte-order
    mark) turned into UTF-8, without a byte-order mark, leading blanks or HTML comments, in lower
    case."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[: len(head) // 2 * 2].decode("utf-16", "replace").encode()
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    while text.startswith(b"<!--") and b"-->" in text:  # a web page saved by a browser
        text = text[text.index(b"-->") + 3 :].lstrip()  # opens with <!-- saved from url=… -->
    return text


def _is_text(data: bytes) -> bool:
    """True if ``data`` starts like UTF-8 text (a CSV or a text file renamed)."""
    head = data[:4096]
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def _refuse_archive(data: bytes) -> None:
    """Raise WorkbookError for a zip that is not an .xlsx or .ods workbook that can be read."""
    parts = _zip_part_count(data)
    if parts is not None and parts > MAX_PARTS:
        raise WorkbookError(
            "E807",
            f"found {parts:,} parts in the archive, expected at most {MAX_PARTS:,} for a workbook",
            SMALLER,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _refuse_zip(zf)
            names = set(zf.namelist())
            mimetype = zf.read("mimetype") if "mimetype" in names else b""
            book = zf.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
    except WorkbookError:
        raise
    except Exception:  # zipfile raises many kinds: BadZipFile, zlib.error, an encrypted part
        raise WorkbookError(
            "E801", "the file is damaged (a broken .xlsx archive)", SAVE_AS_XLSX
        ) from None
    if mimetype.strip() == ODS_MIMETYPE and "content.xml" in names:
        return
    if b"opendocument" in mimetype:
        raise WorkbookError(
            "E801",
            "an OpenDocument file that is not a spreadsheet (or has no content.xml); only "
            ".xlsx and .ods workbooks can be read",
            "in LibreOffice Calc: File › Save As… › ODF Spreadsheet (.ods) or Excel 2007-365 "
            "(.xlsx)",
        )
    if b"purl.oclc.org/ooxml/spreadsheetml" in book:  # Excel's Strict flavour
        raise WorkbookError(
            "E801",
            "a Strict Open XML spreadsheet, which cannot be read",
            "in Excel: File › Save As… › Excel Workbook (.xlsx), not Strict Open XML",
        )
    if "xl/workbook.xml" not in names:
        kind = kind_of(data, names)
        if kind is not None:
            _refuse_kind(kind)
        raise WorkbookError(
            "E801",
            "a zip archive, but not an Excel workbook (no xl/workbook.xml)",
            "send the .xlsx workbook itself",
        )


def read_file(path: Path) -> bytes:
    """The bytes of the workbook ``path``, at most MAX_FILE_BYTES (read no further, whatever
    it is); a symbolic link pointing out of its own folder and a device are refused."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(path.parent.resolve()):
                raise WorkbookError(
                    "E801",
                    f"a symbolic link to {target}, outside the folder it is in",
                    "copy the workbook itself into the folder you import",
                )
        info = path.stat()  # before opening: open() on a FIFO waits for a writer forever
        if not stat.S_ISREG(info.st_mode):
            raise WorkbookError(
                "E801", f"found {_file_kind(info.st_mode)}, expected a file", "give the .xlsx file"
            )
        if info.st_size > MAX_FILE_BYTES:
            raise WorkbookError(
                "E807",
                f"found a file of {_mib(info.st_size)}, expected at most {_mib(MAX_FILE_BYTES)} "
                "for a report workbook",
                SMALLER,
            )
        # O_NONBLOCK: should the file be swapped for a FIFO since, opening it does not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise WorkbookError(
                    "E801", "found something other than a file", "give the .xlsx file"
                )
            data = f.read(MAX_FILE_BYTES + 1)  # a file that grows meanwhile reads no further
    except OSError as exc:
        raise WorkbookError("E801", f"cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(
            "E807",
            f"found a file of more than {_mib(MAX_FILE_BYTES)}, expected at most that for a "
            "report workbook",
            SMALLER,
        )
    return data


def _file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something other than a file"

"""What an .xlsx says in its XML that a fast value reader (calamine) does not tell: each cell's
number format, a formula with no saved result, an Excel error, whether a sheet is protected, and
how far its cells reach (before anything allocates a grid for them).

Each is a regular-expression scan of one part's bytes (C speed; no tree is built). The parts are
unpacked by ``unpack``, which reads no part beyond the size its zip directory declares.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

#: Excel's built-in number formats that are not General (ECMA-376, 18.8.30), by id.
BUILTIN_FORMATS = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}

_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
# the attributes of a cell in any order (lookaheads): a writer may put s="…" before r="…"
_STYLED = re.compile(
    rb"<(?:\w+:)?c\s(?=[^>]*?\br=\"([A-Z]{1,3}[0-9]{1,7})\")(?=[^>]*?\bs=\"([0-9]+)\")"
)
_ERROR = re.compile(
    rb"<(?:\w+:)?c\s(?=[^>]*?\br=\"([A-Z]{1,3}[0-9]{1,7})\")(?=[^>]*?\bt=\"e\")[^>]*>"
    rb"(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>",
    re.S,
)
#: a cell holding a formula and no saved value (``<v/>``, ``<v></v>`` or none)
_FORMULA_ONLY = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3}[0-9]{1,7})\"[^>/]*>\s*"
    rb"(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGED = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_PROTECTED = re.compile(rb"<(?:\w+:)?sheetProtection\b(?![^>]*\bsheet=\"(?:0|false)\")")
_XF_BLOCK = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)")
_NUMFMT = re.compile(
    rb"<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId=\"([0-9]+)\"[^>]*?\bformatCode=\"([^\"]*)\""
)
_NUMFMT_ID = re.compile(rb"\bnumFmtId=\"([0-9]+)\"")
_ENTITIES = {"&quot;": '"', "&apos;": "'", "&lt;": "<", "&gt;": ">", "&amp;": "&"}


#: A character XML 1.0 does not allow, raw or as a reference (``&#x1b;``): openpyxl's parser
#: refuses the part; calamine would read past it, so it is looked for here.
_CONTROL_CHAR = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_REF = re.compile(
    rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));"
)


#: A ``<v>`` whose text holds a character no number has. Shared-string indexes, booleans and
#: numbers do not; error texts, dates and formula text results do, and so does a number cell's
#: value written as a word (``inf``) or as text by a program that does not know the format.
#: (``<v>`` alone first: a literal start makes the scan ~3× faster.)
_ODD_VALUE = re.compile(rb"<v>[-+0-9.eE]*[^-+0-9.eE<]")
_ODD_VALUE_NS = re.compile(rb"<(?:\w+:)?v>[-+0-9.eE]*[^-+0-9.eE<]")
_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\s[^>]*>")
_TYPE = re.compile(rb'\bt="([^"]*)"')
_PLAIN_NUMBER = re.compile(rb"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_WORD_NUMBER = re.compile(rb"\s*([-+]?)(?:inf(?:inity)?|nan)\s*", re.IGNORECASE)


def readable_values(xml: bytes) -> bytes | None:
    """The worksheet ``xml`` with each number cell whose value is no plain number made readable
    the same way by calamine and openpyxl, which refuse the whole sheet otherwise: a word (inf,
    nan) written ``1e999``, read as inf (and refused at its cell as a number that is not
    finite); any other text marked as text (``t="str"``), read as what was typed. None if the
    sheet has no such cell (one pass of a pattern tells that for most sheets)."""
    pattern = _ODD_VALUE_NS if b":v>" in xml else _ODD_VALUE
    pieces: list[bytes] = []
    done = 0  # xml[:done] is in pieces
    for found in pattern.finditer(xml):
        value_at = xml.index(b">", found.start()) + 1
        value_end = xml.find(b"<", value_at)
        text = xml[value_at:value_end]
        cells = list(_CELL_OPEN.finditer(xml, max(done, found.start() - 4096), found.start()))
        if not cells:
            continue
        cell = cells[-1]
        kind = _TYPE.search(cell.group(0))
        if (kind is not None and kind.group(1) != b"n") or _PLAIN_NUMBER.fullmatch(text):
            continue
        word = _WORD_NUMBER.fullmatch(text)
        if word is not None:  # the value
            pieces += [xml[done:value_at], (b"-" if word.group(1) == b"-" else b"") + b"1e999"]
            done = value_end
        else:  # the cell's type
            tag = cell.group(0)
            if kind is not None:
                tag = tag[: kind.start()] + b't="str"' + tag[kind.end() :]
            else:
                tag = tag[:-1].removesuffix(b"/") + b' t="str">'
            pieces += [xml[done : cell.start()], tag]
            done = cell.end()
    if not pieces:
        return None
    return b"".join([*pieces, xml[done:]])


def readable(parts: dict[str, bytes]) -> tuple[bytes, dict[str, bytes]] | None:
    """The workbook of ``parts`` with every worksheet's ``readable_values``, zipped again, and
    its parts; None if no worksheet needs it."""
    changed = {}
    for name, xml in parts.items():
        if name.startswith("xl/worksheets/"):
            fixed = readable_values(xml)
            if fixed is not None:
                changed[name] = fixed
    if not changed:
        return None
    parts = {**parts, **changed}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, part in parts.items():
            zf.writestr(name, part)
    return out.getvalue(), parts


class ParseError(ValueError):
    """A part that is not well-formed XML."""


def check_chars(name: str, xml: bytes) -> None:
    """Raise ParseError if the part ``name`` holds a character XML does not allow."""
    found = _CONTROL_CHAR.search(xml)
    if found is None and b"&#" in xml:
        found = _CONTROL_REF.search(xml)
    if found is not None:
        raise ParseError(f"{name}: a character XML does not allow at byte {found.start()}")


def unpack(data: bytes) -> dict[str, bytes]:
    """Every part of the zip ``data`` by name, each read no further than its declared size (a
    part that unpacks to more, or fails its checksum, raises ``zipfile.BadZipFile``): what a
    reader unpacks after this is bounded by what the directory declared and ``xlsx_guard``
    checked."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def column_number(letters: bytes | str) -> int:
    """``b"A"`` → 1, ``b"XFD"`` → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(n: int) -> str:
    """1 → ``"A"``, 16384 → ``"XFD"``."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class SheetXml:
    """What one worksheet part says beyond its values."""

    #: the last row and column its cells reach (the grid a value reader allocates), or None if
    #: some cell has no reference ``r="A1"`` and the extent cannot be known without parsing
    extent: tuple[int, int] | None
    protected: bool
    #: cell reference → number format, for the cells whose format is not General
    formats: dict[str, str] = field(default_factory=dict)
    #: cell reference → Excel error text (``#REF!``) saved as the value
    errors: dict[str, str] = field(default_factory=dict)
    #: references of cells that hold a formula and no saved value
    unsaved_formulas: set[str] = field(default_factory=set)
    has_formulas: bool = False
    #: reference → text of a formula with no saved value, where the scan could read it (.ods)
    formula_texts: dict[str, str] = field(default_factory=dict)
    #: merged ranges (``A1:D1``), as written
    merged: list[str] = field(default_factory=list)


def style_formats(styles: bytes | None) -> dict[int, str]:
    """Cell style index (the ``s`` of a cell) → number format, for styles not General."""
    if not styles:
        return {}
    codes = {int(i): _unescape(code.decode("utf-8")) for i, code in _NUMFMT.findall(styles)}
    block = _XF_BLOCK.search(styles)
    if block is None:
        return {}
    out: dict[int, str] = {}
    for index, attrs in enumerate(_XF.findall(block.group(0))):
        found = _NUMFMT_ID.search(attrs)
        fmt_id = int(found.group(1)) if found else 0
        code = codes.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
        if code and code != "General":
            out[index] = code
    return out


def scan_sheet(xml: bytes, formats: dict[int, str]) -> SheetXml:
    """The extent, protection, formats, errors and unsaved formulas of a worksheet part."""
    refs = _CELL.findall(xml)
    extent: tuple[int, int] | None = None
    if len(refs) == len(_CELL_TAG.findall(xml)):
        rows = max((int(r) for _, r in refs), default=0)
        letters = max(set(c for c, _ in refs), key=lambda c: (len(c), c), default=b"")
        extent = (rows, column_number(letters) if letters else 0)
    found = SheetXml(extent, _PROTECTED.search(xml) is not None)
    if formats:
        for ref, style in _STYLED.findall(xml):
            code = formats.get(int(style))
            if code:
                found.formats[ref.decode("ascii")] = code
    if b"mergeCell" in xml:
        found.merged = [m.decode("ascii") for m in _MERGED.findall(xml)]
    if b't="e"' in xml:
        found.errors = {r.decode("ascii"): v.decode("utf-8") for r, v in _ERROR.findall(xml)}
    if _FORMULA_TAG.search(xml):
        found.has_formulas = True
        found.unsaved_formulas = {r.decode("ascii") for r in _FORMULA_ONLY.findall(xml)}
    return found


def _unescape(text: str) -> str:
    return re.sub(r"&(?:quot|apos|lt|gt|amp);", lambda m: _ENTITIES[m.group(0)], text)

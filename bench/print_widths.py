"""Measure how wide text prints in a workbook, for ``render/xlsx.py``'s width tables (issue 17:
a printed row as tall as its text, never shorter).

Two measurements:

- ``fonts``: the advance width of every ASCII character in the fonts LibreOffice prints the
  workbooks' Calibri with here (read from each font's ``cmap`` and ``hmtx`` tables, found with
  ``fc-match``), in hundredths of the regular face's digit, beside the table the writer uses:
  a line says where the table is narrower than a font (it must never be).
- ``room``: how many characters of one kind fit on one line of a wrapped cell W digits wide,
  as LibreOffice prints it at scales 100 % to 73 % (fitted to one page wide, forced with a
  filler column): a workbook per (W, scale) converted to PDF in one run, the lines counted
  from ``pdftotext -bbox``. With ``0``: W - 0.4 digits fit (10 → 9, 34.4 → 34, 68 → 67 or 68).

Usage: ``python bench/print_widths.py fonts`` or ``python bench/print_widths.py room [CHAR]
[--bold]``
"""

from __future__ import annotations

import argparse
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ASCII = "".join(chr(i) for i in range(32, 127))
PRINT_WIDTH_PT = 841.9 - 2 * 72 * 0.4
CHAR_PT = 7.0
WIDTHS = (10, 15, 20, 30, 34.4, 45, 60, 68)
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.73)
_WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
)


def advances(path: Path, chars: str) -> tuple[int, dict[str, int]]:
    """A TrueType font's units per em and the advance width of each of ``chars`` (cmap format 4
    of the Windows Unicode table)."""
    data = path.read_bytes()
    tables = {}
    for i in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag.decode()] = offset
    upem = struct.unpack(">H", data[tables["head"] + 18 : tables["head"] + 20])[0]
    metrics = struct.unpack(">H", data[tables["hhea"] + 34 : tables["hhea"] + 36])[0]
    cmap = tables["cmap"]
    sub = 0
    for i in range(struct.unpack(">H", data[cmap + 2 : cmap + 4])[0]):
        platform, encoding, offset = struct.unpack(
            ">HHI", data[cmap + 4 + 8 * i : cmap + 12 + 8 * i]
        )
        if (platform, encoding) == (3, 1):
            sub = cmap + offset
    n2 = struct.unpack(">H", data[sub + 6 : sub + 8])[0]
    n = n2 // 2
    ends = struct.unpack(f">{n}H", data[sub + 14 : sub + 14 + n2])
    starts = struct.unpack(f">{n}H", data[sub + 16 + n2 : sub + 16 + 2 * n2])
    deltas = struct.unpack(f">{n}h", data[sub + 16 + 2 * n2 : sub + 16 + 3 * n2])
    at = sub + 16 + 3 * n2
    offsets = struct.unpack(f">{n}H", data[at : at + n2])

    def glyph(code: int) -> int:
        for i in range(n):
            if starts[i] <= code <= ends[i]:
                if offsets[i] == 0:
                    return (code + deltas[i]) & 0xFFFF
                where = at + 2 * i + offsets[i] + 2 * (code - starts[i])
                g = struct.unpack(">H", data[where : where + 2])[0]
                return (g + deltas[i]) & 0xFFFF if g else 0
        return 0

    def advance(g: int) -> int:
        g = min(g, metrics - 1)
        at_hmtx = tables["hmtx"] + 4 * g
        return struct.unpack(">H", data[at_hmtx : at_hmtx + 2])[0]

    return upem, {ch: advance(glyph(ord(ch))) for ch in chars}


def font_file(pattern: str) -> Path:
    out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True)
    return Path(out.stdout)


def fonts() -> None:
    from okrtool.render.xlsx import print_width

    digit = advances(font_file("Calibri"), "0")[1]["0"]
    faces = {
        False: ["Calibri", "DejaVu Serif", "Calibri:italic", "DejaVu Serif:italic"],
        True: ["Calibri:bold", "DejaVu Serif:bold"],
    }
    for bold, patterns in faces.items():
        for pattern in patterns:
            path = font_file(pattern)
            _, widths = advances(path, ASCII)
            narrow = [
                (ch, round(widths[ch] / digit, 3))
                for ch in ASCII
                if print_width(ch, bold) < widths[ch] / digit - 0.005
            ]
            print(f"{pattern:22} {path.name:26} digit {widths['0']:5}  table narrower: {narrow}")


def room(char: str, bold: bool) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    folder = Path(tempfile.mkdtemp(prefix="okrtool-widths-"))
    for width in WIDTHS:
        for scale in SCALES:
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.column_dimensions["A"].width = 4
            ws.column_dimensions["B"].width = width
            filler = PRINT_WIDTH_PT / CHAR_PT / scale - 4 - width
            if filler > 0.5:
                ws.column_dimensions["C"].width = filler
                ws.cell(1, 3, "x")
            first = int(width * 0.6)
            for r, n in enumerate(range(first, int(width * 1.2) + 2), 1):
                ws.cell(r, 1, f"q{r}")
                cell = ws.cell(r, 2, char * n)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.font = Font(bold=bold)
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_margins.left = ws.page_margins.right = 0.4
            wb.save(folder / f"w{width}-s{scale}.xlsx")
    with tempfile.TemporaryDirectory(prefix="okrtool-soffice-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, folder.glob("*.xlsx")),
            ],
            capture_output=True,
            check=True,
        )
    print(f"{'width':>6}  longest run of {char!r} on one line at scale {SCALES}")
    for width in WIDTHS:
        fits = []
        for scale in SCALES:
            pdf = folder / f"w{width}-s{scale}.pdf"
            text = subprocess.run(
                ["pdftotext", "-bbox", "-l", "1", str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            words = [(float(y), t) for y, t in _WORD.findall(text)]
            marks = sorted((y, int(t[1:])) for y, t in words if re.fullmatch(r"q\d+", t))
            lines: dict[int, set[int]] = {r: set() for _, r in marks}
            for y, t in words:
                row = max((m for m in marks if m[0] <= y + 1), default=None)
                if row is not None and not re.fullmatch(r"q\d+|x", t):
                    lines[row[1]].add(round(y))
            first = int(width * 0.6)
            one = [first + r - 1 for r, ys in lines.items() if len(ys) == 1]
            fits.append(max(one, default=0))
        print(f"{width:6}  {fits}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["fonts", "room"])
    parser.add_argument("char", nargs="?", default="0")
    parser.add_argument("--bold", action="store_true")
    options = parser.parse_args()
    if options.what == "fonts":
        fonts()
    else:
        room(options.char, options.bold)


if __name__ == "__main__":
    main()

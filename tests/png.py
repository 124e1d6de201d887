"""Read the pixels of a PNG screenshot with the standard library (zlib), to tell a blank page.

Chromium writes 8-bit RGB or RGBA PNGs, not interlaced. The rows it filters with None, Sub and
Up are undone on whole rows at once (bytewise addition on Python integers); Average and Paeth,
which need each byte's left neighbour, byte by byte.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {2: 3, 6: 4}  # colour type → bytes per pixel at 8 bits: RGB, RGBA


@dataclass(frozen=True)
class Pixels:
    """An image's size and its rows of RGB(A) bytes."""

    width: int
    height: int
    channels: int
    rows: list[bytes]

    def colours(self) -> Counter[bytes]:
        """How many pixels have each colour (RGB, alpha dropped)."""
        counts: Counter[bytes] = Counter()
        step = self.channels
        # a page repeats rows (margins, backgrounds): count each distinct row once
        for row, times in Counter(self.rows).items():
            in_row = Counter(row[i : i + 3] for i in range(0, len(row), step))
            for colour, n in in_row.items():
                counts[colour] += n * times
        return counts


def read_png(source: Path | bytes) -> Pixels:
    """The pixels of an 8-bit RGB/RGBA PNG; ValueError for any other PNG or a broken one."""
    data = source.read_bytes() if isinstance(source, Path) else source
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG: the file does not start with the PNG signature")
    header, idat, pos = b"", bytearray(), len(_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(
            f"PNG of bit depth {depth}, colour type {colour}, interlace {interlace}; "
            "expected 8-bit RGB or RGBA, not interlaced"
        )
    channels = _CHANNELS[colour]
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], raw[start + 1 : start + 1 + stride], previous, channels)
        rows.append(row)
        previous = row
    return Pixels(width, height, channels, rows)


def _add(a: int, b: int, low: int, high: int) -> int:
    """Bytewise a + b (mod 256 in every byte) of two rows held as integers."""
    return ((a & low) + (b & low)) ^ ((a ^ b) & high)


def _unfilter(kind: int, row: bytes, previous: bytes, bpp: int) -> bytes:
    """Undo one row's PNG filter (RFC 2083 §6)."""
    n = len(row)
    if kind == 0:
        return row
    if kind in (1, 2):
        low = int.from_bytes(b"\x7f" * n, "little")
        high = int.from_bytes(b"\x80" * n, "little")
        x = int.from_bytes(row, "little")
        if kind == 2:
            x = _add(x, int.from_bytes(previous, "little"), low, high)
        else:
            # each byte plus the reconstructed byte bpp to its left: a prefix sum by doubling
            mask, shift = (1 << 8 * n) - 1, bpp
            while shift < n:
                x = _add(x, (x << 8 * shift) & mask, low, high)
                shift *= 2
        return x.to_bytes(n, "little")
    if kind not in (3, 4):
        raise ValueError(f"PNG row filter {kind}; expected 0 to 4")
    out = bytearray(row)
    for i in range(n):
        left = out[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 3:
            out[i] = (out[i] + ((left + up) >> 1)) & 0xFF
            continue
        corner = previous[i - bpp] if i >= bpp else 0
        p = left + up - corner
        pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
        predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
        out[i] = (out[i] + predictor) & 0xFF
    return bytes(out)

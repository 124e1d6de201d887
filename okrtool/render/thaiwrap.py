"""Wrapping text for a terminal at word boundaries, Thai included.

Thai is written without spaces between words (a space ends a phrase), so wrapping at spaces
alone leaves a Thai run too long for its column, and folding it by characters breaks words
mid-syllable: "สัปด|าห์", "มาตร|ฐาน". Here a line breaks at a space, or between two Thai words
as ICU's line breaker finds them (its Thai dictionary ships in the icu4py wheel: nothing is
downloaded). Only a single word wider than the whole line is folded.

Widths are display cells, as rich counts them: Thai vowel and tone marks above or below a
letter take none ("ที่" is one cell wide), a wide CJK character takes two.

The segmenter is loaded only when a Thai run must actually be split: a text that fits, or
wraps at its spaces alone, never imports it.
"""

from __future__ import annotations

import re
from functools import cache

from rich.cells import cell_len

#: A word and the spaces before it.
_WORD = re.compile(r"(\s*)(\S+)")
#: What a fold keeps together: a Thai leading vowel (เ แ โ ใ ไ) with the letter after it, a
#: letter with the vowels and marks that follow it or sit on it (ะ า ำ, ั ิ ี ุ ู, ่ ้ ็ ์).
_CLUSTER = re.compile(r"[\u0e40-\u0e44]*.[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e\u0300-\u036f]*", re.S)
#: ... and when even that is too wide: a letter with the marks that take no cell.
_CLUSTER_LETTER = re.compile(r".[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0300-\u036f]*", re.S)


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines at most ``width`` cells wide, broken at spaces and between Thai words.

    A run of text between spaces that fits on the next line goes there whole, as an English
    word does (in Thai a space ends a phrase: the best place to break). A longer run fills the
    line and breaks between two Thai words. Only a single word wider than ``width`` is folded.
    A newline in ``text`` always breaks; leading spaces stay on the first line; spaces at a
    break are dropped.
    """
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph.rstrip(), width)
    return lines


def thai_words(run: str) -> list[str]:
    """A space-free run cut into the pieces a line may break between: at each Thai word
    boundary, and nowhere else (not between ``กทม`` and ``.``, nor inside ``OKRs``)."""
    if not any(_is_thai(ch) for ch in run):
        return [run]
    pieces, start = [], 0
    for end in _breaks(run):
        pieces.append(run[start:end])
        start = end
    return [*pieces, run[start:]]


def _wrap_paragraph(text: str, width: int) -> list[str]:
    if cell_len(text) <= width:
        return [text]
    indent = text[: len(text) - len(text.lstrip())]
    lines: list[str] = []
    line, used = indent, cell_len(indent)  # the line being filled and its width
    for match in _WORD.finditer(text, len(indent)):
        gap, word = match.group(1) if line.strip() else "", match.group(2)
        size = cell_len(word)
        if used + cell_len(gap) + size <= width:
            line, used = line + gap + word, used + cell_len(gap) + size
            continue
        if size <= width:  # a space is where a line breaks best: the next line takes it whole
            if line.strip():
                lines.append(line)
            line, used = word, size
            continue
        for k, piece in enumerate(thai_words(word)):  # fill the line, then break between words
            joint = gap if k == 0 else ""
            piece_size = cell_len(piece)
            if used + cell_len(joint) + piece_size <= width:
                line, used = line + joint + piece, used + cell_len(joint) + piece_size
                continue
            if line.strip():
                lines.append(line)
            *whole, (line, used) = _fold(piece, width)
            lines += [folded for folded, _ in whole]
    lines.append(line)
    return [line.rstrip() for line in lines]


def _fold(word: str, width: int) -> list[tuple[str, int]]:
    """A word cut into lines of at most ``width`` cells, each with its width, between
    syllable clusters where they fit ("สถานะ" never leaves "ะ" alone), else between letters."""
    out: list[tuple[str, int]] = []
    line, used = "", 0
    for cluster in _CLUSTER.findall(word):
        size = cell_len(cluster)
        parts = [cluster] if size <= width else _CLUSTER_LETTER.findall(cluster)
        for part in parts:
            size = cell_len(part)
            if used + size > width and line:
                out.append((line, used))
                line, used = "", 0
            line, used = line + part, used + size
    out.append((line, used))
    return out


@cache
def _breaks(run: str) -> tuple[int, ...]:
    """Offsets in ``run`` where a line may break: ICU line-break opportunities with a Thai
    character on both sides."""
    try:
        from icu4py.breakers import LineBreaker
    except ImportError:  # not installed (an old environment): fold as before, never fail
        return ()
    offsets, end = [], 0
    for segment in LineBreaker(run, "th"):
        end += len(segment)
        if 0 < end < len(run) and _is_thai(run[end - 1]) and _is_thai(run[end]):
            offsets.append(end)
    return tuple(offsets)

"""The browser harness catches what it is for: each check fails on a page made to fail it."""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import browser
import pytest
from browser import BLOCKED, Browser, blankness, chromium_or_skip, open_browser, thai_fonts
from png import read_png

HEAD = '<!doctype html><html lang="th"><head><meta charset="utf-8"><title>t</title></head>'


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with open_browser() as browser:
        yield browser


def page(folder: Path, body: str, name: str = "page.html") -> Path:
    path = folder / name
    path.write_text(f"{HEAD}<body>{body}</body></html>", encoding="utf-8")
    return path


def test_a_quiet_page_on_disk_has_nothing_to_report(chromium: Browser, tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("p { color: #123456 }")
    visit = chromium.visit(page(tmp_path, '<link rel="stylesheet" href="a.css"><p>ok</p>'))
    assert (visit.errors, visit.failed, visit.external, visit.overflow) == ([], [], [], 0)
    assert visit.requests == [(tmp_path / "page.html").as_uri(), (tmp_path / "a.css").as_uri()]


def test_console_errors_and_uncaught_exceptions_are_caught(
    chromium: Browser, tmp_path: Path
) -> None:
    visit = chromium.visit(page(tmp_path, "<script>\nconsole.error('boom', 42)\nnull.x</script>"))
    url = (tmp_path / "page.html").as_uri()
    assert visit.errors == [
        f"error: boom 42 ({url}:2)",
        "uncaught TypeError: Cannot read properties of null (reading 'x')",
    ]


def test_a_request_off_the_disk_is_caught_and_stopped_before_it_leaves(
    chromium: Browser, tmp_path: Path
) -> None:
    body = (
        '<img src="http://example.com/x.png" alt="">'
        "<style>@font-face { font-family: f; src: url(https://fonts.example.org/f.woff2) }"
        "p { font-family: f }</style><p>x</p>"
    )
    visit = chromium.visit(page(tmp_path, body))
    # sorted: which the browser asks for first, the image or the font, is not fixed
    assert sorted(visit.external) == [
        "http://example.com/x.png",
        "https://fonts.example.org/f.woff2",
    ]
    # the harness stopped them (BLOCKED_BY_CLIENT), not the network
    assert sorted(visit.failed) == [
        f"http://example.com/x.png: {BLOCKED}",
        f"https://fonts.example.org/f.woff2: {BLOCKED}",
    ]
    assert sorted(visit.errors) == [
        f"error: Failed to load resource: {BLOCKED} (http://example.com/x.png:1)",
        f"error: Failed to load resource: {BLOCKED} (https://fonts.example.org/f.woff2:1)",
    ]


def test_a_missing_file_is_a_failed_request(chromium: Browser, tmp_path: Path) -> None:
    visit = chromium.visit(page(tmp_path, '<script src="chart.js"></script>'))
    assert visit.failed == [f"{(tmp_path / 'chart.js').as_uri()}: net::ERR_FILE_NOT_FOUND"]


def test_a_page_wider_than_a_phone_overflows_at_390_but_not_at_1280(
    chromium: Browser, tmp_path: Path
) -> None:
    wide = page(tmp_path, '<table style="width: 600px"><tr><td>x</td></tr></table>')
    # 600 px and the body's 8 px margin on the left, in a 390 px window
    assert chromium.visit(wide, width=390).overflow == 218
    assert chromium.visit(wide, width=1280).overflow == 0


def test_screenshots_are_taken_at_the_width_asked_and_a_blank_page_is_blank(
    chromium: Browser, tmp_path: Path
) -> None:
    chromium.visit(page(tmp_path, ""), width=390, screenshot=tmp_path / "blank.png")
    blank = read_png(tmp_path / "blank.png")
    assert (blank.width, blank.height) == (390, 800)
    assert blankness(tmp_path / "blank.png").blank
    assert blankness(tmp_path / "blank.png").colours == 1

    drawn = page(
        tmp_path, '<div style="width: 100px; height: 50px; background: #ff0000"></div>', "red.html"
    )
    chromium.visit(drawn, width=1280, screenshot=tmp_path / "red.png")
    image = read_png(tmp_path / "red.png")
    assert (image.width, image.height) == (1280, 800)
    assert image.colours() == {b"\xff\xff\xff": 1280 * 800 - 5000, b"\xff\x00\x00": 5000}
    # one red block and no text: drawn, but in two colours only
    assert blankness(tmp_path / "red.png").blank

    text = page(tmp_path, "<h1>กรุงเทพมหานคร</h1><p>ปลูกต้นไม้ 218,910 ต้น</p>", "text.html")
    chromium.visit(text, width=1280, screenshot=tmp_path / "text.png")
    assert not blankness(tmp_path / "text.png").blank


def test_thai_text_is_drawn_in_a_thai_font_and_tofu_is_not(
    chromium: Browser, tmp_path: Path
) -> None:
    installed = thai_fonts()
    assert installed, "no Thai font: install fonts-thai-tlwg (.ci/run does)"
    body = (
        '<p id="thai">ปลูกต้นไม้ล้านต้น</p>'
        # U+0E5C..U+0E5E are unassigned in the Thai block: no font has them, they are tofu
        '<p id="tofu">\u0e5c\u0e5d\u0e5e</p>'
    )
    with chromium.open(page(tmp_path, body)) as tab:
        thai, tofu = tab.fonts("#thai"), tab.fonts("#tofu")
        # a Thai font puts the vowel sign ั above ก (no advance); tofu would be a second box
        widths = tab.page.evaluate(
            "() => { const c = document.createElement('canvas').getContext('2d');"
            " c.font = '16px sans-serif';"
            " return ['ก', 'กั', '\u0e5c', '\u0e5c\u0e5d'].map(s => c.measureText(s).width) }"
        )
        tab.screenshot(tmp_path / "thai.png")
    assert thai and set(thai) <= installed, (thai, installed)  # every glyph in a Thai font
    assert not set(tofu) & installed, tofu
    assert widths[0] == widths[1]
    assert widths[3] == 2 * widths[2]
    assert not blankness(tmp_path / "thai.png").blank


def test_navigation_timing_is_read_from_the_browser(chromium: Browser, tmp_path: Path) -> None:
    path = page(tmp_path, "<p>x</p>")
    with chromium.open(path) as tab:
        timing = tab.timing()
    assert (timing["name"], timing["type"], timing["entryType"]) == (
        path.as_uri(),
        "navigate",
        "navigation",
    )
    assert 0 < timing["domInteractive"] <= timing["loadEventEnd"] < 10_000


def _png(width: int, rows: list[bytes], filters: list[int]) -> bytes:
    """A PNG of RGB rows, each row filtered as RFC 2083 says (an encoder to test the decoder)."""
    bpp, previous, raw = 3, bytes(width * 3), bytearray()
    for row, kind in zip(rows, filters, strict=True):
        out = bytearray([kind])
        for i, value in enumerate(row):
            left = row[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            paeth = min(
                (abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner)
            )[2]
            predictor = [0, left, up, (left + up) // 2, paeth][kind]
            out.append((value - predictor) & 0xFF)
        raw += out
        previous = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


def test_the_png_reader_undoes_every_row_filter() -> None:
    rng = random.Random(11)
    rows = [bytes(rng.randrange(256) for _ in range(3 * 37)) for _ in range(15)]
    image = read_png(_png(37, rows, [0, 1, 2, 3, 4] * 3))
    assert (image.width, image.height, image.channels) == (37, 15, 3)
    assert image.rows == rows


def test_an_absent_browser_skips_its_tests_unless_they_are_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("OKRTOOL_REQUIRE_BROWSER", raising=False)
    absent = (
        f"{tmp_path}/chromium is not installed (Debian package 'chromium'; .ci/run installs it)"
    )
    with pytest.raises(pytest.skip.Exception) as skipped:
        chromium_or_skip()
    assert str(skipped.value) == absent
    monkeypatch.setenv("OKRTOOL_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        chromium_or_skip()
    assert str(failed.value) == f"{absent}, and OKRTOOL_REQUIRE_BROWSER is set"

"""Open pages from disk in Debian's headless Chromium and record what a reader's browser saw.

Driven by Playwright's Python package with Debian's /usr/bin/chromium (executable_path): its
wheel carries its own driver and no browser is ever downloaded. Every request that is not
file:// is stopped before it leaves (``route``) and recorded, so a page that would fetch from a
CDN or a web-font host fails its test here instead of working by accident on a connected laptop.

``open_browser()`` skips the calling tests when Chromium is absent, unless
OKRTOOL_REQUIRE_BROWSER is set (``.ci/run`` sets it): then an absent browser fails them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest
from png import read_png

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Request, Route

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE = "OKRTOOL_REQUIRE_BROWSER"

#: what works on a CI machine as root with no display and no network; Playwright adds
#: --headless and a fresh --user-data-dir of its own for every launch
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # a container's /dev/shm is often 64 MB, too small for a long page's screenshot
    "--disable-dev-shm-usage",
    # no name resolves: even a request that slipped past the route could not leave the machine
    "--host-resolver-rules=MAP * ~NOTFOUND",
]

#: the reason the requests the harness stops fail with, to tell them from other failures
BLOCKED = "net::ERR_BLOCKED_BY_CLIENT.Inspector"


@dataclass
class Tab:
    """One open page and everything it logged since it was opened."""

    page: Page
    console: list[str] = field(default_factory=list)  # "error: text (url:line)"
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL asked for, in order
    failed: list[str] = field(default_factory=list)  # "url: reason"

    def forget(self) -> None:
        """Start the logs afresh, before the next page in the same window."""
        self.console, self.page_errors, self.requests, self.failed = [], [], [], []

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions, as a reader's devtools would show them."""
        return [m for m in self.console if m.startswith("error:")] + self.page_errors

    @property
    def external(self) -> list[str]:
        """Every URL asked for that is not on disk (file://); all of them were stopped."""
        return [url for url in self.requests if not url.startswith("file:")]

    def timing(self) -> dict[str, Any]:
        """The page's navigation timing entry (milliseconds from the start of navigation)."""
        entry = self.page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
        return dict(entry)

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than the window (0: no horizontal scrolling)."""
        width = self.page.evaluate(
            "() => document.scrollingElement.scrollWidth - window.innerWidth"
        )
        return max(0, int(width))

    def text(self) -> str:
        """The page's visible text, as a reader would copy it."""
        return self.page.inner_text("body")

    def screenshot(self, path: Path | None = None, *, full_page: bool = False) -> bytes:
        """A PNG of the window (of the page's whole length with ``full_page``); written to
        ``path`` when given."""
        return self.page.screenshot(path=path, full_page=full_page, animations="disabled")

    def fonts(self, selector: str) -> dict[str, int]:
        """The installed fonts Chromium drew the element's text with: family → glyph count."""
        cdp = self.page.context.new_cdp_session(self.page)
        try:
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument")["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            if not node["nodeId"]:
                raise AssertionError(f"no element matches {selector!r} on {self.page.url}")
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        finally:
            cdp.detach()
        return {font["familyName"]: font["glyphCount"] for font in used["fonts"]}


@dataclass(frozen=True)
class Visit:
    """What one look at a page found, for assertions and reports."""

    url: str
    errors: list[str]
    failed: list[str]
    external: list[str]
    requests: list[str]
    overflow: int
    load_ms: float  # navigation start to the end of the load event

    @property
    def path(self) -> Path:
        """The file on disk the page was opened from."""
        return file_of(self.url)


def file_of(url: str) -> Path:
    """The file a file:// URL names."""
    return Path(unquote(urlsplit(url).path))


class Browser:
    """One Chromium for many pages; each page gets a fresh context (no shared cache)."""

    def __init__(self, launched: Any) -> None:
        self._browser = launched

    @property
    def version(self) -> str:
        return str(self._browser.version)

    @contextmanager
    def open(self, page: Path, width: int = 1280, height: int = 800) -> Iterator[Tab]:
        """Open a page from disk in a window ``width`` CSS pixels wide, loaded and settled."""
        with self._tab(width, height) as tab:
            _load(tab, page)
            yield tab

    def visit(self, page: Path, width: int = 1280, screenshot: Path | None = None) -> Visit:
        """Open a page, take a screenshot of the window if asked, and return what was seen."""
        with self.open(page, width) as tab:
            if screenshot is not None:
                tab.screenshot(screenshot)
            return _seen(tab)

    def visit_all(self, pages: list[Path], width: int = 1280) -> list[Visit]:
        """Open many pages one after the other in one window (quicker than a window each)."""
        visits = []
        with self._tab(width, 800) as tab:
            for page in pages:
                tab.forget()
                tab.page.goto(page.resolve().as_uri(), wait_until="load")
                visits.append(_seen(tab))
        return visits

    @contextmanager
    def _tab(self, width: int, height: int) -> Iterator[Tab]:
        context = self._browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=1
        )
        try:
            window = context.new_page()
            tab = Tab(window)
            window.on("console", lambda message: tab.console.append(_console_line(message)))
            window.on(
                "pageerror",
                lambda error: tab.page_errors.append(f"uncaught {error.name}: {error.message}"),
            )
            window.on("request", lambda request: tab.requests.append(request.url))
            window.on("requestfailed", lambda request: tab.failed.append(_failure(request)))
            context.route(lambda url: not url.startswith("file:"), _stop)
            yield tab
        finally:
            context.close()


def _load(tab: Tab, page: Path) -> None:
    """Navigate to a page on disk and wait for its load event and its fonts."""
    tab.page.goto(page.resolve().as_uri(), wait_until="load")
    tab.page.evaluate("() => document.fonts.ready.then(() => true)")


def _seen(tab: Tab) -> Visit:
    """What the page in the tab showed, in one round trip to the browser once fonts are in."""
    seen = tab.page.evaluate(
        """async () => {
            await document.fonts.ready;
            return {
                load: performance.getEntriesByType('navigation')[0].loadEventEnd,
                overflow: document.scrollingElement.scrollWidth - window.innerWidth,
            };
        }"""
    )
    return Visit(
        url=tab.page.url,
        errors=tab.errors,
        failed=list(tab.failed),
        external=tab.external,
        requests=list(tab.requests),
        overflow=max(0, int(seen["overflow"])),
        load_ms=float(seen["load"]),
    )


def _stop(route: Route) -> None:
    route.abort("blockedbyclient")


def _console_line(message: ConsoleMessage) -> str:
    where = message.location
    place = f" ({where['url']}:{where['lineNumber'] + 1})" if where.get("url") else ""
    return f"{message.type}: {message.text}{place}"


def _failure(request: Request) -> str:
    return f"{request.url}: {request.failure}"


def chromium_or_skip() -> Path:
    """The Chromium binary; skips the test when absent unless OKRTOOL_REQUIRE_BROWSER is set."""
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is not installed (Debian package 'chromium'; .ci/run installs it)"
    if os.environ.get(REQUIRE):
        pytest.fail(f"{message}, and {REQUIRE} is set", pytrace=False)
    pytest.skip(message)


@contextmanager
def open_browser() -> Iterator[Browser]:
    """Launch headless Chromium for a group of tests (see chromium_or_skip)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=FLAGS
        )
        try:
            yield Browser(launched)
        finally:
            launched.close()


@dataclass(frozen=True)
class Blankness:
    """How much of a screenshot is drawn: distinct colours and pixels that are not white."""

    colours: int
    drawn: int  # pixels that are not pure white
    pixels: int

    @property
    def blank(self) -> bool:
        """Shows nothing: one or two colours (text is never drawn without anti-aliasing's
        shades), or fewer than 500 pixels that are not white (not one short word)."""
        return self.colours <= 2 or self.drawn < 500


def blankness(png: bytes | Path) -> Blankness:
    """Count what a PNG screenshot shows (decoded with zlib, see png.py)."""
    image = read_png(png)
    colours = image.colours()
    white = colours.get(b"\xff\xff\xff", 0)
    pixels = image.width * image.height
    return Blankness(colours=len(colours), drawn=pixels - white, pixels=pixels)


def thai_fonts() -> set[str]:
    """Families of the installed fonts that cover Thai (fc-list :lang=th), empty if none."""
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    out = subprocess.run(
        [fc_list, ":lang=th", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name}

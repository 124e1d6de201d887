"""Checks over a folder of generated HTML, without a browser: links resolve, pages are well-formed.

Both read pages with the standard library's html.parser, which gives the line and column of
every tag, so each problem reads ``page.html:12:5: what was found; what was expected``.

Well-formed here is stricter than what a browser forgives, on purpose: generated pages come from
templates, so every element that is not void is closed explicitly and in order (no optional end
tags), nothing block-level opens inside a <p> (the browser would close the <p> first and the
DOM would differ from the template), self-closing syntax only in SVG/MathML, no attribute twice,
no id twice; and each page starts with <!doctype html>, has <html lang> and declares
<meta charset> (a page opened from disk has no HTTP header to say it is UTF-8, and Thai text
would be garbled without it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip
FOREIGN = {"svg", "math"}  # self-closing tags are allowed inside these
CLOSES_P = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
#: attributes that name another file, and the tags they do it on
REFERENCES = {"href", "src", "srcset", "poster", "data"}
LEAVES_SITE = ("mailto:", "tel:", "data:", "javascript:")


@dataclass
class _Reference:
    tag: str
    attribute: str
    value: str
    line: int
    column: int


@dataclass
class _Page(HTMLParser):
    """One page read once: its ids, the files it references, and its well-formedness problems."""

    name: str
    ids: dict[str, tuple[int, int]] = field(default_factory=dict)
    references: list[_Reference] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    open: list[tuple[str, int, int]] = field(default_factory=list)
    doctype: bool = False
    seen_tag: bool = False
    charset: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _at(self, message: str) -> None:
        line, column = self.getpos()
        self.problems.append(f"{self.name}:{line}:{column + 1}: {message}")

    def handle_decl(self, decl: str) -> None:
        if decl.lower() == "doctype html" and not self.seen_tag:
            self.doctype = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID and not any(name in FOREIGN for name, _, _ in self.open):
            self._at(f"<{tag}/> is not closed by its slash in HTML; expected <{tag}></{tag}>")
            self._start(tag, attrs)
            self.handle_endtag(tag)
            return
        self._start(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.seen_tag and not self.doctype:
            self._at(f"<{tag}> before <!doctype html>; expected the page to start with it")
        self.seen_tag = True
        line, column = self.getpos()
        names = [name for name, _ in attrs]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self._at(f"attribute '{name}' written twice on <{tag}>")
        values = dict(attrs)
        if tag == "html" and not values.get("lang"):
            self._at('<html> without a lang attribute; expected lang="th" or lang="en"')
        if tag == "meta" and (values.get("charset") or "").lower() == "utf-8":
            self.charset = True
        if self.open and self.open[-1][0] == "p" and tag in CLOSES_P:
            opened = self.open[-1]
            self._at(
                f"<{tag}> inside <p> (opened at {opened[1]}:{opened[2] + 1}); the browser closes "
                "the <p> first, so the page is not the template's tree"
            )
        for name in ("id",) + (("name",) if tag == "a" else ()):
            anchor = values.get(name)
            if anchor and anchor in self.ids and name == "id":
                first = self.ids[anchor]
                self._at(f"id '{anchor}' used twice (first at {first[0]}:{first[1] + 1})")
            elif anchor:
                self.ids.setdefault(anchor, (line, column))
        for name, value in attrs:
            if name in REFERENCES and value is not None:
                self.references.append(_Reference(tag, name, value, line, column + 1))
        if tag not in VOID:
            self.open.append((tag, line, column))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in [name for name, _, _ in self.open]:
            self._at(f"</{tag}> closes nothing (no <{tag}> is open)")
            return
        while self.open:
            name, line, column = self.open.pop()
            if name == tag:
                return
            self._at(f"</{tag}> while <{name}> (opened at {line}:{column + 1}) is still open")

    def finish(self) -> None:
        """Report what the end of the page left open or missing."""
        self.close()
        for name, line, column in self.open:
            self.problems.append(
                f"{self.name}:{line}:{column + 1}: <{name}> is never closed; expected </{name}>"
            )
        if not self.doctype:
            self.problems.append(f"{self.name}:1:1: no <!doctype html> at the start")
        if not self.charset:
            self.problems.append(
                f'{self.name}:1:1: no <meta charset="utf-8">; a page opened from disk '
                "needs it to show Thai"
            )


def _read(root: Path, page: Path) -> _Page:
    parsed = _Page(page.relative_to(root).as_posix())
    parsed.feed(page.read_text(encoding="utf-8"))
    parsed.finish()
    return parsed


def html_pages(root: Path) -> list[Path]:
    """Every .html file under ``root``, in a stable order."""
    return sorted(root.rglob("*.html"))


def well_formedness_problems(root: Path) -> list[str]:
    """Every well-formedness problem of every page under ``root`` (see the module docstring)."""
    return [problem for page in html_pages(root) for problem in _read(root, page).problems]


def link_problems(root: Path) -> list[str]:
    """Every reference of every page (and stylesheet url()) under ``root`` that does not resolve.

    A relative href/src must name an existing file inside ``root``, a #fragment an id (or
    <a name>) in its page. Links to other sites are fine on <a>; anything else loaded from the
    network (a CDN script, a web font) is a problem, and so are root-relative paths (/x) and
    links to a folder, which break when the site is opened from disk.
    """
    root = root.resolve()
    pages = {page: _read(root, page) for page in html_pages(root)}
    problems: list[str] = []
    for page, parsed in pages.items():
        for ref in parsed.references:
            urls = _srcset_urls(ref.value) if ref.attribute == "srcset" else [ref.value]
            for url in urls:
                where = (
                    f"{parsed.name}:{ref.line}:{ref.column}: <{ref.tag} {ref.attribute}={url!r}>"
                )
                problem = _resolve(root, page, ref.tag, url, pages)
                if problem:
                    problems.append(f"{where} {problem}")
    for sheet in sorted(root.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")
        for match in re.finditer(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text):
            line = text.count("\n", 0, match.start()) + 1
            problem = _resolve(root, sheet, "css", match.group(1), pages)
            if problem:
                name = sheet.relative_to(root).as_posix()
                problems.append(f"{name}:{line}: url({match.group(1)}) {problem}")
    return problems


def _srcset_urls(value: str) -> list[str]:
    return [item.split()[0] for item in value.split(",") if item.strip()]


def _resolve(root: Path, page: Path, tag: str, url: str, pages: dict[Path, _Page]) -> str:
    """Why ``url`` on ``page`` does not resolve, or '' when it does."""
    parts = urlsplit(url)
    if url.startswith(LEAVES_SITE):
        return ""
    if parts.scheme or url.startswith("//"):
        if tag == "a":
            return ""
        return "loads from the network; expected a file vendored next to the pages"
    if parts.path.startswith("/"):
        return "is root-relative; it breaks when the site is opened from disk: use a relative path"
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if not target.is_relative_to(root):
        return "points outside the site folder"
    if not target.exists():
        return f"names {target.relative_to(root).as_posix()}, which does not exist"
    if target.is_dir():
        return (
            "links to a folder; opened from disk that shows a file listing: link to its index.html"
        )
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html":
        ids = pages[target].ids if target in pages else {}
        if fragment not in ids:
            return f"no id '{fragment}' in {target.relative_to(root).as_posix()}"
    return ""

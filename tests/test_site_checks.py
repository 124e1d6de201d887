"""The site checks fail where they should: broken links, missing fragments, broken HTML."""

from __future__ import annotations

from pathlib import Path

from site_checks import link_problems, well_formedness_problems

HEAD = '<!doctype html>\n<html lang="th">\n<head><meta charset="utf-8"><title>t</title></head>\n'


def page(folder: Path, name: str, body: str) -> Path:
    """Write a page with a correct head around ``body`` (which starts on line 4)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{HEAD}<body>\n{body}\n</body>\n</html>\n", encoding="utf-8")
    return path


def test_a_site_whose_links_resolve_has_no_problem(tmp_path: Path) -> None:
    page(
        tmp_path,
        "index.html",
        '<a href="policy/trees.html#district-chart">trees</a>\n'
        '<img src="img/a.svg" alt="a"> <a href="https://www.bangkok.go.th/">BMA</a>',
    )
    page(
        tmp_path,
        "policy/trees.html",
        '<h2 id="district-chart">x</h2><a href="../index.html">home</a>'
        '<a href="#top">top</a><a name="top"></a><link rel="stylesheet" href="../site.css">',
    )
    (tmp_path / "img").mkdir()
    (tmp_path / "img/a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "site.css").write_text("body { background: url('img/../policy/trees.html'); }")
    assert link_problems(tmp_path) == []
    assert well_formedness_problems(tmp_path) == []


def test_a_broken_relative_link_and_a_missing_fragment_are_named_with_their_place(
    tmp_path: Path,
) -> None:
    page(
        tmp_path,
        "index.html",
        '<p><a href="policy/tres.html">trees</a></p>\n'
        '<p><a href="policy/trees.html#district-chrt">chart</a> <a href="#nowhere">x</a></p>',
    )
    page(
        tmp_path,
        "policy/trees.html",
        '<h2 id="district-chart">x</h2>\n<img src="../img/missing.png" alt="">',
    )
    assert link_problems(tmp_path) == [
        "index.html:5:4: <a href='policy/tres.html'> names policy/tres.html, which does not exist",
        "index.html:6:4: <a href='policy/trees.html#district-chrt'> no id 'district-chrt' in policy/trees.html",
        "index.html:6:56: <a href='#nowhere'> no id 'nowhere' in index.html",
        "policy/trees.html:6:1: <img src='../img/missing.png'> names img/missing.png, which does not exist",
    ]


def test_links_that_break_from_disk_or_load_from_the_network_are_problems(tmp_path: Path) -> None:
    (tmp_path / "policy").mkdir()
    page(tmp_path, "policy/index.html", "")
    page(
        tmp_path,
        "index.html",
        '<a href="/policy/index.html">a</a><a href="policy/">b</a>\n'
        '<script src="https://cdn.example.org/chart.js"></script><a href="../../etc/passwd">c</a>',
    )
    (tmp_path / "site.css").write_text(
        "\n@font-face { src: url(https://fonts.example.org/thai.woff2) }"
    )
    assert link_problems(tmp_path) == [
        "index.html:5:1: <a href='/policy/index.html'> is root-relative; it breaks when the site is opened from disk: use a relative path",
        "index.html:5:35: <a href='policy/'> links to a folder; opened from disk that shows a file listing: link to its index.html",
        "index.html:6:1: <script src='https://cdn.example.org/chart.js'> loads from the network; expected a file vendored next to the pages",
        "index.html:6:57: <a href='../../etc/passwd'> points outside the site folder",
        "site.css:2: url(https://fonts.example.org/thai.woff2) loads from the network; expected a file vendored next to the pages",
    ]


def test_unclosed_and_misnested_tags_are_named_with_where_they_opened(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "<div><b><i>x</b></i>\n<p>one<div>two</div></p>\n<section><span/>")
    (tmp_path / "cut.html").write_text(f"{HEAD}<body>\n<main>", encoding="utf-8")
    assert well_formedness_problems(tmp_path) == [
        "cut.html:2:1: <html> is never closed; expected </html>",
        "cut.html:4:1: <body> is never closed; expected </body>",
        "cut.html:5:1: <main> is never closed; expected </main>",
        "index.html:5:13: </b> while <i> (opened at 5:9) is still open",
        "index.html:5:17: </i> closes nothing (no <i> is open)",
        "index.html:6:7: <div> inside <p> (opened at 6:1); the browser closes the <p> first, so the page is not the template's tree",
        "index.html:7:10: <span/> is not closed by its slash in HTML; expected <span></span>",
        "index.html:8:1: </body> while <section> (opened at 7:1) is still open",
        "index.html:8:1: </body> while <div> (opened at 5:1) is still open",
    ]


def test_a_page_without_doctype_lang_or_charset_and_with_doubled_names_is_not_well_formed(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.html").write_text(
        '<html>\n<body><p id="x" class="a" class="b">1</p><p id="x">2</p>'
        '<svg><rect width="1"/></svg></body></html>',
        encoding="utf-8",
    )
    assert well_formedness_problems(tmp_path) == [
        "a.html:1:1: <html> before <!doctype html>; expected the page to start with it",
        'a.html:1:1: <html> without a lang attribute; expected lang="th" or lang="en"',
        "a.html:2:7: attribute 'class' written twice on <p>",
        "a.html:2:42: id 'x' used twice (first at 2:7)",
        "a.html:1:1: no <!doctype html> at the start",
        'a.html:1:1: no <meta charset="utf-8">; a page opened from disk needs it to show Thai',
    ]

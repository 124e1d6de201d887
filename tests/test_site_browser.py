"""The site of the shipped data, opened from disk in headless Chromium as a reader would.

Built once for the module by the real CLI: ``okrtool site -o DIR --as-of 2024-06-30`` on data/.
Assumed of its layout: the home page is index.html at the root of DIR, and the trees policy page
is the page (not the home page) that names the key result 'env-trees-planted', found by search.

The README's screenshots come from tests/test_site_phone.py (OKRTOOL_SCREENSHOTS=docs/img).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import chdir
from pathlib import Path

import pytest
from browser import Browser, blankness, open_browser
from site_checks import html_pages, link_problems, well_formedness_problems

from helpers import SHIPPED, copy_dataset, edit, run

AS_OF = "2024-06-30"
TREES = "env-trees-planted"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    with chdir(SHIPPED.parent):
        code, out = run("site", "-o", str(folder), "--as-of", AS_OF)
    assert code == 0, out
    return folder


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with open_browser() as browser:
        yield browser


def trees_page(site: Path) -> Path:
    """The policy page of the trees key result: a page naming it, the file named after the
    policy if several do, else the one naming it most often."""
    naming = {
        page: page.read_text(encoding="utf-8").count(TREES)
        for page in html_pages(site)
        if page != site / "index.html"
    }
    naming = {page: count for page, count in naming.items() if count}
    assert naming, f"no page of the site names {TREES}"
    by_name = [page for page in naming if "env-trees" in page.name]
    return by_name[0] if len(by_name) == 1 else max(naming, key=lambda page: naming[page])


def test_every_page_is_well_formed_and_every_link_resolves(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert well_formedness_problems(site) == []
    assert link_problems(site) == []


def test_every_page_loads_without_errors_or_requests_off_the_disk(
    site: Path, chromium: Browser
) -> None:
    pages = html_pages(site)
    problems = [
        f"{visit.path.relative_to(site.resolve())}: {problem}"
        for visit in chromium.visit_all(pages)
        for problem in visit.errors + visit.failed + visit.external
    ]
    assert problems == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("which", ["home", "trees"])
def test_home_and_trees_pages_are_drawn_and_fit_the_window(
    site: Path, chromium: Browser, tmp_path: Path, which: str, width: int
) -> None:
    page = site / "index.html" if which == "home" else trees_page(site)
    shot = tmp_path / f"{which}-{width}.png"
    visit = chromium.visit(page, width=width, screenshot=shot)
    assert (visit.errors, visit.failed, visit.external) == ([], [], [])
    assert visit.overflow == 0, f"{page.name} is {visit.overflow} px wider than {width} px"
    drawn = blankness(shot)
    assert not drawn.blank, drawn


def test_the_trees_page_shows_the_published_total_against_the_target_and_marks_estimates(
    site: Path, chromium: Browser
) -> None:
    page = trees_page(site)
    with chromium.open(page) as tab:
        text = tab.text()
    assert "218,910" in text
    assert "200,000" in text
    # every one of the 50 districts' figures of this key result is an estimate (a split of the
    # published total, data/reports/2567/*.csv): each is marked so, in English or in Thai
    marks = max(text.count("estimated"), text.count("ประมาณการ"))
    assert marks >= 50, f"{marks} figures marked estimated on {page}"


def test_a_hostile_policy_title_shows_as_text_and_runs_nothing(
    chromium: Browser, tmp_path: Path
) -> None:
    hostile = '<script>window.pwned = 1</script>"><img src=x onerror="window.pwned = 2">'
    root = copy_dataset(tmp_path, SHIPPED)
    edit(
        root / "policies/environment/env-trees.yaml",
        'title_en: "Plant a million trees: green space and dust-filter walls across the city"',
        f"title_en: '{hostile}'",
    )
    with chdir(tmp_path):
        code, out = run("site", "-o", "public", "--as-of", AS_OF)
    assert code == 0, out
    with chromium.open(trees_page(tmp_path / "public")) as tab:
        ran = tab.page.evaluate("() => window.pwned ?? 'nothing ran'")
        text = tab.text()
        problems = tab.errors + tab.failed + tab.external
    assert ran == "nothing ran"
    assert hostile in text
    assert problems == []

"""Build the public site as values: gather the rows once, render every page from templates.

``build_site`` returns path → bytes; ``write.py`` puts them on disk. Every figure comes from the
row builders (``okrtool.progress``: ``status_report``, ``by_report``, ``missing_report``) or from
``okrtool.progress.site``; the templates only format and place them. Links are relative, so the
site works from ``file://`` and from any static host; nothing is fetched when a page is viewed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from okrtool.fiscal import BE_OFFSET, THAI_MONTHS, day_text, fiscal_year_bounds
from okrtool.model import Policy
from okrtool.progress import (
    STATUSES,
    AgencyRow,
    KeyResultRow,
    MissingItem,
    MissingReport,
    Query,
    open_dataset,
    years_for,
)
from okrtool.progress.frequency import Frequencies, frequencies
from okrtool.progress.projects import agency_projects, state_as_of
from okrtool.progress.site import (
    Place,
    Provenance,
    source_counts,
    typed_notes,
)
from okrtool.site import charts
from okrtool.site.gather import Gathered, gather
from okrtool.site.opendata import TABLES, open_data, plain
from okrtool.site.words import STATUS, WORDS

LANGS = ("th", "en", "both")


@dataclass
class Site:
    """A built site: path → bytes, and how many errors the data had (--allow-errors)."""

    pages: dict[str, bytes]
    errors: int = 0


def build_site(data: Path, as_of: date, lang: str = "both", allow_errors: bool = False) -> Site:
    """Load and check ``data`` and build the site as of ``as_of`` in ``lang`` (th, en or both:
    Thai first with English beside). Raise DataError if the data has errors (unless allowed)."""
    ds, errors = open_dataset(data, allow_errors, years_for(Query(as_of=as_of)))
    return Site(render_site(gather(ds, as_of, errors), lang), errors)


# --- rendering ----------------------------------------------------------------------------------


def _environment(lang: str, fiscal_year: int, as_of: date) -> Any:  # -> jinja2.Environment
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("okrtool.site", "templates"),
        autoescape=True,  # titles and notes are untrusted text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(_helpers(lang, fiscal_year, as_of))
    return env


def _helpers(lang: str, fiscal_year: int, as_of: date) -> dict[str, Callable[..., Any]]:
    """The formatting functions the templates call: words and names in the site's language(s),
    numbers and dates as people read them. None computes a figure."""
    from markupsafe import Markup, escape

    from okrtool.render import text as render

    def bi(th: str, en: str) -> Markup:
        """Thai, English, or Thai with the English beside it (marked lang="en")."""
        if lang == "th":
            return escape(th)
        if lang == "en" or th == en:
            return escape(en)
        # concatenation, not Markup.format: this runs for every cell of every page
        return Markup(f'{escape(th)} <span lang="en" class="en">{escape(en)}</span>')

    def one(th: str, en: str) -> str:
        """Plain text in the site's first language (attributes, <title>)."""
        return en if lang == "en" else th

    def _in(language: str, kw: dict[str, Any]) -> dict[str, Any]:
        # a date given to a phrase is written the way that language writes dates
        return {k: _date_in(v, language) for k, v in kw.items()}

    def w(key: str, **kw: Any) -> Markup:
        th, en = WORDS[key]
        return bi(th.format(**_in("th", kw)), en.format(**_in("en", kw)))

    def w1(key: str, **kw: Any) -> str:
        th, en = WORDS[key]
        return one(th.format(**_in("th", kw)), en.format(**_in("en", kw)))

    def name(obj: Any, attr: str = "name") -> Markup:
        return bi(getattr(obj, f"{attr}_th"), getattr(obj, f"{attr}_en"))

    def name1(obj: Any, attr: str = "name") -> str:
        return one(getattr(obj, f"{attr}_th"), getattr(obj, f"{attr}_en"))

    def day(d: date) -> Markup:
        return bi(day_text(d, "th"), day_text(d, "en"))

    def label(key: str) -> str:
        """A column's name as a card's label (a data-label attribute: plain text)."""
        th, en = WORDS[key]
        return en if lang == "en" else th if lang == "th" or th == en else f"{th} · {en}"

    def describe(what: str) -> str:
        """A page's meta description: the site, its day and what the page shows, plain text."""
        text = " ".join(Markup(what).striptags().split())
        return w1("description", fy=fiscal_year, day=as_of, what=text)

    def status_word(s: str) -> Markup:
        return bi(*STATUS[s])

    def rowtext(fn: str, rows: dict[str, KeyResultRow]) -> Markup:
        f = getattr(render, fn)
        return bi(f(rows["th"], "th"), f(rows["en"], "en"))

    return {
        "bi": bi,
        "one": one,
        "w": w,
        "w1": w1,
        "name": name,
        "name1": name1,
        "day": day,
        "status_word": status_word,
        "band_word": lambda b: bi(render.band_word(b, "th"), render.band_word(b, "en")),
        "num": render.number,
        "pct": render.percent,
        "rowtext": rowtext,
        "stacked": charts.stacked,
        "trend_chart": charts.trend_chart,
        "bar_chart": charts.bar_chart,
        "period_text": _period_text,
        "raw": _raw,
        "status_pair": lambda s: STATUS[s],
        "legend": lambda: bi(render.legend_text("th"), render.legend_text("en")),
        "longday": LongDate,
        # made once: a template reads them for every cell (a call there costs ten times more)
        "L": {key: label(key) for key, (th, en) in WORDS.items() if "{" not in th + en},
        # the honest label of a figure built from an estimated value (est_line says what it means)
        "EST": Markup('<span class="est" title="')
        + w1("estimated")
        + Markup('">')
        + w("est_mark")
        + Markup("</span>"),
        "describe": describe,
        "status_order": STATUSES,
    }


@dataclass(frozen=True)
class LongDate:
    """A date a phrase writes with its month in full (5 July 2024, 5 กรกฎาคม 2567)."""

    day: date


def _date_in(value: Any, language: str) -> Any:
    """A phrase's argument as that language writes it: dates as people read them."""
    if isinstance(value, LongDate):
        return _long(value.day)[0 if language == "th" else 1]
    if isinstance(value, date):
        return day_text(value, language)
    return value


#: The columns of each kind of wide table after its first (a card's title on a phone), by the
#: word of their name: the stylesheet writes each as the label above the card's figure.
CARD_LABELS = {
    "t-kr": ("target", "actual", "percent", "expected_short", "status"),
    "t-own": ("own_target", "actual", "percent", "expected_short", "status", "last_period",
              "place_short"),
    "t-agencies": ("own_target", "actual", "percent", "status", "last_period", "source_short"),
    "t-trend": ("actual", "expected_short", "percent", "status"),
    "t-projects": ("owner", "key_result", "status"),
}  # fmt: skip


def _css_text(text: str) -> Any:  # -> Markup
    """Text as the inside of a CSS string ("..."), not HTML-escaped."""
    from markupsafe import Markup

    return Markup(text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " "))


def _long(d: date) -> tuple[str, str]:
    """A date with the month in full, Thai (Buddhist Era) and English."""
    th = f"{d.day} {THAI_MONTHS[d.month - 1]} {d.year + BE_OFFSET}"
    return th, f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"


#: English month names, January first (not the locale's: the same bytes everywhere).
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _period_text(period: str | None) -> str:
    return period or "–"


def _raw(x: float | None) -> str:
    """A figure as the status JSON carries it (for data-value attributes): '' for none."""
    return "" if x is None else str(plain(x))


def render_site(g: Gathered, lang: str) -> dict[str, bytes]:
    """Every page, asset and open-data file of the site, path → bytes."""
    ds = g.ds
    scope = g.status["th"].scope
    env = _environment(lang, scope.fiscal_year, scope.as_of)
    start, end = fiscal_year_bounds(scope.fiscal_year)
    common = {
        "g": g,
        "ds": ds,
        "lang": lang,
        "html_lang": "en" if lang == "en" else "th",
        "scope": scope,
        "fy_start": start,
        "fy_end": end,
        "edition": g.status["th"].edition,
        "policies_by_dimension": _grouped(ds.policies.values(), "dimension"),
        "districts_by_zone": _grouped(ds.districts.values(), "zone"),
        "tables": TABLES,
    }
    pages: dict[str, str] = {}

    def page(path: str, template: str, **kw: Any) -> None:
        root = "../" * path.count("/")
        pages[path] = env.get_template(template).render(**common, root=root, path=path, **kw)

    page("index.html", "home.html.j2")
    page("policies/index.html", "policies.html.j2")
    page("agencies/index.html", "agencies.html.j2")
    page("missing.html", "missing.html.j2", due_groups=due_groups(g.missing) if g.missing else [])
    for policy in ds.policies.values():
        page(f"policies/{policy.id}.html", "policy.html.j2", policy=policy, **_policy(g, policy))
    own_rows: dict[str, list[tuple[KeyResultRow, AgencyRow]]] = {}
    for table in g.tables.values():
        for row in table.rows:
            own_rows.setdefault(row.agency, []).append((table.key_result, row))
    owed = dict(g.missing.by_agency()) if g.missing else {}
    freq = frequencies(ds, g.status["th"].scope.fiscal_year)  # once: it reads the year's values
    for agency_id, agency in ds.agencies.items():
        what = _agency(g, agency_id, own_rows.get(agency_id, []), owed.get(agency_id, []), freq)
        page(f"agencies/{agency_id}.html", "agency.html.j2", agency=agency, **what)
    files = open_data(g)
    est_values = sum(rv.source == "estimated" for rv in ds.reports)
    page(
        "data/index.html",
        "data.html.j2",
        files=files,
        est_values=est_values,
        all_values=len(ds.reports),
    )
    out = {path: text.encode("utf-8") for path, text in pages.items()}
    out.update(files)
    sheet = env.get_template("site.css.j2").render(columns=CARD_LABELS, css_text=_css_text)
    out["assets/site.css"] = sheet.encode("utf-8")
    out[".nojekyll"] = b""
    return dict(sorted(out.items()))


def _grouped(items: Any, attr: str) -> dict[str, list[Any]]:
    """Items by the value of ``attr``, in their order."""
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(getattr(item, attr), []).append(item)
    return out


def _policy(g: Gathered, policy: Policy) -> dict[str, Any]:
    """What a policy page shows besides the policy: its key results' rows, trends, agencies,
    provenance and notes, and its projects."""
    ds = g.ds
    fy = g.status["th"].scope.fiscal_year
    krs = []
    for kr_id in g.by_policy.get(policy.id, []):
        table = g.tables.get(kr_id)
        krs.append(
            {
                "id": kr_id,
                "kr": ds.key_results[kr_id],
                "rows": {"th": g.rows["th"][kr_id], "en": g.rows["en"][kr_id]},
                "row": g.rows["th"][kr_id],
                "trend": g.trend.get(kr_id, []),
                "agencies": table.rows if table else [],
                "prov": g.prov.get(kr_id, {}),
                "sources": source_counts(g.prov.get(kr_id, {})),
                "notes": typed_notes(g.prov.get(kr_id, {})),
                "quarterly": kr_id in g.quarterly,
                "agency_statuses": {a.status for a in (table.rows if table else [])},
            }
        )
    # each project with its state as of the site's day (the latest report, else its start)
    projects = [
        (okr, project, state_as_of(ds, project, g.as_of))
        for okr in policy.okrs
        if okr.fiscal_year == fy
        for project in okr.projects
    ]
    supporters = ds.supporters(policy)
    return {"krs": krs, "projects": projects, "supporters": supporters}


def _agency(
    g: Gathered,
    agency_id: str,
    rows: list[tuple[KeyResultRow, AgencyRow]],
    owed: list[MissingItem],
    freq: Frequencies,
) -> dict[str, Any]:
    """What an agency page shows: what it hosts and supports, its own rows on every key result
    it has an allocation on (with its place in its zone), what it owes, and its own projects
    counted as ``status --projects`` counts them."""
    ds = g.ds
    hosts = [p for p in ds.policies.values() if p.host == agency_id]
    supports = [p for p in ds.policies.values() if agency_id in ds.supporters(p)]
    own: list[tuple[KeyResultRow, AgencyRow, Place | None, Provenance | None]] = []
    for kr_row, row in rows:
        kr_id = kr_row.key_result
        prov = g.prov.get(kr_id, {}).get(agency_id)
        own.append((kr_row, row, g.places.get((kr_id, agency_id)), prov))
    groups = [
        grp
        for grp in ds.groups.values()
        if agency_id in grp.departments or agency_id == grp.secretary
    ]
    district = ds.districts.get(agency_id)
    fiscal_year = g.status["th"].scope.fiscal_year
    return {
        "projects": agency_projects(ds, agency_id, fiscal_year, g.as_of, freq),
        "hosts": hosts,
        "supports": supports,
        "own": own,
        "owed": owed,
        "groups": groups,
        "district": district,
        "own_estimated": any(p is not None and "estimated" in p.sources for *_, p in own),
    }


@dataclass(frozen=True)
class DueGroup:
    """The chase list's items that share a due state and day, by agency: ``overdue`` (``days``
    overdue), ``today``, ``pending`` (due in ``days``), ``none`` (no calendar: no due date) or
    ``not-bound`` (a supporter not bound, which owes no report yet; ``due`` the calendar's
    binding day, ``days`` overdue or to go). A group holds reports and the projects owed that
    are due the same day."""

    state: str
    due: date | None
    days: int
    periods: tuple[str, ...]  # the periods owed (a quarterly reporter owes the quarter)
    agencies: list[tuple[str, list[MissingItem]]]

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.agencies)

    @property
    def reports(self) -> int:
        """How many of its items are reports of values."""
        return sum(i.reason == "no-report" for _, items in self.agencies for i in items)

    @property
    def projects(self) -> int:
        """How many of its items are projects owed a report."""
        return sum(i.reason == "no-project-report" for _, items in self.agencies for i in items)

    @property
    def overdue(self) -> bool:
        """True when its due day is past (a binding group's ``days`` then counts days overdue)."""
        return any(i.days_overdue for _, items in self.agencies for i in items)


def due_groups(report: MissingReport) -> list[DueGroup]:
    """The chase list as the missing page shows it: overdue reports first (most days first), then
    those due today, then those not due yet (soonest first), reports without a due date, and
    the supporters not bound. A project owed sits with the reports due the same day. The days
    come from the items (``progress.calendar``)."""
    keyed: dict[tuple[int, str, date | None], list[MissingItem]] = {}
    for item in report.items:
        if item.reason == "not-bound":
            key = (4, "not-bound", item.due)
        elif item.due is None:
            key = (3, "none", None)
        elif item.days_overdue:
            key = (0, "overdue", item.due)
        elif item.due_in_days:
            key = (2, "pending", item.due)
        else:
            key = (1, "today", item.due)
        keyed.setdefault(key, []).append(item)
    out = []
    order = sorted(keyed, key=lambda k: (k[0], k[2] or date.min))
    for key in order:
        _, state, due = key
        items = keyed[key]
        by_agency: dict[str, list[MissingItem]] = {}
        for item in items:
            by_agency.setdefault(item.agency, []).append(item)
        first = items[0]
        late = state == "overdue" or (state == "not-bound" and bool(first.days_overdue))
        days = (first.days_overdue or 0) if late else (first.due_in_days or 0)
        periods = tuple(dict.fromkeys(i.owed or report.period for i in items))
        out.append(DueGroup(state, due, days, periods, list(by_agency.items())))
    return out

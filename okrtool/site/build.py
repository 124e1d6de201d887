"""Build the public site as values: gather the rows once, render every page from templates.

``build_site`` returns path → bytes; ``write.py`` puts them on disk. Every figure comes from the
row builders (``okrtool.progress``: ``status_report``, ``by_report``, ``missing_report``) or from
``okrtool.progress.site``; the templates only format and place them. Links are relative, so the
site works from ``file://`` and from any static host; nothing is fetched when a page is viewed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from okrtool.dataset import Dataset
from okrtool.errors import OkrtoolError
from okrtool.fiscal import day_text, fiscal_year_bounds
from okrtool.model import Policy
from okrtool.progress import (
    AgencyRow,
    AgencyTable,
    KeyResultRow,
    MissingItem,
    MissingReport,
    Query,
    StatusReport,
    by_report,
    missing_report,
    open_dataset,
    status_report,
    years_for,
)
from okrtool.progress.projects import agency_projects
from okrtool.progress.site import (
    Place,
    Provenance,
    TrendPoint,
    provenance,
    source_counts,
    subset,
    trends,
    typed_notes,
    zone_places,
)
from okrtool.site import charts
from okrtool.site.opendata import TABLES, open_data, plain
from okrtool.site.words import STATUS, WORDS

LANGS = ("th", "en", "both")


@dataclass
class Gathered:
    """Every row the site shows, gathered once for one as-of day."""

    ds: Dataset
    as_of: date
    status: dict[str, StatusReport]  # by language
    rows: dict[str, dict[str, KeyResultRow]]  # language → key result → row
    urgent: list[str]  # key results of urgent policies, in status order
    dimensions: dict[str, StatusReport]
    groups: dict[str, StatusReport]
    tables: dict[str, AgencyTable]  # key result → its agencies, worst first
    trend: dict[str, list[TrendPoint]]
    prov: dict[str, dict[str, Provenance]]  # key result → agency → provenance
    places: dict[tuple[str, str], Place]
    missing: MissingReport | None
    missing_why: str = ""
    errors: int = 0
    by_policy: dict[str, list[str]] = field(default_factory=dict)


def gather(ds: Dataset, as_of: date, errors: int = 0) -> Gathered:
    """Run the row builders the site needs: status (both languages, per dimension, per group,
    urgent), status --by agency, missing, and the trend, provenance and zone places."""
    status = {lang: status_report(ds, Query(as_of=as_of, lang=lang)) for lang in ("th", "en")}
    fy = status["th"].scope.fiscal_year
    q = Query(as_of=as_of, fiscal_year=fy)
    rows = {lang: {r.key_result: r for r in rep.rows} for lang, rep in status.items()}
    full = status["th"]
    urgent = [r.key_result for r in subset(ds, full, Query(as_of, fy, urgent=True)).rows]
    dimensions = {d: subset(ds, full, Query(as_of, fy, dimension=d)) for d in ds.dimensions}
    groups = {g: subset(ds, full, Query(as_of, fy, group=g)) for g in ds.groups}
    tables = {t.key_result.key_result: t for t in by_report(ds, q, "agency").tables}
    try:
        missing, why = missing_report(ds, q), ""
    except OkrtoolError as exc:
        missing, why = None, str(exc)
    by_policy: dict[str, list[str]] = {}
    for r in status["th"].rows:
        by_policy.setdefault(r.policy, []).append(r.key_result)
    return Gathered(
        ds=ds,
        as_of=as_of,
        status=status,
        rows=rows,
        urgent=urgent,
        dimensions=dimensions,
        groups=groups,
        tables=tables,
        trend=trends(ds, fy, as_of),
        prov=provenance(ds, fy, as_of),
        places=zone_places(ds, list(tables.values())),
        missing=missing,
        missing_why=why,
        errors=errors,
        by_policy=by_policy,
    )


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


def _environment(lang: str) -> Any:  # -> jinja2.Environment
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("okrtool.site", "templates"),
        autoescape=True,  # titles and notes are untrusted text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(_helpers(lang))
    return env


def _helpers(lang: str) -> dict[str, Callable[..., Any]]:
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
        return {k: day_text(v, language) if isinstance(v, date) else v for k, v in kw.items()}

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
    }


def _period_text(period: str | None) -> str:
    return period or "–"


def _raw(x: float | None) -> str:
    """A figure as the status JSON carries it (for data-value attributes): '' for none."""
    return "" if x is None else str(plain(x))


def render_site(g: Gathered, lang: str) -> dict[str, bytes]:
    """Every page, asset and open-data file of the site, path → bytes."""
    env = _environment(lang)
    ds = g.ds
    scope = g.status["th"].scope
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
    page("missing.html", "missing.html.j2")
    for policy in ds.policies.values():
        page(f"policies/{policy.id}.html", "policy.html.j2", policy=policy, **_policy(g, policy))
    own_rows: dict[str, list[tuple[KeyResultRow, AgencyRow]]] = {}
    for table in g.tables.values():
        for row in table.rows:
            own_rows.setdefault(row.agency, []).append((table.key_result, row))
    owed = dict(g.missing.by_agency()) if g.missing else {}
    for agency_id, agency in ds.agencies.items():
        what = _agency(g, agency_id, own_rows.get(agency_id, []), owed.get(agency_id, []))
        page(f"agencies/{agency_id}.html", "agency.html.j2", agency=agency, **what)
    files = open_data(g)
    page("data/index.html", "data.html.j2", files=files)
    out = {path: text.encode("utf-8") for path, text in pages.items()}
    out.update(files)
    out["assets/site.css"] = (
        resources.files("okrtool.site").joinpath("templates/site.css").read_bytes()
    )
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
            }
        )
    projects = [
        (okr, project) for okr in policy.okrs if okr.fiscal_year == fy for project in okr.projects
    ]
    supporters = ds.supporters(policy)
    return {"krs": krs, "projects": projects, "supporters": supporters}


def _agency(
    g: Gathered,
    agency_id: str,
    rows: list[tuple[KeyResultRow, AgencyRow]],
    owed: list[MissingItem],
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
        "projects": agency_projects(ds, agency_id, fiscal_year, g.as_of),
        "hosts": hosts,
        "supports": supports,
        "own": own,
        "owed": owed,
        "groups": groups,
        "district": district,
    }

"""The Action Plan handbook as one HTML page, through a Jinja2 template with autoescape on: every
text from the data (a title ``<script>…``) is shown as text, never run."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from okrtool.render import handbook_text

if TYPE_CHECKING:
    from okrtool.progress.handbook import Handbook

TEMPLATE = "handbook.html.j2"


def handbook_html(book: Handbook, lang: str) -> str:
    """One agency's handbook as an HTML document."""
    return _template().render(book=book, lang=lang, t=handbook_text)


@cache
def _template() -> Any:
    """The template, compiled once a run (``--agency all`` renders one page per agency); jinja2
    is imported here: this output alone needs it."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("okrtool.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE)

"""Which figures rest on estimated values: report values whose source is ``estimated``
(``model.REPORT_SOURCES``), such as a published city total split among the districts, not a
value an agency reported itself. The public site's policy pages mark the same figures
(``progress.site.provenance``: an agency's figure is estimated when a value it counts is).

Rows out: the renderers mark each such figure and say what the mark means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from okrtool.dataset import Dataset
from okrtool.progress.figures import reports_by_key_result


@dataclass(frozen=True)
class Estimated:
    """key result → the agencies whose figure, as of the day, counts an estimated value."""

    agencies: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def of(self, key_result: str, agency: str) -> bool:
        """Whether ``agency``'s own figure on ``key_result`` rests on an estimated value."""
        return agency in self.agencies.get(key_result, frozenset())

    def count(self, key_result: str) -> int:
        """How many agencies' figures on ``key_result`` rest on an estimated value: the city
        figure, their sum or share, is estimated as far as they weigh in it."""
        return len(self.agencies.get(key_result, frozenset()))


def estimated_figures(ds: Dataset, fiscal_year: int, as_of: date) -> Estimated:
    """The agencies whose counted values (``reports_by_key_result``: the values ``status``
    counts as of ``as_of``) include an estimated one, per key result."""
    out = {}
    for kr, by_agency in reports_by_key_result(ds, fiscal_year, as_of).items():
        agencies = frozenset(
            agency
            for agency, values in by_agency.items()
            if any(v.source == "estimated" for v in values)
        )
        if agencies:
            out[kr] = agencies
    return Estimated(out)

"""How a key result is reported, by month or by quarter: the one home of that rule.

Nothing in the plan says it: the values do. An agency reports a key result **by quarter** when
it has values for it and every one is for a quarter (``by_quarter``); with none it reports by
month, as the report template asks. One agency reports a key result one way in a fiscal year
(E603), so its first value, its latest or all of them give the same answer on valid data. A key
result is reported by quarter when some agency reports it and every agency that does reports it
by quarter (``Frequencies.key_result_quarterly``): one agency by month makes its trend monthly.

``Frequencies`` reads the values of a fiscal year once, all of them (not only those counted by
an as-of day): the workshop and report templates, the handbook, the site's trends and what a
project owes ask it. The status tables and the chase list ask ``by_quarter`` of the values counted
by their as-of day (``figures.owed_period``); see docs/definitions.md, "Reported by quarter".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from okrtool.dataset import Dataset
from okrtool.fiscal import Period
from okrtool.model import Project

MONTHLY = "monthly"
QUARTERLY = "quarterly"


def by_quarter(periods: Iterable[Period]) -> bool:
    """True if ``periods`` (the periods of some values) are reported by quarter: there is at
    least one and every one is a quarter."""
    return quarters_only({p.kind for p in periods})


def quarters_only(kinds: Collection[str]) -> bool:
    """``by_quarter`` of values whose kinds of period (``Period.kind``) are ``kinds``."""
    return set(kinds) == {"quarter"}


def frequency_word(quarterly: bool) -> str:
    """``quarterly`` or ``monthly``: the word the calendar, the handbook and the sheets use."""
    return QUARTERLY if quarterly else MONTHLY


@dataclass(frozen=True)
class Frequencies:
    """How the key results of one fiscal year are reported: key result → agency → the kinds of
    period (``month``, ``quarter``) of its values of the year (all stored, not only those
    counted by a day)."""

    kinds: dict[str, dict[str, set[str]]]

    def agency_quarterly(self, key_result: str, agency: str) -> bool:
        """True if ``agency`` reports ``key_result`` by quarter (its own values; none: by
        month)."""
        return quarters_only(self.kinds.get(key_result, {}).get(agency, ()))

    def key_result_quarterly(self, key_result: str) -> bool:
        """True if ``key_result`` is reported by quarter: some agency reports it and every one
        that does reports it by quarter (every value of the year is for a quarter)."""
        by_agency = self.kinds.get(key_result, {})
        return quarters_only({kind for kinds in by_agency.values() for kind in kinds})

    def project_quarterly(self, project: Project) -> bool:
        """True if ``project`` is owed quarters only: its key result is reported by quarter by
        its owner, when the owner reports values on it, else by every agency that does (none
        reported, or no key result: by month)."""
        key_result = project.key_result or ""
        if project.owner in self.kinds.get(key_result, {}):
            return self.agency_quarterly(key_result, project.owner)
        return self.key_result_quarterly(key_result)

    def agency_frequency(self, key_result: str, agency: str) -> str:
        """``agency_quarterly`` in words: ``quarterly`` or ``monthly``."""
        return frequency_word(self.agency_quarterly(key_result, agency))

    def key_result_frequency(self, key_result: str) -> str:
        """``key_result_quarterly`` in words: ``quarterly`` or ``monthly``."""
        return frequency_word(self.key_result_quarterly(key_result))

    def quarterly_key_results(self) -> set[str]:
        """The key results reported by quarter (``key_result_quarterly``)."""
        return {kr for kr in self.kinds if self.key_result_quarterly(kr)}


def frequencies(ds: Dataset, fiscal_year: int) -> Frequencies:
    """How the key results of ``fiscal_year`` are reported, from every value of that year."""
    kinds: dict[str, dict[str, set[str]]] = {}
    for rv in ds.reports:
        if rv.fiscal_year == fiscal_year:
            kinds.setdefault(rv.key_result, {}).setdefault(rv.agency, set()).add(rv.period.kind)
    return Frequencies(kinds)

"""What a workbook cell names: an agency or a key result, by id, name, title or abbreviation."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from okrtool.dataset import Dataset
from okrtool.typed import normalize, strip_agency_prefix


def _key(text: str) -> str:
    return re.sub(r"[\s.]+", "", normalize(text).lower())


class Names:
    """Agencies and key results by id, name, title or abbreviation, as people write them."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.agencies: dict[str, str] = {}
        for agency in ds.agencies.values():
            names = [agency.id, agency.name_th, agency.name_en]
            names += [getattr(agency, key, None) or "" for key in ("abbr_th", "abbr_en")]
            for name in names:
                if name:
                    self.agencies.setdefault(_key(name), agency.id)
                    self.agencies.setdefault(_key(strip_agency_prefix(name)), agency.id)
        self.key_results: dict[str, str] = {}
        titles: dict[str, set[str]] = defaultdict(set)
        for kr in ds.key_results.values():
            self.key_results[kr.id] = kr.id
            titles[_key(kr.title_th)].add(kr.id)
            titles[_key(kr.title_en)].add(kr.id)
        for title, ids in titles.items():
            if len(ids) == 1:
                self.key_results.setdefault(title, next(iter(ids)))

    def agency(self, raw: object) -> str | None:
        """The agency id a cell names (id, Thai or English name, '(id)'), or None."""
        text = normalize(str(raw))
        m = re.search(r"\(([a-z][a-z0-9-]*)\)\s*$", text)
        if m and m.group(1) in self.ds.agencies:
            return m.group(1)
        for candidate in (text, strip_agency_prefix(text)):
            found = self.agencies.get(_key(candidate))
            if found:
                return found
        return None

    def key_result(self, raw: object) -> str:
        """The key result id a cell names (its id or its exact title); else the text as typed,
        for the rules to report as unknown."""
        text = normalize(str(raw))
        return self.key_results.get(text) or self.key_results.get(_key(text)) or text

    def agency_from_file_name(self, path: Path) -> str | None:
        """The agency the file name starts with: its id (``bang-rak-2567-06.xlsx``,
        ``bang-rak 2567-07.xlsx``) or its name as a cell would give it, in one or more words
        (``บางรัก มิ.ย. 67.xlsx``, ``เขตบางรัก.xlsx``, ``Bang Rak June.xlsx``); or None."""
        stem = path.stem.lower()
        best = None
        for agency in self.ds.agencies:
            named = stem == agency or stem.startswith(tuple(agency + sep for sep in "-_ ."))
            if named and (best is None or len(agency) > len(best)):
                best = agency
        if best is not None:
            return best
        words = re.split(r"[\s_]+", normalize(path.stem))
        for count in range(len(words), 0, -1):  # the longest run of words that names one
            found = self.agency(" ".join(words[:count]))
            if found:
                return found
        return None

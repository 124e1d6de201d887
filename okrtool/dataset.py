"""The whole dataset in memory: every file of a data folder read into models, with indexes.

``load_dataset`` reads what it can and returns the problems it met on the way (syntax, shapes,
unreadable files); the relations between objects are checked afterwards by ``rules.py``.
"""

from __future__ import annotations

import csv
import difflib
import errno
import gc
import io
import math
import os
import re
import stat
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from okrtool.cells import csv_read
from okrtool.fiscal import Period, PeriodError, check_fiscal_year, parse_period
from okrtool.load import (
    MAX_FILE_BYTES,
    Locator,
    ParseCache,
    YamlError,
    cache_folder,
    read_text,
)
from okrtool.model import (
    ALL_DISTRICTS,
    CONTROL_FREE,
    REPORT_COLUMNS,
    REPORT_SOURCES,
    ZONE_PREFIX,
    AgencyFile,
    Department,
    Dimension,
    District,
    Edition,
    Group,
    KeyResult,
    Licence,
    Okr,
    Policy,
    Project,
    ReportingCalendar,
    ReportValue,
    Section,
    Zone,
)
from okrtool.problems import Problem

AGENCIES_DIR = "agencies"
POLICIES_DIR = "policies"
REPORTS_DIR = "reports"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Where:
    """Where an object is written: a file relative to the data folder, and the path inside it."""

    file: str
    path: tuple[Any, ...]


@dataclass
class Dataset:
    """Everything in a data folder, indexed by id."""

    root: Path
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    editions: dict[str, Edition] = field(default_factory=dict)
    zones: dict[str, Zone] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    okrs: dict[str, Okr] = field(default_factory=dict)
    key_results: dict[str, KeyResult] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    #: the reporting calendar (data/agencies/calendar.yaml), if any, and where it is written
    calendar: ReportingCalendar | None = None
    calendar_where: Where | None = None
    #: further calendars written (E506): one dataset has one
    calendar_duplicates: list[Where] = field(default_factory=list)
    #: the licence the data is published under (key ``licence`` of an agency file), if any
    licence: Licence | None = None
    #: key result id → its OKR id / its policy id / its parent key result id (sub-targets)
    #: departments and districts: every agency that can be host, supporter or reporter
    agencies: dict[str, Department | District] = field(default_factory=dict)
    kr_okr: dict[str, str] = field(default_factory=dict)
    kr_policy: dict[str, str] = field(default_factory=dict)
    kr_parent: dict[str, str] = field(default_factory=dict)
    okr_policy: dict[str, str] = field(default_factory=dict)
    reports: list[ReportValue] = field(default_factory=list)
    #: values read, checked and let go without being kept in ``reports`` (validate), and
    #: the key results they were for
    reports_let_go: int = 0
    key_results_reported_let_go: set[str] = field(default_factory=set)
    #: (kind, id) → where it is written
    where: dict[tuple[str, str], Where] = field(default_factory=dict)
    #: (kind, id, the later place) for every id written a second time
    duplicates: list[tuple[str, str, Where]] = field(default_factory=list)
    files: dict[str, list[str]] = field(
        default_factory=lambda: {AGENCIES_DIR: [], POLICIES_DIR: [], REPORTS_DIR: []}
    )
    #: key result ids written in policy files that failed to load: known, but not checkable
    unverified_key_results: set[str] = field(default_factory=set)
    #: ids of agency-file entries that failed to load (reported once, not at every reference)
    unverified_ids: set[str] = field(default_factory=set)
    #: an agency file could not be read at all: references to agencies cannot be checked
    agencies_unreadable: bool = False
    #: a policy file could not be read at all, so any key result id may be one of its
    policies_unreadable: bool = False
    #: a report file or folder could not be read, so a key result may have reports unseen
    reports_unreadable: bool = False
    #: report files whose name or folder could not be read (agency or year unknown)
    report_file_agency: dict[str, str] = field(default_factory=dict)

    #: the folder paths are shown from (validate: the current one); None: relative to ``root``
    show_paths_from: Path | None = None

    _locator: Locator | None = None

    def shown(self, file: str) -> str:
        """A file of the data folder as the user names it (``show_paths_from``, ``shown_path``)."""
        if self.show_paths_from is None:
            return file
        return shown_path(self.root, file, self.show_paths_from)

    def line_of(self, where: Where) -> int:
        """The line at which an object is written (composes its file on first use)."""
        if self._locator is None:
            self._locator = Locator(self.root)
        return self._locator.locate(where.file, where.path)[0]

    def agency_name(self, agency_id: str, lang: str = "th") -> str:
        agency = self.departments.get(agency_id) or self.districts.get(agency_id)
        if agency is None:
            return agency_id
        return agency.name_th if lang == "th" else agency.name_en

    def expand_supporter(self, entry: str) -> list[str]:
        """Agency ids meant by one `supporters` entry (shorthands expanded; unknowns as written)."""
        if entry == ALL_DISTRICTS:
            return list(self.districts)
        if entry.startswith(ZONE_PREFIX):
            zone = entry[len(ZONE_PREFIX) :]
            return [d.id for d in self.districts.values() if d.zone == zone]
        return [entry]

    def supporters(self, policy: Policy) -> list[str]:
        """The R agencies of a policy, shorthands expanded, each once, in order."""
        seen: dict[str, None] = {}
        for entry in policy.supporters:
            for agency in self.expand_supporter(entry):
                seen.setdefault(agency, None)
        return list(seen)

    def allocations(self, kr_id: str) -> dict[str, float]:
        """Each bound agency's own target; a key result with none is carried by its host alone
        (by nobody while the policy has no host: E304)."""
        kr = self.key_results[kr_id]
        if kr.allocations:
            return kr.allocations
        host = self.policies[self.kr_policy[kr_id]].host
        return {host: kr.target} if host is not None else {}

    def iter_key_results(self, policy: Policy) -> Iterator[tuple[Okr, KeyResult]]:
        """Every (OKR, key result) of a policy, sub-targets right after their parent."""
        for okr in policy.okrs:
            for kr in okr.all_key_results():
                yield okr, kr


def shown_path(root: Path, file: str, cwd: Path) -> str:
    """``file`` of the data folder ``root`` as a path from the folder ``cwd``: relative when it is
    inside ``cwd`` (``data/policies/x.yaml`` from a repository's root, what GitHub and editors
    resolve), else absolute."""
    full = Path(os.path.normpath(cwd / root / file))
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        return full.as_posix()


# --- turning pydantic errors into problems ---------------------------------------------------


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed in the mapping at ``loc`` below ``model``."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(step)
        if info is None:
            return []
        ann = info.annotation
        while get_origin(ann) is not None:  # list[X], dict[K, X], X | None
            args = [a for a in get_args(ann) if a is not type(None)]
            ann = args[-1] if args else None
        current = ann
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


_KIND_WORDS = {
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "string": "text",
    "str": "text",
    "list": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "date": "a date (YYYY-MM-DD)",
}


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_control(char: str) -> bool:
    return (char < " " and char not in "\t\n\r") or char == "\x7f"


def _expected(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "string_pattern_mismatch":
        pattern = (err.get("ctx") or {}).get("pattern", "")
        if pattern.startswith("^[a-z]"):
            return "an id of lower-case letters, digits and '-', starting with a letter"
        if pattern == r"^\d{2}$":
            return 'a two-digit code in quotes, like "01"'
        if pattern == CONTROL_FREE:
            bad = next((c for c in str(err.get("input", "")) if _is_control(c)), "")
            return f"text without control characters (it holds U+{ord(bad or ' '):04X})"
        return f"text matching {pattern}"
    if kind == "literal_error":
        return "one of " + str((err.get("ctx") or {}).get("expected", ""))
    if kind == "too_short":
        return "at least one item"
    if kind == "string_too_short":
        return "some text"
    if kind == "string_too_long":
        return "at most 64 characters"
    for word, phrase in _KIND_WORDS.items():
        if kind.startswith(word):
            return phrase
    return err["msg"].lower()


def model_problems(
    exc: ValidationError, file: str, model: type[BaseModel], prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    """One problem per pydantic error, at the path of the offending key or value."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        loc = tuple(s for s in loc if s != "[key]")  # a bad mapping key: point at its entry
        path = prefix + loc
        name = ".".join(str(s) for s in loc) or "the file"
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            allowed = _fields_at(model, loc[:-1])
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{near[0]}'?" if near else f"expected one of: {', '.join(allowed)}"
            )
            problems.append(Problem("E104", file, f"unknown key '{key}'", path=path, hint=hint))
        elif err["type"] == "missing":
            parent = ".".join(str(s) for s in loc[:-1]) or "the top level"
            problems.append(
                Problem("E105", file, f"missing key '{loc[-1]}' in {parent}", path=path[:-1])
            )
        elif loc and loc[-1] == "host" and isinstance(err.get("input"), list):
            problems.append(
                Problem(
                    "E103",
                    file,
                    f"host: found a list of {len(err['input'])}; expected exactly one agency id "
                    "(a policy has one host H; list the others under supporters)",
                    path=path,
                )
            )
        else:
            problems.append(
                Problem(
                    "E103",
                    file,
                    f"{name}: found {_found(err.get('input'))}, expected {_expected(err)}",
                    path=path,
                )
            )
    return problems


# --- reading files -----------------------------------------------------------------------------


#: What belongs in each folder of the data folder, as named in the problem about a file that
#: does not belong there (such a file would not be read, and validate would pass without it).
_EXPECTED = {
    AGENCIES_DIR: "only .yaml files are read here; rename it to .yaml, or move it out of the "
    "data folder",
    POLICIES_DIR: "only .yaml files are read here; rename it to .yaml, or move it out of the "
    "data folder",
    REPORTS_DIR: "report files are <agency>.csv (a workbook goes in through okrtool "
    "import-reports); rename it, or move it out of the data folder",
}


#: The folders every data folder has (reports/ comes with the first report).
_REQUIRED = {
    AGENCIES_DIR: "the agency files in it (agencies/*.yaml)",
    POLICIES_DIR: "the policy files in it (policies/<dimension>/<policy id>.yaml)",
}


@dataclass
class DataFiles:
    """The data files found under a folder of the data folder, and whether anything there that
    could have been data was not read (then what it would define is unknown)."""

    paths: list[Path] = field(default_factory=list)
    unread: bool = False


def _data_files(
    root: Path, sub: str, suffixes: tuple[str, ...], problems: list[Problem]
) -> DataFiles:
    """The data files under ``root/sub``, sorted; an E106 for everything there that cannot be
    read or is not a data file, so that nothing in the data folder goes unchecked unseen.
    Names starting with '.' are not data (git's, editors', an interrupted import's)."""
    found = DataFiles()
    folder = root / sub
    if sub in _REQUIRED and not os.path.lexists(folder):
        problems.append(Problem("E106", sub, f"no such folder; expected {_REQUIRED[sub]}", 1, 1))
        found.unread = True
    elif os.path.lexists(folder):
        real_root = root.resolve()
        walk = _Walk(root, real_root, suffixes, _EXPECTED[sub.split("/", 1)[0]], problems, found)
        walk.entry(folder, sub, real_root.joinpath(*Path(sub).parent.parts), frozenset(), True)
        found.paths.sort()
    return found


@dataclass
class _Walk:
    """One walk of ``_data_files``: what it looks for, where its problems and files go."""

    root: Path
    real_root: Path
    suffixes: tuple[str, ...]
    expected: str
    problems: list[Problem]
    found: DataFiles

    def _problem(self, rel: str, message: str, hint: str = "", unread: bool = True) -> None:
        self.problems.append(Problem("E106", rel, message, 1, 1, hint=hint))
        self.found.unread = self.found.unread or unread

    def entry(
        self, path: Path, rel: str, parent: Path, above: frozenset[Path], is_folder: bool = False
    ) -> None:
        """Take in ``path`` (a folder when ``is_folder``), whose parent really is ``parent``."""
        data_name = not is_folder and path.suffix in self.suffixes
        reached = self._reach(path, rel, parent, data_name)
        if reached is None:
            return
        real, mode = reached
        if stat.S_ISDIR(mode):
            if data_name:
                self._problem(rel, "a folder where a file is expected; nothing in it was read")
            elif real in above or real == self.real_root:
                self._problem(rel, "symbolic link loops back to a folder above it")
            else:
                self._folder(path, rel, real, above | {real})
        elif is_folder:
            self._problem(rel, "a file where a folder is expected; nothing in it was read")
        elif not data_name:
            self._problem(rel, f"not a data file: {self.expected}", unread=False)
        elif not stat.S_ISREG(mode):
            self._problem(rel, "not a regular file (a pipe, socket or device); expected a file")
        elif not os.access(path, os.R_OK):
            self._problem(
                rel,
                "cannot read the file (permission denied)",
                hint="let the user who runs okrtool read it (chmod a+r)",
            )
        else:
            self.found.paths.append(path)

    def _folder(self, folder: Path, rel: str, real: Path, above: frozenset[Path]) -> None:
        try:
            if not os.access(folder, os.R_OK | os.X_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError as exc:
            self._problem(
                rel,
                f"cannot read the folder ({_reason(exc)}); none of its files were checked",
                hint="let the user who runs okrtool read it (chmod a+rX)",
            )
            return
        for name in names:
            if not name.startswith("."):
                self.entry(folder / name, f"{rel}/{name}", real, above)

    def _reach(
        self, path: Path, rel: str, parent: Path, data_name: bool
    ) -> tuple[Path, int] | None:
        """Where ``path`` really is (symbolic links followed) and its file mode; None after an
        E106 when it cannot be reached or a link leads out of the data folder."""
        try:
            st = os.lstat(path)
            if not stat.S_ISLNK(st.st_mode):
                return parent / path.name, st.st_mode
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                message = "symbolic link loops onto itself"
            elif exc.errno == errno.ENOENT and os.path.islink(path):
                message = f"broken symbolic link to {os.readlink(path)}, which does not exist"
            else:
                message = f"cannot read it ({_reason(exc)})"
            self._problem(rel, message, unread=data_name or path.suffix == "")
            return None
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.real_root):
            self._problem(
                rel,
                f"symbolic link to {real} points outside the data folder; "
                "expected a file inside it",
                unread=data_name or stat.S_ISDIR(st.st_mode),
            )
            return None
        return real, st.st_mode


def _reason(exc: OSError) -> str:
    """An OSError in a few lower-case words, without the path (the problem names the path)."""
    return (exc.strerror or str(exc)).lower()


def _load_mapping(
    path: Path, rel: str, problems: list[Problem], cache: ParseCache
) -> dict[str, Any] | None:
    try:
        loaded = cache.read(path)
    except YamlError as exc:
        problems.append(Problem(exc.code, rel, exc.message, exc.line, exc.column))
        return None
    except OSError as exc:
        problems.append(Problem("E106", rel, f"cannot read the file: {exc.strerror}", 1, 1))
        return None
    for dup in loaded.duplicates:
        problems.append(
            Problem(
                "E102",
                rel,
                f"key '{dup.key}' written twice in one mapping (first at line {dup.first_line})",
                dup.line,
                dup.column,
                hint="keep one; YAML would silently use the last",
            )
        )
    if not isinstance(loaded.data, dict):
        found = "the file is empty" if loaded.data is None else f"found {_found(loaded.data)}"
        problems.append(Problem("E106", rel, f"{found}; expected a mapping of keys", 1, 1))
        return None
    return loaded.data


_agency_file = TypeAdapter(AgencyFile)
_policy = TypeAdapter(Policy)


def _register(ds: Dataset, kind: str, table: dict[str, Any], obj: Any, where: Where) -> None:
    key = (kind, obj.id)
    if key in ds.where:
        ds.duplicates.append((kind, obj.id, where))
        return
    ds.where[key] = where
    table[obj.id] = obj


def _valid_items(ds: Dataset, data: dict[str, Any]) -> AgencyFile:
    """The entries of an agency file that are valid on their own, so one bad entry does not
    make every reference to the others unknown."""
    good: dict[str, list[Any]] = {}
    for key, info in AgencyFile.model_fields.items():
        items = data.get(key)
        if key in ("sources", "calendar", "licence") or not isinstance(items, list):
            continue
        item_type = TypeAdapter(get_args(info.annotation)[0])
        good[key] = []
        for item in items:
            try:
                good[key].append(item_type.validate_python(item))
            except ValidationError:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ds.unverified_ids.add(item["id"])
    try:
        calendar = TypeAdapter(ReportingCalendar).validate_python(data.get("calendar"))
    except ValidationError:
        calendar = None
    try:
        licence = TypeAdapter(Licence).validate_python(data.get("licence"))
    except ValidationError:
        licence = None
    return AgencyFile.model_construct(**good, calendar=calendar, licence=licence)


def _read_agencies(ds: Dataset, path: Path, problems: list[Problem], cache: ParseCache) -> None:
    rel = path.relative_to(ds.root).as_posix()
    data = _load_mapping(path, rel, problems, cache)
    if data is None:
        written = _ids_written(path)
        if written is None:
            ds.agencies_unreadable = True
        else:
            ds.unverified_ids.update(written)
        return
    try:
        af = _agency_file.validate_python(data)
    except ValidationError as exc:
        problems.extend(model_problems(exc, rel, AgencyFile))
        af = _valid_items(ds, data)
    tables = {
        "dimension": ("dimensions", ds.dimensions),
        "edition": ("editions", ds.editions),
        "zone": ("zones", ds.zones),
        "section": ("sections", ds.sections),
        "agency": ("departments", ds.departments),
        "group": ("groups", ds.groups),
    }
    for kind, (key, table) in tables.items():
        for i, obj in enumerate(getattr(af, key)):
            _register(ds, kind, table, obj, Where(rel, (key, i)))
    for i, district in enumerate(af.districts):
        _register(ds, "agency", ds.districts, district, Where(rel, ("districts", i)))
    if af.calendar is not None:
        where = Where(rel, ("calendar",))
        if ds.calendar_where is None:
            ds.calendar, ds.calendar_where = af.calendar, where
        else:
            ds.calendar_duplicates.append(where)
    if af.licence is not None and ds.licence is None:
        ds.licence = af.licence
    for i, edition in enumerate(af.editions):
        # ids of development issues and goals are unique across editions, as every kind's (E201)
        for j, issue in enumerate(edition.development_issues):
            at = ("editions", i, "development_issues", j)
            _register(ds, "development issue", {}, issue, Where(rel, at))
            for k, goal in enumerate(issue.goals):
                _register(ds, "goal", {}, goal, Where(rel, (*at, "goals", k)))


def _read_policy(ds: Dataset, path: Path, problems: list[Problem], cache: ParseCache) -> None:
    rel = path.relative_to(ds.root).as_posix()
    data = _load_mapping(path, rel, problems, cache)
    if data is None:
        written = _ids_written(path)
        if written is None:
            ds.policies_unreadable = True
        else:
            ds.unverified_key_results.update(written)
        return
    try:
        policy = _policy.validate_python(data)
    except ValidationError as exc:
        problems.extend(model_problems(exc, rel, Policy))
        ds.unverified_key_results.update(_raw_key_result_ids(data))
        return
    _register(ds, "policy", ds.policies, policy, Where(rel, ()))
    if ds.where[("policy", policy.id)].file != rel:
        return
    for o, okr in enumerate(policy.okrs):
        okr_path = ("okrs", o)
        _register(ds, "okr", ds.okrs, okr, Where(rel, okr_path))
        ds.okr_policy.setdefault(okr.id, policy.id)
        for k, kr in enumerate(okr.key_results):
            kr_path = (*okr_path, "key_results", k)
            _register(ds, "key result", ds.key_results, kr, Where(rel, kr_path))
            ds.kr_okr.setdefault(kr.id, okr.id)
            ds.kr_policy.setdefault(kr.id, policy.id)
            for s, sub in enumerate(kr.sub_targets):
                _register(
                    ds, "key result", ds.key_results, sub, Where(rel, (*kr_path, "sub_targets", s))
                )
                ds.kr_okr.setdefault(sub.id, okr.id)
                ds.kr_policy.setdefault(sub.id, policy.id)
                ds.kr_parent.setdefault(sub.id, kr.id)
        for j, project in enumerate(okr.projects):
            _register(ds, "project", ds.projects, project, Where(rel, (*okr_path, "projects", j)))


#: ``id: x`` written anywhere: in block style, as a list item, or inside a flow mapping.
_ID_WRITTEN = re.compile(r"""(?:^|[\s{,\[-])id\s*:\s*["']?([^\s"',\]}#]+)""", re.MULTILINE)


def _ids_written(path: Path) -> set[str] | None:
    """Every id written in a file that does not load (read as text however broken), so that
    only what that file defines goes unchecked while it is broken; None if it cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    return set(_ID_WRITTEN.findall(text))


def _raw_key_result_ids(data: dict[str, Any]) -> Iterator[str]:
    """Key result ids in a policy that failed validation, so its reports do not cascade."""
    okrs = data.get("okrs")
    for okr in okrs if isinstance(okrs, list) else []:
        krs = okr.get("key_results") if isinstance(okr, dict) else None
        for kr in krs if isinstance(krs, list) else []:
            if not isinstance(kr, dict):
                continue
            yield str(kr.get("id"))
            subs = kr.get("sub_targets")
            for sub in subs if isinstance(subs, list) else []:
                if isinstance(sub, dict):
                    yield str(sub.get("id"))


_SOURCES = frozenset(REPORT_SOURCES)
assert len(REPORT_COLUMNS) == 9, "read_report_file unpacks the nine columns by name"


@lru_cache(maxsize=4096)
def _period(text: str) -> Period:
    return parse_period(text)


#: How to save a report file as UTF-8 (Excel's plain "CSV" is the Windows code page: TIS-620
#: on a Thai Windows).
_SAVE_AS_UTF8 = (
    "in Excel: File › Save As › CSV UTF-8 (Comma delimited); in LibreOffice: Save As › Text CSV, "
    "character set Unicode (UTF-8)"
)
#: A delimiter other than ',' that a spreadsheet program may save a "CSV" with, and its name.
_OTHER_DELIMITERS = {";": "';'", "\t": "tabs"}


class ReportCsv:
    """The rows of one report file as text: the one reader of report files, for validate, the
    importer and the store (``store.prepare``), so that what validate accepts the importer can
    rewrite. UTF-8 with or without a BOM (Excel's "CSV UTF-8"), any line ends, ``,`` between
    columns, ``"`` around a text holding one, the header ``REPORT_COLUMNS``. What is wrong is
    appended to ``problems``, located: a quote that is never closed at the line and column where
    it opens (the csv module notices it only at the end of the file).

    Iterate for the rows after the header; or, where every row counts (validate reads millions),
    loop over ``rows`` and call ``fault`` on a csv.Error (``read_report_file``)."""

    def __init__(self, path: Path, rel: str, problems: list[Problem]) -> None:
        self.rel = rel
        self.problems = problems
        #: the rows after the header: a csv reader (``line_num``: the line the last row read
        #: ends on), empty if the file cannot be read; call ``fault`` on a csv.Error
        self.rows: Any = iter(())
        self._text = ""
        self._lines: list[str] | None = None
        try:
            text = read_text(path)
        except (OSError, YamlError) as exc:
            msg = exc.message if isinstance(exc, YamlError) else f"cannot read the file: {exc}"
            line, column = (exc.line, exc.column) if isinstance(exc, YamlError) else (1, 1)
            hint = _SAVE_AS_UTF8 if "not UTF-8" in msg else ""
            problems.append(Problem("E106", rel, msg, line, column, hint=hint))
            return
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            problems.append(
                Problem("E107", rel, "the file holds a NUL byte; is it a CSV file?", line, 1)
            )
            return
        self._text = text
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            self.rows = reader
            self.fault(exc, 1)
            self.rows = iter(())
            return
        if header is None:
            # okrtool always writes the header: an empty file is one cut short (a copy or a
            # save that failed), and its values would be missing without a word
            problems.append(
                Problem(
                    "E107",
                    rel,
                    f"the file is empty; expected the header {','.join(REPORT_COLUMNS)!r} and "
                    "the agency's values",
                    1,
                    1,
                    hint="restore it from git (git checkout -- FILE), or delete it if the agency "
                    "has no values",
                )
            )
            return
        if tuple(header) != REPORT_COLUMNS:
            joined = ",".join(header)
            other = next((d for d in _OTHER_DELIMITERS if d in joined and "," not in joined), "")
            hint = (
                f"the columns are separated by {_OTHER_DELIMITERS[other]}: save the file as "
                "CSV UTF-8 (comma delimited)"
                if other
                else ""
            )
            problems.append(
                Problem(
                    "E107",
                    rel,
                    f"header is {joined!r}; expected {','.join(REPORT_COLUMNS)!r}",
                    1,
                    1,
                    hint=hint,
                )
            )
            return
        self.rows = reader

    def __iter__(self) -> Iterator[list[str]]:
        rows = self.rows
        last = 1  # the line the last row read ends on
        while True:
            try:
                for row in rows:
                    yield row
                    last = rows.line_num
                return
            except csv.Error as exc:
                if self.fault(exc, last + 1):
                    return  # the rest of the file is inside the open quote

    @staticmethod
    def start_of(row: list[str], end: int) -> int:
        """The line a row ending on line ``end`` starts on (a quoted text may hold line breaks,
        counted as the csv module counts lines)."""
        breaks = sum(f.count("\n") + f.count("\r") - f.count("\r\n") for f in row)
        return end - breaks

    def fault(self, exc: csv.Error, start: int) -> bool:
        """Note the CSV error ``exc`` met reading ``rows`` in the row starting at line
        ``start``, where it is; True if a quote opened there is never closed (nothing after it
        can be read: stop)."""
        line = self.rows.line_num
        if self._lines is None:
            self._lines = io.StringIO(self._text, newline="").readlines()
        lines = self._lines
        where, what = _csv_fault(lines, start)
        if what == "open":
            self.problems.append(
                Problem(
                    "E107",
                    self.rel,
                    "a quote '\"' opens a text here and is never closed, so the rest of the file "
                    "would be read as one text; expected a closing '\"'",
                    *where,
                    hint="close the quote, or remove it (a text needs quotes only if it holds "
                    "',' or '\"'; a '\"' inside quotes is written twice: \"\")",
                )
            )
            return True
        if what == "after":
            line, column = where
            found = lines[line - 1][column - 1]
            self.problems.append(
                Problem(
                    "E107",
                    self.rel,
                    f"found {found!r} right after the closing quote of a text; expected ',' or "
                    "the end of the line",
                    line,
                    column,
                    hint='a \'"\' inside a quoted text is written twice: ""',
                )
            )
            return False
        self.problems.append(Problem("E107", self.rel, f"malformed CSV: {exc}", line, 1))
        return False


def _csv_fault(lines: list[str], start: int) -> tuple[tuple[int, int], str]:
    """Where the CSV rows from line ``start`` on go wrong: ``(line, column), 'open'`` for a
    quote never closed, ``'after'`` for a character right after a closing quote, else
    ``'other'``."""
    opened = (start, 1)
    quoted = closed = False
    field_start = True
    for number, text in enumerate(lines[start - 1 :], start):
        i = 0
        while i < len(text):
            ch = text[i]
            if quoted:
                if ch == '"':
                    if text[i + 1 : i + 2] == '"':
                        i += 2
                        continue
                    quoted, closed = False, True
            elif closed:
                if ch not in ",\r\n":
                    return (number, i + 1), "after"
                closed = False
            elif ch == '"' and field_start:
                quoted, opened = True, (number, i + 1)
            field_start = not quoted and ch in ",\r\n"
            i += 1
    return opened, "open" if quoted else "other"


def read_report_file(ds: Dataset, path: Path, problems: list[Problem]) -> None:
    """Append the values of the report file ``path`` to ``ds.reports``; note the problems."""
    rel = path.relative_to(ds.root).as_posix()
    year_text = path.parent.name
    agency = path.stem
    try:
        fiscal_year = check_fiscal_year(int(year_text))
    except (ValueError, PeriodError) as exc:
        detail = str(exc) if isinstance(exc, PeriodError) else f"folder {year_text!r} is not a year"
        problems.append(
            Problem(
                "E501",
                rel,
                f"{detail}; report files live in data/reports/<BE fiscal year>/<agency>.csv",
                1,
                1,
            )
        )
        return
    ds.report_file_agency[rel] = agency
    csv_file = ReportCsv(path, rel, problems)
    rows = csv_file.rows
    line = 1  # the line the last row read ends on
    width = len(REPORT_COLUMNS)
    append = ds.reports.append
    make = ReportValue
    period_of = _period
    isfinite = math.isfinite
    # one copy of each repeated text (ids, sources, provenance): 750 → 270 bytes a value
    same = {}.setdefault
    while True:  # the loop of ReportCsv.__iter__, inline: a generator costs every row
        try:
            for row in rows:
                line = rows.line_num
                try:
                    kr, period_text, value_text, source, note, file, sha, cell, at = row
                except ValueError:
                    if row:
                        start = csv_file.start_of(row, line)
                        spans = (
                            f" (it runs on to line {line}: is a quote '\"' not closed?)"
                            if start != line
                            else ""
                        )
                        problems.append(
                            Problem(
                                "E107",
                                rel,
                                f"row has {len(row)} columns; expected {width}{spans}",
                                start,
                                1,
                            )
                        )
                    continue
                try:
                    period = period_of(period_text)
                except PeriodError as exc:
                    problems.append(Problem("E501", rel, str(exc), line, len(kr) + 2))
                    continue
                try:
                    value = float(value_text)
                except ValueError:
                    value = math.nan
                if not isfinite(value):
                    problems.append(
                        Problem(
                            "E103",
                            rel,
                            f"value {value_text!r} is not a plain number; expected digits with '.' "
                            "as the decimal point, like 1234.5",
                            line,
                            len(kr) + len(period_text) + 3,
                        )
                    )
                    continue
                if source not in _SOURCES:
                    problems.append(
                        Problem(
                            "E103",
                            rel,
                            f"source {source!r} is not a source; expected one of "
                            + ", ".join(REPORT_SOURCES),
                            line,
                            len(kr) + len(period_text) + len(value_text) + 4,
                        )
                    )
                    continue
                if "'" in (
                    note[:1],
                    file[:1],
                ):  # written escaped by cells.csv_text (a cell reference
                    note, file = csv_read(note), csv_read(file)  # never is: a sheet name is quoted)
                append(
                    make(
                        agency,
                        fiscal_year,
                        same(kr, kr),
                        period,
                        value,
                        same(source, source),
                        same(note, note),
                        same(file, file),
                        same(sha, sha),
                        cell,
                        same(at, at),
                        rel,
                        line,
                    )
                )
            break
        except csv.Error as exc:
            if csv_file.fault(exc, line + 1):
                break


@contextmanager
def collector_off() -> Iterator[None]:
    """The garbage collector off while many small objects are built, then those objects frozen
    out of its way (measured on 2.4 million report values: collections were half the time of
    the report rules, and did not free anything)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_dataset(
    root: Path, years: Collection[int] | None = None, reports: bool = True
) -> tuple[Dataset, list[Problem]]:
    """Read the data folder ``root``; return the dataset and the problems met.

    Report files are read for every fiscal year, for ``years`` only, or (``reports=False``)
    not at all, so that a command about one year need not read ten.
    """
    ds = Dataset(root=root)
    problems: list[Problem] = []
    cache = ParseCache(cache_folder())
    agency_found = _data_files(root, AGENCIES_DIR, YAML_SUFFIXES, problems)
    policy_found = _data_files(root, POLICIES_DIR, YAML_SUFFIXES, problems)
    ds.agencies_unreadable = agency_found.unread
    ds.policies_unreadable = policy_found.unread
    agency_files, policy_files = agency_found.paths, policy_found.paths
    cache.preload(agency_files + policy_files)
    with collector_off():
        for path in agency_files:
            ds.files[AGENCIES_DIR].append(path.relative_to(root).as_posix())
            _read_agencies(ds, path, problems, cache)
        for path in policy_files:
            ds.files[POLICIES_DIR].append(path.relative_to(root).as_posix())
            _read_policy(ds, path, problems, cache)
    cache.prune()
    ds.agencies = {**ds.departments, **ds.districts}
    if reports:
        problems.extend(read_reports(ds, years))
    return ds, problems


def read_reports(ds: Dataset, years: Collection[int] | None = None) -> list[Problem]:
    """Read the report files of ``years`` (every year if None) into ``ds.reports``."""
    problems: list[Problem] = []
    with collector_off():
        for path in report_paths(ds, years, problems):
            ds.files[REPORTS_DIR].append(path.relative_to(ds.root).as_posix())
            read_report_file(ds, path, problems)
    return problems


def report_paths(ds: Dataset, years: Collection[int] | None, problems: list[Problem]) -> list[Path]:
    """The report files of ``years`` (every year if None), in reading order."""
    folders = [REPORTS_DIR] if years is None else [f"{REPORTS_DIR}/{y}" for y in sorted(years)]
    paths = []
    for folder in folders:
        found = _data_files(ds.root, folder, (".csv",), problems)
        paths += found.paths
        ds.reports_unreadable = ds.reports_unreadable or found.unread
    return paths


def locate(problems: list[Problem], root: Path) -> list[Problem]:
    """Give every problem that has only a path its line and column; return them sorted."""
    locator = Locator(root)
    for p in problems:
        if p.line == 0 and p.file.endswith(YAML_SUFFIXES):
            p.line, p.column = locator.locate(p.file, p.path, at_key=p.code == "E104")
        elif p.line == 0:
            p.line, p.column = 1, 1
    return sorted(problems, key=Problem.sort_key)

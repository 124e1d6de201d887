"""`okrtool import-plan`: workshop and binding sheets in, checked whole, written into the YAML.

For each workbook, in the order given: read it (``plan_read``), apply its cells to the policy
files' data (``plan_apply``), write the changed files' new text in a staging copy of the plan
(``yaml_write.rewrite``: comments, key order and quoting kept) and run every rule of validate
over that would-be dataset with the stored reports of its years. A file with any problem is
refused whole and changes nothing; a file without is written, under the import lock, through
temporary files renamed into place (``store.commit``). The change is returned as
``okrtool diff`` shows it (``plandiff.compare`` of the plan before and after).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from okrtool.dataset import AGENCIES_DIR, POLICIES_DIR, REPORTS_DIR, Dataset
from okrtool.errors import UsageError
from okrtool.imports.paths import check_data_folder
from okrtool.imports.plan_apply import Edits, apply_book
from okrtool.imports.plan_read import read_plan
from okrtool.imports.refusal import cell_refusal
from okrtool.io.load import load_yaml
from okrtool.io.loaddata import load_dataset, locate
from okrtool.io.store import LOCK_TIMEOUT, PendingWrite, commit, import_lock
from okrtool.io.xlsx_guard import WorkbookError
from okrtool.io.yaml_write import rewrite
from okrtool.problems import ERROR, Problem
from okrtool.rules.check import check
from okrtool.rules.validate import load_valid


@dataclass
class PlanOptions:
    """How to import: ``dry_run`` writes nothing; ``today`` is the date recorded with a binding
    (default: today)."""

    dry_run: bool = False
    today: date | None = None
    lock_timeout: float = LOCK_TIMEOUT


@dataclass
class PlanFileResult:
    """What happened to one plan workbook."""

    name: str
    form: str = ""
    subject: str = ""
    refusals: list[Problem] = field(default_factory=list)
    #: policy files changed (relative to the data folder); written unless a dry run
    changed: list[str] = field(default_factory=list)
    #: (agency, key result, its OKR's title) bound by this file
    bindings: list[tuple[str, str, str]] = field(default_factory=list)
    #: what was passed over (a hidden sheet), for the user to know
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


@dataclass
class PlanImportResult:
    """Every file's result, and the plan before and after (for the diff)."""

    files: list[PlanFileResult]
    before: Dataset
    after: Dataset
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if any(f.refused for f in self.files) else 0


def _fiscal_years(books: list[object]) -> set[int]:
    """The fiscal years the workbooks are for: the years whose reports the result is checked
    with (a change to one year's plan cannot touch another year's reports)."""
    out = set()
    for book in books:
        year = getattr(book, "meta", {}).get("fiscal_year", "")
        if year.isdigit():
            out.add(int(year))
    return out


class _Stage:
    """A copy of the plan (agencies and policies) in a temporary folder, where the changed files'
    new text is put and the would-be dataset read with validate's loader."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = folder
        for sub in (AGENCIES_DIR, POLICIES_DIR):
            source = root / sub
            if source.is_dir():
                shutil.copytree(
                    source, folder / sub, ignore=shutil.ignore_patterns(".*"), copy_function=_link
                )

    def put(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.unlink()  # a hard link to the data file: never write through it
        path.write_text(text, encoding="utf-8")

    def load(self, reports_from: Dataset) -> tuple[Dataset, list[Problem]]:
        """The would-be dataset, with ``reports_from``'s report values; its errors, located."""
        ds, problems = load_dataset(self.root, reports=False)
        ds.reports = reports_from.reports
        ds.files[REPORTS_DIR] = list(reports_from.files[REPORTS_DIR])
        ds.report_file_agency = dict(reports_from.report_file_agency)
        ds.reports_unreadable = reports_from.reports_unreadable
        problems += check(ds)
        return ds, locate([p for p in problems if p.severity == ERROR], self.root)


def _link(source: str, target: str) -> None:
    """Stage a file as a hard link (no copy), or a copy where a link cannot be made."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class _Texts(dict):
    """Policy files' texts, by file relative to the data folder, read when first asked for."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, rel: str) -> str:
        text = (self.root / rel).read_text(encoding="utf-8")
        self[rel] = text
        return text


class _Data(dict):
    """Policy files' data as PyYAML reads them, parsed when first asked for."""

    def __init__(self, texts: _Texts) -> None:
        super().__init__()
        self.texts = texts

    def __missing__(self, rel: str) -> dict:
        data = load_yaml(self.texts[rel]).data
        self[rel] = data
        return data


class _Working(dict):
    """A workbook's own copy of the files' data: each file deep-copied when first asked for,
    so that a refused workbook leaves the data of the run as it was."""

    def __init__(self, data: _Data) -> None:
        super().__init__()
        self.data = data

    def __missing__(self, rel: str) -> dict:
        import copy

        own = copy.deepcopy(self.data[rel])
        self[rel] = own
        return own


def _located(name: str, edits: Edits, data_name: str, p: Problem) -> Problem:
    """A problem validate found in the would-be dataset, at the workbook cell that caused it
    when one is known, else at the would-be file's line."""
    path = p.path
    key = None
    if "allocations" in path:
        at = path.index("allocations")
        obj = _id_at(edits.data.get(p.file), path[:at])
        if obj is not None and at + 1 < len(path):
            key = (obj, str(path[at + 1]))
        elif obj is not None:  # the allocations as a whole (E402): the own target given
            given = [k for k in edits.cells if k[0] == obj and k[1] in edits.ds.agencies]
            key = given[0] if given else None
    elif path:
        obj = _id_at(edits.data.get(p.file), path[:-1] if isinstance(path[-1], str) else path)
        if obj is not None and path and isinstance(path[-1], str):
            key = (obj, path[-1])
    if key is not None and key in edits.cells:
        sheet, ref = edits.cells[key]
        return cell_refusal(name, sheet, ref, p.code, p.message, p.hint)
    where = f"{data_name}/{p.file}"
    return Problem(
        p.code,
        name,
        f"{where}:{p.line}: {p.message} (in the file as it would be written)",
        hint=p.hint,
    )


def _id_at(data: object, path: tuple) -> str | None:
    node = data
    for step in path:
        try:
            node = node[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return node.get("id") if isinstance(node, dict) else None


def import_plan(
    root: Path, paths: list[Path], options: PlanOptions | None = None, on_wait=None
) -> PlanImportResult:
    """Check and write each plan workbook of ``paths`` into the data folder ``root``, one after
    the other; a file with any problem is refused whole and changes nothing."""
    from contextlib import nullcontext

    options = options or PlanOptions()
    today = options.today or date.today()
    check_data_folder(root, write=False)
    if not options.dry_run and not os.access(root / POLICIES_DIR, os.W_OK | os.X_OK):
        raise UsageError(
            f"{root / POLICIES_DIR}: cannot write in this folder (permission denied), and "
            "import-plan writes policy files there; nothing was imported (--dry-run writes nothing)"
        )
    books = []
    for path in paths:
        try:
            books.append((path, read_plan(path)))
        except WorkbookError as exc:
            books.append((path, exc))
    lock = nullcontext() if options.dry_run else import_lock(root, options.lock_timeout, on_wait)
    with lock, tempfile.TemporaryDirectory(prefix="okrtool-plan-") as tmp:
        years = _fiscal_years([book for _, book in books])
        before = load_valid(root, lambda _ds: years)
        texts = _Texts(root)
        data = _Data(texts)
        stage = _Stage(root, Path(tmp))
        results = [_result(path, book) for path, book in books]
        subjects = [r.subject for r in results if not r.refused]
        at_once = len(subjects) > 1 and len(set(subjects)) == len(subjects)
        after = None
        if at_once:
            after = _at_once(root, books, results, texts, data, stage, before, options, today)
        if after is None:
            results = [_result(path, book) for path, book in books]
            after = _one_by_one(root, books, results, texts, data, stage, before, options, today)
    return PlanImportResult(results, before, after, options.dry_run)


def _result(path: Path, book: object) -> PlanFileResult:
    result = PlanFileResult(str(path))
    if isinstance(book, WorkbookError):
        result.refusals.append(Problem(book.code, str(path), book.message, hint=book.hint))
    else:
        meta = getattr(book, "meta", {})
        result.notes = list(getattr(book, "notes", []))
        result.form = meta.get("form", "")
        result.subject = meta.get("policy") or meta.get("agency", "")
    return result


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path[:1], p.line, p.column, p.code))


def _at_once(
    root: Path,
    books: list,
    results: list[PlanFileResult],
    texts: _Texts,
    data: _Data,
    stage: _Stage,
    before: Dataset,
    options: PlanOptions,
    today: date,
) -> Dataset | None:
    """Workbooks about distinct policies or agencies (50 districts' binding sheets): each
    applied over the ones before it, then validate run once over the result and every changed
    file written in one commit. None if validate finds an error: then each file is checked on
    its own (``_one_by_one``), to say which one caused it."""
    layer = _Layer(data)
    for (path, book), result in zip(books, results, strict=True):
        if result.refused:
            continue
        edits = Edits(before, _Working(layer))
        problems = apply_book(edits, book, str(path), today)
        if problems:
            result.refusals = _sorted(problems)
            continue
        result.changed = sorted(rel for rel in edits.changed if edits.data[rel] != layer[rel])
        result.bindings = list(edits.bindings)
        for rel in result.changed:
            layer[rel] = edits.data[rel]
    new_texts = {}
    for rel in sorted(layer):
        text = rewrite(texts[rel], layer[rel])
        if text != texts[rel]:
            new_texts[rel] = text
    if not new_texts:
        for result in results:
            result.changed = []
        return before
    for rel, text in new_texts.items():
        stage.put(rel, text)
    after, errors = stage.load(before)
    if errors:
        for rel in new_texts:
            stage.put(rel, texts[rel])
        return None
    if not options.dry_run:
        commit([PendingWrite(root / rel, text, root) for rel, text in new_texts.items()])
    for result in results:
        result.changed = [rel for rel in result.changed if rel in new_texts]
    return after


def _one_by_one(
    root: Path,
    books: list,
    results: list[PlanFileResult],
    texts: _Texts,
    data: _Data,
    stage: _Stage,
    before: Dataset,
    options: PlanOptions,
    today: date,
) -> Dataset:
    """Each workbook applied, checked by validate and written in turn, against the plan with
    the ones before it written."""
    current = before
    for (path, book), result in zip(books, results, strict=True):
        if result.refused:
            continue
        name = str(path)
        edits = Edits(current, _Working(data))
        problems = apply_book(edits, book, name, today)
        if problems:
            result.refusals = _sorted(problems)
            continue
        new_texts = {}
        for rel in sorted(edits.changed):
            text = rewrite(texts[rel], edits.data[rel])
            if text != texts[rel]:
                new_texts[rel] = text
        if not new_texts:
            continue
        for rel, text in new_texts.items():
            stage.put(rel, text)
        after, errors = stage.load(before)
        if errors:
            for rel in new_texts:
                stage.put(rel, texts[rel])
            result.refusals = [_located(name, edits, str(root), p) for p in errors]
            continue
        if not options.dry_run:
            commit([PendingWrite(root / rel, text, root) for rel, text in new_texts.items()])
        result.changed = sorted(new_texts)
        result.bindings = list(edits.bindings)
        texts.update(new_texts)
        for rel in new_texts:
            data[rel] = edits.data[rel]
        current = after
    return current


class _Layer(dict):
    """The files' data with the workbooks applied so far; a file not changed yet is ``base``'s."""

    def __init__(self, base: _Data) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, rel: str) -> dict:
        return self.base[rel]

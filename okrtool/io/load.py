"""YAML in: fast loading with duplicate-key detection, and finding a node's line on demand.

Loading uses PyYAML's C loader (8× faster than the pure one here). Lines are not kept while
loading: a problem carries a *path* of keys and indexes, and only the files that have a problem
are composed again to turn that path into a line and column (see ``Locator``).

What a file parses to is kept in a cache folder, by the SHA-256 of its text (``ParseCache``):
PyYAML builds Python objects at about 3 MB a second, so ten years of policies (8 MB) take 2.5 s
to parse and 0.1 s to unpickle. An edited file has another digest, so a cached entry is never
stale; only files that parse are kept, so every syntax error is found by parsing, and a value
that cannot be constructed (``BadValue``) is kept with the parse, so a cached file reports it too.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A YAML file whose aliases expand to more nodes than this is refused (billion laughs).
MAX_ALIAS_EXPANSION = 100_000
#: Deeper nesting is refused before parsing: libyaml's composer recurses in C and would crash.
MAX_DEPTH = 64
#: A data file larger than this is refused unread (a policy file is a few kilobytes).
MAX_FILE_BYTES = 16 * 1024 * 1024


class YamlError(Exception):
    """A file that is not loadable, with the 1-based line and column of the fault and its code:
    E101 for YAML that does not parse, E106 for a file that cannot be read as text at all."""

    def __init__(self, message: str, line: int = 0, column: int = 0, code: str = "E101") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code


@dataclass
class DuplicateKey:
    key: str
    line: int
    column: int
    first_line: int
    path: tuple[Any, ...] = ()


@dataclass
class BadValue:
    """A scalar YAML could not make into a value (an impossible date, ``!!int abc``: E108) or
    made into a number that is not finite (``.inf``, ``.nan``: E109), where it is written."""

    code: str
    message: str
    line: int
    column: int


@dataclass
class Loaded:
    data: Any
    duplicates: list[DuplicateKey] = field(default_factory=list)
    #: values that could not be constructed, or not finite: the file is not usable as data
    bad_values: list[BadValue] = field(default_factory=list)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The C safe loader, but a key written twice in one mapping is recorded, not dropped, and
    a scalar that cannot be constructed or is not a finite number is recorded (``BadValue``),
    not raised: PyYAML would raise a bare ValueError, without a line, for ``2024-02-30``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []
        self.bad_values: list[BadValue] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append(
                    DuplicateKey(str(key), line, key_node.start_mark.column + 1, seen[key])
                )
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


#: What each scalar tag's value is, as a refusal names it.
_TAG_WORDS = {
    "null": "null",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "binary": "base64 data",
    "timestamp": "a date",
}


def _checked(tag: str) -> Any:
    """The loader's constructor of ``tag:yaml.org,2002:<tag>``, recording a ``BadValue`` for
    a scalar it cannot construct (and for a float that is not finite) instead of raising."""
    construct = _Loader.yaml_constructors[f"tag:yaml.org,2002:{tag}"]
    what = _TAG_WORDS[tag]

    def checked(loader: _Loader, node: Any) -> Any:
        mark = node.start_mark
        try:
            value = construct(loader, node)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            if tag == "timestamp":
                reason = str(exc) if isinstance(exc, ValueError) else "not in that form"
                message = (
                    f"found {node.value!r}, which is not a date ({reason}); expected a real "
                    "date, YYYY-MM-DD (or quotes around it if it is text)"
                )
            else:
                message = (
                    f"found {node.value!r} tagged !!{tag}, which is not {what}; expected "
                    f"{what}, or the value without the tag"
                )
            loader.bad_values.append(BadValue("E108", message, mark.line + 1, mark.column + 1))
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            loader.bad_values.append(
                BadValue(
                    "E109",
                    f"found {node.value!r}, a number that is not finite; expected a plain "
                    "number, like 1234.5",
                    mark.line + 1,
                    mark.column + 1,
                )
            )
        return value

    return checked


class _TaggedLoader(_Loader):
    """``_Loader`` for a text with a tag (``!``): a scalar of an explicit tag (``!!int abc``)
    may not be a value of that tag, where a plain scalar, whose tag its form decides, always is
    (but a float may be infinite and a date impossible: those two are checked in every text).
    Checking every scalar cost a third more time to load the shipped data."""


for _tag in ("float", "timestamp"):  # first: _TaggedLoader copies these on its first add
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _checked(_tag))
for _tag in ("null", "bool", "int", "binary"):
    _TaggedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _checked(_tag))


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a ReaderError's position in ``text``: libyaml
    (the C loader) counts it in bytes of UTF-8, the pure-Python reader in characters."""
    if _Base is not yaml.SafeLoader:
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _mark(exc: yaml.YAMLError) -> tuple[int, int]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return 0, 0
    return mark.line + 1, mark.column + 1


def _describe(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        return f"unacceptable character #x{exc.character:04x}: {exc.reason}"
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        text = str(problem)
        if context:
            text = f"{context}: {text}"
        if "could not determine a constructor" in text:
            text += " (tags such as !!python/object are not allowed in data files)"
        return text
    return str(exc).splitlines()[0]


def read_text(path: Path) -> str:
    """A data file's text: UTF-8, a leading BOM dropped; YamlError if it is not UTF-8 or huge."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(
            f"the file is {size / 1024 / 1024:.1f} MiB; data files are at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MiB (is it the right file?)",
            1,
            1,
            "E106",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # the column in characters, as an editor shows it, not in bytes
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise YamlError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            line,
            col,
            "E106",
        ) from None
    return text.removeprefix("\ufeff")


_DEEP_INDENT = re.compile(rf"^[ \t-]{{{MAX_DEPTH},}}", re.MULTILINE)


_FLOW_MARKS = re.compile(r"""[\[\]{}'"#\n]""")
#: What may stand before a bracket that opens a flow collection (after spaces): the start of a
#: line, an indicator of a value, or (inside a flow collection) a comma or another bracket.
_VALUE_START = frozenset("\n:-?,[{")


def _check_flow_depth(text: str) -> None:
    """Refuse flow nesting (``[[[[…``) deeper than MAX_DEPTH by counting brackets in the text.

    Runs before any parser: libyaml's scanner reads flow brackets ahead of the events, and
    newer libyaml refuses deep flow nesting itself (at about 1,000, with its own wording), so
    counting here gives the same refusal, at the same place, whatever the PyYAML release.
    Brackets inside quoted scalars, comments and plain text (``title: a[b``) are not counted.
    """
    depth = 0
    quote = ""  # the quote character of the quoted scalar we are in, if any
    skip_to = 0
    for m in _FLOW_MARKS.finditer(text):
        at = m.start()
        if at < skip_to:
            continue
        char = m.group()
        if quote:
            if char == quote:
                if quote == "'" and text.startswith("''", at):
                    skip_to = at + 2  # '' is an escaped quote inside '...'
                    continue
                if quote == '"' and _escaped(text, at):
                    continue
                quote = ""
            continue
        if char == "\n":
            continue
        before = text[:at].rstrip(" \t")[-1:] or "\n"
        if char == "#":
            if at == 0 or text[at - 1] in " \t\n":
                end = text.find("\n", at)
                skip_to = len(text) if end < 0 else end
            continue
        if char in "'\"":
            if before in _VALUE_START:
                quote = char
            continue
        if char in "[{":
            if before in _VALUE_START and (depth or before not in ",[{"):
                depth += 1
                if depth > MAX_DEPTH:
                    line = text.count("\n", 0, at) + 1
                    raise YamlError(
                        f"nesting is deeper than {MAX_DEPTH} levels; a data file needs far fewer",
                        line,
                        at - (text.rfind("\n", 0, at) + 1) + 1,
                    )
        elif depth:
            depth -= 1


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` is escaped by an odd run of backslashes."""
    run = 0
    while at - run - 1 >= 0 and text[at - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, walking parser events (which do not recurse)."""
    # Each level of nesting costs a bracket (flow style) or at least one character of indent or
    # "- " at the start of a line (block style): with neither, the file cannot be that deep.
    if text.count("[") + text.count("{") >= MAX_DEPTH:
        _check_flow_depth(text)
    elif not _DEEP_INDENT.search(text):
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(
                    f"nesting is deeper than {MAX_DEPTH} levels; a data file needs far fewer",
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_aliases(text: str) -> None:
    """Refuse alias bombs before building anything: count what aliases would expand to."""
    if "*" not in text:
        return
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, size]
    total = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
            total += size
            for frame in stack:
                frame[1] += size
            if total > MAX_ALIAS_EXPANSION:
                raise YamlError(
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes; "
                    "a data file does not need that many (is it an alias bomb?)",
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                )
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            for frame in stack:
                frame[1] += 1
            total += 1
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
            elif event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size


def load_yaml(text: str) -> Loaded:
    """Parse one YAML document; raise YamlError with the line of a syntax error."""
    try:
        _check_depth(text)
        _check_aliases(text)
        loader = (_TaggedLoader if "!" in text else _Loader)(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        line, col = _line_column(text, exc.position)
        raise YamlError(_describe(exc), line, col) from None
    except yaml.YAMLError as exc:
        line, col = _mark(exc)
        message = _describe(exc)
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(col, 1)]:
            message += " (a tab: indent with spaces, not tabs)"
        raise YamlError(message, line, col) from None
    except RecursionError:
        raise YamlError("the document is nested too deeply to read", 1, 1) from None
    return Loaded(data, loader.duplicates, loader.bad_values)


class Locator:
    """Turns a path of keys and indexes inside a file into a 1-based (line, column).

    Files are composed (parsed to nodes, which keep their marks) only when asked, once each.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._nodes: dict[str, Any] = {}

    def _node(self, file: str) -> Any:
        if file not in self._nodes:
            try:
                text = read_text(self.root / file)
                self._nodes[file] = yaml.compose(text, Loader=_Base)
            except (OSError, YamlError, yaml.YAMLError, RecursionError):
                self._nodes[file] = None
        return self._nodes[file]

    def locate(self, file: str, path: tuple[Any, ...], at_key: bool = False) -> tuple[int, int]:
        """Line and column of the node at ``path``; of its key when ``at_key``; (1, 1) if unknown.

        A path that runs past the nodes (a missing key) stops at the deepest node it reaches.
        """
        node = self._node(file)
        if node is None:
            return 1, 1
        mark = node.start_mark
        for i, step in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        mark = key_node.start_mark if (last and at_key) else value_node.start_mark
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    node = node.value[step]
                    mark = node.start_mark
                else:
                    break
            else:
                break
        return mark.line + 1, mark.column + 1


# --- the parse cache --------------------------------------------------------------------------

#: Where the cache folder is: this environment variable, else $XDG_CACHE_HOME/okrtool, else
#: ~/.cache/okrtool. OKRTOOL_NO_CACHE=1 turns the cache off.
CACHE_ENV, NO_CACHE_ENV = "OKRTOOL_CACHE_DIR", "OKRTOOL_NO_CACHE"
#: Below this many characters of YAML not in the cache, parsing in one process is quicker.
PARALLEL_YAML_CHARS = 1_000_000
#: Older entries are removed when the folder holds more than this many.
MAX_CACHE_ENTRIES = 20_000
#: Part of every key: what a parse depends on besides the text.
_CACHE_SALT = (
    f"okrtool-yaml-2 {yaml.__version__} {sys.version_info[:2]} {MAX_DEPTH} {MAX_ALIAS_EXPANSION}"
)


def cache_folder() -> Path | None:
    """The parse cache folder for this user, or None if the cache is off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okrtool"


class ParseCache:
    """Parsed YAML (``Loaded``) by the SHA-256 of the text, one pickle a file in ``folder``.

    Loading a pickle runs what it names, so an entry is used only if this user owns it and no
    one else may write it (the folder is made private); anything unreadable counts as absent.
    A cache that cannot be written (read-only home, full disk) is simply not written.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "yaml" if folder is not None else None
        self.written = 0
        #: parsed ahead by ``preload``, by digest; each taken once by ``load``
        self.ready: dict[str, Loaded] = {}
        #: the text and digest of each file ``preload`` read; each taken once by ``read``
        self._read_ahead: dict[Path, tuple[str, str]] = {}

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(_CACHE_SALT.encode() + b"\0" + text.encode("utf-8")).hexdigest()

    def _entry(self, digest: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{digest}.pickle"

    def _path(self, text: str) -> Path | None:
        """The cache entry of ``text`` (None if the cache is off)."""
        return self._entry(self._digest(text))

    def read(self, path: Path) -> Loaded:
        """The file ``path`` read (``read_text``) and parsed (``load``), with the text and
        digest that ``preload`` took of it, if it did, rather than a second read and hash."""
        ahead = self._read_ahead.pop(path, None)
        if ahead is None:
            text = read_text(path)
            return self._load(text, self._digest(text))
        return self._load(*ahead)

    def load(self, text: str) -> Loaded:
        """``load_yaml(text)``, from the cache when it holds the text's entry."""
        return self._load(text, self._digest(text))

    def _load(self, text: str, digest: str) -> Loaded:
        if digest in self.ready:
            return self.ready.pop(digest)
        path = self._entry(digest)
        if path is not None:
            found = self._get(path)
            if found is not None:
                return found
        loaded = load_yaml(text)
        if path is not None:
            self._put(path, loaded)
        return loaded

    def preload(self, paths: list[Path]) -> None:
        """Parse ahead, in one process a core (``parallel.fork_map``), the files of ``paths``
        that the cache does not hold, when they are enough YAML to be worth it. A file that does
        not read or parse is left for ``load`` to report."""
        from okrtool.io.parallel import share_out

        todo: list[tuple[str, str]] = []
        for path in paths:
            try:
                text = read_text(path)
            except (OSError, YamlError):
                continue
            digest = self._digest(text)
            self._read_ahead[path] = (text, digest)
            entry = self._entry(digest)
            if digest not in self.ready and (entry is None or not entry.exists()):
                todo.append((digest, text))
        sizes = [len(text) for _, text in todo]
        if len(todo) < 2 or sum(sizes) < PARALLEL_YAML_CHARS:
            return  # parsed one by one as they are loaded
        for part in share_out(_parse_all, todo, sizes, PARALLEL_YAML_CHARS):
            for digest, loaded in part:
                self.ready[digest] = loaded
                entry = self._entry(digest)
                if entry is not None:
                    self._put(entry, loaded)

    @staticmethod
    def _get(path: Path) -> Loaded | None:
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                    return None
                found = pickle.load(f)
        except Exception:  # absent, unreadable, truncated, from another version: parse instead
            return None
        return found if isinstance(found, Loaded) else None

    def _put(self, path: Path, loaded: Loaded) -> None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(loaded, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            return
        self.written += 1

    def prune(self) -> None:
        """Remove the oldest entries beyond MAX_CACHE_ENTRIES (after a run that wrote some)."""
        if self.folder is None or not self.written:
            return
        try:
            entries = list(os.scandir(self.folder))
            if len(entries) <= MAX_CACHE_ENTRIES:
                return
            entries.sort(key=lambda e: e.stat().st_mtime)
            for entry in entries[: len(entries) - MAX_CACHE_ENTRIES]:
                os.unlink(entry.path)
        except OSError:
            return


def _parse_all(items: list[tuple[str, str]]) -> list[tuple[str, Loaded]]:
    """Each (digest, text) parsed, for ``ParseCache.preload``; what does not parse is left out."""
    out = []
    for digest, text in items:
        try:
            out.append((digest, load_yaml(text)))
        except YamlError:
            continue
    return out

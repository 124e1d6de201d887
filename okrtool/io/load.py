"""YAML in: fast loading with duplicate-key detection, and finding a node's line on demand.

Loading uses PyYAML's C loader (8× faster than the pure one here). Lines are not kept while
loading: a problem carries a *path* of keys and indexes, and only the files that have a problem
are composed again to turn that path into a line and column (see ``Locator``).

What a file parses to (``Loaded``: the data, its duplicate keys and its bad values) is kept by
``io.yamlcache.ParseCache``.
"""

from __future__ import annotations

import math
import re
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

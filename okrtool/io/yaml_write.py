"""Writing a YAML data file in place: only what changed, every comment, key order and quote kept.

``rewrite(text, new)`` takes a file's text and the plain data it should now hold (what PyYAML
reads, with a change applied) and returns the new text. It reads the text with ruamel.yaml's
round-trip loader, walks both trees side by side and changes the round-trip tree only where the
plain data differs: a scalar replaced (in its old quoting style), a key added after the last one
(the comment lines that followed the mapping moved below the new key, so they stay where they
stood in the file), a key removed, a list item matched by its ``id``. Everything else is dumped as
it was read: the shipped policy files come back byte for byte (tests/test_import_plan.py).

Why ruamel.yaml and not targeted text edits: an import adds whole blocks (an OKR, its key
results, fifty allocations) as well as changing one number, and a text editor of YAML would
have to know indentation, flow and block styles, quoting and comments itself — ruamel.yaml is
the library made for that round trip. It is slow (21× PyYAML's C loader) and pure Python, so
only the commands that write YAML import it (this module imports it inside ``rewrite``); every
reader keeps PyYAML's C loader.
"""

from __future__ import annotations

import io
from typing import Any

#: Lines longer than this are not folded when a value is written (a Thai title is one line).
WIDTH = 4096


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    # the data files' layout: mappings by 2, list items '- ' indented 2 under their key
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def rewrite(text: str, new: dict[str, Any]) -> str:
    """``text`` (a YAML mapping) changed so that it holds ``new``, and nothing else changed."""
    yaml = _yaml()
    doc = yaml.load(text)
    _merge_map(doc, new)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _same(old: Any, new: Any) -> bool:
    """True if the scalar ``old`` (round-trip) holds the plain value ``new``."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return type(old) is type(new) or (isinstance(old, str) and isinstance(new, str))


def _scalar(old: Any, new: Any) -> Any:
    """``new`` written the way ``old`` was: a string in the same quoting style; a whole number
    as an integer (2473, not 2473.0)."""
    if isinstance(new, float) and new.is_integer():
        new = int(new)
    if isinstance(old, str) and isinstance(new, str) and type(old) is not str:
        try:
            return type(old)(new)
        except TypeError:
            return _text(new)
    return _text(new) if isinstance(new, str) else new


def _text(value: str) -> Any:
    """A string as written: quoted when the readers would take it plain for something else.
    ruamel.yaml writes YAML 1.2, whose plain ``yes`` and ``12:30`` are strings; PyYAML, which
    reads the data files, speaks YAML 1.1 and reads them as true and 750 (a title typed so
    would come back as no title at all)."""
    import yaml
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    return SingleQuotedScalarString(value) if tag != "tag:yaml.org,2002:str" else value


def _fresh(value: Any) -> Any:
    """A plain value as round-trip nodes (mappings and lists as ruamel's commented types), whole
    numbers as integers."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _fresh(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(_fresh(v) for v in value)
        return seq
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return _text(value) if isinstance(value, str) else value


def _is_map(x: Any) -> bool:
    return isinstance(x, dict)


def _is_seq(x: Any) -> bool:
    return isinstance(x, list)


def _merge_map(old: Any, new: dict[str, Any]) -> None:
    for key in [k for k in old if k not in new]:
        _remove_key(old, key)
    for key, value in new.items():
        if key not in old:
            _append_key(old, key, _fresh(value))
            continue
        current = old[key]
        if _is_map(current) and _is_map(value):
            _merge_map(current, value)
        elif _is_seq(current) and _is_seq(value):
            _merge_seq(old, key, current, value)
        elif _is_map(current) or _is_seq(current) or _is_map(value) or _is_seq(value):
            old[key] = _fresh(value)
        elif current != value or not _same(current, value):
            old[key] = _scalar(current, value)


def _ids(items: list[Any]) -> list[Any] | None:
    """The ``id`` of every item, or None if not every item is a mapping with a distinct id."""
    ids = [x.get("id") if _is_map(x) else None for x in items]
    if None in ids or len(set(ids)) != len(ids):
        return None
    return ids


def _merge_seq(parent: Any, key: Any, old: Any, new: list[Any]) -> None:
    """List items matched by id (kept, merged, removed, added at the end); a list of scalars or
    of mappings without ids is replaced when it differs."""
    old_ids, new_ids = _ids(list(old)), _ids(new)
    if old_ids is None or new_ids is None:
        if [_plain(x) for x in old] != new:
            parent[key] = _fresh(new)
        return
    by_id = dict(zip(old_ids, list(old), strict=True))
    for i in reversed(range(len(old))):
        if old_ids[i] not in new_ids:
            _remove_item(old, i)
    for value in new:
        item = by_id.get(value["id"])
        if item is None:
            _append_item(old, _fresh(value))
        else:
            _merge_map(item, value)


def _plain(x: Any) -> Any:
    if _is_map(x):
        return {k: _plain(v) for k, v in x.items()}
    if _is_seq(x):
        return [_plain(v) for v in x]
    return x


# --- comments that follow a node ------------------------------------------------------------------
# ruamel keeps the comment lines after a node on the deepest last node before them (the last
# key of the last mapping…). A node added after it would come below those lines, which belong
# after the block: take them off the old last node and put them on the new one.


def _last_slot(node: Any) -> tuple[Any, Any] | None:
    """The deepest last (container, key or index) of ``node``, where trailing comments sit."""
    slot = None
    while (_is_map(node) or _is_seq(node)) and len(node):
        key = list(node)[-1] if _is_map(node) else len(node) - 1
        slot = (node, key)
        node = node[key]
    return slot


def _comment_index(container: Any) -> int:
    return 2 if _is_map(container) else 0


def _take_trailing(node: Any) -> Any:
    """Remove and return the comment lines after ``node`` (its end-of-line comment stays)."""
    slot = _last_slot(node)
    return None if slot is None else _take_slot_trailing(*slot)


def _put_trailing(node: Any, rest: Any) -> None:
    """Put the comment lines ``rest`` after ``node``."""
    slot = _last_slot(node)
    if slot is not None:
        _put_slot_trailing(*slot, rest)


def _append_key(mapping: Any, key: Any, value: Any) -> None:
    rest = _take_trailing(mapping) if len(mapping) else None
    mapping[key] = value
    _put_trailing(mapping, rest)


def _append_item(seq: Any, value: Any) -> None:
    rest = _take_trailing(seq) if len(seq) else None
    seq.append(value)
    _put_trailing(seq, rest)


def _remove_key(mapping: Any, key: Any) -> None:
    """Remove ``key``; the comment lines after its value (they head what follows) stay, after
    the key before it."""
    keys = list(mapping)
    at = keys.index(key)
    value = mapping[key]
    if _is_map(value) or _is_seq(value):
        rest = _take_trailing(value)
    else:
        rest = _take_slot_trailing(mapping, key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if at > 0:
        before = keys[at - 1]
        if _is_map(mapping[before]) or _is_seq(mapping[before]):
            _put_trailing(mapping[before], rest)
        else:
            _put_slot_trailing(mapping, before, rest)


def _take_slot_trailing(container: Any, key: Any) -> Any:
    """Remove and return the comment lines after the entry ``key`` of ``container``."""
    entry = container.ca.items.get(key)
    at = _comment_index(container)
    if not entry or len(entry) <= at or entry[at] is None:
        return None
    eol, newline, rest = entry[at].value.partition("\n")
    if not rest:
        return None
    entry[at].value = eol + newline
    return rest


def _put_slot_trailing(container: Any, key: Any, rest: Any) -> None:
    """Put the comment lines ``rest`` after the entry ``key`` of ``container``."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if rest is None:
        return
    at = _comment_index(container)
    entry = container.ca.items.setdefault(key, [None] * (4 if at == 2 else 2))
    while len(entry) <= at:
        entry.append(None)
    if entry[at] is None:
        entry[at] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        entry[at].value = entry[at].value.rstrip("\n") + "\n" + rest


def _remove_item(seq: Any, index: int) -> None:
    last = index == len(seq) - 1
    rest = _take_trailing(seq) if last else None
    del seq[index]
    if last and len(seq):
        _put_trailing(seq, rest)

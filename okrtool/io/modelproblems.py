"""pydantic's validation errors as Problems: E103 wrong value, E104 unknown key, E105 missing.

Each at the path of the offending key or value, worded for the person who wrote it.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from okrtool.model import CONTROL_FREE
from okrtool.problems import Problem


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


def found_text(value: Any) -> str:
    """A value as a problem names what was found: its kind, or its text (cut at 60)."""
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
                    f"{name}: found {found_text(err.get('input'))}, expected {_expected(err)}",
                    path=path,
                )
            )
    return problems

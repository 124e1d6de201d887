"""`okrtool schema`: JSON Schema from the models; it accepts the shipped files and refuses bad ones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from okrtool.schema import schema

from helpers import SHIPPED, run


def _as_json(value: Any) -> Any:
    """YAML dates become ISO strings, as an editor's YAML language server sees them."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _load(path: Path) -> Any:
    return _as_json(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


@pytest.mark.parametrize(
    ("kind", "folder"),
    [("policy", "policies"), ("agencies", "agencies"), ("calendar", "agencies/calendar.yaml")],
)
def test_schema_accepts_every_shipped_file(kind: str, folder: str) -> None:
    validator = jsonschema.Draft202012Validator(schema(kind))
    found = SHIPPED / folder
    files = [found] if found.is_file() else sorted(found.rglob("*.yaml"))
    assert files
    for path in files:
        errors = [e.message for e in validator.iter_errors(_load(path))]
        assert errors == [], path


def test_schema_refuses_an_unknown_key_and_a_wrong_type() -> None:
    validator = jsonschema.Draft202012Validator(schema("policy"))
    doc = _load(SHIPPED / "policies/environment/env-trees.yaml")
    doc["hots"] = "env"
    doc["okrs"][0]["key_results"][0]["target"] = "lots"
    messages = sorted(e.message for e in validator.iter_errors(doc))
    assert messages == [
        "'lots' is not of type 'number'",
        "Additional properties are not allowed ('hots' was unexpected)",
    ]


def test_schema_command_prints_one_kind_and_writes_all(tmp_path: Path) -> None:
    code, out = run("schema", "--kind", "agencies")
    assert code == 0
    assert json.loads(out)["title"] == "okrtool agencies file (data/agencies/*.yaml)"
    code, out = run("schema", "-o", str(tmp_path / "schema"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == [
        "agencies.schema.json",
        "calendar.schema.json",
        "policy.schema.json",
    ]
    assert out.splitlines() == [
        f"wrote {tmp_path / 'schema' / 'policy.schema.json'}",
        f"wrote {tmp_path / 'schema' / 'agencies.schema.json'}",
        f"wrote {tmp_path / 'schema' / 'calendar.schema.json'}",
    ]


def test_bare_schema_lists_the_kinds_and_how_to_get_each() -> None:
    code, out = run("schema")
    assert code == 0
    assert out.splitlines() == [
        "JSON Schema of the data files, one a file kind:",
        "  policy    data/policies/<dimension>/<policy id>.yaml  okrtool schema --kind policy",
        "  agencies  data/agencies/*.yaml                        okrtool schema --kind agencies",
        "  calendar  data/agencies/calendar.yaml                 okrtool schema --kind calendar",
        "Write every kind into a folder: okrtool schema --output schema",
    ]


def test_schema_of_all_kinds_needs_a_folder() -> None:
    code, out = run("schema", "--kind", "all")
    assert code == 2
    assert out.strip() == (
        "okrtool: --kind all writes one file a kind: add --output DIR, or pick "
        "--kind policy or agencies or calendar"
    )


@pytest.mark.parametrize("kind", ["policy", "agencies", "calendar"])
def test_committed_schema_files_are_current(kind: str) -> None:
    from okrtool.schema import schema_text

    committed = Path(__file__).parent.parent / "schema" / f"{kind}.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_text(kind), (
        "regenerate: okrtool schema -o schema"
    )

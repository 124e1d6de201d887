"""JSON Schema for every YAML file kind, generated from the same models that validate uses.

Editors that speak the YAML language server use it for completion and inline errors:
``# yaml-language-server: $schema=../../schema/policy.schema.json`` at the top of a file.
The schema checks the shape of one file; the cross-file rules are `okrtool validate`'s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: file kind → (model name in okrtool.model, what the files are)
KINDS = {
    "policy": ("Policy", "data/policies/<dimension>/<policy id>.yaml"),
    "agencies": ("AgencyFile", "data/agencies/*.yaml"),
    "calendar": ("CalendarFile", "data/agencies/calendar.yaml"),
}


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind."""
    from pydantic import TypeAdapter

    from okrtool import model

    model_name, files = KINDS[kind]
    doc = TypeAdapter(getattr(model, model_name)).json_schema()
    return {
        **doc,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"okrtool/{kind}.schema.json",
        "title": f"okrtool {kind} file ({files})",
    }


def kinds_text() -> str:
    """What bare ``okrtool schema`` prints: each file kind, its files and how to get its schema."""
    width = max(len(k) for k in KINDS)
    files_width = max(len(files) for _, files in KINDS.values())
    lines = ["JSON Schema of the data files, one a file kind:"]
    for kind, (_, files) in KINDS.items():
        lines.append(f"  {kind:<{width}}  {files:<{files_width}}  okrtool schema --kind {kind}")
    lines.append("Write every kind into a folder: okrtool schema --output schema")
    return "\n".join(lines) + "\n"


def schema_text(kind: str) -> str:
    """The schema as stable, diff-friendly JSON text."""
    return json.dumps(schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path, kinds: list[str]) -> list[Path]:
    """Write ``<kind>.schema.json`` for each kind into ``folder`` (made if new, its parent being
    there: see ``outfile.check_folder``), each file whole; return the paths. A schema file there
    already is written over (it is made, never edited); UsageError if one cannot be written."""
    from okrtool.errors import UsageError
    from okrtool.io.outfile import check_files, write_text

    targets = {kind: folder / f"{kind}.schema.json" for kind in kinds}
    check_files(list(targets.values()), force=True)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--output {folder}: cannot make the folder ({exc.strerror})") from None
    for kind, target in targets.items():
        write_text(target, schema_text(kind))
    return list(targets.values())

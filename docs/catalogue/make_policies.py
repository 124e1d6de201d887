"""Write one policy file per entry of the governor's 2022 platform (platform-2022.csv).

    python docs/catalogue/make_policies.py [DATA_FOLDER]     (default: data)

For every row that has no ``shipped_policy``, writes
``<data>/policies/<first dimension>/<proposed_id>.yaml``: the titles as published, the first
dimension as the policy's dimension and the others as ``tags``, the entry's number as
``catalogue_no`` and the row's source as ``sources``. Host agency and mission group are left
out: no public source names them per policy (docs/catalogue/README.md). Rows already shipped are
skipped, and so are their files. Deterministic: the same table writes the same bytes, so running
it again changes nothing.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = HERE / "platform-2022.csv"
POLICIES_TS = "https://github.com/CRYBOII/chadchart/blob/"
HEADER = """\
# Entry {n} of the governor's 2022 platform ("9 ด้าน 9 ดี", 214 entries), written by
# docs/catalogue/make_policies.py from docs/catalogue/platform-2022.csv: edit the table and run it
# again rather than this file, until the policy gets a host.
# Host agency (H) and mission group: NOT PUBLISHED (no public source names them per policy), so
# they are left out (okrtool warns: W705); a policy needs both before OKRs are bound to it.
"""


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def source_title(row: dict[str, str]) -> str:
    """What the row's ``source_url`` is, in words."""
    url = row["source_url"]
    if url.startswith(POLICIES_TS):
        return (
            f"Chadchart's 2022 platform, entry {row['n']} (CRYBOII/chadchart MOCK/policies.ts, "
            "a 2022 copy of chadchart.com/policy)"
        )
    if "chadchart" in url:
        return f"Chadchart's 2022 platform, entry {row['n']}: the campaign's policy page"
    return f"Chadchart's 2022 platform, entry {row['n']}: source of the entry"


def policy_yaml(row: dict[str, str]) -> str:
    """The policy file of one table row."""
    dimensions = row["dimensions"].split(";")
    lines = [
        HEADER.format(n=row["n"]).rstrip("\n"),
        f"id: {row['proposed_id']}",
        f"title_th: {quoted(row['title_th'])}",
        f"title_en: {quoted(row['title_en'])}",
        f"dimension: {dimensions[0]}",
    ]
    if dimensions[1:]:
        lines.append(f"tags: [{', '.join(dimensions[1:])}]")
    lines += [
        f"catalogue_no: {int(row['n'])}",
        "sources:",
        f"  - title: {quoted(source_title(row))}",
        f"    url: {row['source_url']}",
    ]
    if row["notes"]:
        lines.append(f"    note: {quoted(row['notes'])}")
    return "\n".join(lines) + "\n"


def write_policies(data: Path) -> list[Path]:
    """Write the file of every row not yet shipped; return the paths written."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    written = []
    for row in rows:
        if row["shipped_policy"] or not row["n"]:
            continue
        path = data / "policies" / row["dimensions"].split(";")[0] / f"{row['proposed_id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(policy_yaml(row), encoding="utf-8", newline="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data")
    print(f"wrote {len(write_policies(folder))} policy files under {folder / 'policies'}")

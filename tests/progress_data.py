"""Small datasets with exact, known numbers for the progress tests, written as real files.

Agencies: two zones (central: phra-nakhon, dusit; south: bang-rak, pathum-wan), departments
sed, env and dds, the three mission groups and three dimensions. Policies and reports are given
per test, so each test shows the numbers it asserts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from okrtool.model import REPORT_COLUMNS

DISTRICTS = ("phra-nakhon", "dusit", "bang-rak", "pathum-wan")

AGENCIES: dict[str, Any] = {
    "zones": [
        {"id": "central", "name_th": "กรุงเทพกลาง", "name_en": "Central Bangkok"},
        {"id": "south", "name_th": "กรุงเทพใต้", "name_en": "Southern Bangkok"},
    ],
    "districts": [
        {
            "id": "phra-nakhon",
            "code": "01",
            "name_th": "พระนคร",
            "name_en": "Phra Nakhon",
            "zone": "central",
        },
        {"id": "dusit", "code": "02", "name_th": "ดุสิต", "name_en": "Dusit", "zone": "central"},
        {
            "id": "bang-rak",
            "code": "04",
            "name_th": "บางรัก",
            "name_en": "Bang Rak",
            "zone": "south",
        },
        {
            "id": "pathum-wan",
            "code": "07",
            "name_th": "ปทุมวัน",
            "name_en": "Pathum Wan",
            "zone": "south",
        },
    ],
    "departments": [
        {
            "id": "sed",
            "name_th": "สำนักยุทธศาสตร์และประเมินผล",
            "name_en": "Strategy and Evaluation Department",
            "abbr_th": "สยป.",
        },
        {
            "id": "env",
            "name_th": "สำนักสิ่งแวดล้อม",
            "name_en": "Environment Department",
            "abbr_th": "สสล.",
        },
        {"id": "dds", "name_th": "สำนักการระบายน้ำ", "name_en": "Drainage and Sewerage Department"},
    ],
    "dimensions": [
        {"id": "environment", "name_th": "สิ่งแวดล้อมดี", "name_en": "Good Environment"},
        {"id": "safety", "name_th": "ปลอดภัยดี", "name_en": "Good Safety"},
        {"id": "management", "name_th": "บริหารจัดการดี", "name_en": "Good Management"},
    ],
    "sections": [{"id": "public-works", "name_th": "ฝ่ายโยธา", "name_en": "Public Works Section"}],
    "groups": [
        {
            "id": "budget",
            "name_th": "กลุ่มภารกิจด้านงบประมาณ แผน และบุคคล",
            "name_en": "Budget, Plans and Personnel",
            "secretary": "sed",
            "departments": ["sed"],
        },
        {
            "id": "quality-of-life",
            "name_th": "กลุ่มภารกิจด้านคุณภาพชีวิต",
            "name_en": "Quality of Life",
            "secretary": "sed",
            "departments": ["sed", "env"],
        },
        {
            "id": "infrastructure",
            "name_th": "กลุ่มภารกิจด้านโครงสร้างพื้นฐานและความปลอดภัย",
            "name_en": "Infrastructure and Safety",
            "secretary": "sed",
            "departments": ["sed", "dds"],
        },
    ],
}


def key_result(
    kr_id: str,
    target: float,
    measure: str = "increment",
    aggregate: str = "sum",
    allocations: dict[str, float] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A key result as written in a policy file."""
    out: dict[str, Any] = {
        "id": kr_id,
        "title_th": f"ตัวชี้วัด {kr_id}",
        "title_en": f"Key result {kr_id}",
        "unit": extra.pop("unit", "things"),
        "target": target,
        "measure": measure,
        "aggregate": aggregate,
    }
    if allocations:
        out["allocations"] = allocations
    out.update(extra)
    return out


def policy(
    policy_id: str,
    key_results: list[dict[str, Any]],
    *,
    group: str = "quality-of-life",
    dimension: str = "environment",
    host: str = "env",
    supporters: list[str] | None = None,
    fiscal_year: int = 2567,
    **extra: Any,
) -> dict[str, Any]:
    """A policy file's content with one OKR holding ``key_results``."""
    return {
        "id": policy_id,
        "title_th": f"นโยบาย {policy_id}",
        "title_en": f"Policy {policy_id}",
        "dimension": dimension,
        "group": group,
        "host": host,
        "supporters": ["all-districts"] if supporters is None else supporters,
        **extra,
        "okrs": [
            {
                "id": f"{policy_id}-{fiscal_year}",
                "fiscal_year": fiscal_year,
                "owner": host,
                "objective_th": "วัตถุประสงค์",
                "objective_en": "Objective",
                "key_results": key_results,
            }
        ],
    }


def write_dataset(
    tmp_path: Path,
    policies: list[dict[str, Any]],
    reports: dict[str, list[tuple[str, str, float]]] | None = None,
    fiscal_year: int = 2567,
) -> Path:
    """Write the agencies, ``policies`` and ``reports`` (agency → (key result, period, value))
    as a data folder under tmp_path; return its root."""
    root = tmp_path / "data"
    (root / "agencies").mkdir(parents=True)
    (root / "agencies" / "all.yaml").write_text(_yaml(AGENCIES), encoding="utf-8")
    for p in policies:
        folder = root / "policies" / p["dimension"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{p['id']}.yaml").write_text(_yaml(p), encoding="utf-8")
    for agency, rows in (reports or {}).items():
        year = rows[0][1][:4] if rows else str(fiscal_year)
        if rows and rows[0][1].startswith("FY"):
            year = rows[0][1][2:6]
        elif rows and rows[0][1][5:7] in ("10", "11", "12"):
            year = str(int(year) + 1)
        folder = root / "reports" / year
        folder.mkdir(parents=True, exist_ok=True)
        lines = [",".join(REPORT_COLUMNS)]
        lines += [f"{kr},{period},{value},manual,,,,," for kr, period, value in rows]
        (folder / f"{agency}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

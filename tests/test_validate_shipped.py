"""`okrtool validate` on the shipped dataset: clean as shipped, and every break is found at once."""

from __future__ import annotations

from contextlib import chdir
from pathlib import Path

from helpers import SHIPPED, copy_dataset, edit, line_of, run


def test_shipped_dataset_is_valid_and_summarised() -> None:
    with chdir(SHIPPED.parent):
        code, out = run("validate", "data")
    assert code == 0
    # 203 policies of the 2022 platform have no host and no OKR yet: two lines, not 406
    first = ", ".join(
        f"data/policies/city-structure/{name}.yaml:6:5"
        for name in (
            "baan-mankong-secure-housing",
            "bang-khun-thian-coastal-erosion",
            "breastfeeding-rooms-pilot",
        )
    )
    points = "data/policies/environment/env-waste-points.yaml"
    assert out.splitlines() == [
        f"{points}:16:14: W702 50 of 50 agencies of 'all-districts' are not bound (no "
        "allocation on any key result): phra-nakhon, dusit, nong-chok, bang-rak, bang-khen "
        "(+45 more)",
        f"{points}:28:13: W703 key result 'env-waste-points-set' has no report yet",
        f"W701 policy with no OKR: 203 warnings, first at {first} (+200 more)",
        f"W705 no host agency assigned yet: 203 warnings, first at {first} (+200 more)",
        "406 warnings summarised by code; --show-warnings lists each",
        # agencies are counted together (not "50 districts")
        "OK: 0 errors, 408 warnings. Read 217 policies, 14 OKRs, 19 key results, 69 agencies, "
        "1,140 report values in 279 files.",
    ]


def test_several_breaks_in_a_copy_of_the_shipped_data_are_all_reported(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path, SHIPPED)
    separation = root / "policies/environment/env-waste-separation.yaml"
    drains = root / "policies/safety/infra-drains.yaml"
    districts = root / "agencies/districts.yaml"
    dusit = root / "reports/2567/dusit.csv"
    edit(separation, "          bang-rak: 1100", "          bang-rak: 1000")
    edit(drains, "host: dds", "host: dsd")
    edit(
        districts,
        "    zone: central\n  - id: nong-chok",
        "    zone: central\n    zone: north\n  - id: nong-chok",
    )
    edit(dusit, "mgmt-okrs-bound,2567-06,100", "mgmt-okrs-bound,2567-6,100")
    with chdir(tmp_path):
        code, out = run("validate", "data")
    lines = out.splitlines()
    assert code == 1
    alloc_line = line_of(separation, "allocations:")
    assert [line for line in lines if ": E" in line] == [
        f"data/agencies/districts.yaml:{line_of(districts, 'zone: north')}:5: E102 key 'zone' written twice in one mapping (first at line {line_of(districts, 'zone: north') - 1})",
        f"data/policies/environment/env-waste-separation.yaml:{alloc_line + 1}:11: E402 allocations of 'env-waste-separated' add up to 73,100 tonnes; the target is 73,200 (100 short)",
        f"data/policies/safety/infra-drains.yaml:{line_of(drains, 'host: dsd')}:7: E202 unknown agency 'dsd'",
        f"data/reports/2567/dusit.csv:{line_of(dusit, '2567-6,')}:17: E501 period '2567-6' is not a period; expected a BE month like '2567-06' or a fiscal quarter like 'FY2567-Q3'",
    ]
    assert lines[-1].startswith("FAILED: 4 errors, 408 warnings.")

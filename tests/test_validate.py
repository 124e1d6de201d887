"""`okrtool validate`: one broken dataset per rule, asserting the code, file, line and exit code."""

from __future__ import annotations

import json
import os
from contextlib import chdir
from pathlib import Path

import pytest

from helpers import SHIPPED, copy_dataset, edit, line_of, run

TREES = "policies/environment/trees.yaml"
CANALS = "policies/safety/canals.yaml"
PLACES = "agencies/places.yaml"
GROUPS = "agencies/groups.yaml"
PN = "reports/2567/phra-nakhon.csv"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_dataset(tmp_path)


def validate(root: Path, *extra: str) -> tuple[int, list[str]]:
    """Run validate from inside the data folder, so that files are named as within it."""
    with chdir(root):
        code, out = run("validate", ".", *extra)
    return code, out.splitlines()


def problem_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if ": E" in line or ": W" in line]


def test_clean_dataset_passes_and_counts_what_it_read(root: Path) -> None:
    code, lines = validate(root)
    assert code == 0
    assert lines == [
        "OK: no problems. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, "
        "12 report values in 9 files."
    ]


def test_yaml_syntax_error_is_reported_at_its_line(root: Path) -> None:
    edit(root / TREES, "urgent: true", "urgent: [true")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines)[0].startswith(f"{TREES}:")
    assert " E101 " in problem_lines(lines)[0]


def test_duplicate_key_is_reported_at_its_line(root: Path) -> None:
    edit(root / TREES, "        target: 1000\n", "        target: 1000\n        target: 2000\n")
    line = line_of(root / TREES, "target: 2000")
    first = line_of(root / TREES, "target: 1000")
    code, lines = validate(root)
    assert code == 1
    # the rest of the run sees what YAML would keep, the last value
    assert problem_lines(lines) == [
        f"{TREES}:{line}:9: E102 key 'target' written twice in one mapping (first at line {first})",
        f"{TREES}:{line + 4}:11: E402 allocations of 'trees-planted' add up to 1,000 trees; the target is 2,000 (1,000 short)",
    ]


def test_wrong_type_names_what_was_found_and_expected(root: Path) -> None:
    edit(root / TREES, "target: 1000", "target: lots")
    line = line_of(root / TREES, "target: lots")
    code, lines = validate(root)
    assert code == 1
    assert (
        f"{TREES}:{line}:17: E103 okrs.0.key_results.0.target: found 'lots', expected a number"
        in lines
    )


def test_unknown_key_suggests_the_near_miss(root: Path) -> None:
    edit(root / TREES, "title_en: Trees planted", "titel_en: Trees planted")
    line = line_of(root / TREES, "titel_en")
    kr_line = line_of(root / TREES, "- id: trees-planted")
    code, lines = validate(root)
    assert code == 1
    assert lines[:4] == [
        f"{TREES}:{kr_line}:9: E105 missing key 'title_en' in okrs.0.key_results.0",
        f"{TREES}:{line}:9: E104 unknown key 'titel_en'",
        "    hint: did you mean 'title_en'?",
        "FAILED: 2 errors, 0 warnings. Read 1 policies, 1 OKRs, 1 key results, 7 agencies, "
        "12 report values in 9 files.",
    ]


def test_missing_key_points_at_the_mapping_that_lacks_it(root: Path) -> None:
    edit(root / CANALS, "        measure: cumulative\n", "")
    line = line_of(root / CANALS, "- id: canals-dredged")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{CANALS}:{line}:9: E105 missing key 'measure' in okrs.0.key_results.0"
    ]


def test_host_must_be_exactly_one_agency(root: Path) -> None:
    edit(root / CANALS, "host: dds", "host: [dds, env]")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{CANALS}:{line_of(root / CANALS, 'host:')}:7: E103 host: found a list of 2; expected "
        "exactly one agency id (a policy has one host H; list the others under supporters)"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; expected a mapping of keys"),
        (b"- id: x\n", "found a list; expected a mapping of keys"),
    ],
)
def test_file_of_the_wrong_shape_is_refused(root: Path, content: bytes, message: str) -> None:
    (root / "policies/environment/odd.yaml").write_bytes(content)
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [f"policies/environment/odd.yaml:1:1: E106 {message}"]


def test_invalid_utf8_is_reported_at_its_byte(root: Path) -> None:
    (root / "policies/environment/latin.yaml").write_bytes(b"id: x\ntitle_th: caf\xe9\n")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        "policies/environment/latin.yaml:2:14: E106 the file is not UTF-8 text "
        "(byte 0xe9 at offset 19); save it as UTF-8"
    ]


def test_symlink_out_of_the_data_folder_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    os.symlink(outside, root / "policies/environment/link.yaml")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"policies/environment/link.yaml:1:1: E106 symbolic link to {outside} points outside "
        "the data folder; expected a file inside it"
    ]


def test_report_file_with_a_wrong_header(root: Path) -> None:
    edit(root / PN, "key_result,period,value", "kr,period,value")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines)[0] == (
        f"{PN}:1:1: E107 header is 'kr,period,value,source,note,file,sha256,cell,recorded_at'; "
        "expected 'key_result,period,value,source,note,file,sha256,cell,recorded_at'"
    )


def test_duplicate_id_across_files_names_both_places(root: Path) -> None:
    edit(root / CANALS, "- id: canals-dredged", "- id: trees-planted")
    line = line_of(root / CANALS, "- id: trees-planted")
    first = line_of(root / TREES, "- id: trees-planted")
    code, lines = validate(root)
    assert code == 1
    assert (
        f"{CANALS}:{line}:13: E201 duplicate key result id 'trees-planted' (first at {TREES}:{first})"
        in lines
    )


def test_duplicate_district_code(root: Path) -> None:
    edit(root / PLACES, 'code: "02"', 'code: "01"')
    line = line_of(root / PLACES, 'code: "01"', 2)
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{PLACES}:{line}:11: E201 district code 01 is used by 'phra-nakhon' too"
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "column", "message"),
    [
        (
            TREES,
            "dimension: environment",
            "dimension: enviroment",
            12,
            "unknown dimension 'enviroment'",
        ),
        (TREES, "host: env", "host: evn", 7, "unknown agency 'evn'"),
        (PLACES, "zone: south", "zone: sooth", 11, "unknown zone 'sooth'"),
        (CANALS, "zone:south,", "zone:west,", 14, "unknown zone 'west'"),
        (
            GROUPS,
            "secretary: sed\n    departments: [sed, env]",
            "secretary: sde\n    departments: [sed, env]",
            16,
            "unknown department 'sde'",
        ),
        (
            GROUPS,
            "district_sections: [public-works]",
            "district_sections: [public-work]",
            25,
            "unknown section role 'public-work'",
        ),
    ],
)
def test_unknown_reference_is_reported_where_it_is_written(
    root: Path, file: str, old: str, new: str, column: int, message: str
) -> None:
    edit(root / file, old, new)
    line = line_of(root / file, new.splitlines()[0])
    code, lines = validate(root)
    assert code == 1
    assert f"{file}:{line}:{column}: E202 {message}" in lines


def test_unknown_key_result_in_a_report(root: Path) -> None:
    edit(root / PN, "trees-planted,2567-06", "trees-plantd,2567-06")
    line = line_of(root / PN, "trees-plantd")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [f"{PN}:{line}:1: E202 unknown key result 'trees-plantd'"]
    assert "    hint: did you mean 'trees-planted'?" in lines


def test_report_file_of_an_unknown_agency(root: Path) -> None:
    (root / PN).rename(root / "reports/2567/phra-nakorn.csv")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        "reports/2567/phra-nakorn.csv:1:1: E202 unknown agency 'phra-nakorn' (the file's name)"
    ]


def test_policy_in_the_wrong_file_or_folder(root: Path) -> None:
    (root / TREES).rename(root / "policies/safety/trees.yaml")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        "policies/safety/trees.yaml:4:12: E203 policy of dimension 'environment' is in folder "
        "'policies/safety'"
    ]


def test_host_listed_as_supporter(root: Path) -> None:
    edit(root / CANALS, "supporters: [zone:south, phra-nakhon]", "supporters: [zone:south, dds]")
    line = line_of(root / CANALS, "supporters:")
    code, lines = validate(root)
    assert code == 1
    assert f"{CANALS}:{line}:26: E301 host 'dds' is also listed as a supporter" in lines


def test_supporter_listed_twice_through_a_zone(root: Path) -> None:
    edit(
        root / CANALS,
        "supporters: [zone:south, phra-nakhon]",
        "supporters: [zone:south, phra-nakhon, bang-rak]",
    )
    line = line_of(root / CANALS, "supporters:")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{CANALS}:{line}:39: E302 supporter 'bang-rak' is listed twice (entries 1 and 3 of supporters)"
    ]


def test_standing_order_of_another_group(root: Path) -> None:
    edit(root / TREES, "urgent: true", "standing_order: canals\nurgent: true")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{TREES}:{line_of(root / TREES, 'standing_order')}:17: E303 standing order 'canals' "
        "belongs to group 'infrastructure', not to 'quality-of-life'"
    ]


def test_allocation_to_an_agency_neither_host_nor_supporter(root: Path) -> None:
    edit(
        root / CANALS,
        "dds: 15\n          bang-rak: 5",
        "dds: 10\n          dusit: 5\n          bang-rak: 5",
    )
    line = line_of(root / CANALS, "dusit: 5")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{CANALS}:{line}:18: E401 allocation to 'dusit', which is neither the host 'dds' nor "
        "a supporter of policy 'canals'"
    ]


def test_allocations_that_do_not_add_up(root: Path) -> None:
    edit(root / TREES, "pathum-wan: 250", "pathum-wan: 240")
    line = line_of(root / TREES, "phra-nakhon: 250")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{TREES}:{line}:11: E402 allocations of 'trees-planted' add up to 990 trees; "
        "the target is 1,000 (10 short)"
    ]


def test_sub_target_above_its_parent(root: Path) -> None:
    edit(root / TREES, "target: 400", "target: 1400")
    edit(root / TREES, "              pathum-wan: 100", "              pathum-wan: 1100")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{TREES}:{line_of(root / TREES, 'target: 1400')}:21: E403 sub-target 'trees-perennial' "
        "(1,400) is above its parent 'trees-planted' (1,000)",
        f"{TREES}:{line_of(root / TREES, 'pathum-wan: 1100')}:27: E403 allocation to 'pathum-wan' "
        "on sub-target 'trees-perennial' (1,100) is above its allocation on 'trees-planted' (250)",
    ]


def test_percentage_out_of_range_in_an_allocation_and_a_report(root: Path) -> None:
    edit(
        root / TREES,
        "dusit: 100\n          bang-rak: 100\n          pathum-wan: 100",
        "dusit: 120\n          bang-rak: 100\n          pathum-wan: 100",
    )
    edit(
        root / "reports/2567/dusit.csv",
        "trees-waste-collected,2567-06,80",
        "trees-waste-collected,2567-06,180",
    )
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{TREES}:{line_of(root / TREES, 'dusit: 120')}:18: E404 allocation to 'dusit' 120 "
        "is outside 0–100 for a percentage",
        "reports/2567/dusit.csv:4:1: E404 value 180 is outside 0–100 for a percentage",
    ]


def test_negative_count(root: Path) -> None:
    edit(
        root / "reports/2567/bang-rak.csv", "trees-planted,2567-06,90", "trees-planted,2567-06,-90"
    )
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        "reports/2567/bang-rak.csv:3:1: E405 value -90 is negative; expected 0 or more trees"
    ]


def test_project_bound_to_a_key_result_of_another_okr(root: Path) -> None:
    edit(root / TREES, "key_result: trees-planted", "key_result: canals-dredged")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{TREES}:{line_of(root / TREES, 'key_result: canals')}:21: E406 project 'trees-nursery' "
        "is bound to key result 'canals-dredged' of OKR 'canals-2567', not of its own OKR 'trees-2567'"
    ]


def test_fiscal_year_written_in_ce(root: Path) -> None:
    edit(root / CANALS, "fiscal_year: 2567", "fiscal_year: 2024")
    code, lines = validate(root)
    assert code == 1
    assert (
        f"{CANALS}:{line_of(root / CANALS, 'fiscal_year')}:18: E501 fiscal year 2024 looks like "
        "a CE year; fiscal years are BE, did you mean 2567?"
    ) in lines


def test_period_that_is_not_a_period(root: Path) -> None:
    edit(root / PN, "trees-planted,2567-06", "trees-planted,June 2024")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{PN}:{line_of(root / PN, 'June 2024')}:15: E501 period 'June 2024' is not a period; "
        "expected a BE month like '2567-06' or a fiscal quarter like 'FY2567-Q3'"
    ]


def test_period_outside_the_fiscal_year(root: Path) -> None:
    edit(root / PN, "trees-planted,2566-10", "trees-planted,2566-09")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{PN}:{line_of(root / PN, '2566-09')}:1: E502 period 2566-09 is in FY 2566, "
        "not in this file's FY 2567"
    ]


def test_report_from_an_agency_without_allocation(root: Path) -> None:
    (root / "reports/2567/dusit.csv").write_text(
        (root / "reports/2567/dusit.csv").read_text() + "canals-dredged,2567-06,1,manual,,,,,\n"
    )
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        "reports/2567/dusit.csv:5:1: E601 'dusit' reports on 'canals-dredged' but has no "
        "allocation on it"
    ]


def test_value_reported_twice(root: Path) -> None:
    edit(root / PN, "trees-planted,2566-10,100", "trees-planted,2567-06,100")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{PN}:5:1: E602 'trees-planted' for 2567-06 is reported twice (first at line 4)"
    ]


def test_months_and_quarters_mixed(root: Path) -> None:
    edit(root / PN, "trees-planted,2566-10,100", "trees-planted,FY2567-Q1,100")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{PN}:5:1: E603 'trees-planted' is reported by month here and by quarter at line 4"
    ]


def test_warnings_pass_unless_strict(root: Path) -> None:
    edit(
        root / CANALS,
        "supporters: [zone:south, phra-nakhon]",
        "supporters: [zone:south, phra-nakhon, env]",
    )
    (root / "reports/2567/dusit.csv").write_text(
        "key_result,period,value,source,note,file,sha256,cell,recorded_at\n"
        "trees-planted,2567-06,150,manual,,,,,\ntrees-waste-collected,2567-06,80,manual,,,,,\n"
    )
    (root / "reports/2567/phra-nakhon.csv").write_text(
        (root / PN).read_text().replace("trees-perennial,2567-06,40,manual,,,,,\n", "")
    )
    policy = root / "policies/environment/empty.yaml"
    policy.write_text(
        "id: empty\ntitle_th: ว่าง\ntitle_en: Empty\ndimension: environment\n"
        "group: quality-of-life\nhost: env\n",
        encoding="utf-8",
    )
    expected = [
        "policies/environment/empty.yaml:1:5: W701 policy 'empty' has no OKR bound to it",
        f"{TREES}:{line_of(root / TREES, 'id: trees-perennial')}:17: W703 key result "
        "'trees-perennial' has no report yet",
        f"{CANALS}:{line_of(root / CANALS, 'supporters')}:39: W702 supporter 'env' is not bound "
        "(no allocation on any key result)",
    ]
    code, lines = validate(root)
    assert code == 0
    assert problem_lines(lines) == expected
    assert lines[-1].startswith("OK: 0 errors, 3 warnings.")
    code, lines = validate(root, "--strict")
    assert code == 1
    assert lines[-1].startswith("FAILED: 0 errors, 3 warnings (--strict: warnings fail).")


def test_zone_supporters_not_bound_are_counted_in_one_warning(root: Path) -> None:
    edit(root / TREES, "supporters: [all-districts]", "supporters: [zone:central, zone:south]")
    edit(root / TREES, "\n          dusit: 250", "\n          env: 250")
    edit(root / TREES, "\n              dusit: 100", "\n              env: 100")
    edit(root / TREES, "\n          dusit: 100", "")
    edit(root / TREES, "target: 100\n", "target: 100\n", 1)
    (root / "reports/2567/dusit.csv").unlink()
    code, lines = validate(root, "--strict")
    assert code == 1
    assert (
        f"{TREES}:{line_of(root / TREES, 'supporters')}:14: W702 1 of 2 agencies of "
        "'zone:central' are not bound (no allocation on any key result): dusit"
    ) in lines


def test_every_problem_is_collected_not_just_the_first(root: Path) -> None:
    edit(root / TREES, "host: env", "host: evn")
    edit(root / CANALS, "target: 30", "target: 31")
    edit(root / PN, "trees-planted,2567-06", "trees-planted,2567-13")
    code, lines = validate(root)
    assert code == 1
    assert [line.split(": ", 2)[1].split()[0] for line in problem_lines(lines)] == [
        "E202",
        "E402",
        "E501",
    ]
    assert lines[-1].startswith("FAILED: 3 errors, 0 warnings.")


def test_json_format_is_one_document(root: Path) -> None:
    edit(root / TREES, "host: env", "host: evn")
    with chdir(root):
        code, out = run("validate", ".", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"]["errors"] == 1
    assert doc["summary"]["policies"] == 2
    assert doc["problems"] == [
        {
            "code": "E202",
            "severity": "error",
            "title": "unknown reference",
            "file": TREES,
            "line": line_of(root / TREES, "host: evn"),
            "column": 7,
            "message": "unknown agency 'evn'",
            "hint": "did you mean 'env'?",
        }
    ]


def test_github_format_gives_annotations(root: Path) -> None:
    edit(root / TREES, "host: env", "host: evn")
    code, lines = validate(root, "--format", "github")
    assert code == 1
    assert lines[0] == (
        f"::error file={TREES},line={line_of(root / TREES, 'host: evn')},col=7,"
        "title=E202 unknown reference::unknown agency 'evn' (hint: did you mean 'env'?)"
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such folder"),
        ("file", "not a folder; expected the data folder (like data/)"),
        ("empty", "not a data folder; expected agencies/, policies/ and reports/ inside it"),
    ],
)
def test_unreadable_path_is_a_usage_error(tmp_path: Path, setup: str, message: str) -> None:
    target = tmp_path / "x"
    if setup == "file":
        target.write_text("")
    elif setup == "empty":
        target.mkdir()
    code, out = run("validate", str(target))
    assert code == 2
    assert out.strip() == f"okrtool: {target}: {message}"


def test_sub_target_allocation_above_the_agencys_parent_allocation(root: Path) -> None:
    edit(root / TREES, "              dusit: 100", "              dusit: 300")
    edit(root / TREES, "              pathum-wan: 100", "              pathum-wan: -100")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{TREES}:{line_of(root / TREES, 'dusit: 300')}:22: E403 allocation to 'dusit' on "
        "sub-target 'trees-perennial' (300) is above its allocation on 'trees-planted' (250)",
        f"{TREES}:{line_of(root / TREES, 'pathum-wan: -100')}:27: E405 allocation to "
        "'pathum-wan' -100 is negative; expected 0 or more trees",
    ]


def test_unreadable_agencies_file_does_not_bury_its_error_under_unknown_references(
    root: Path,
) -> None:
    edit(root / PLACES, "  - id: dusit\n", "  - id: dusit\n   bad-indent: [\n")
    code, lines = validate(root)
    assert code == 1
    assert [line.split(": ")[1][:4] for line in problem_lines(lines)] == ["E101"]
    assert problem_lines(lines)[0].startswith(f"{PLACES}:")


def test_one_bad_district_does_not_make_the_others_unknown(root: Path) -> None:
    edit(root / PLACES, 'code: "02"', "code: 2")
    code, lines = validate(root)
    assert code == 1
    line = line_of(root / PLACES, "code: 2")
    assert problem_lines(lines) == [
        f"{PLACES}:{line}:11: E103 districts.1.code: found 2, expected text",
    ]


def test_report_texts_escaped_against_formulas_are_read_as_written(tmp_path: Path) -> None:
    # cells.csv_text writes a note, file name or cell that a spreadsheet would run as a formula
    # with a leading quote; reading the report file gives the text back as it was typed
    from okrtool.io.loaddata import load_dataset

    root = copy_dataset(tmp_path)
    report = root / "reports/2567/bang-rak.csv"
    edit(
        report,
        "trees-planted,2567-06,90,manual,,,,,",
        "trees-planted,2567-06,90,import,'=HYPERLINK(\"x\"),'-x.xlsx,,'@s'!D5,2024-07-01T09:00:00+07:00",
    )
    ds, problems = load_dataset(root)
    assert problems == []
    (rv,) = [r for r in ds.reports if r.agency == "bang-rak" and r.key_result == "trees-planted"]
    assert (rv.note, rv.file, rv.cell) == ('=HYPERLINK("x")', "-x.xlsx", "'@s'!D5")


@pytest.mark.parametrize("threshold", [0, 1 << 40], ids=["report files in processes", "in one"])
def test_report_files_checked_in_worker_processes_report_the_same(
    root: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    # validate shares the report files out to one process a core above PARALLEL_REPORT_BYTES;
    # every problem of every file, and the counts, come back as from one process
    import okrtool.rules.validate

    monkeypatch.setattr(okrtool.rules.validate, "PARALLEL_REPORT_BYTES", threshold)
    edit(root / PN, "trees-planted,2566-10,100", "trees-planted,2567-06,100")
    edit(root / "reports/2567/dusit.csv", "trees-planted,", "nope-planted,")
    (root / "reports/2567/nowhere.csv").write_text(
        "key_result,period,value,source,note,file,sha256,cell,recorded_at\n", encoding="utf-8"
    )
    code, lines = validate(root)
    assert code == 1
    assert lines == [
        "reports/2567/dusit.csv:3:1: E202 unknown key result 'nope-planted'",
        "    hint: did you mean 'trees-planted'?",
        "reports/2567/nowhere.csv:1:1: E202 unknown agency 'nowhere' (the file's name)",
        f"{PN}:5:1: E602 'trees-planted' for 2567-06 is reported twice (first at line 4)",
        "FAILED: 3 errors, 0 warnings. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, "
        "12 report values in 10 files.",
    ]


def test_an_import_interrupted_while_writing_is_a_warning(root: Path) -> None:
    # store.commit leaves its journal when killed between renames; the next import finishes it
    (root / ".okrtool-import.journal").write_text('{"renames": []}\n', encoding="utf-8")
    code, lines = validate(root)
    assert code == 0
    assert lines == [
        ".okrtool-import.journal:1:1: W704 an import was interrupted while writing: some report "
        "files may hold the new values of a workbook and others not yet, until the next "
        "import-reports finishes it",
        "OK: 0 errors, 1 warning. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, "
        "12 report values in 9 files.",
    ]
    assert validate(root, "--strict")[0] == 1


def test_a_broken_policy_file_hides_only_the_values_of_its_own_key_results(
    tmp_path: Path,
) -> None:
    # a tab breaks infra-drains.yaml; chatuchak's report file has a value twice and a key result
    # that no file defines: both are reported, only what infra-drains.yaml defines waits
    root = copy_dataset(tmp_path, SHIPPED)
    drains = root / "policies/safety/infra-drains.yaml"
    chatuchak = root / "reports/2567/chatuchak.csv"
    edit(drains, "urgent: false\n", "urgent: false\n\tkey_project: false\n")
    twice = next(line for line in chatuchak.read_text().splitlines() if "infra-drains" in line)
    with chatuchak.open("a", encoding="utf-8") as out:
        out.write(f"{twice}\nenv-trees-plantd,2567-06,5,manual,,,,,\n")
    rows = len(chatuchak.read_text().splitlines())
    code, lines = validate(root)
    assert code == 1
    assert [line for line in lines if ": E" in line or "hint" in line] == [
        f"policies/safety/infra-drains.yaml:{line_of(drains, 'key_project')}:1: E101 while "
        "scanning a plain scalar: found a tab character that violates indentation (a tab: "
        "indent with spaces, not tabs)",
        f"reports/2567/chatuchak.csv:{rows - 1}:1: E602 'infra-drains-cleaned' for 2567-06 is "
        f"reported twice (first at line {line_of(chatuchak, 'infra-drains-cleaned')})",
        f"reports/2567/chatuchak.csv:{rows}:1: E202 unknown key result 'env-trees-plantd'",
        "    hint: did you mean 'env-trees-planted'?",
    ]


def test_a_broken_agency_file_hides_only_references_to_what_it_defines(root: Path) -> None:
    edit(root / GROUPS, "    secretary: sed\n", "    secretary: sed\n\tx: 1\n", 1)
    edit(root / TREES, "pathum-wan: 250", "pathum-wan: 240")
    edit(root / TREES, "host: env", "host: evn")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{GROUPS}:{line_of(root / GROUPS, 'x: 1')}:1: E101 while scanning a plain scalar: found "
        "a tab character that violates indentation (a tab: indent with spaces, not tabs)",
        f"{TREES}:{line_of(root / TREES, 'host: evn')}:7: E202 unknown agency 'evn'",
        f"{TREES}:{line_of(root / TREES, 'phra-nakhon: 250')}:11: E402 allocations of "
        "'trees-planted' add up to 990 trees; the target is 1,000 (10 short)",
    ]


def _from(folder: Path, *args: str) -> tuple[int, str]:
    with chdir(folder):
        return run("validate", *args)


def test_files_are_named_from_the_current_folder_in_every_format(tmp_path: Path) -> None:
    # a repository with its data folder in data/, checked from its root as CI does: GitHub
    # attaches an annotation to a line only with the path from the repository's root
    root = copy_dataset(tmp_path)
    edit(root / TREES, "host: env", "host: evn")
    line = line_of(root / TREES, "host: evn")
    code, out = _from(tmp_path, "data")
    assert code == 1
    assert out.splitlines()[:2] == [
        f"data/{TREES}:{line}:7: E202 unknown agency 'evn'",
        "    hint: did you mean 'env'?",
    ]
    code, out = _from(tmp_path, "data", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file=data/{TREES},line={line},col=7,title=E202 unknown reference::unknown "
        "agency 'evn' (hint: did you mean 'env'?)"
    )
    code, out = _from(tmp_path, "data", "--format", "json")
    assert code == 1
    assert [p["file"] for p in json.loads(out)["problems"]] == [f"data/{TREES}"]
    code, out = _from(root / "policies", "..")
    assert out.splitlines()[0] == f"environment/trees.yaml:{line}:7: E202 unknown agency 'evn'"


def test_files_outside_the_current_folder_are_named_in_full(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    edit(root / CANALS, "- id: canals-dredged", "- id: trees-planted")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out = _from(elsewhere, str(root))
    assert code == 1
    assert (
        f"{root / CANALS}:{line_of(root / CANALS, '- id: trees-planted')}:13: E201 duplicate "
        f"key result id 'trees-planted' (first at {root / TREES}:"
        f"{line_of(root / TREES, '- id: trees-planted')})"
    ) in out.splitlines()


def test_the_data_folder_may_be_given_with_data_as_in_every_command(tmp_path: Path) -> None:
    copy_dataset(tmp_path)
    summary = (
        "OK: no problems. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, "
        "12 report values in 9 files."
    )
    assert _from(tmp_path, "--data", "data") == (0, summary + "\n")
    assert _from(tmp_path, "data", "--data", "./data/") == (0, summary + "\n")
    code, out = _from(tmp_path, "data", "-d", "other")
    assert code == 2
    assert out == "okrtool: two data folders given: PATH data and --data other; give one\n"


def test_an_empty_year_of_reports_and_a_yml_policy_file_are_fine(root: Path) -> None:
    for report in (root / "reports/2567").iterdir():
        report.unlink()
    trees = root / "policies/environment/trees.yml"
    (root / TREES).rename(trees)
    code, lines = validate(root, "--show-warnings")
    assert code == 0
    assert lines == [
        f"policies/environment/trees.yml:{line_of(trees, '- id: trees-planted')}:13: W703 key "
        "result 'trees-planted' has no report yet",
        f"policies/environment/trees.yml:{line_of(trees, '- id: trees-perennial')}:17: W703 key "
        "result 'trees-perennial' has no report yet",
        f"policies/environment/trees.yml:{line_of(trees, '- id: trees-waste-collected')}:13: "
        "W703 key result 'trees-waste-collected' has no report yet",
        f"{CANALS}:{line_of(root / CANALS, '- id: canals-dredged')}:13: W703 key result "
        "'canals-dredged' has no report yet",
        "OK: 0 errors, 4 warnings. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, "
        "0 report values in 4 files.",
    ]


def test_a_folder_linked_from_inside_the_data_folder_is_read(root: Path) -> None:
    # reports/2567 kept elsewhere in the data folder and linked: its files are read, not skipped
    (root / "archive").mkdir()
    (root / "reports/2567").rename(root / "archive/2567")
    os.symlink("../archive/2567", root / "reports/2567")
    assert validate(root) == (
        0,
        [
            "OK: no problems. Read 2 policies, 2 OKRs, 4 key results, 7 agencies, "
            "12 report values in 9 files."
        ],
    )


def test_run_from_a_removed_folder_names_files_within_the_data_folder(
    root: Path, tmp_path: Path
) -> None:
    edit(root / TREES, "host: env", "host: evn")
    gone = tmp_path / "gone"
    gone.mkdir()
    with chdir(gone):
        gone.rmdir()
        code, out = run("validate", str(root))
    assert code == 1
    assert (
        out.splitlines()[0]
        == f"{TREES}:{line_of(root / TREES, 'host: evn')}:7: E202 unknown agency 'evn'"
    )


LIGHTS = "policies/safety/lights.yaml"


def test_policy_with_no_host_yet_is_a_warning_not_an_error(root: Path) -> None:
    (root / LIGHTS).write_text(
        "id: lights\ntitle_th: กรุงเทพฯ ต้องสว่าง\ntitle_en: Brightly-lit Bangkok\n"
        "dimension: safety\ntags: [environment]\ncatalogue_no: 1\n",
        encoding="utf-8",
    )
    code, lines = validate(root)
    assert code == 0
    assert problem_lines(lines) == [
        f"{LIGHTS}:1:5: W701 policy 'lights' has no OKR bound to it",
        f"{LIGHTS}:1:5: W705 policy 'lights' has no host agency assigned yet (nor a mission group)",
    ]


@pytest.mark.parametrize(
    ("remove", "lacking"),
    [
        ("host: dds\n", "host agency (host)"),
        ("group: infrastructure\nstanding_order: canals\n", "mission group (group)"),
    ],
)
def test_policy_with_okrs_must_have_a_host_and_a_group(
    root: Path, remove: str, lacking: str
) -> None:
    edit(root / CANALS, remove, "")
    line = line_of(root / CANALS, "okrs:") + 1  # at the first OKR
    code, lines = validate(root)
    assert code == 1
    assert f"{CANALS}:{line}:3: E304 policy 'canals' has 1 OKR(s) but no {lacking}" in lines


def test_dimension_tags_exist_and_are_not_repeated(root: Path) -> None:
    edit(
        root / CANALS,
        "dimension: safety\n",
        "dimension: safety\ntags: [safety, envirnment, environment, environment]\n",
    )
    line = line_of(root / CANALS, "tags:")
    code, lines = validate(root)
    assert code == 1
    assert problem_lines(lines) == [
        f"{CANALS}:{line}:8: E204 dimension tag 'safety' is the policy's own dimension",
        f"{CANALS}:{line}:16: E202 unknown dimension 'envirnment'",
        f"{CANALS}:{line}:41: E204 dimension tag 'environment' is listed twice",
    ]


def _five_policies_with_no_host(root: Path) -> None:
    for n in range(1, 6):
        (root / f"policies/safety/p{n}.yaml").write_text(
            f"id: p{n}\ntitle_th: นโยบาย {n}\ntitle_en: Policy {n}\ndimension: safety\n",
            encoding="utf-8",
        )


def test_many_warnings_of_a_code_are_summarised_in_one_line(root: Path) -> None:
    _five_policies_with_no_host(root)
    edit(root / CANALS, "host: dds\n", "host: nobody\n")  # an error is never summarised
    code, lines = validate(root)
    assert code == 1
    where = ", ".join(f"policies/safety/p{n}.yaml:1:5" for n in (1, 2, 3))
    assert lines == [
        f"{CANALS}:{line_of(root / CANALS, 'host:')}:7: E202 unknown agency 'nobody'",
        f"W701 policy with no OKR: 5 warnings, first at {where} (+2 more)",
        f"W705 no host agency assigned yet: 5 warnings, first at {where} (+2 more)",
        "10 warnings summarised by code; --show-warnings lists each",
        "FAILED: 1 error, 10 warnings. Read 7 policies, 2 OKRs, 4 key results, 7 agencies, "
        "12 report values in 14 files.",
    ]


@pytest.mark.parametrize("flag", ["--show-warnings", "--strict"])
def test_every_warning_is_listed_when_asked_for_or_strict(root: Path, flag: str) -> None:
    _five_policies_with_no_host(root)
    code, lines = validate(root, flag)
    assert code == (1 if flag == "--strict" else 0)
    assert problem_lines(lines) == [
        line
        for n in range(1, 6)
        for line in (
            f"policies/safety/p{n}.yaml:1:5: W701 policy 'p{n}' has no OKR bound to it",
            f"policies/safety/p{n}.yaml:1:5: W705 policy 'p{n}' has no host agency assigned "
            "yet (nor a mission group)",
        )
    ]


def test_json_keeps_every_warning(root: Path) -> None:
    _five_policies_with_no_host(root)
    code, lines = validate(root, "--format", "json")
    assert code == 0
    problems = json.loads("\n".join(lines))["problems"]
    assert [(p["code"], p["file"]) for p in problems] == [
        (c, f"policies/safety/p{n}.yaml") for n in range(1, 6) for c in ("W701", "W705")
    ]


def test_github_gives_a_summarised_code_one_annotation_unless_asked(root: Path) -> None:
    _five_policies_with_no_host(root)
    code, lines = validate(root, "--format", "github")
    assert code == 0
    where = ", ".join(f"policies/safety/p{n}.yaml:1:5" for n in (1, 2, 3))
    assert lines[:2] == [
        "::warning file=policies/safety/p1.yaml,line=1,col=5,title=W701 policy with no OKR::"
        f"W701 policy with no OKR: 5 warnings, first at {where} (+2 more); --show-warnings "
        "lists each",
        "::warning file=policies/safety/p1.yaml,line=1,col=5,title=W705 no host agency "
        f"assigned yet::W705 no host agency assigned yet: 5 warnings, first at {where} (+2 "
        "more); --show-warnings lists each",
    ]
    assert len([line for line in lines if line.startswith("::")]) == 2
    code, lines = validate(root, "--format", "github", "--show-warnings")
    assert len([line for line in lines if line.startswith("::warning ")]) == 10

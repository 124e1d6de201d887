"""The corners of docs/definitions.md, each on a small city made for it, with its exact figures:
a yearly cap past its target, a ``latest`` tie between agencies, a baseline shared by the
agencies, the departments a ``--by district`` table leaves out, a quarterly reporter's chase list,
and what ``missing`` suggests when nothing is reported yet.

Each city is also read by the oracle (tests/oracle.py, which does not import okrtool) through
the invariant checks of test_invariants.py, and each corner has a mutation check: okrtool copied
with the corner's rule put back as it was before the decision must fail those same checks, so a
regression cannot pass them.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from oracle import City
from progress_data import key_result, policy, write_dataset
from test_invariants import (
    GENERATOR,
    Views,
    check_agency_filter,
    check_agency_rows,
    check_city_figures,
    check_district_rows,
    check_missing,
    check_status_against_missing,
    cli_json,
    every_key_result,
    report_by_quarter,
    reshape,
)

from helpers import SHIPPED, run

REPO = Path(__file__).resolve().parents[1]
JUNE = "2024-06-30"  # 74.9 % of FY 2567 gone
CALENDAR = """calendar:
  due:
    monthly: {day_of_next_month: 5}
    quarterly: {days_after: 10}
"""


def every_check(city: City, v: Views, agency: str | None = None) -> list[str]:
    """Every invariant of test_invariants on one city and day: what disagrees with the oracle."""
    bad = (
        every_key_result(check_city_figures, city, v)
        + every_key_result(check_agency_rows, city, v)
        + every_key_result(check_district_rows, city, v)
        + check_status_against_missing(city, v)
    )
    if v.period is not None:
        bad += check_missing(city, v, v.period)
    if agency is not None:
        bad += check_agency_filter(city, v, agency)
    return bad


def views(root: Path, day: str) -> Views:
    return Views(root, day, run=cli_json)


def row_of(root: Path, day: str, kr: str, *args: str) -> dict[str, Any]:
    """The status row of ``kr`` as of ``day`` (JSON)."""
    rows = cli_json(root, "status", "--as-of", day, *args)["rows"]
    return next(r for r in rows if r["key_result"] == kr)


def figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["actual"], round(row["percent"], 1), row["expected"], row["status"])


# --- mutants: okrtool with one corner's old rule put back -------------------------------------


def mutant(tmp_path: Path, module: str, old: str, new: str) -> Path:
    """A copy of the okrtool package with ``old`` replaced by ``new`` in ``module`` (which must
    hold ``old`` once: when the code moves, this says where); returns the folder to import
    it from."""
    root = tmp_path / "mutant"
    shutil.copytree(
        REPO / "okrtool", root / "okrtool", ignore=shutil.ignore_patterns("__pycache__")
    )
    path = root / "okrtool" / module
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in okrtool/{module}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def mutant_json(code: Path) -> Callable[..., Any]:
    """A ``Views`` runner that runs the mutant's CLI in a process of its own."""
    env = {**os.environ, "PYTHONPATH": str(code), "OKRTOOL_NO_CACHE": "1"}

    def run_json(root: Path, *args: str) -> Any:
        argv = [sys.executable, "-m", "okrtool", *args, "--data", str(root), "--format", "json"]
        done = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=code)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run_json


def caught(tmp_path: Path, root: Path, day: str, module: str, old: str, new: str) -> list[str]:
    """What the invariant checks find wrong with a mutant's figures on ``root`` as of ``day``."""
    code = mutant(tmp_path, module, old, new)
    v = Views(root, day, run=mutant_json(code))
    return every_check(City(root), v)


# --- a yearly cap past its target is behind ---------------------------------------------------


@pytest.fixture
def cap(tmp_path: Path) -> Path:
    """Complaints, at most 100 a year (50 a district): 120 by the end of June."""
    complaints = key_result(
        "complaints",
        100,
        direction="lower",
        allocations={"phra-nakhon": 50, "dusit": 50},
    )
    return write_dataset(
        tmp_path,
        [policy("quiet", [complaints], supporters=["phra-nakhon", "dusit"])],
        {
            "phra-nakhon": [("complaints", "2567-04", 30), ("complaints", "2567-05", 40)],
            "dusit": [("complaints", "2567-06", 40)],
        },
    )


def test_a_cap_past_its_target_is_behind_and_expects_the_cap(cap: Path) -> None:
    row = row_of(cap, JUNE, "complaints")
    # was 83.3 %, expected 134, on track
    assert figures(row) == (110, 90.9, 100, "behind")
    agencies = {
        r["agency"]: r
        for r in cli_json(cap, "status", "--as-of", JUNE, "--by", "agency")["tables"][0]["rows"]
    }
    assert [(a, r["actual"], r["expected"], r["status"]) for a, r in sorted(agencies.items())] == [
        ("dusit", 40, 50, "done"),
        ("phra-nakhon", 70, 50, "behind"),
    ]
    assert row["status_counts"]["behind"] == 1


def test_a_cap_under_its_target_in_april_is_done_and_one_past_it_stays_behind(cap: Path) -> None:
    assert figures(row_of(cap, "2024-04-30", "complaints")) == (30, 100.0, 100, "done")
    assert row_of(cap, "2024-09-30", "complaints")["status"] == "behind"
    history = cli_json(cap, "history", "complaints", "--as-of", "2024-04-30")["rows"]
    assert {r["expected"] for r in history if r["future"]} == {100}  # the cap, not 100 ÷ share
    own = cli_json(cap, "history", "complaints", "--as-of", "2024-04-30", "--agency", "dusit")
    assert {r["expected"] for r in own["rows"] if r["future"]} == {50}


def test_a_cap_agrees_with_the_oracle_on_every_day(cap: Path) -> None:
    city = City(cap)
    for day in ("2024-04-30", "2024-05-31", JUNE):
        assert every_check(city, views(cap, day), "phra-nakhon") == []


def test_mutant_without_caps_is_caught(tmp_path: Path, cap: Path) -> None:
    bad = caught(
        tmp_path,
        cap,
        JUNE,
        "progress/figures.py",
        'return kr.direction == "lower" and kr.measure in ("increment", "cumulative")',
        "return False",
    )
    assert "complaints: city: status 'on-track' != 'behind'" in bad
    assert "complaints: city: expected 133.576642 != 100.0" in bad
    assert "complaints: phra-nakhon: status 'on-track' != 'behind'" in bad


# --- latest: agencies tied on the latest period -----------------------------------------------


def latest_city(tmp_path: Path, order: list[str]) -> Path:
    """Air quality, the latest reading: two districts report June, the allocations in ``order``."""
    air = key_result(
        "air",
        50,
        measure="level",
        aggregate="latest",
        direction="lower",
        allocations={a: 50 for a in order},
    )
    return write_dataset(
        tmp_path / "-".join(order),
        [policy("air", [air], supporters=order)],
        {
            "phra-nakhon": [("air", "2567-05", 70), ("air", "2567-06", 64)],
            "dusit": [("air", "2567-06", 58)],
            "bang-rak": [("air", "FY2567-Q3", 90)],  # ends the same day: the month is later
        },
    )


def test_latest_ties_are_averaged_whatever_the_order_of_the_allocations(tmp_path: Path) -> None:
    forward = latest_city(tmp_path, ["phra-nakhon", "dusit", "bang-rak"])
    backward = latest_city(tmp_path, ["bang-rak", "dusit", "phra-nakhon"])
    # was 64 in the first order and 58 in the second
    assert row_of(forward, JUNE, "air")["actual"] == row_of(backward, JUNE, "air")["actual"] == 61
    history = cli_json(backward, "history", "air", "--as-of", JUNE)["rows"]
    assert [(r["period"], r["actual"]) for r in history if not r["future"]][-2:] == [
        ("2567-05", 70),
        ("2567-06", 61),
    ]
    for root in (forward, backward):
        assert every_check(City(root), views(root, JUNE), "dusit") == []


def test_mutant_taking_the_first_tied_agency_is_caught(tmp_path: Path) -> None:
    backward = latest_city(tmp_path, ["bang-rak", "dusit", "phra-nakhon"])
    bad = caught(
        tmp_path,
        backward,
        JUNE,
        "progress/figures.py",
        "return math.fsum(tied) / len(tied)",
        "return tied[0]",
    )
    assert "air: city: actual 58 != 61.0" in bad


# --- a baseline: every agency measured from its share of it -------------------------------------


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """Homes with clean water: 600 at the start of the year, 1,000 by its end, half a district."""
    homes = key_result(
        "homes",
        1000,
        measure="cumulative",
        baseline=600,
        allocations={"phra-nakhon": 500, "dusit": 500},
    )
    return write_dataset(
        tmp_path,
        [policy("water", [homes], supporters=["phra-nakhon", "dusit"])],
        {"phra-nakhon": [("homes", "2567-06", 420)], "dusit": [("homes", "2567-06", 420)]},
    )


def test_a_baseline_is_shared_so_agencies_and_city_agree(baseline: Path) -> None:
    row = row_of(baseline, JUNE, "homes")
    assert figures(row)[:2] == (840, 60.0)
    assert (round(row["expected"], 2), row["status"]) == (899.45, "at-risk")  # 600 + 400 × 74.9 %
    # was on track at 84 % of 500 each, the city at risk
    assert row["status_counts"] == {
        "done": 0,
        "on-track": 0,
        "at-risk": 2,
        "behind": 0,
        "no-data": 0,
    }
    own = row_of(baseline, JUNE, "homes", "--agency", "dusit")
    assert (own["baseline"], own["target"], own["actual"]) == (300, 500, 420)
    assert (round(own["percent"], 1), round(own["expected"], 2)) == (60.0, 449.73)
    assert own["status"] == "at-risk"
    history = cli_json(baseline, "history", "homes", "--as-of", "2024-03-31", "--agency", "dusit")
    june = next(r for r in history["rows"] if r["period"] == "2567-06")
    assert (june["future"], round(june["expected"], 2)) == (True, 449.73)  # from its share, 300
    zone = cli_json(baseline, "status", "--as-of", JUNE, "--by", "zone")["tables"][0]["rows"][0]
    assert (zone["target"], zone["actual"], round(zone["percent"], 1)) == (1000, 840, 60.0)
    assert every_check(City(baseline), views(baseline, JUNE), "dusit") == []


def test_mutant_measuring_agencies_from_zero_is_caught(tmp_path: Path, baseline: Path) -> None:
    bad = caught(
        tmp_path,
        baseline,
        JUNE,
        "progress/figures.py",
        "return kr.baseline * own / total if total else 0.0",
        "return 0.0",
    )
    assert "homes: dusit: status 'on-track' != 'at-risk'" in bad


# --- --by district: the departments the rows leave out ------------------------------------------


@pytest.fixture
def hosted(tmp_path: Path) -> Path:
    """Trees: the host department plants 100 itself, two districts 200 each."""
    trees = key_result("trees", 500, allocations={"env": 100, "phra-nakhon": 200, "dusit": 200})
    return write_dataset(
        tmp_path,
        [policy("trees", [trees], supporters=["phra-nakhon", "dusit"])],
        {
            "env": [("trees", "2567-06", 80)],
            "phra-nakhon": [("trees", "2567-06", 150)],
            "dusit": [("trees", "2567-06", 100)],
        },
    )


def test_by_district_names_the_hosts_own_share_that_the_heading_counts(hosted: Path) -> None:
    table = cli_json(hosted, "status", "--as-of", JUNE, "--by", "district")["tables"][0]
    assert table["key_result"]["actual"] == 330
    assert sum(r["actual"] for r in table["rows"]) == 250
    assert [(r["agency"], r["actual"], r["target"]) for r in table["beside"]] == [("env", 80, 100)]
    assert table["note"] == (
        "Not a district, so not in the table, but counted in the key result's figures: "
        "Environment Department (host): 80 of 100 (330 = the districts' 250 + 80)"
    )
    code, out = run(
        "status", "--by", "district", "--as-of", JUNE, "-d", str(hosted), "--width", "200"
    )
    assert code == 0, out
    assert (
        "ไม่ใช่สำนักงานเขตจึงไม่อยู่ในตาราง แต่นับรวมในผลของตัวชี้วัด: สำนักสิ่งแวดล้อม (H): 80 จาก 100 "
        "(330 = ของสำนักงานเขต 250 + 80)"
    ) in out.splitlines()
    history = cli_json(hosted, "history", "trees", "--as-of", JUNE, "--by", "district")
    assert history["header"]["notes"] == [table["note"]]
    assert sum(r["actual"] for r in history["rows"]) == 250
    by_agency = cli_json(hosted, "status", "--as-of", JUNE, "--by", "agency")["tables"][0]
    assert (by_agency["beside"], by_agency["note"]) == ([], None)  # every agency is a row there
    assert every_check(City(hosted), views(hosted, JUNE)) == []


def test_mutant_leaving_the_host_out_silently_is_caught(tmp_path: Path, hosted: Path) -> None:
    bad = caught(
        tmp_path,
        hosted,
        JUNE,
        "progress/tables.py",
        'if by == "agency":\n        return []',
        "return []",
    )
    assert "trees: --by district leaves out ['env'] without a word: beside []" in bad


# --- a quarterly reporter owes only its quarters -------------------------------------------------


@pytest.fixture
def quarterly(tmp_path: Path) -> Path:
    """phra-nakhon and bang-rak report by quarter (bang-rak has not sent the second), dusit by
    month (not May yet)."""
    things = key_result("things", 30, allocations={"phra-nakhon": 10, "dusit": 10, "bang-rak": 10})
    root = write_dataset(
        tmp_path,
        [policy("things", [things], supporters=["phra-nakhon", "dusit", "bang-rak"])],
        {
            "phra-nakhon": [("things", "FY2567-Q1", 2), ("things", "FY2567-Q2", 3)],
            "dusit": [("things", "2567-03", 4), ("things", "2567-04", 1)],
            "bang-rak": [("things", "FY2567-Q1", 2)],
        },
    )
    (root / "agencies" / "calendar.yaml").write_text(CALENDAR, encoding="utf-8")
    return root


def test_a_quarterly_reporter_is_chased_only_for_its_quarters(quarterly: Path) -> None:
    out = cli_json(quarterly, "missing", "--as-of", "2024-06-03")
    assert out["header"]["period"] == "2567-04"
    items = [
        (i["agency"], i["owed"], i["last_period"], i["due"], i["days_overdue"])
        for i in out["items"]
    ]
    # phra-nakhon (the second quarter in) owes nothing until the third quarter ends; bang-rak
    # owes the second quarter, overdue since 10 April; was: both listed, owing the third
    # quarter, 0 days overdue
    assert items == [("bang-rak", "FY2567-Q2", "FY2567-Q1", "2024-04-10", 54)]
    may = cli_json(quarterly, "missing", "--as-of", "2024-06-10", "--period", "2567-05")
    assert [(i["agency"], i["owed"], i["days_overdue"]) for i in may["items"]] == [
        ("bang-rak", "FY2567-Q2", 61),
        ("dusit", "2567-05", 5),
    ]
    row = row_of(quarterly, "2024-05-31", "things")
    assert (row["period"], row["reported"], row["stale"]) == ("2567-05", 1, 2)


def test_a_quarterly_reporter_agrees_with_the_oracle_on_every_day(quarterly: Path) -> None:
    city = City(quarterly)
    for day in ("2023-11-30", "2024-04-30", "2024-05-31", JUNE):
        assert every_check(city, views(quarterly, day), "phra-nakhon") == [], day


def test_mutant_owing_every_month_is_caught(tmp_path: Path, quarterly: Path) -> None:
    bad = caught(
        tmp_path,
        quarterly,
        "2024-05-31",
        "progress/figures.py",
        'if period.kind != "month" or not quarterly:',
        "if True:",
    )
    assert "things: city: reported 0 != 1" in bad


# --- missing: a suggestion that is accepted --------------------------------------------------


def follow(root: Path, day: str) -> list[str]:
    """Run ``missing --as-of day`` and follow each suggestion it makes (``like --option
    value``) until it gives a chase list: the options of each run."""
    options = {"--as-of": day}
    commands = []
    for _ in range(3):
        args = [word for pair in options.items() for word in pair]
        commands.append(" ".join(args))
        code, out = run("missing", *args, "-d", str(root))
        if code == 0:
            return commands
        assert code == 2, out
        assert "like --" in out, out
        option, value = out.rsplit("like ", 1)[1].split()
        options[option] = value
    raise AssertionError(f"no chase list after {commands}")


def test_missing_suggests_only_what_it_accepts(quarterly: Path) -> None:
    code, out = run("missing", "--as-of", "2023-10-20", "-d", str(quarterly))
    # before any period of the year has ended there is nothing to report on (exit 1), and no
    # suggestion; it was "like --period 2567-06", then refused as ending after --as-of
    assert (code, out.strip()) == (
        1,
        "okrtool: nothing to report on for FY 2567 by 2023-10-20: no period of it has ended yet "
        "(the first, 2566-10, ends on 2023-10-31)",
    )
    assert follow(quarterly, "2023-10-31") == [
        "--as-of 2023-10-31",
        "--as-of 2023-10-31 --period 2566-10",
    ]
    assert follow(quarterly, "2023-12-20") == [
        "--as-of 2023-12-20",
        "--as-of 2023-12-20 --period 2566-11",
    ]


def test_shipped_missing_suggests_a_period_it_accepts() -> None:
    assert follow(SHIPPED, "2023-10-31") == [
        "--as-of 2023-10-31",
        "--as-of 2023-10-31 --period 2566-10",
    ]


# --- every corner at once, on a generated city ---------------------------------------------------


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bench/generate.py city with three agencies reporting by quarter, a baseline of a fifth
    of each target, latest rules (every agency tied on each month) and yearly caps."""
    root = tmp_path_factory.mktemp("shaped") / "data"
    argv = ["--out", str(root), "--policies", "2", "--years", "1", "--seed", "3"]
    GENERATOR.main([*argv, "--until", "2567-07"])
    agencies = sorted(p.stem for p in (root / "reports" / "2567").glob("*.csv"))
    report_by_quarter(root, random.Random(4).sample(agencies, 3))
    reshape(root, 0.2, latest=True, caps=True)
    return root


@pytest.mark.parametrize("day", ["2024-04-30", "2024-05-15", "2024-08-20"])
def test_a_generated_city_with_every_corner_agrees_with_the_oracle(shaped: Path, day: str) -> None:
    city = City(shaped)
    v = views(shaped, day)
    statuses = {(r["direction"], r["status"]) for r in v.status["rows"]}
    assert ("lower", "behind") in statuses  # a cap past its target
    assert every_check(city, v, "bang-rak") == []

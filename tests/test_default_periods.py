"""`status` (and `status --projects`) ask for the latest month ended; `missing` chases the month
of the latest period anyone reported: kept apart on purpose (docs/status.md, "Why `missing` and
`status` may ask for different periods"). On the shipped data, whose values stop at June 2024."""

from __future__ import annotations

import json

from helpers import SHIPPED, run


def _json(*args: str) -> dict:
    code, output = run(*args, "--data", str(SHIPPED), "--format", "json")
    assert code == 0, output
    return json.loads(output)


def test_on_31_july_status_asks_for_july_and_missing_chases_june() -> None:
    day = ("--as-of", "2024-07-31")
    assert _json("status", *day)["header"]["period"] == "2567-07"
    assert _json("status", "--projects", *day)["header"]["period"] == "2567-07"
    chase = _json("missing", *day)
    assert chase["header"]["period"] == "2567-06"
    # June's reports were due on 5 July: 26 days overdue on 31 July
    june = {i["days_overdue"] for i in chase["items"] if i["owed"] == "2567-06"}
    assert june == {26}


def test_once_the_month_is_reported_they_agree() -> None:
    day = ("--as-of", "2024-06-30")
    assert _json("status", *day)["header"]["period"] == "2567-06"
    assert _json("status", "--projects", *day)["header"]["period"] == "2567-06"
    assert _json("missing", *day)["header"]["period"] == "2567-06"
    # and missing --period gives the chase list of the period status asks for
    assert (
        _json("missing", "--as-of", "2024-07-31", "--period", "2567-07")["header"]["period"]
        == "2567-07"
    )

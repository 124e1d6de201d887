"""The LibreOffice check opens a good workbook and fails on a broken one."""

from __future__ import annotations

from pathlib import Path

import office
import openpyxl
import pytest
from office import OfficeError, xlsx_to_pdf


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ต้นไม้"
    sheet.append(["เขต", "ต้น"])
    sheet.append(["ดุสิต", 2650])
    book.save(path)
    return path


def test_a_workbook_converts_to_a_pdf(tmp_path: Path) -> None:
    pdf = xlsx_to_pdf(_workbook(tmp_path / "trees.xlsx"), tmp_path / "out")
    assert pdf == tmp_path / "out/trees.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_truncated_workbook_fails_with_what_soffice_said(tmp_path: Path) -> None:
    whole = _workbook(tmp_path / "whole.xlsx").read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(OfficeError) as raised:
        xlsx_to_pdf(broken, tmp_path / "out")
    assert str(raised.value).startswith(f"soffice could not convert {broken} to PDF (exit 0): ")
    assert str(raised.value).endswith("Error: source file could not be loaded")
    assert not (tmp_path / "out/broken.pdf").exists()


def test_an_absent_libreoffice_skips_its_tests_unless_they_are_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(office, "SOFFICE", tmp_path / "soffice")
    monkeypatch.delenv("OKRTOOL_REQUIRE_OFFICE", raising=False)
    absent = (
        f"{tmp_path}/soffice is not installed "
        "(Debian package 'libreoffice-calc-nogui'; .ci/run installs it)"
    )
    with pytest.raises(pytest.skip.Exception) as skipped:
        xlsx_to_pdf(tmp_path / "any.xlsx", tmp_path)
    assert str(skipped.value) == absent
    monkeypatch.setenv("OKRTOOL_REQUIRE_OFFICE", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        xlsx_to_pdf(tmp_path / "any.xlsx", tmp_path)
    assert str(failed.value) == f"{absent}, and OKRTOOL_REQUIRE_OFFICE is set"

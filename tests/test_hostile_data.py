"""Hostile and broken data files: each is refused with a located, readable error, within bounded
time and memory, and no file changes. `okrtool validate` runs as a real subprocess, under a
1 GiB address-space limit, so that a crash or a runaway shows as what it is."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import copy_dataset, snapshot

POLICY = (
    "id: {id}\ntitle_th: ทดสอบ\ntitle_en: Test\ndimension: environment\ngroup: quality-of-life\n"
    "host: env\nokrs: []\n"
)
MEMORY_LIMIT = 1024**3
TIME_LIMIT_S = 20.0
PEAK_LIMIT_KB = 400 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate_bounded(root: Path) -> tuple[int, list[str], float, int]:
    """Run validate in a subprocess; return exit code, output lines, seconds and peak RSS (KB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "okrtool", "validate", "."],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        out, _ = proc.communicate(timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    _, _, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    seconds = time.perf_counter() - start
    peak = usage.ru_maxrss if usage else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc.returncode, out.decode("utf-8").splitlines(), seconds, peak


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


P = "policies/environment/hostile.yaml"
R = "reports/2567/dusit.csv"
HEADER = "key_result,period,value,source,note,file,sha256,cell,recorded_at\n"

# name → (file, content (str or bytes, or a function of the root that makes the file), expected)
CASES: dict[str, tuple[str, str | bytes | Callable[[Path], None], str]] = {
    "alias bomb": (
        P,
        _bomb(),
        f"{P}:6:8: E101 aliases expand to more than 100,000 nodes; a data file does not need "
        "that many (is it an alias bomb?)",
    ),
    "deep flow nesting": (
        P,
        "id: " + "[" * 50_000 + "]" * 50_000 + "\n",
        # the 65th bracket, wherever the YAML library would stop on its own (PyYAML 6.0.4's
        # libyaml refuses at about 1,000 levels, with its own words)
        f"{P}:1:69: E101 nesting is deeper than 64 levels; a data file needs far fewer",
    ),
    "deep flow mappings across lines": (
        P,
        "id: x\nokrs:\n" + "".join(f"  {{k{i}: \n" for i in range(1_500)) + "  1" + "}" * 1_500,
        f"{P}:67:3: E101 nesting is deeper than 64 levels; a data file needs far fewer",
    ),
    "deep block nesting": (
        P,
        "id: x\n" + "".join("  " * i + f"k{i}:\n" for i in range(2000)),
        f"{P}:66:129: E101 nesting is deeper than 64 levels; a data file needs far fewer",
    ),
    "huge file": (
        P,
        "id: x\ntitle_th: " + "ก" * 6_000_000 + "\n",
        f"{P}:1:1: E106 the file is 17.2 MiB; data files are at most 16 MiB (is it the right file?)",
    ),
    "invalid utf-8": (
        P,
        b"id: hostile\ntitle_th: \xff\xfe\n",
        f"{P}:2:11: E106 the file is not UTF-8 text (byte 0xff at offset 22); save it as UTF-8",
    ),
    "utf-16 file": (
        P,
        "id: hostile\n".encode("utf-16"),
        f"{P}:1:1: E106 the file is not UTF-8 text (byte 0xff at offset 0); save it as UTF-8",
    ),
    "tab indentation": (
        P,
        "id: hostile\nokrs:\n\t- id: x\n",
        f"{P}:3:1: E101 while scanning for the next token: found character that cannot start "
        "any token (a tab: indent with spaces, not tabs)",
    ),
    "python object tag": (
        P,
        'id: !!python/object/apply:os.system ["echo pwned"]\n',
        f"{P}:1:5: E101 could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (tags such as !!python/object are "
        "not allowed in data files)",
    ),
    "python name tag": (
        P,
        "id: !!python/name:os.system\n",
        f"{P}:1:5: E101 could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system' (tags such as !!python/object are not "
        "allowed in data files)",
    ),
    "duplicate top-level key": (
        P,
        POLICY.format(id="hostile") + "host: dds\n",
        f"{P}:8:1: E102 key 'host' written twice in one mapping (first at line 6)",
    ),
    "list where a mapping belongs": (
        P,
        "- id: hostile\n- id: other\n",
        f"{P}:1:1: E106 found a list; expected a mapping of keys",
    ),
    "scalar where a mapping belongs": (
        P,
        "just some text\n",
        f"{P}:1:1: E106 found 'just some text'; expected a mapping of keys",
    ),
    "empty file": (P, "", f"{P}:1:1: E106 the file is empty; expected a mapping of keys"),
    "only comments": (
        P,
        "# nothing here\n",
        f"{P}:1:1: E106 the file is empty; expected a mapping of keys",
    ),
    "two documents": (
        P,
        POLICY.format(id="hostile") + "---\nid: other\n",
        f"{P}:8:1: E101 expected a single document in the stream: but found another document",
    ),
    "NUL byte in yaml": (
        P,
        "id: hostile\ntitle_th: a\x00b\n",
        f"{P}:2:12: E101 unacceptable character #x0000: control characters are not allowed",
    ),
    "unhashable key": (
        P,
        "? [a, b]\n: c\n",
        f"{P}:1:3: E101 while constructing a mapping: found unhashable key",
    ),
    "mapping where an id belongs": (
        P,
        POLICY.format(id="{x: 1}"),
        f"{P}:1:5: E103 id: found a mapping, expected text",
    ),
    "thai id": (
        P,
        POLICY.format(id="นโยบาย"),
        f"{P}:1:5: E103 id: found 'นโยบาย', expected an id of lower-case letters, digits and "
        "'-', starting with a letter",
    ),
    "number where text belongs": (
        P,
        POLICY.format(id="hostile").replace("title_en: Test", "title_en: 12"),
        f"{P}:3:11: E103 title_en: found 12, expected text",
    ),
    "bool where a number belongs": (
        "policies/environment/trees.yaml",
        lambda root: _replace(
            root / "policies/environment/trees.yaml", "target: 1000", "target: yes"
        ),
        "policies/environment/trees.yaml:20:17: E103 okrs.0.key_results.0.target: found True, "
        "expected a number",
    ),
    "symlink outside the data folder": (
        P,
        lambda root: os.symlink("/etc/passwd", root / P),
        f"{P}:1:1: E106 symbolic link to /etc/passwd points outside the data folder; expected "
        "a file inside it",
    ),
    "symlink loop": (
        P,
        lambda root: os.symlink(root / P, root / P),
        f"{P}:1:1: E106 symbolic link loops onto itself",
    ),
    "thai text then a control character": (
        P,
        "id: hostile\ntitle_th: นโยบายทดสอบ\x01\n",
        # libyaml counts the place in bytes (3 a Thai letter); the column is in characters
        f"{P}:2:22: E101 unacceptable character #x0001: control characters are not allowed",
    ),
    "thai text then a byte that is not utf-8": (
        P,
        "id: hostile\ntitle_th: นโยบาย".encode() + b"\xff\n",
        f"{P}:2:17: E106 the file is not UTF-8 text (byte 0xff at offset 40); save it as UTF-8",
    ),
    "broken symlink": (
        P,
        lambda root: os.symlink("gone.yaml", root / P),
        f"{P}:1:1: E106 broken symbolic link to gone.yaml, which does not exist",
    ),
    "symlink to a folder above": (
        "policies/environment/loop",
        lambda root: os.symlink("..", root / "policies/environment/loop"),
        "policies/environment/loop:1:1: E106 symbolic link loops back to a folder above it",
    ),
    "folder where a policy file belongs": (
        P,
        lambda root: (root / P).mkdir(),
        f"{P}:1:1: E106 a folder where a file is expected; nothing in it was read",
    ),
    "named pipe where a policy file belongs": (
        P,
        lambda root: os.mkfifo(root / P),
        f"{P}:1:1: E106 not a regular file (a pipe, socket or device); expected a file",
    ),
    "policy file with an upper-case suffix": (
        "policies/environment/hostile.YAML",
        POLICY.format(id="hostile"),
        "policies/environment/hostile.YAML:1:1: E106 not a data file: only .yaml files are read "
        "here; rename it to .yaml, or move it out of the data folder",
    ),
    "workbook among the report files": (
        "reports/2567/dusit.xlsx",
        b"PK\x03\x04",
        "reports/2567/dusit.xlsx:1:1: E106 not a data file: report files are <agency>.csv (a "
        "workbook goes in through okrtool import-reports); rename it, or move it out of the "
        "data folder",
    ),
    "file where the reports folder belongs": (
        "reports",
        lambda root: (shutil.rmtree(root / "reports"), (root / "reports").write_text("")),
        "reports:1:1: E106 a file where a folder is expected; nothing in it was read",
    ),
    "no policies folder": (
        "policies",
        lambda root: shutil.rmtree(root / "policies"),
        "policies:1:1: E106 no such folder; expected the policy files in it "
        "(policies/<dimension>/<policy id>.yaml)",
    ),
    "csv with NUL byte": (
        R,
        HEADER + "trees-planted,2567-06,1\x002,manual,,,,,\n",
        f"{R}:2:1: E107 the file holds a NUL byte; is it a CSV file?",
    ),
    "csv not utf-8": (
        R,
        (HEADER + "trees-planted,2567-06,1,manual,caf\xe9,,,,\n").encode("latin-1"),
        f"{R}:2:35: E106 the file is not UTF-8 text (byte 0xe9 at offset 99); save it as UTF-8",
    ),
    "csv row too short": (
        R,
        HEADER + "trees-planted,2567-06,1\n",
        f"{R}:2:1: E107 row has 3 columns; expected 9",
    ),
    "csv value with thousands separator": (
        R,
        HEADER + 'trees-planted,2567-06,"1,500",manual,,,,,\n',
        f"{R}:2:23: E103 value '1,500' is not a plain number; expected digits with '.' as the "
        "decimal point, like 1234.5",
    ),
    "csv value nan": (
        R,
        HEADER + "trees-planted,2567-06,nan,manual,,,,,\n",
        f"{R}:2:23: E103 value 'nan' is not a plain number; expected digits with '.' as the "
        "decimal point, like 1234.5",
    ),
    "csv unknown source": (
        R,
        HEADER + "trees-planted,2567-06,5,guess,,,,,\n",
        f"{R}:2:25: E103 source 'guess' is not a source; expected one of published, estimated, "
        "import, manual",
    ),
    "csv report folder not a year": (
        "reports/latest/dusit.csv",
        HEADER,
        "reports/latest/dusit.csv:1:1: E501 folder 'latest' is not a year; report files live "
        "in data/reports/<BE fiscal year>/<agency>.csv",
    ),
    "csv report folder in CE": (
        "reports/2024/dusit.csv",
        HEADER,
        "reports/2024/dusit.csv:1:1: E501 fiscal year 2024 looks like a CE year; fiscal years "
        "are BE, did you mean 2567?; report files live in data/reports/<BE fiscal "
        "year>/<agency>.csv",
    ),
}


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_is_refused_with_a_located_error(tmp_path: Path, name: str) -> None:
    file, content, expected = CASES[name]
    root = copy_dataset(tmp_path)
    target = root / file
    target.parent.mkdir(parents=True, exist_ok=True)
    if callable(content):
        content(root)
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    before = snapshot(root)
    code, lines, seconds, peak_kb = validate_bounded(root)
    assert code == 1, lines
    assert expected in lines
    assert lines[-1].startswith("FAILED: ")
    assert seconds < TIME_LIMIT_S
    assert peak_kb < PEAK_LIMIT_KB
    assert snapshot(root) == before


def test_a_bom_and_crlf_line_ends_are_accepted(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    trees = root / "policies/environment/trees.yaml"
    trees.write_bytes(b"\xef\xbb\xbf" + trees.read_bytes().replace(b"\n", b"\r\n"))
    report = root / R
    report.write_bytes(b"\xef\xbb\xbf" + report.read_bytes().replace(b"\n", b"\r\n"))
    code, lines, _, _ = validate_bounded(root)
    assert code == 0, lines


def test_brackets_in_text_do_not_count_as_nesting(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    _replace(
        root / "policies/environment/trees.yaml",
        "title_en: ",
        "title_en: a[" + "[" * 70 + " ",
    )
    _replace(
        root / "policies/environment/trees.yaml",
        "title_th: ปลูกต้นไม้ล้านต้น\n",
        "title_th: '" + "[{" * 70 + "'' # ปลูกต้นไม้ล้านต้น'  # [[[" + "[" * 70 + "\n",
    )
    code, lines, _, _ = validate_bounded(root)
    assert code == 0, lines


def test_small_aliases_and_merge_keys_are_fine(tmp_path: Path) -> None:
    root = copy_dataset(tmp_path)
    _replace(
        root / "policies/environment/trees.yaml",
        "          phra-nakhon: 250\n          dusit: 250\n          bang-rak: 250\n          pathum-wan: 250\n",
        "          &quarter\n          phra-nakhon: 250\n          dusit: 250\n          bang-rak: 250\n          pathum-wan: 250\n",
    )
    code, lines, _, _ = validate_bounded(root)
    assert code == 0, lines

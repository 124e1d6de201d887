"""The YAML parse cache: used when it holds a file's text, never trusted blindly, never needed."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from okrtool.io.load import DuplicateKey, Loaded, load_yaml, read_text
from okrtool.io.yamlcache import ParseCache

from helpers import copy_dataset, edit, line_of, run

POLICY = "policies/environment/trees.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OKRTOOL_CACHE_DIR", str(folder))
    monkeypatch.delenv("OKRTOOL_NO_CACHE", raising=False)
    return folder


def entry_of(cache: Path, file: Path) -> Path:
    """The cache entry of ``file``'s text (as the loader names it)."""
    path = ParseCache(cache)._path(read_text(file))
    assert path is not None
    return path


def test_a_validate_fills_the_cache_and_the_next_one_gives_the_same_output(
    tmp_path: Path, cache: Path
) -> None:
    root = copy_dataset(tmp_path)
    policy = root / POLICY
    edit(policy, "title_en: Plant", "title_th: ซ้ำ\ntitle_en: Plant")  # a key written twice
    line = line_of(policy, "title_th: ซ้ำ")
    first = run("validate", str(root))
    assert first[0] == 1
    assert f"{POLICY}:{line}:1: E102 key 'title_th' written twice in one mapping" in first[1]
    yaml_files = sorted(root.rglob("*.yaml"))
    assert sorted(p.name for p in (cache / "yaml").iterdir()) == sorted(
        entry_of(cache, f).name for f in yaml_files
    )
    assert run("validate", str(root)) == first


def test_an_entry_is_what_the_loader_reads(tmp_path: Path, cache: Path) -> None:
    root = copy_dataset(tmp_path)
    run("validate", str(root))
    policy = root / POLICY
    entry = entry_of(cache, policy)
    planted = Loaded(load_yaml(read_text(policy)).data, [DuplicateKey("planted", 7, 5, 3)])
    entry.write_bytes(pickle.dumps(planted))
    code, out = run("validate", str(root))
    assert code == 1
    assert f"{POLICY}:7:5: E102 key 'planted' written twice in one mapping (first at line 3)" in out


def test_an_edited_file_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    root = copy_dataset(tmp_path)
    run("validate", str(root))
    policy = root / POLICY
    old = entry_of(cache, policy)
    edit(policy, "title_en: Plant", "title_en2: Plant")
    code, out = run("validate", str(root))
    assert code == 1
    assert f"{POLICY}:{line_of(policy, 'title_en2:')}:1: E104 unknown key 'title_en2'" in out
    assert old.exists() and entry_of(cache, policy).exists()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda p: p.write_bytes(b"not a pickle"), id="garbage"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:20]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(pickle.dumps({"a": 1})), id="not-loaded"),
        pytest.param(lambda p: os.chmod(p, 0o666), id="writable-by-others"),
    ],
)
def test_a_spoiled_entry_is_parsed_instead(tmp_path: Path, cache: Path, spoil) -> None:
    root = copy_dataset(tmp_path)
    clean = run("validate", str(root))
    assert clean[0] == 0
    policy = root / POLICY
    entry = entry_of(cache, policy)
    planted = Loaded({"id": "planted"}, [DuplicateKey("planted", 7, 5, 3)])
    entry.write_bytes(pickle.dumps(planted))  # used if trusted: validate would fail
    spoil(entry)
    assert run("validate", str(root)) == clean


def test_no_cache_with_okrtool_no_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OKRTOOL_NO_CACHE", "1")
    root = copy_dataset(tmp_path)
    assert run("validate", str(root))[0] == 0
    assert not cache.exists()


def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path: Path, cache: Path) -> None:
    cache.write_text("a file where the folder should be", encoding="utf-8")
    root = copy_dataset(tmp_path)
    code, out = run("validate", str(root))
    assert code == 0 and "OK: no problems." in out
    assert cache.read_text(encoding="utf-8") == "a file where the folder should be"


def test_files_that_do_not_parse_are_not_kept(tmp_path: Path, cache: Path) -> None:
    root = copy_dataset(tmp_path)
    policy = root / POLICY
    policy.write_text("id: [unclosed\n", encoding="utf-8")
    code, out = run("validate", str(root))
    assert code == 1 and f"{POLICY}:2:1: E101" in out
    assert not entry_of(cache, policy).exists()

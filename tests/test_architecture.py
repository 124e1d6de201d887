"""ARCHITECTURE.md stays true: every path it names exists, and it stays short enough to read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
DOC = ROOT / "ARCHITECTURE.md"

#: A path in backquotes: a folder or file under the package, the tests or the benchmarks, or a
#: module named from inside the package (``io/store.py``).
PATH = re.compile(r"`((?:okrtool|tests|bench|docs)/[\w./-]*|[a-z_]+/[\w/]*\.py|[a-z_]+\.py)`")


def named_paths(text: str) -> list[str]:
    """Every path ARCHITECTURE.md writes in backquotes, as written."""
    return PATH.findall(text)


def resolve(name: str) -> Path:
    """Where a named path lives: as written from the root, else inside okrtool/."""
    if name.split("/")[0] in {"okrtool", "tests", "bench", "docs"}:
        return ROOT / name
    return ROOT / "okrtool" / name


def test_every_module_and_folder_it_names_exists() -> None:
    names = named_paths(DOC.read_text(encoding="utf-8"))
    assert len(names) >= 40, names  # the code map names the modules, not only the packages
    missing = [name for name in names if not resolve(name).exists()]
    assert missing == [], f"ARCHITECTURE.md names what does not exist: {missing}"


def test_it_names_every_package() -> None:
    text = DOC.read_text(encoding="utf-8")
    packages = sorted(
        p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "okrtool").glob("*/__init__.py")
    )
    unnamed = [p for p in packages if f"`{p}/`" not in text]
    assert unnamed == [], f"ARCHITECTURE.md's code map does not name: {unnamed}"


def test_it_is_at_most_200_lines() -> None:
    assert len(DOC.read_text(encoding="utf-8").splitlines()) <= 200


def test_a_name_that_does_not_exist_is_caught() -> None:
    names = named_paths("see `okrtool/io/nowhere.py` and `rules/gone.py` and `model.py`")
    assert names == ["okrtool/io/nowhere.py", "rules/gone.py", "model.py"]
    assert [n for n in names if not resolve(n).exists()] == [
        "okrtool/io/nowhere.py",
        "rules/gone.py",
    ]

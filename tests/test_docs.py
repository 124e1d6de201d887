"""The documentation cannot drift: rules.md is generated, every command explains itself."""

from __future__ import annotations

from pathlib import Path

import typer

from okrtool.cli import app
from okrtool.problems import CODES, rules_markdown

from helpers import run

ROOT = Path(__file__).parent.parent


def test_rules_page_is_the_generated_catalogue() -> None:
    assert (ROOT / "docs/rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "regenerate it: okrtool rules --markdown > docs/rules.md"
    )


def test_every_rule_code_is_exercised_by_a_test() -> None:
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    untested = [code for code in CODES if f" {code} " not in tests and f'"{code}"' not in tests]
    assert untested == []


def test_every_command_has_help_text() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert "validate" in commands
    for name, command in commands.items():
        assert command.help and len(command.help) > 20, f"{name} has no help"
        code, out = run(name, "--help")
        assert code == 0
        assert f"Usage: okrtool {name}" in out.replace("\n", " ") or "Usage:" in out
        for param in command.params:
            if isinstance(param, typer.core.TyperOption) and param.name != "help":
                assert param.help, f"{name} --{param.name} has no help"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    missing = [name for name in commands if f"okrtool {name}" not in readme]
    assert missing == []


def test_every_rule_code_is_listed_in_the_validate_page() -> None:
    page = (ROOT / "docs/validate.md").read_text(encoding="utf-8")
    assert [code for code in CODES if f"({code})" not in page] == []


def test_ci_runs_exactly_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert len(commands) == 2
    assert all(c in ci for c in commands), (commands, ci)
    assert all("-c constraints.txt" in c for c in commands)
    install = (ROOT / "docs/install.md").read_text(encoding="utf-8")
    assert f"```sh\n{block}```" in install, "docs/install.md repeats the README's two commands"


def test_constraints_pin_every_dependency_exactly() -> None:
    import tomllib

    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    names = {w.split(">")[0].split("<")[0].split("=")[0].strip().lower() for w in wanted}
    assert names - pins == set()

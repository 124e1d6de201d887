"""The command group that builds a command only when it is used (issue 16: `okrtool --help` in
≤ 0.1 s).

typer builds a click command from its function's signature, reading every parameter's
annotation: about 2 ms a command, 30 ms for okrtool's fourteen, which `okrtool --help` paid
before it printed a line, and every command paid for the thirteen it was not. ``LazyGroup``
holds ``LazyCommands``, each command's typer record until it is looked up; the list of commands
in ``--help`` is made by typer's own code from stand-ins that carry only each command's help,
so it prints the same bytes. ``cli/app.py`` makes the group (``command_group``); the command
modules register their commands on the typer app as before.

It rests on typer's ``get_command_from_info`` and ``TyperGroup``'s use of ``commands``,
``list_commands`` and ``get_command`` (typer 0.29.2, pinned): tests/test_cli_lazy.py compares
every help and a usage error with typer's own group, byte for byte.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING

from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo

if TYPE_CHECKING:
    from typer import _click as click  # typer 0.29 carries its own click
    from typer.core import MarkupMode


class LazyCommands(MutableMapping[str, "click.Command"]):
    """A group's commands by name, in the order registered, each built from its typer record
    the first time it is looked up (typer builds a command from its function's signature,
    reading every parameter's annotation: about 2 ms a command, 30 ms for all fourteen)."""

    def __init__(
        self, infos: dict[str, CommandInfo], markup: MarkupMode, short_tracebacks: bool
    ) -> None:
        self.infos = infos
        self.markup = markup
        self.short_tracebacks = short_tracebacks
        self.built: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.built:
            from typer.main import get_command_from_info

            info = self.infos[name]  # KeyError: no such command
            self.built[name] = get_command_from_info(
                info,
                pretty_exceptions_short=self.short_tracebacks,
                rich_markup_mode=self.markup,
            )
        return self.built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.built[name] = command
        self.infos.setdefault(name, CommandInfo(name))

    def __delitem__(self, name: str) -> None:
        del self.infos[name]
        self.built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.infos  # without building it (Mapping's would)

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)

    def listed(self, name: str) -> click.Command:
        """What the list of commands shows of ``name``: the command if built, else a stand-in
        with its help as typer makes it (the given help, else the function's docstring) and
        nothing else."""
        if name in self.built:
            return self.built[name]
        info = self.infos[name]
        text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        return TyperCommand(
            name,
            help=text,
            short_help=info.short_help,
            hidden=info.hidden,
            deprecated=info.deprecated,
            rich_markup_mode=self.markup,
        )


class LazyGroup(TyperGroup):
    """okrtool's command group: given ``LazyCommands`` (``command_group``), it builds a command
    only when it is run or its own ``--help`` is asked for, and ``okrtool --help`` lists the
    commands from their help texts by typer's own formatting (the same bytes) without building
    one. Given built commands (typer's way: ``app()``, ``CliRunner().invoke(app)``) it is
    typer's group."""

    #: True while ``format_commands`` lists the commands: look-ups then give stand-ins.
    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The commands' names in the order they were registered (``--help`` lists them so),
        without building them (typer's ``list_commands`` reads every value)."""
        return list(self.commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name`` (built on first use); while listing, what the list shows."""
        if self._listing and isinstance(self.commands, LazyCommands) and cmd_name in self.commands:
            return self.commands.listed(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The Commands section of ``--help``, by typer's code, from what each command lists."""
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


def command_name(info: CommandInfo) -> str:
    """A registered command's name, as typer names it (the function's, with '-' for '_')."""
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)

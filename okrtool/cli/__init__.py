"""The command line: one module per family of commands, each registering its commands on the app
of ``okrtool.cli.app`` when imported; this package imports them in the order --help lists them.
The group the console script runs (``app.command_group``) builds a command only when it is used
(``cli/group.py``)."""

# isort: off
from okrtool.cli import check  # noqa: F401  validate, rules, schema
from okrtool.cli import progress  # noqa: F401  status, missing
from okrtool.cli import brief  # noqa: F401
from okrtool.cli import handbook  # noqa: F401
from okrtool.cli import history  # noqa: F401
from okrtool.cli import plan  # noqa: F401  diff
from okrtool.cli import reports  # noqa: F401  report-template, import-reports
from okrtool.cli import plan_io  # noqa: F401  plan-template, import-plan
from okrtool.cli import site  # noqa: F401
from okrtool.cli.app import app, main
# isort: on

__all__ = ["app", "main"]

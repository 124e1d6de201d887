"""The errors a command raises for the CLI to turn into a message and an exit code."""


class OkrtoolError(Exception):
    """A problem a person must fix; the message says where, what was found and what was expected."""

    exit_code = 1


class UsageError(OkrtoolError):
    """Wrong arguments, or a path that cannot be read: exit 2."""

    exit_code = 2

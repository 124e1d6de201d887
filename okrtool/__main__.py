"""The console script `okrtool` and `python -m okrtool`: the command line, imported inside a try so
that Ctrl-C while it loads (its first ~50 ms) ends as it does later, with exit 130 and no
traceback. Nothing else is imported first, so `okrtool --help` starts as fast as before."""

import sys


def main() -> None:
    """Import the command line and run it; exit with its code."""
    try:
        import okrtool.cli  # noqa: F401  every command registers itself on the app
        from okrtool.cli.app import invoke
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(invoke())


if __name__ == "__main__":
    main()

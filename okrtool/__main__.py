"""`python -m okrtool`: the same command line as `okrtool`."""

from okrtool.cli import main

main()

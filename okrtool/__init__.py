"""okrtool: policies, OKRs and who-does-what (H/R) for a city, kept as plain files in git."""

__version__ = "0.1.0"

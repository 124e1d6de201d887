"""Reading and writing files: YAML, the data folder, report CSVs, workbooks, git, output files.

Nothing here computes a figure or checks a cross-file rule; it turns files into models and
values (and back) and says precisely where a file is wrong.
"""

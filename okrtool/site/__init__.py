"""The public progress site: static HTML pages, open data and a datapackage.json, from the same
rows as ``okrtool status`` and ``okrtool missing``.

- ``build.py``  gathers the rows (``okrtool.progress``, ``okrtool.progress.site``) and renders the
  pages with Jinja2 templates (``templates/``): a site is a mapping path → bytes;
- ``charts.py`` turns rows into chart geometry (SVG drawn by the templates);
- ``opendata.py`` the CSV and JSON files and their datapackage.json;
- ``write.py``  writes a site into a folder atomically.

Jinja2 is imported only here, inside ``okrtool site``.
"""

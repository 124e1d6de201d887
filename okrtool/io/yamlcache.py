"""The YAML parse cache: what a file parses to (``Loaded``), by the SHA-256 of its text.

PyYAML builds Python objects at about 3 MB a second, so ten years of policies (8 MB) take 2.5 s
to parse and 0.1 s to unpickle. An edited file has another digest, so a cached entry is never
stale; only files that parse are kept, so every syntax error is found by parsing, and a value
that cannot be constructed (``BadValue``) is kept with the parse, so a cached file reports it too.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import yaml

from okrtool.io.load import MAX_ALIAS_EXPANSION, MAX_DEPTH, Loaded, YamlError, load_yaml, read_text

#: Where the cache folder is: this environment variable, else $XDG_CACHE_HOME/okrtool, else
#: ~/.cache/okrtool. OKRTOOL_NO_CACHE=1 turns the cache off.
CACHE_ENV, NO_CACHE_ENV = "OKRTOOL_CACHE_DIR", "OKRTOOL_NO_CACHE"
#: Below this many characters of YAML not in the cache, parsing in one process is quicker.
PARALLEL_YAML_CHARS = 1_000_000
#: Older entries are removed when the folder holds more than this many.
MAX_CACHE_ENTRIES = 20_000
#: Part of every key: what a parse depends on besides the text.
_CACHE_SALT = (
    f"okrtool-yaml-2 {yaml.__version__} {sys.version_info[:2]} {MAX_DEPTH} {MAX_ALIAS_EXPANSION}"
)


def cache_folder() -> Path | None:
    """The parse cache folder for this user, or None if the cache is off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okrtool"


class ParseCache:
    """Parsed YAML (``Loaded``) by the SHA-256 of the text, one pickle a file in ``folder``.

    Loading a pickle runs what it names, so an entry is used only if this user owns it and no
    one else may write it (the folder is made private); anything unreadable counts as absent.
    A cache that cannot be written (read-only home, full disk) is simply not written.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "yaml" if folder is not None else None
        self.written = 0
        #: parsed ahead by ``preload``, by digest; each taken once by ``load``
        self.ready: dict[str, Loaded] = {}
        #: the text and digest of each file ``preload`` read; each taken once by ``read``
        self._read_ahead: dict[Path, tuple[str, str]] = {}

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(_CACHE_SALT.encode() + b"\0" + text.encode("utf-8")).hexdigest()

    def _entry(self, digest: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{digest}.pickle"

    def _path(self, text: str) -> Path | None:
        """The cache entry of ``text`` (None if the cache is off)."""
        return self._entry(self._digest(text))

    def read(self, path: Path) -> Loaded:
        """The file ``path`` read (``read_text``) and parsed (``load``), with the text and
        digest that ``preload`` took of it, if it did, rather than a second read and hash."""
        ahead = self._read_ahead.pop(path, None)
        if ahead is None:
            text = read_text(path)
            return self._load(text, self._digest(text))
        return self._load(*ahead)

    def load(self, text: str) -> Loaded:
        """``load_yaml(text)``, from the cache when it holds the text's entry."""
        return self._load(text, self._digest(text))

    def _load(self, text: str, digest: str) -> Loaded:
        if digest in self.ready:
            return self.ready.pop(digest)
        path = self._entry(digest)
        if path is not None:
            found = self._get(path)
            if found is not None:
                return found
        loaded = load_yaml(text)
        if path is not None:
            self._put(path, loaded)
        return loaded

    def preload(self, paths: list[Path]) -> None:
        """Parse ahead, in one process a core (``parallel.fork_map``), the files of ``paths``
        that the cache does not hold, when they are enough YAML to be worth it. A file that does
        not read or parse is left for ``load`` to report."""
        from okrtool.io.parallel import share_out

        todo: list[tuple[str, str]] = []
        for path in paths:
            try:
                text = read_text(path)
            except (OSError, YamlError):
                continue
            digest = self._digest(text)
            self._read_ahead[path] = (text, digest)
            entry = self._entry(digest)
            # os.path.exists: an entry this user may not even look at (a HOME kept by sudo -u)
            # is absent, where Path.exists raises PermissionError
            if digest not in self.ready and (entry is None or not os.path.exists(entry)):
                todo.append((digest, text))
        sizes = [len(text) for _, text in todo]
        if len(todo) < 2 or sum(sizes) < PARALLEL_YAML_CHARS:
            return  # parsed one by one as they are loaded
        for part in share_out(_parse_all, todo, sizes, PARALLEL_YAML_CHARS):
            for digest, loaded in part:
                self.ready[digest] = loaded
                entry = self._entry(digest)
                if entry is not None:
                    self._put(entry, loaded)

    @staticmethod
    def _get(path: Path) -> Loaded | None:
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                    return None
                found = pickle.load(f)
        except Exception:  # absent, unreadable, truncated, from another version: parse instead
            return None
        return found if isinstance(found, Loaded) else None

    def _put(self, path: Path, loaded: Loaded) -> None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(loaded, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            return
        self.written += 1

    def prune(self) -> None:
        """Remove the oldest entries beyond MAX_CACHE_ENTRIES (after a run that wrote some)."""
        if self.folder is None or not self.written:
            return
        try:
            entries = list(os.scandir(self.folder))
            if len(entries) <= MAX_CACHE_ENTRIES:
                return
            entries.sort(key=lambda e: e.stat().st_mtime)
            for entry in entries[: len(entries) - MAX_CACHE_ENTRIES]:
                os.unlink(entry.path)
        except OSError:
            return


def _parse_all(items: list[tuple[str, str]]) -> list[tuple[str, Loaded]]:
    """Each (digest, text) parsed, for ``ParseCache.preload``; what does not parse is left out."""
    out = []
    for digest, text in items:
        try:
            out.append((digest, load_yaml(text)))
        except YamlError:
            continue
    return out

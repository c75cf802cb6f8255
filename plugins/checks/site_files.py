"""The built site as a web server sees it: which files exist and which URL path serves which file.

The resolution rules are the server's (see plugins/server): /x/ serves x/index.html, /x serves
the file x or x.html, or redirects to /x/ when x/index.html exists.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
import posixpath
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from model.cache import load_pickle, save_pickle


@dataclass
class SiteFiles:
    root: Path
    files: frozenset[str]  # relative POSIX paths of every file in the output
    pending: dict[str, bytes] = field(default_factory=dict)  # an in-place build's unwritten files
    digests: dict[str, bytes] = field(default_factory=dict)  # file -> digest of what the build wrote
    resolved: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def scan(cls, root: Path, pending: dict[str, bytes] | None = None, removed=frozenset(),
             digests: dict[str, bytes | None] | None = None, listing: Path | None = None,
             files: set[str] | None = None) -> SiteFiles:
        """The site at `root`, or as it will be once `pending` is written and `removed` deleted;
        `digests` are those of the files the build wrote (site_pages.output); the folders'
        listings are kept in the file `listing` between scans (FolderListing), unless the
        `files` on disk are known."""
        root = Path(root)
        files = FolderListing(listing).files_below(root) if files is None else files
        pending = pending or {}
        known = {file: digest for file, digest in (digests or {}).items() if digest is not None}
        return cls(root, frozenset((files - set(removed)) | set(pending)), pending, known)

    def stamp(self, file: str):
        """What identifies this version of `file` between builds: the digest of what the build
        wrote, else its size and modification time on disk (None: not known)."""
        if file in self.digests:
            return self.digests[file]
        if file in self.pending:
            return None
        try:  # asked for the few files the build did not write (the search index's), not all
            status = os.stat(self.root / file)
        except OSError:
            return None
        return status.st_size, status.st_mtime_ns

    def size(self, file: str) -> int:
        data = self.pending.get(file)
        return len(data) if data is not None else os.stat(self.root / file).st_size

    def read(self, file: str) -> bytes:
        data = self.pending.get(file)
        return data if data is not None else (self.root / file).read_bytes()

    def source(self, file: str):
        """Something a parser can open: the pending bytes, or the file's path."""
        data = self.pending.get(file)
        return io.BytesIO(data) if data is not None else str(self.root / file)

    def by_suffix(self, *suffixes: str) -> list[str]:
        return sorted(f for f in self.files if f.lower().endswith(suffixes))

    def resolve(self, path: str) -> str | None:
        """The file that serves URL `path` (site-absolute, without query or fragment), or None."""
        if path not in self.resolved:  # every page links the same menus: resolve each URL once
            self.resolved[path] = self._resolve(path)
        return self.resolved[path]

    def _resolve(self, path: str) -> str | None:
        path = unquote(path)
        relative = posixpath.normpath(path).lstrip("/") if path not in ("", "/") else ""
        if relative == "." or relative.startswith(".."):
            relative = ""
        if path.endswith("/"):
            index = f"{relative}/index.html" if relative else "index.html"
            return index if index in self.files else None
        for candidate in (relative, relative + ".html", relative + "/index.html"):
            if candidate in self.files:
                return candidate
        return None


class FolderListing:
    """The files below a folder, kept between scans in a file: a folder whose modification time
    is what it was when it was listed is not listed again (adding, removing or renaming an
    entry sets its folder's time), so a rebuild stats 10,000 folders instead of reading them.
    A folder changed shortly before it was listed is listed again next time: a change in the
    same tick of the file system's clock would not show in its time."""

    RACY_NS = 2_000_000_000

    def __init__(self, path: Path | None):
        self.path = Path(path) if path else None
        self.known: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {}
        if self.path is not None:
            try:
                self.known = load_pickle(self.path)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                pass

    def files_below(self, root: Path) -> set[str]:
        """POSIX paths, relative to `root`, of its files (symbolic links to folders not followed)."""
        now, found, listed = time.time_ns(), set(), {}
        folders = [""]
        while folders:  # os.scandir: a tenth of the cost of Path.rglob on 30,000 files
            prefix = folders.pop()
            folder = os.path.join(root, prefix)
            stamp = os.stat(folder).st_mtime_ns
            known = self.known.get(prefix)
            if known is not None and known[0] == stamp:
                names, subfolders = known[1], known[2]
            else:
                names, subfolders = _entries(folder)
            if now - stamp > self.RACY_NS:
                listed[prefix] = (stamp, names, subfolders)
            found.update(prefix + name for name in names)
            folders.extend(prefix + name + "/" for name in subfolders)
        if self.path is not None and listed != self.known:
            save_pickle(self.path, listed)
        return found


def _entries(folder: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(files, folders) directly in `folder`."""
    names, subfolders = [], []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(entry.name)
            elif entry.is_file():
                names.append(entry.name)
    return tuple(names), tuple(subfolders)


def page_url(relative: str) -> str:
    """The URL path a file is served at: about/index.html -> /about/, 404.html -> /404.html."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def split_internal(url: str, base: str, own_hosts: frozenset[str]) -> tuple[str, str] | None:
    """(path, fragment) if `url` (found on the page at `base`) points into this site, else None."""
    if url.startswith("/") and not url.startswith("//") and not UNPLAIN.search(url):
        path, _, fragment = url.partition("#")  # the menus' links: nothing for urljoin to resolve
        return path, fragment
    return _split_internal(url, base, own_hosts)


UNPLAIN = re.compile(r"/\.|[?\\\s]")  # dot segments, a query, backslashes, whitespace


@functools.lru_cache(maxsize=1 << 16)
def _split_internal(url: str, base: str, own_hosts: frozenset[str]) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if parts.netloc and (parts.hostname or "").lower() not in own_hosts:
        return None
    joined = urlsplit(urljoin(base, url))
    return joined.path or "/", joined.fragment

"""The built site as a web server sees it: which files exist and which URL path serves which file.

The resolution rules are the server's (see plugins/server): /x/ serves x/index.html, /x serves
the file x or x.html, or redirects to /x/ when x/index.html exists.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


@dataclass
class SiteFiles:
    root: Path
    files: frozenset[str]  # relative POSIX paths of every file in the output
    pending: dict[str, bytes] = field(default_factory=dict)  # an in-place build's unwritten files
    digests: dict[str, bytes] = field(default_factory=dict)  # file -> digest of what the build wrote
    resolved: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def scan(cls, root: Path, pending: dict[str, bytes] | None = None, removed=frozenset(),
             digests: dict[str, bytes | None] | None = None) -> SiteFiles:
        """The site at `root`, or as it will be once `pending` is written and `removed` deleted;
        `digests` are those of the files the build wrote (site_pages.output)."""
        root = Path(root)
        files = set()
        folders = [("", str(root))]
        while folders:  # os.scandir: a tenth of the cost of Path.rglob on 30,000 files
            prefix, folder = folders.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((prefix + entry.name + "/", entry.path))
                    elif entry.is_file():
                        files.add(prefix + entry.name)
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

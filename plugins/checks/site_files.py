"""The built site as a web server sees it: which files exist and which URL path serves which file.

The resolution rules are the server's (see plugins/server): /x/ serves x/index.html, /x serves
the file x or x.html, or redirects to /x/ when x/index.html exists.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


@dataclass
class SiteFiles:
    root: Path
    files: frozenset[str]  # relative POSIX paths of every file in the output

    @classmethod
    def scan(cls, root: Path) -> SiteFiles:
        root = Path(root)
        return cls(root, frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))

    def by_suffix(self, *suffixes: str) -> list[str]:
        return sorted(f for f in self.files if f.lower().endswith(suffixes))

    def resolve(self, path: str) -> str | None:
        """The file that serves URL `path` (site-absolute, without query or fragment), or None."""
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
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if parts.netloc and (parts.hostname or "").lower() not in own_hosts:
        return None
    joined = urlsplit(urljoin(base, url))
    return joined.path or "/", joined.fragment

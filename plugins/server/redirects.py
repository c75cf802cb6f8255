"""The legacy-domain redirect map as the servers need it: every old path with its common
variants (/x/ and /x/index.html are one page on most old servers)."""

from __future__ import annotations


def legacy_paths(redirects) -> dict[str, str]:
    """Old path (decoded) -> new path, with the /x/ <-> /x/index.html variants editors leave out."""
    paths = {r.old: r.new for r in redirects}
    variants = {}
    for old, new in paths.items():
        if old.endswith("/"):
            variants[old + "index.html"] = new
        elif old.endswith(("/index.html", "/index.htm")):
            variants[old.rsplit("/", 1)[0] + "/"] = new
    return {**variants, **paths}  # what editors wrote wins

"""Checks on the finished output, run by scripts/build.py as the build's last step, before the
new output replaces the old: a finding fails the build, so the published site stays as it was.

Not a Pelican plugin: it reads the output folder only, so it also checks what any plugin or
tool (a search index, a converter) wrote there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from model.contacts import published_phone_numbers
from model.problems import Problem
from model.redirects import redirects_file
from model.site import display as display_path
from opendata.tables import PUBLISHER
from site_pages.output import content_digest

from .memo import CheckMemo
from .published_files import CHECKS, Policy, check_published_files, file_outcome
from .references import SCANNED, page_outcome, scan_references
from .site_files import FolderListing, SiteFiles

__all__ = ["Checker", "check_output", "output_files", "own_hosts"]


def own_hosts(settings: dict) -> frozenset[str]:
    """Host names that are this site: absolute URLs to them are internal links."""
    hosts = {settings.get("SITE_HOST") or "", urlsplit(settings.get("SITEURL") or "").hostname or ""}
    return frozenset(h.lower() for h in hosts if h)


class Checker:
    """The checks of one file as a build with `settings` makes them: an outcome depends on the
    file's bytes and on this alone, so it may be made wherever the bytes are at hand."""

    def __init__(self, settings: dict):
        self.policy = Policy(authors=frozenset(PUBLISHER.values()) | frozenset(settings.get("PUBLISHED_AUTHORS", ())),
                             phones=published_phone_numbers(Path(settings["PATH"]))[0])
        self.hosts = own_hosts(settings)
        self.version = repr((sorted(self.policy.authors), sorted(self.policy.phones), sorted(self.hosts),
                             code_version()))

    def ahead(self, files: Mapping[str, bytes], reader=None) -> dict[tuple[str, str], tuple]:
        """(kind, file) -> (digest, outcome) of files made before the output is checked: made
        beside the build (the open data in its own process, pages in the render workers), the
        checks then find them done (CheckMemo.take). `reader(file, bytes, tree)` is given each
        HTML page as parsed for its checks, and may not change it (the search index reads it)."""
        site = SiteFiles(Path(), frozenset(files), dict(files))
        found = {}
        for file, data in files.items():
            kind = next((method for method, suffixes in SCANNED if file.lower().endswith(suffixes)), None)
            if kind is not None:
                parsed = None if reader is None else lambda tree, file=file, data=data: reader(file, data, tree)
                found[kind, file] = (content_digest(data), page_outcome(site, kind, file, self.hosts, self.policy, parsed))
            elif file.lower().endswith(tuple(CHECKS)):
                found["file", file] = (content_digest(data), file_outcome(site, file, self.policy))
        return found


def output_files(output: Path, settings: dict, key: Path | None = None) -> set[str]:
    """The files in the output folder `output` now, listed through the cache kept for the
    output folder `key` (default `output`; FolderListing): a rebuild lists its output once, for
    the pages it must make again and for its checks (check_output's `files`)."""
    return FolderListing(_listing(settings, key or output)).files_below(output)


def _listing(settings: dict, key: Path) -> Path | None:
    cache = settings.get("CACHE_PATH")
    folder = str(Path(key).resolve())
    return Path(cache, f"listing-{hashlib.sha256(folder.encode()).hexdigest()[:16]}.pickle") if cache else None


def check_output(output: Path, settings: dict, display: str | None = None, pending=None,
                 removed=frozenset(), key: Path | None = None, digests=None, ahead=None,
                 files: set[str] | None = None) -> list[Problem]:
    """Every problem in the built site at `output` (as it will be once `pending` is written and
    `removed` deleted); file paths are shown under `display`. Files unchanged since the last
    check of the output folder `key` (default `output`) are not read again: known by the
    `digests` of what the build wrote, or else by size and modification time; nor are those
    whose outcomes were made `ahead` (Checker.ahead). `files`: what is on disk, if known
    (output_files)."""
    cache, folder = settings.get("CACHE_PATH"), str(Path(key or output).resolve())
    site = SiteFiles.scan(output, pending, removed, digests, _listing(settings, key or output), files)
    display = display or str(output)
    checker = Checker(settings)
    memo = CheckMemo(cache, folder, site, checker.version)
    memo.take(ahead or {})
    problems = (scan_references(site, display, checker.hosts, memo, checker.policy)
                + check_published_files(site, display, checker.policy, memo) + redirect_targets(site, settings))
    memo.save()
    _LAST[:] = [memo, site]
    return problems


# The last check's memo and site, freed by the next check or when the process ends: a build's
# process ends soon after its check, and freeing some 300,000 outcomes took it a tenth of a second.
_LAST: list = []


@lru_cache(maxsize=None)
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def redirect_targets(site: SiteFiles, settings: dict) -> list[Problem]:
    """Each legacy-domain redirect leads to a built page (the map the server plugin wrote)."""
    if "_server/redirects.json" not in site.files:
        return []
    source = display_path(redirects_file(Path(settings["PATH"])))
    return [Problem(source, entry["line"], entry["old"], f"転送先のページがありません（{entry['new']}）",
                    f"the redirect target is not a built page ({entry['new']})")
            for entry in json.loads(site.read("_server/redirects.json"))
            if site.resolve(urlsplit(entry["new"]).path) is None]

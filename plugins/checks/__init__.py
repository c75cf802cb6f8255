"""Checks on the finished output, run by scripts/build.py as the build's last step, before the
new output replaces the old: a finding fails the build, so the published site stays as it was.

Not a Pelican plugin: it reads the output folder only, so it also checks what any plugin or
tool (a search index, a converter) wrote there.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from model.problems import Problem
from model.redirects import redirects_file
from model.site import display as display_path
from opendata.tables import PUBLISHER

from .memo import CheckMemo
from .published_files import Policy, check_published_files
from .personal import digits
from .references import scan_references
from .site_files import SiteFiles

__all__ = ["check_output", "own_hosts"]


def own_hosts(settings: dict) -> frozenset[str]:
    """Host names that are this site: absolute URLs to them are internal links."""
    hosts = {settings.get("SITE_HOST") or "", urlsplit(settings.get("SITEURL") or "").hostname or ""}
    return frozenset(h.lower() for h in hosts if h)


def check_output(output: Path, settings: dict, display: str | None = None, pending=None,
                 removed=frozenset(), key: Path | None = None, digests=None) -> list[Problem]:
    """Every problem in the built site at `output` (as it will be once `pending` is written and
    `removed` deleted); file paths are shown under `display`. Files unchanged since the last
    check of the output folder `key` (default `output`) are not read again: known by the
    `digests` of what the build wrote, or else by size and modification time."""
    cache, folder = settings.get("CACHE_PATH"), str(Path(key or output).resolve())
    listing = Path(cache, f"listing-{hashlib.sha256(folder.encode()).hexdigest()[:16]}.pickle") if cache else None
    site = SiteFiles.scan(output, pending, removed, digests, listing)
    display = display or str(output)
    policy = Policy(authors=frozenset(PUBLISHER.values()) | frozenset(settings.get("PUBLISHED_AUTHORS", ())),
                    phones=frozenset(digits(n) for n in settings.get("PUBLISHED_PHONE_NUMBERS", ())))
    hosts = own_hosts(settings)
    version = repr((sorted(policy.authors), sorted(policy.phones), sorted(hosts), code_version()))
    memo = CheckMemo(cache, folder, site, version)
    problems = (scan_references(site, display, hosts, memo, policy) + check_published_files(site, display, policy, memo)
                + redirect_targets(site, settings))
    memo.save()
    return problems


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

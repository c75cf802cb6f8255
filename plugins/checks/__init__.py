"""Checks on the finished output, run by scripts/build.py as the build's last step, before the
new output replaces the old: a finding fails the build, so the published site stays as it was.

Not a Pelican plugin: it reads the output folder only, so it also checks what any plugin or
tool (a search index, a converter) wrote there.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from model.problems import Problem
from model.redirects import redirects_file
from model.site import display as display_path
from opendata.tables import PUBLISHER

from .published_files import Policy, check_published_files
from .personal import digits
from .references import scan_references
from .site_files import SiteFiles

__all__ = ["check_output", "own_hosts"]


def own_hosts(settings: dict) -> frozenset[str]:
    """Host names that are this site: absolute URLs to them are internal links."""
    hosts = {settings.get("SITE_HOST") or "", urlsplit(settings.get("SITEURL") or "").hostname or ""}
    return frozenset(h.lower() for h in hosts if h)


def check_output(output: Path, settings: dict, display: str | None = None) -> list[Problem]:
    """Every problem in the built site at `output`; file paths are shown under `display`."""
    site = SiteFiles.scan(output)
    display = display or str(output)
    policy = Policy(authors=frozenset(PUBLISHER.values()) | frozenset(settings.get("PUBLISHED_AUTHORS", ())),
                    phones=frozenset(digits(n) for n in settings.get("PUBLISHED_PHONE_NUMBERS", ())))
    return (scan_references(site, display, own_hosts(settings)) + check_published_files(site, display, policy)
            + redirect_targets(site, settings))


def redirect_targets(site: SiteFiles, settings: dict) -> list[Problem]:
    """Each legacy-domain redirect leads to a built page (the map the server plugin wrote)."""
    written = site.root / "_server/redirects.json"
    if not written.is_file():
        return []
    source = display_path(redirects_file(Path(settings["PATH"])))
    return [Problem(source, entry["line"], entry["old"], f"転送先のページがありません（{entry['new']}）",
                    f"the redirect target is not a built page ({entry['new']})")
            for entry in json.loads(written.read_text(encoding="utf-8"))
            if site.resolve(urlsplit(entry["new"]).path) is None]

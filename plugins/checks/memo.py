"""Outcomes of the per-file checks, kept between builds of one output folder: a file whose size
and modification time are those it had when it was last checked is not read again. An outcome
depends on its file alone (links are resolved afresh each time, see references.py)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .site_files import SiteFiles


class CheckMemo:
    def __init__(self, cache_dir: str | None, output_key: str, site: SiteFiles, version: str):
        self.site = site
        self.path = None
        self.entries: dict = {}
        self.fresh: dict = {}
        if cache_dir:
            name = hashlib.sha256(f"{output_key}|{version}".encode()).hexdigest()[:16]
            self.path = Path(cache_dir) / f"checks-{name}.pickle"
            try:
                self.entries = pickle.loads(self.path.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                self.entries = {}

    def outcome(self, kind: str, file: str, compute):
        """The outcome of check `kind` on `file`: remembered when the file is unchanged."""
        stamp = self.site.stamp(file)
        key = (kind, file)
        known = self.entries.get(key)
        if stamp is not None and known is not None and known[0] == stamp:
            self.fresh[key] = known
            return known[1]
        value = compute()
        self.fresh[key] = (stamp, value)
        return value

    def save(self) -> None:
        """Remember outcomes; those of pending files are stored once they are on disk."""
        if self.path is None:
            return
        kept = {key: value for key, value in self.fresh.items() if value[0] is not None}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(self.path)

"""Files made from known inputs (documents, workbooks), kept between builds in a folder under
a hash of those inputs: a build makes again only what would come out different. Entries no
build has used for `keep_days` are removed, so the folder does not grow without bound."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path


class FileCache:
    def __init__(self, folder: str | Path | None, suffix: str, keep_days: int = 30):
        self.folder = Path(folder) if folder else None
        self.suffix = suffix
        self.keep_days = keep_days

    @staticmethod
    def key(*inputs) -> str:
        """A key for inputs whose repr() says all of them (str, numbers, dates, lists, dicts)."""
        return hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self.folder / (key + self.suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        os.utime(path)  # still in use: keep it
        return data

    def has(self, key: str) -> bool:
        return self.folder is not None and (self.folder / (key + self.suffix)).is_file()

    def remove(self, key: str) -> None:
        if self.folder is not None:
            (self.folder / (key + self.suffix)).unlink(missing_ok=True)

    def put(self, key: str, data: bytes) -> bytes:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / (key + self.suffix)
            partial = path.with_suffix(f".{os.getpid()}.part")  # parallel builds never see half a file
            partial.write_bytes(data)
            os.replace(partial, path)
        return data

    def make(self, key: str, build) -> bytes:
        """The cached bytes for `key`, or build() kept under it."""
        data = self.get(key)
        return data if data is not None else self.put(key, build())

    def prune(self, keep=frozenset()) -> int:
        """Remove entries no build has used for `keep_days`, but those whose keys are in `keep`;
        returns how many. Once a day at most: it lists and stats every entry."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        marker = self.folder / f".{self.suffix.lstrip('.')}-pruned"
        now = dt.datetime.now()
        try:
            if dt.datetime.fromtimestamp(marker.stat().st_mtime).date() == now.date():
                return 0
        except OSError:
            pass
        limit = now.timestamp() - self.keep_days * 86400
        removed = 0
        for entry in os.scandir(self.folder):
            ours = entry.name.endswith(self.suffix) and entry.name[: -len(self.suffix)] not in keep
            if (ours or entry.name.endswith(".part")) and entry.is_file() and entry.stat().st_mtime < limit:
                os.remove(entry.path)
                removed += 1
        marker.touch()
        return removed

"""Where every translated file stands (missing, stale or current), what changed in its Japanese,
and since when: one list for the command line, the status page and the build's notices."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from model import Record, Site, TranslationPart, translation_parts
from model.translation import STATES

from .compare import changed_fields
from .history import ContentHistory, PinnedText, Revision


@dataclass
class TranslationStatus:
    """One translated file: content/en/<path> against content/ja/<path>."""

    part: TranslationPart
    record: Record
    pinned: PinnedText | None = None  # the Japanese the English was made from, if git has it
    changed: list[str] | None = None  # stale: fields whose Japanese changed (None: not known)
    current_since: Revision | None = None  # the commit that gave the Japanese its wording
    explained: bool = field(default=False, repr=False)

    @property
    def path(self) -> str:
        return self.part.path

    @property
    def state(self) -> str:
        return self.part.state

    @property
    def internal(self) -> bool:
        return self.record.internal

    @property
    def changed_on(self) -> dt.date | None:
        """The day the Japanese reached its current wording: from git, else from the page's
        own `Modified:` date. A file's mtime is not used: it differs on every checkout."""
        if self.current_since is not None:
            return self.current_since.date
        if self.path.endswith(".md"):
            metadata = self.record.report if self.record.collection.kind == "report" else self.record.data
            modified = (metadata or {}).get("modified")
            return modified if isinstance(modified, dt.date) else None
        return None

    def explain(self, history: ContentHistory) -> "TranslationStatus":
        """Look in git for what changed since the pin and since when (stale files only)."""
        if self.state == "stale" and not self.explained:
            document = history.document(self.part)
            self.pinned = document.pinned()
            if self.pinned is not None:
                self.changed = changed_fields(self.pinned.text, self.part.text)
            self.current_since = document.current_since()
        self.explained = True
        return self

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "collection": self.record.collection.name,
            "id": self.record.id,
            "state": self.state,
            "internal": self.internal,
            "changed_fields": self.changed,
            "japanese_changed_on": self.changed_on.isoformat() if self.changed_on else None,
            "source_hash": (self.part.overlay or {}).get("source_hash"),
            "source_commit": (self.part.overlay or {}).get("source_commit"),
        }


def translation_statuses(site: Site, history: ContentHistory | None = None,
                         internal: bool = False) -> list[TranslationStatus]:
    """Every translated file of the site's public records (and internal ones if asked), by path;
    stale ones explained from git when a history is given."""
    found = []
    for items in site.records.values():
        for record in items:
            if record.internal and not internal:
                continue  # never published, so no reader can be misled by its English
            for part in translation_parts(record):
                status = TranslationStatus(part, record)
                found.append(status.explain(history) if history is not None else status)
    return sorted(found, key=lambda status: status.path)


def japanese_changed_on(record: Record, history: ContentHistory) -> dt.date | None:
    """The last day the record's Japanese text changed, for a stale translation's notice.

    Works on a published copy of the record too: only its files' history is read."""
    days = [TranslationStatus(part, record, current_since=history.document(part).current_since()).changed_on
            for part in translation_parts(record)]
    return max((day for day in days if day), default=None)


def counts(statuses: list[TranslationStatus]) -> dict[str, int]:
    tally = Counter(status.state for status in statuses)
    return {state: tally.get(state, 0) for state in STATES}


class UnknownPath(ValueError):
    pass


def item_path(argument: str, root: Path) -> str:
    """A PATH as users give it (`offers/qa.yaml`, `content/ja/offers/qa.yaml`,
    `content/en/offers/qa.yaml`, `ja/offers/qa.yaml`), as the path below the language folder."""
    given = Path(argument)
    absolute, root = given.resolve(), Path(root).resolve()
    parts = absolute.relative_to(root).parts if absolute.is_relative_to(root) else given.parts
    for i, part in enumerate(parts):
        if part in ("ja", "en"):
            return "/".join(parts[i + 1:])
    return "/".join(part for part in parts if part not in (".", ".."))


def find(statuses: list[TranslationStatus], argument: str, root: Path) -> TranslationStatus:
    import difflib

    wanted = item_path(argument, root)
    for status in statuses:
        if status.path == wanted:
            return status
    close = difflib.get_close_matches(wanted, [s.path for s in statuses], n=1)
    hint_ja = f"（{close[0]} のことですか）" if close else ""
    hint_en = f" (did you mean {close[0]}?)" if close else ""
    raise UnknownPath(f"{argument}: 翻訳の対象ではありません{hint_ja} / not a translatable file{hint_en}")

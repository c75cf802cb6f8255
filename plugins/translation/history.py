"""The Japanese text of a translated file through its git history: the text a translation was
made from (its pin; a snapshot where git cannot tell), and the day the Japanese reached its
current wording.

Only commits count, so the answers are the same on every checkout; a content tree outside git,
or a Japanese file with uncommitted edits, has no history to tell.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from model import TranslationPart
from model.frontmatter import parse_markdown
from model.site import document_text
from model.translation import source_hash
from model.yamlfile import parse_yaml

from .snapshots import recall


@dataclass(frozen=True)
class Revision:
    commit: str
    date: dt.date  # the commit date, as `git log --format=%cs` gives it


class ContentHistory:
    """Git, asked about the files of one content tree; every answer is empty outside a repository.

    The tree's log, status and file list are read once, and old file contents through one
    `git cat-file --batch` process, so asking about hundreds of files costs a few processes."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        top = self._git("rev-parse", "--show-toplevel", cwd=self.root)
        self.top = Path(top.strip()) if top else None
        self._batch = None

    def _git(self, *args: str, cwd: Path | None = None) -> str | None:
        try:
            result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd or self.top,
                                    capture_output=True, text=True, encoding="utf-8")
        except (OSError, ValueError):
            return None
        return result.stdout if result.returncode == 0 else None

    def _repo_path(self, relative: str) -> str:
        """`ja/offers/x.yaml` below the content root, as a path in the repository."""
        return (self.root / relative).relative_to(self.top).as_posix()

    @cached_property
    def _scope(self) -> str:
        return self.root.relative_to(self.top).as_posix() if self.top else "."

    @cached_property
    def _log(self) -> tuple[dict[str, list[Revision]], dict[str, dt.date]]:
        """Every file's revisions, newest first, and every commit's date."""
        files: dict[str, list[Revision]] = {}
        dates: dict[str, dt.date] = {}
        revision = None
        out = self._git("log", "--format=%x01%H %cs", "--name-only", "--", self._scope) if self.top else None
        for line in (out or "").splitlines():
            if line.startswith("\x01"):
                commit, day = line[1:].split()
                revision = Revision(commit, dt.date.fromisoformat(day))
                dates[commit] = revision.date
            elif line.strip() and revision is not None:
                files.setdefault(line, []).append(revision)
        return files, dates

    @cached_property
    def head(self) -> str | None:
        out = self._git("rev-parse", "HEAD") if self.top else None
        return out.strip() if out else None

    @cached_property
    def _committed(self) -> set[str]:
        """Files tracked by git whose working copy is the committed one."""
        if self.top is None:
            return set()
        tracked = set((self._git("ls-files", "--", self._scope) or "").splitlines())
        changed = set()
        for line in (self._git("status", "--porcelain", "--untracked-files=all", "--", self._scope) or "").splitlines():
            changed.update(part.strip() for part in line[3:].split(" -> "))
        return tracked - changed

    def revisions(self, relative: str) -> list[Revision]:
        """The commits that changed the file, newest first."""
        return self._log[0].get(self._repo_path(relative), []) if self.top else []

    def is_committed(self, relative: str) -> bool:
        return self.top is not None and self._repo_path(relative) in self._committed

    def date_of(self, commit: str) -> dt.date | None:
        if self.top is None:
            return None
        if commit in self._log[1]:
            return self._log[1][commit]
        out = self._git("log", "-1", "--format=%cs", commit)
        return dt.date.fromisoformat(out.strip()) if out and out.strip() else None

    def text_at(self, commit: str, relative: str) -> str | None:
        """The file as it was at `commit` (None if it did not exist there, or is unreachable)."""
        if self.top is None:
            return None
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.top,
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._batch.stdin.write(f"{commit}:{self._repo_path(relative)}\n".encode("utf-8"))
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None  # "<name> missing": no such commit, or no such file in it
        data = self._batch.stdout.read(int(header[2]))
        self._batch.stdout.read(1)  # the newline after each object
        return data.decode("utf-8", errors="replace")

    def close(self) -> None:
        # Stopped, not waited for to see the end of its input: a process forked meanwhile (a
        # check beside the build) holds that pipe open too, and may itself be waiting for us.
        if self._batch is not None:
            self._batch.kill()
            self._batch.wait()
            self._batch.stdin.close()
            self._batch.stdout.close()
            self._batch = None

    def __del__(self):
        self.close()

    def document(self, part: TranslationPart) -> "DocumentHistory":
        return DocumentHistory(self, part)


def text_of(part: TranslationPart, file_text: str) -> dict | None:
    """The translatable text of one revision of the Japanese file, or None if it does not parse."""
    if part.path.endswith(".md"):
        doc, body, problems = parse_markdown(file_text, part.path, part.schema)
        return document_text(part.schema, doc.data, body, markdown=True)
    doc, problems = parse_yaml(file_text, part.path)
    if doc is None or not isinstance(doc.data, dict):
        return None
    return document_text(part.schema, doc.data)


@dataclass(frozen=True)
class PinnedText:
    """The Japanese text a translation was made from, as found in git or in a snapshot."""

    commit: str | None
    date: dt.date | None
    text: dict
    source: str  # "source_commit" when the pin named it, "history" (found by its hash), "snapshot"


class DocumentHistory:
    """The revisions of one translated file's Japanese, read lazily and parsed once each."""

    def __init__(self, history: ContentHistory, part: TranslationPart):
        self.history = history
        self.part = part
        self.japanese = "ja/" + part.path
        self._texts: dict[str, dict | None] = {}

    @cached_property
    def revisions(self) -> list[Revision]:
        return self.history.revisions(self.japanese)

    def text(self, commit: str) -> dict | None:
        if commit not in self._texts:
            file_text = self.history.text_at(commit, self.japanese)
            self._texts[commit] = text_of(self.part, file_text) if file_text is not None else None
        return self._texts[commit]

    def pinned(self) -> PinnedText | None:
        """The text behind the English file's pin: at `source_commit` when that commit is
        reachable and holds the pinned text, else the newest revision whose hash is the pin,
        else the snapshot `mark` kept."""
        overlay = self.part.overlay or {}
        pinned_hash, commit = overlay.get("source_hash"), overlay.get("source_commit")
        if commit:
            text = self.text(commit)
            if text is not None and (pinned_hash is None or source_hash(text) == pinned_hash):
                return PinnedText(commit, self.history.date_of(commit), text, "source_commit")
        if not pinned_hash:
            return None
        found = self.find(pinned_hash)
        if found is None and (text := recall(self.history.root, pinned_hash)) is not None:
            found = PinnedText(None, None, text, "snapshot")
        return found

    def find(self, wanted_hash: str) -> PinnedText | None:
        for revision in self.revisions:
            text = self.text(revision.commit)
            if text is not None and source_hash(text) == wanted_hash:
                return PinnedText(revision.commit, revision.date, text, "history")
        return None

    def current_since(self) -> Revision | None:
        """The commit that gave the Japanese its current wording (None while it is uncommitted).

        Revisions are compared by their translatable text only: a commit that changed a
        quantity or a date did not change what the English translates."""
        if not self.revisions or not self.history.is_committed(self.japanese):
            return None
        current = self.text("HEAD")  # the working copy, as it is committed
        since = None
        for revision in self.revisions:
            text = self.text(revision.commit)
            if text is None or current is None or source_hash(text) != source_hash(current):
                break
            since = revision
        return since

    def pin_commit(self) -> str | None:
        """The commit to pin with today's Japanese: HEAD, if the file is committed unchanged."""
        return self.history.head if self.history.is_committed(self.japanese) else None

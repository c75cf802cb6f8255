"""The Japanese text each pin was made from, kept beside the content tree in
`.cache/translation-sources/`, so that `diff` compares fields and paragraphs even where git
cannot tell (a tree outside git, or a pin made before the Japanese was committed).

A snapshot is named by the pin itself (its hash), so it can never describe another text."""

from __future__ import annotations

import json
from pathlib import Path

from model.translation import source_hash

FOLDER = Path(".cache") / "translation-sources"


def _path(root: Path, pinned_hash: str) -> Path:
    return Path(root) / FOLDER / (pinned_hash.replace(":", "-") + ".json")


def remember(root: Path, text: dict) -> None:
    path = _path(root, source_hash(text))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(text, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def recall(root: Path, pinned_hash: str) -> dict | None:
    path = _path(root, pinned_hash)
    try:
        text = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return text if isinstance(text, dict) and source_hash(text) == pinned_hash else None

"""Writing English files: a stub that starts a translation, and a translation brought back from
a translator's tool (its units laid into the file, pinned to the Japanese they translate)."""

from __future__ import annotations

import copy

import yaml

from model import TranslationPart
from model.translation import OVERLAY_PINS

from .compare import PARAGRAPH, paragraphs, parse_id
from .pins import pin_text

YAML_STUB_HEADER = [
    "# English translation of {ja}: write the English of each Japanese comment after the",
    "# field below it. Fields left empty show the Japanese (marked as Japanese) until translated.",
    "# 英語訳: 各コメントの日本語の訳を、その下の項目に書いてください。空の項目は日本語のまま表示されます。",
    "# Then / 翻訳後: scripts/translations.py mark {path}",
]


def stub_text(part: TranslationPart, hidden: set[tuple] = frozenset()) -> str:
    """An English file that validates and translates nothing yet, with the Japanese to translate
    beside each field: in YAML comments, in a Markdown page as HTML comments (never shown).
    The `hidden` parts (exchange.hidden_parts: a closed committee's minutes, an internal
    material) are left out, as the export leaves them out: their English would never be shown,
    and a stub may go to a translator outside. A list item left out keeps its place (`- {}`)."""
    if part.path.endswith(".md"):
        return _markdown_stub(part)
    text = {key: value for key, value in part.text.items() if (key,) not in hidden}
    for key, value in text.items():
        if isinstance(value, list):
            text[key] = [{} if (key, i) in hidden else item for i, item in enumerate(value)]
    lines = [line.format(ja=f"ja/{part.path}", path=part.path) for line in YAML_STUB_HEADER]
    return "\n".join(lines + _yaml_stub(text, 0)) + "\n"


def _comment(text: str, indent: int) -> list[str]:
    return [" " * indent + "# " + line for line in text.splitlines() or [""]]


def _yaml_stub(value, indent: int) -> list[str]:
    pad = " " * indent
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                out += _comment(item, indent) + [f"{pad}{key}:"]
            elif isinstance(item, (list, dict)) and item:
                out += [f"{pad}{key}:"] + _yaml_stub(item, indent + 2)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                out += _comment(item, indent) + [f"{pad}-"]
            elif item:
                out += [f"{pad}-"] + _yaml_stub(item, indent + 2)
            else:
                out.append(f"{pad}- {{}}")  # an item with nothing to translate keeps its place
    return out


def _html_comment(text: str) -> str:
    return "<!--\n" + text.replace("--", "- -") + "\n-->"


def _metadata(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else " ".join(str(value).split())


def _markdown_stub(part: TranslationPart) -> str:
    text = part.text
    fields = {name: value for name, value in text.items() if name != "body" and value}
    metadata = [f"{name.capitalize()}:" for name in fields]
    blocks = [_html_comment(f"{name.capitalize()}: {_metadata(value)}") for name, value in fields.items()]
    blocks += [_html_comment(block.strip("\n")) for block in paragraphs(text.get("body") or "") if block.strip()]
    return "\n".join(metadata) + "\n\n" + "\n\n\n".join(blocks) + "\n"


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def translated_text(part: TranslationPart, targets: dict[str, str]) -> dict:
    """The English fields: the existing English file's, with the imported units laid over it."""
    english = copy.deepcopy({k: v for k, v in (part.overlay or {}).items() if k not in OVERLAY_PINS})
    split: dict[tuple, dict[int, str]] = {}
    for unit_id, target in targets.items():
        location, paragraph = parse_id(unit_id)
        if paragraph is None:
            _lay(english, location, target)
        else:
            split.setdefault(location, {})[paragraph] = target
    for location, translated in split.items():
        source = _get(part.text, location) or ""
        blocks = paragraphs(source)
        _lay(english, location, PARAGRAPH.join(translated.get(n, block if not block.strip() else "")
                                               for n, block in enumerate(blocks, start=1)))
    return english


def _lay(english: dict, location: tuple, value: str) -> None:
    """Set a translated value. Units travel without the newlines around a text, so those of the
    earlier English are kept (a `|` block stays `|`, not `|-`): English sent back as it was
    is written as it was."""
    earlier = _get(english, location)
    if isinstance(earlier, str) and earlier.strip("\n"):
        core = earlier.strip("\n")
        start = earlier.index(core)
        value = earlier[:start] + value.strip("\n") + earlier[start + len(core):]
    _set(english, location, value)


def _get(data, location):
    for key in location:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _set(data, location: tuple, value) -> None:
    for key, following in zip(location, location[1:]):
        empty = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            while len(data) <= key:
                data.append({} if isinstance(empty, dict) else [])
            if not isinstance(data[key], type(empty)):
                data[key] = empty
        elif not isinstance(data.get(key), type(empty)):
            data[key] = empty
        data = data[key]
    last = location[-1]
    if isinstance(last, int):
        while len(data) <= last:
            data.append(None)
    data[last] = value


def file_text(part: TranslationPart, english: dict, pins: dict[str, str | None]) -> str:
    """The whole English file, the fields in the order of the Japanese, pinned as `mark` pins
    a file (pins.pin_text). Written anew: a YAML file's comments (a stub's Japanese, which
    by now is the Japanese of another day) do not stay."""
    if part.path.endswith(".md"):
        lines = [f"{name.capitalize()}: {_metadata(value)}"
                 for name, value in _ordered(english, part.text).items()
                 if name != "body" and value not in (None, "", [])]
        body = (english.get("body") or "").strip("\n")
        return pin_text("".join(line + "\n" for line in lines) + "\n" + body + "\n", pins, markdown=True)
    fields = _ordered(english, part.text)
    return pin_text(yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
                    if fields else "", pins)


def _ordered(english: dict, japanese: dict) -> dict:
    order = list(japanese) + [key for key in english if key not in japanese]
    return {key: english[key] for key in order if key in english}

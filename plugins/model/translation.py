"""Which text of a record is translatable, its source hash, and English overlays merged onto it.

The hash covers only the translatable text, so a changed quantity or date does not make an
English translation stale; a changed sentence does.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re

OVERLAY_PINS = ("source_hash", "source_commit")
STATES = ("missing", "stale", "current")  # worst first
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def extract(data, paths: tuple[str, ...]) -> dict:
    """The translatable part of `data`, keeping list positions: {"materials": [{"title": ..}]}."""
    out: dict = {}
    for path in paths:
        _extract(data, path.split("."), out)
    return out


def _extract(data, parts, out):
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        name = head[:-2]
        items = data.get(name) if isinstance(data, dict) else None
        if not isinstance(items, list):
            return
        target = out.setdefault(name, [{} for _ in items])
        for item, slot in zip(items, target):
            if isinstance(item, dict):
                _extract(item, rest, slot)
    elif isinstance(data, dict) and head in data:
        if rest:
            _extract(data[head], rest, out.setdefault(head, {}))
        else:
            out[head] = data[head]


def source_hash(translatable: dict) -> str:
    canonical = json.dumps(translatable, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def has_text(overlay) -> bool:
    """Whether an English file translates anything yet (a fresh stub does not).

    HTML comments do not count: a stub keeps the Japanese in them, and they are never shown."""
    if isinstance(overlay, dict):
        return any(has_text(value) for key, value in overlay.items() if key not in OVERLAY_PINS)
    if isinstance(overlay, list):
        return any(has_text(value) for value in overlay)
    return isinstance(overlay, str) and bool(_COMMENT.sub("", overlay).strip())


def merge(base, overlay):
    """The Japanese record with the English overlay's text laid over it (lists by position)."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = copy.copy(base)
        for key, value in overlay.items():
            if key in OVERLAY_PINS:
                continue
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(overlay, list) and base and isinstance(base[0], dict):
        return [merge(b, o) if i < len(overlay) else b
                for i, (b, o) in enumerate(zip(base, overlay + [None] * (len(base) - len(overlay))))]
    return overlay if overlay not in (None, "", []) else base


def overlay_schema(schema: dict, resolve) -> dict:
    """A schema for `content/en/...`: only the translatable fields of `schema`, all optional."""

    def reduce(sub):
        sub = resolve(sub)
        props = {}
        for name, prop in sub.get("properties", {}).items():
            prop = resolve(prop)
            if prop.get("x-translatable"):
                props[name] = _may_wait({k: v for k, v in prop.items() if k != "minItems"}, resolve)
            elif prop.get("type") == "array" and isinstance(prop.get("items"), dict):
                inner = reduce(prop["items"])
                if inner["properties"]:
                    props[name] = {"type": "array", "items": inner}
            elif prop.get("type") == "object":
                inner = reduce(prop)
                if inner["properties"]:
                    props[name] = inner
        return {"type": "object", "additionalProperties": False, "properties": props}

    top = reduce(schema)
    top["properties"]["source_hash"] = {"type": "string", "pattern": "^sha256:[0-9a-f]{16}$"}
    top["properties"]["source_commit"] = {"type": "string", "pattern": "^[0-9a-f]{7,40}$"}
    return top


def _may_wait(prop: dict, resolve) -> dict:
    """An empty value (null) is a field not translated yet: the page shows the Japanese."""
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        items = resolve(prop["items"])
        prop["items"] = {**items, "type": [items["type"], "null"]} if "type" in items else items
    if isinstance(prop.get("type"), str):
        prop["type"] = [prop["type"], "null"]
    return prop

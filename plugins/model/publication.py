"""What may be published: the one place that decides which records and parts leave the building.

The public build sees only what `publishable()` returns, so no page, table, export, feed,
sitemap or search index can reach an internal item.
"""

from __future__ import annotations

import copy
import dataclasses

from .site import Site


def publishable(site: Site, internal_build: bool) -> Site:
    """The records a build may show: everything for the internal preview, else public parts only."""
    if internal_build:
        return site
    records = {}
    for name, items in site.records.items():
        kept = []
        for record in items:
            if record.internal:
                continue
            public = copy.copy(record)
            public.data, public.overlay = _public_parts(record)
            kept.append(public)
        records[name] = kept
    return dataclasses.replace(site, records=records)


def non_public_locations(record) -> set[tuple]:
    """Where a public record holds parts that must not be published: ("materials", 0), ("minutes",)."""
    hidden = {("materials", i) for i, material in enumerate(record.data.get("materials", []))
              if material.get("visibility") == "internal"}
    if record.collection.name == "meetings" and not record.is_public_committee:
        # 認証委員会 is not public: only its date, agenda and results are published, not
        # where, at what time or how it meets.
        hidden |= {("minutes",), ("materials",), ("venue",), ("time",), ("online",)}
    return hidden


def _public_parts(record) -> tuple[dict, dict | None]:
    """The record's data and English overlay without their non-public parts.

    Overlays translate lists by position, so an item removed from the data is removed from the
    overlay at the same position; otherwise English titles would shift onto other items.
    """
    hidden = non_public_locations(record)
    overlay = _without(record.overlay, hidden) if record.overlay is not None else None
    return _without(record.data, hidden), overlay


def _without(data: dict, hidden: set[tuple]) -> dict:
    if not hidden:  # most records: nothing to take out
        return dict(data)
    kept = {name: value for name, value in data.items() if (name,) not in hidden}
    in_lists = {location[0] for location in hidden if len(location) == 2}
    for name, value in kept.items():
        if isinstance(value, list) and name in in_lists:
            kept[name] = [item for i, item in enumerate(value) if (name, i) not in hidden]
    return kept


def withheld(site: Site) -> set[str]:
    """Every file an internal record, or a non-public part of a public record, keeps (its
    `file:` fields, at any depth): the build refuses to publish one of them, whatever the
    published records seem to say (the last gate, behind validation's checks on the lines).
    A link in an internal text to a public file keeps nothing."""
    found = set()
    for items in site.records.values():
        for record in items:
            if record.internal:
                found |= file_fields([record.data, record.overlay])
                continue
            for location in non_public_locations(record):
                for data in (record.data, record.overlay or {}):
                    value = data
                    for step in location:
                        value = value.get(step) if isinstance(value, dict) else \
                            value[step] if isinstance(value, list) and step < len(value) else None
                    found |= file_fields(value)
    return found


def file_fields(value) -> set[str]:
    """The `file:` values in `value`, at any depth."""
    if isinstance(value, dict):
        return set().union(*(({item} if key == "file" and isinstance(item, str) else file_fields(item))
                             for key, item in value.items()))
    if isinstance(value, list):
        return set().union(*map(file_fields, value))
    return set()


def attachments(site: Site) -> set[str]:
    """Every `files/...` path referenced by the records of `site` (already filtered)."""
    from .site import linked_files

    found = set()
    for items in site.records.values():
        for record in items:
            found |= file_fields(record.data)
            found.update(linked_files(record.body))
            for field in ("minutes", "answer"):
                found.update(linked_files(record.data.get(field)))
            if record.overlay:
                for field in ("body", "minutes", "answer"):
                    found.update(linked_files(record.overlay.get(field)))
    return found

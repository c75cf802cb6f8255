"""What may be published: the one place that decides which records and parts leave the building.

The public build sees only what `publishable()` returns, so no page, table, export, feed,
sitemap or search index can reach an internal item.
"""

from __future__ import annotations

import copy

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
            record = copy.copy(record)
            record.data = _public_data(record)
            kept.append(record)
        records[name] = kept
    return Site(root=site.root, records=records)


def _public_data(record) -> dict:
    data = dict(record.data)
    if "materials" in data:
        data["materials"] = [m for m in data["materials"] if m.get("visibility") != "internal"]
    if record.collection.name == "meetings" and not record.is_public_committee:
        # 認証委員会 is not public: only its date, agenda and results are published.
        data.pop("minutes", None)
        data.pop("materials", None)
        data.pop("venue", None)
    return data


def attachments(site: Site) -> set[str]:
    """Every `files/...` path referenced by the records of `site` (already filtered)."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "file" and isinstance(item, str):
                    found.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for items in site.records.values():
        for record in items:
            walk(record.data)
    return found

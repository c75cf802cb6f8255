"""Word packages fit to publish: fixed document properties naming the secretariat, no
custom properties, thumbnails or custom XML (where editors' tools leave names and labels),
and the same bytes on every build."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from xml.sax.saxutils import escape

from lxml import etree

from opendata.tables import PUBLISHER, zip_entry

DROPPED = re.compile(r"^(docProps/custom\.xml|docProps/thumbnail\.\w+|customXml/.+)$")
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b'<DocSecurity>0</DocSecurity></Properties>')


def core_xml(title: str, lang: str, moment: dt.datetime) -> bytes:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    who = escape(PUBLISHER[lang])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{who}</dc:creator>"
            f"<cp:lastModifiedBy>{who}</cp:lastModifiedBy><dc:language>{lang}</dc:language>"
            "<cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>").encode("utf-8")


def published_parts(data: bytes) -> dict[str, bytes]:
    """The parts of the package `data`, in order, as they may be published: app properties
    replaced, dropped parts gone with every reference to them. The core properties are the
    caller's to write (core_xml)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    dropped = {name for name in names if DROPPED.match(name)}
    parts = {}
    for name in names:
        if name in dropped:
            continue
        body = source.read(name)
        if name == "docProps/app.xml":
            body = APP_XML
        elif name.endswith(".rels"):
            body = _without_relationships(body, name, dropped)
        elif name == "[Content_Types].xml":
            body = _without_overrides(body, dropped)
        parts[name] = body
    return parts


def clean_docx(data: bytes, title: str, lang: str, moment: dt.datetime) -> bytes:
    """The package `data` as published (published_parts), with core properties naming the
    secretariat and `title`, dated `moment`."""
    parts = published_parts(data)
    parts["docProps/core.xml"] = core_xml(title, lang, moment)
    return package_bytes(parts, moment)


def package_bytes(parts: dict[str, bytes], moment: dt.datetime, base: bytes = b"") -> bytes:
    """A zip of `parts` dated `moment`, appended to the zip `base` if one is given (its
    members are kept compressed as they are, which saves compressing them again)."""
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a" if base else "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            target.writestr(zip_entry(name, moment), body)
    return out.getvalue()


def _without_relationships(body: bytes, name: str, dropped: set[str]) -> bytes:
    # _rels/.rels speaks for the package root; word/_rels/document.xml.rels for word/
    base = posixpath.dirname(posixpath.dirname(name))
    tree = etree.fromstring(body)
    for rel in tree.findall(RELATIONSHIPS):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        if resolved in dropped:
            tree.remove(rel)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_overrides(body: bytes, dropped: set[str]) -> bytes:
    tree = etree.fromstring(body)
    for override in tree.findall(OVERRIDE):
        if override.get("PartName", "").lstrip("/") in dropped:
            tree.remove(override)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)

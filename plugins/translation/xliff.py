"""XLIFF, the exchange format CAT tools (Trados, memoQ, Phrase) import: 1.2 by default, the
version every such tool reads, or 2.0; either version is read back.

One `<file>` per translated file (`original` is its path below the language folders), one unit
per field or paragraph, its id the unit id of `compare.units`.

A unit whose Japanese changed comes with its earlier English as the target, marked for review:
in 1.2 `state="needs-review-translation"`, in 2.0 `state="initial"` with `subState="jcredit:review"`
(a tool that changes the state drops the subState, as 2.0 requires), and with the Japanese that
English translates, where git has it: in 1.2 an `<alt-trans alttranstype="previous-version">`,
in 2.0 a note of category `jcredit:earlier-source`. Read back still so marked,
the unit is not translated: the translator has not confirmed it. Confirmed (any other state),
it is.
"""

from __future__ import annotations

from itertools import groupby

from lxml import etree

from .exchange import NEW, REVIEW, TRANSLATED, ExchangeError, Unit

XLIFF_1_2 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2_0 = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSIONS = ("1.2", "2.0")
SOURCE_LANGUAGE, TARGET_LANGUAGE = "ja", "en"

# unit state -> target state (1.2) and segment state (2.0); a new unit has no target at all
STATE_1_2 = {REVIEW: "needs-review-translation", TRANSLATED: "translated"}
# 1.2 target states a tool writes for a segment not translated yet, or translated but not yet
# reviewed: the unit is read as untranslated, or as the earlier English for review
UNTRANSLATED_1_2 = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}
STATE_2_0 = {NEW: "initial", REVIEW: "initial", TRANSLATED: "translated"}
SUBSTATE_2_0 = {REVIEW: "jcredit:review"}  # tells an unconfirmed old English from a new target


EARLIER_NOTE = "jcredit:earlier-source"  # 2.0 note: the Japanese an English for review translates


class XliffError(ExchangeError):
    pass


def write_xliff(units: list[Unit], version: str = "1.2") -> bytes:
    if version not in VERSIONS:
        raise XliffError(f"XLIFF {version}: 1.2 か 2.0 を指定してください / use 1.2 or 2.0")
    root = (_xliff_1_2 if version == "1.2" else _xliff_2_0)(units)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _by_file(units):
    return groupby(units, key=lambda unit: unit.file)


def _xliff_1_2(units) -> etree._Element:
    def e(parent, tag, attributes=None, **more):
        return etree.SubElement(parent, f"{{{XLIFF_1_2}}}{tag}", attributes, **more)

    root = etree.Element(f"{{{XLIFF_1_2}}}xliff", version="1.2", nsmap={None: XLIFF_1_2})
    for path, items in _by_file(units):
        file = e(root, "file", {"original": path, "source-language": SOURCE_LANGUAGE,
                                "target-language": TARGET_LANGUAGE, "datatype": "plaintext"})
        body = e(file, "body")
        for unit in items:
            trans_unit = e(body, "trans-unit", id=unit.id, resname=unit.id)
            trans_unit.set(XML_SPACE, "preserve")
            e(trans_unit, "source").text = unit.source
            if unit.target:
                e(trans_unit, "target", state=STATE_1_2[unit.state]).text = unit.target
            if unit.note:
                e(trans_unit, "note").text = unit.note
            if unit.target and unit.earlier:  # the tool shows what changed beside the English to revise
                earlier = e(trans_unit, "alt-trans", alttranstype="previous-version")
                e(earlier, "source").text = unit.earlier
                e(earlier, "target").text = unit.target
    return root


def _xliff_2_0(units) -> etree._Element:
    def e(parent, tag, attributes=None, **more):
        return etree.SubElement(parent, f"{{{XLIFF_2_0}}}{tag}", attributes, **more)

    root = etree.Element(f"{{{XLIFF_2_0}}}xliff", version="2.0", srcLang=SOURCE_LANGUAGE,
                         trgLang=TARGET_LANGUAGE, nsmap={None: XLIFF_2_0})
    for number, (path, items) in enumerate(_by_file(units), start=1):
        file = e(root, "file", id=f"f{number}", original=path)
        for unit in items:
            element = e(file, "unit", id=unit.id, name=unit.id)
            element.set(XML_SPACE, "preserve")
            if unit.note or unit.earlier:
                notes = e(element, "notes")
                if unit.note:
                    e(notes, "note", category="description").text = unit.note
                if unit.target and unit.earlier:  # 2.0 has no alt-trans: the Japanese the English translates
                    e(notes, "note", category=EARLIER_NOTE).text = unit.earlier
            segment = e(element, "segment", state=STATE_2_0[unit.state])
            if unit.target and unit.state in SUBSTATE_2_0:
                segment.set("subState", SUBSTATE_2_0[unit.state])
            e(segment, "source").text = unit.source
            if unit.target:
                e(segment, "target").text = unit.target
    return root


def read_xliff(data: bytes) -> list[Unit]:
    """The units of an XLIFF 1.x or 2.0 file, whichever tool wrote it (segment marks and inline
    tags around the text are dropped: what is left is the text)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise XliffError(f"XLIFF として読めません / not well-formed XML: {error}") from None
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "xliff" or "xliff:document" not in namespace:
        raise XliffError("XLIFF ファイルではありません / not an XLIFF file")
    if namespace.endswith(":2.0") or root.get("version", "").startswith("2."):
        return _read_2_0(root, namespace)
    return _read_1_x(root, namespace)


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _read_1_x(root, ns) -> list[Unit]:
    found = []
    for file in root.iter(f"{{{ns}}}file"):
        for trans_unit in file.iter(f"{{{ns}}}trans-unit"):
            target = trans_unit.find(f"{{{ns}}}target")
            marked = target.get("state", "") if target is not None else ""
            state = NEW if target is None or marked in UNTRANSLATED_1_2 else (
                REVIEW if marked.startswith("needs-review") else TRANSLATED)
            found.append(Unit(file.get("original", ""), trans_unit.get("id", ""),
                              _text(trans_unit.find(f"{{{ns}}}source")),
                              _text(target) if target is not None else None, state))
    return found


def _read_2_0(root, ns) -> list[Unit]:
    found = []
    for file in root.iter(f"{{{ns}}}file"):
        for unit in file.iter(f"{{{ns}}}unit"):
            source, target, translated, review = "", "", False, False
            for part in unit:  # segments and the ignorable whitespace a tool split between them
                if etree.QName(part).localname not in ("segment", "ignorable"):
                    continue
                part_source = _text(part.find(f"{{{ns}}}source"))
                part_target = part.find(f"{{{ns}}}target")
                source += part_source
                target += _text(part_target) if part_target is not None else (
                    part_source if etree.QName(part).localname == "ignorable" else "")
                segment = part_target is not None and etree.QName(part).localname == "segment"
                translated |= segment
                review |= segment and _in_review_2_0(part)
            found.append(Unit(file.get("original", ""), unit.get("id", ""), source,
                              target if translated else None,
                              REVIEW if review else TRANSLATED if translated else NEW))
    return found


def _in_review_2_0(segment) -> bool:
    """Still as the export marked an earlier English for review (state defaults to initial)."""
    return (segment.get("state", "initial") == STATE_2_0[REVIEW]
            and segment.get("subState") == SUBSTATE_2_0[REVIEW])

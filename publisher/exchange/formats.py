"""The files a translator's tool reads: gettext PO (polib), XLIFF 2.0 and XLIFF 1.2
(Translate Toolkit).

All carry the same units; :class:`Received` is what an import reads back from any of them.
XLIFF 1.2 is there for the tools that read no XLIFF 2 yet — Translate Toolkit's own pofilter
and pocount among them — and because its ``state="needs-review-translation"`` says exactly
"the source changed"; XLIFF 2 has only four states, so there the same goes into ``subState``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib
from lxml import etree

from ..model import Link, Quote, Strong
from .catalog import REVIEWED, Catalog, Unit
from .units import TAG

PO, XLIFF, XLIFF12 = "po", "xliff", "xliff12"
SUFFIXES = {PO: ".po", XLIFF: ".xlf", XLIFF12: ".xliff12.xlf"}
REVIEWED_HEADER = "X-Reviewed-Sections"
# XLIFF 2's `state` has four values; "English changed" goes into `subState` under our prefix.
STALE_SUBSTATE = "publisher:needs-review-translation"
SUGGESTION_SUBSTATE = "publisher:memory-suggestion"


@dataclass
class Received:
    """One unit as the translator's file gives it back."""
    id: str
    source: str
    target: str
    needs_review: bool      # fuzzy (PO), state="initial" (XLIFF)
    line: int | None


@dataclass
class ReceivedFile:
    lang: str | None
    units: list[Received]
    reviewed_sections: set[str] = field(default_factory=set)


class UnreadableFile(Exception):
    """The file is not a PO or XLIFF file this project can read."""


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".po":
        return PO
    if suffix in (".xlf", ".xliff"):
        return XLIFF
    raise UnreadableFile(f"{path.name} is neither .po nor .xlf")


def _xml_root(path: Path):
    try:
        return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise UnreadableFile(str(error)) from error


def _comments(unit: Unit) -> list[str]:
    place = f"section {unit.section}" if unit.section else "article metadata"
    lines = [f"{place}: {unit.status or 'not reviewed'}"]
    if unit.monolingual:
        lines.append("written in the translation only: the English has no such note")
    if unit.stale:
        lines.append("the English changed since this translation was last refreshed: "
                     "check the translation against the current English")
    if unit.previous_source:
        lines.append(f"previous English: {unit.previous_source}")
    if unit.suggestion:
        lines.append(unit.suggestion)
    for tag, node in unit.target.nodes.items() if unit.target.text else unit.source.nodes.items():
        lines.append(f"<{tag}>: {_describe_tag(node)}")
    return lines + unit.notes


def _describe_tag(node) -> str:
    if isinstance(node, Quote):
        return "quotation" + (f", origin={node.origin}" if node.origin else "") + (
            f", source={node.source}" if node.source else "")
    if isinstance(node, Link):
        return f"link to {node.url}"
    return "strong" if isinstance(node, Strong) else "emphasis"


def _needs_review(unit: Unit) -> bool:
    return unit.stale or unit.tentative or not unit.target.text


# PO -----------------------------------------------------------------------------------------

def write_po(catalog: Catalog, path: Path) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": catalog.source.metadata.identifier or "",
        "Language": catalog.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": catalog.source.lang,
        REVIEWED_HEADER: " ".join(catalog.reviewed_sections()),
    }
    po.header = ("Translation units of the article, one per paragraph, heading, list item, "
                 "caption and metadata text.\nKeep every <tag> of the English. List in "
                 f"{REVIEWED_HEADER} the sections a native editor has reviewed.")
    for unit in catalog.units:
        entry = polib.POEntry(msgctxt=unit.id, msgid=unit.source.text, msgstr=unit.target.text,
                              comment="\n".join(_comments(unit)),
                              occurrences=[(str(unit.where.file), str(unit.where.line))])
        if unit.target.text and _needs_review(unit):
            entry.flags.append("fuzzy")
            entry.previous_msgctxt = unit.id if unit.previous_source else None
            entry.previous_msgid = unit.previous_source or None
        po.append(entry)
    path.write_text(str(po) + "\n", encoding="utf-8")


def read_po(path: Path) -> ReceivedFile:
    try:
        po = polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise UnreadableFile(str(error)) from error
    units = [Received(entry.msgctxt or "", entry.msgid, entry.msgstr, "fuzzy" in entry.flags,
                      entry.linenum) for entry in po if not entry.obsolete]
    reviewed = set(po.metadata.get(REVIEWED_HEADER, "").split())
    return ReceivedFile(po.metadata.get("Language") or None, units, reviewed)


# XLIFF 2.0 -----------------------------------------------------------------------------------

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
XLIFF12_SKELETON = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="{original}" source-language="{source}" target-language="{target}" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""


def write_xliff(catalog: Catalog, path: Path) -> None:
    from translate.storage.xliff2 import Xliff2File, Xliff2Unit

    store = Xliff2File(sourcelanguage=catalog.source.lang)
    store.settargetlanguage(catalog.lang)
    store.body.set("id", catalog.source.metadata.identifier or "article")
    reviewed = set(catalog.reviewed_sections())
    for unit in catalog.units:
        item = Xliff2Unit(unit.source.text)
        item.setid(unit.id)
        if unit.target.text:
            item.target = unit.target.text
        for line in _comments(unit):
            item.addnote(line, "publisher")
        _set_rich(item.xmlelement, "source", unit.source.text)
        if unit.target.text:
            _set_rich(item.xmlelement, "target", unit.target.text)
        segment = item.xmlelement
        _notes_to_unit(segment)
        if not unit.target.text:
            segment.set("state", "initial")
        elif _needs_review(unit):
            segment.set("state", "initial")
            segment.set("subState", STALE_SUBSTATE if unit.stale else SUGGESTION_SUBSTATE)
        elif unit.section in reviewed:
            segment.set("state", "reviewed")
        else:
            segment.set("state", "translated")
        store.addunit(item)
    root = store.document.getroot()
    root.set("version", "2.0")
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _notes_to_unit(segment) -> None:
    """XLIFF 2 keeps notes, and xml:space, in the unit: its segments take neither."""
    unit = segment.getparent()
    notes = segment.find(f"{{{XLIFF_NS}}}notes")
    if notes is not None:
        unit.insert(0, notes)
    space = segment.attrib.pop(XML_SPACE, None)
    if space is not None:
        unit.set(XML_SPACE, space)


def _set_rich(segment, which: str, text: str, namespace: str = XLIFF_NS, code: str = "pc") -> None:
    """Put ``text`` in the segment's source or target with its tags as XLIFF inline codes
    (<pc> in XLIFF 2, <g> in 1.2), which CAT tools show as protected."""
    element = segment.find(f"{{{namespace}}}{which}")
    for child in list(element):
        element.remove(child)
    element.text = None
    stack = [element]
    last = None          # the element whose tail takes the next text
    position = 0

    def add_text(value: str):
        if not value:
            return
        if last is None:
            stack[-1].text = (stack[-1].text or "") + value
        else:
            last.tail = (last.tail or "") + value

    for match in TAG.finditer(text):
        add_text(text[position:match.start()])
        position = match.end()
        if match.group(1):
            last = stack.pop()
        else:
            child = etree.SubElement(stack[-1], f"{{{namespace}}}{code}")
            child.set("id", match.group(2) + match.group(3))
            stack.append(child)
            last = None
    add_text(text[position:])


def _rich_text(element) -> str:
    """The text of a source or target element, with each <pc> as its tag again."""
    if element is None:
        return ""
    out = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname
        if name in ("pc", "g"):
            out.append(f"<{child.get('id')}>{_rich_text(child)}</{child.get('id')}>")
        elif name in ("ph", "x"):
            out.append(f"<{child.get('id')}/>")
        else:
            out.append(_rich_text(child))
        out.append(child.tail or "")
    return "".join(out)


def read_xliff(path: Path) -> ReceivedFile:
    root = _xml_root(path)
    if etree.QName(root).namespace == XLIFF12_NS:
        return _read_xliff12(root)
    if etree.QName(root).namespace != XLIFF_NS:
        raise UnreadableFile("not an XLIFF 2.0 or 1.2 file")
    units, states = [], {}
    for unit in root.iter(f"{{{XLIFF_NS}}}unit"):
        for segment in unit.iter(f"{{{XLIFF_NS}}}segment"):
            target = segment.find(f"{{{XLIFF_NS}}}target")
            state = segment.get("state", "initial" if target is None else "translated")
            unit_id = unit.get("id") or ""
            units.append(Received(unit_id, _rich_text(segment.find(f"{{{XLIFF_NS}}}source")),
                                  _rich_text(target), state == "initial", segment.sourceline))
            states.setdefault(unit_id.split(":")[0], []).append(state)
    reviewed = {section for section, found in states.items()
                if all(state in (REVIEWED, "final") for state in found)}
    return ReceivedFile(root.get("trgLang"), units, reviewed)


# XLIFF 1.2 ------------------------------------------------------------------------------------

NEEDS_REVIEW_12 = ("new", "needs-translation", "needs-adaptation", "needs-l10n",
                   "needs-review-translation", "needs-review-adaptation", "needs-review-l10n")


def write_xliff12(catalog: Catalog, path: Path) -> None:
    from translate.storage.xliff import Xliff1File, Xliff1Unit

    store = Xliff1File.parsestring(XLIFF12_SKELETON.format(
        original=catalog.source.metadata.identifier or "article", source=catalog.source.lang,
        target=catalog.lang).encode("utf-8"))
    reviewed = set(catalog.reviewed_sections())
    for unit in catalog.units:
        item = Xliff1Unit(unit.source.text)
        item.setid(unit.id)
        store.addunit(item)
        if unit.target.text:
            item.target = unit.target.text
        for line in _comments(unit):
            item.addnote(line, origin="developer")
        _set_rich(item.xmlelement, "source", unit.source.text, XLIFF12_NS, "g")
        if not unit.target.text:
            continue
        _set_rich(item.xmlelement, "target", unit.target.text, XLIFF12_NS, "g")
        item.xmlelement.attrib.pop("approved", None)
        target = item.xmlelement.find(f"{{{XLIFF12_NS}}}target")
        if _needs_review(unit):
            target.set("state", "needs-review-translation")
            if unit.tentative:
                target.set("state-qualifier", "fuzzy-match")
            continue
        # approved="yes": a translation fit to use (Translate Toolkit counts any other as fuzzy)
        item.xmlelement.set("approved", "yes")
        target.set("state", "signed-off" if unit.section in reviewed else "translated")
    etree.cleanup_namespaces(store.document.getroot())
    path.write_bytes(bytes(store))


def _read_xliff12(root) -> ReceivedFile:
    units, states = [], {}
    for item in root.iter(f"{{{XLIFF12_NS}}}trans-unit"):
        target = item.find(f"{{{XLIFF12_NS}}}target")
        state = target.get("state", "translated") if target is not None else "new"
        approved = state in ("signed-off", "final")
        unit_id = item.get("id") or ""
        units.append(Received(unit_id, _rich_text(item.find(f"{{{XLIFF12_NS}}}source")),
                              _rich_text(target), state in NEEDS_REVIEW_12, item.sourceline))
        states.setdefault(unit_id.split(":")[0], []).append(approved)
    file = root.find(f"{{{XLIFF12_NS}}}file")
    return ReceivedFile(file.get("target-language") if file is not None else None, units,
                        {section for section, found in states.items() if all(found)})


WRITERS = {PO: write_po, XLIFF: write_xliff, XLIFF12: write_xliff12}
READERS = {PO: read_po, XLIFF: read_xliff, XLIFF12: read_xliff}

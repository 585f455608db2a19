"""The archival PDF: the PDF edition as PDF/A-3u, describing itself in XMP and carrying its
source.

PDF/A-3u, not 3a: level A also requires every piece of content to be in the structure tree or
marked as an artifact, and WeasyPrint 70 leaves page furniture (the folios, drawn in page
margin boxes) outside the tree without marking it as an artifact. The file is tagged all the
same; it claims what it keeps: its text as Unicode (checked glyph by glyph, and by reading it
back). The XMP packet uses only the schemas PDF/A predefines, so that no extension schema is
needed and the pikepdf validator can read every property.
"""
from __future__ import annotations

import mimetypes
import re
import uuid
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

import pydyf
import weasyprint

from ..check.pdfa import archival_problems
from ..languages import SOURCE_LANGUAGE
from ..model import plain_text
from .context import EDITION_NAMESPACE, RenderInput
from .pdf import PdfFormat, ProjectFetcher

PDFA_VARIANT = "pdf/a-3u"
PART, CONFORMANCE = "3", "U"
GLOSSARY = "glossary.yaml"
EMPTY_RESOURCES = ("Pattern", "Shading")
METADATA_FILE = "article.yaml"
REVIEWED = "A native editor has reviewed this translation."
NOT_REVIEWED = "No native editor has reviewed this translation yet."

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}
# RFC 9512's type for the metadata files, which Python's table lacks (it would say octet-stream).
mimetypes.add_type("application/yaml", ".yaml")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)
XPACKET_BEGIN = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
XPACKET_END = b'\n<?xpacket end="r"?>'


def source_files(content: Path, lang: str) -> list[tuple[str, Path]]:
    """The files an edition is made from, by their path inside the content folder: the
    language's sections and metadata, the English ones for a translation, the glossary."""
    files = []
    for code in dict.fromkeys((lang, SOURCE_LANGUAGE)):
        folder = content / code
        for path in sorted(folder.glob("*.md")) + [folder / METADATA_FILE]:
            files.append((f"{code}/{path.name}", path))
    files.append((GLOSSARY, content / GLOSSARY))
    return files


def _xmp_date(point) -> str:
    return "-".join(f"{v:02d}" if i else f"{v:04d}"
                    for i, v in enumerate((point.year, point.month, point.day)) if v)


# The form each Dublin Core element takes in XMP (None: a simple value).
DC_FORMS = {"title": "Alt", "description": "Alt", "creator": "Seq", "publisher": "Bag",
            "language": "Bag", "identifier": None, "source": None, "date": "Seq", "rights": "Alt",
            "relation": "Bag", "contributor": "Bag"}


def dublin_core(source: RenderInput) -> dict[str, list[str]]:
    """One language's text described in Dublin Core, from its metadata: the archival PDF's XMP
    and the deposit's records say the same. A translation names the English text it was made
    from (relation) and how it was made and reviewed (contributor)."""
    meta, lang = source.article.metadata, source.language.code
    plain = lambda inlines: plain_text(inlines, source.language.quotes)   # noqa: E731
    terms = {"title": [plain(meta.headline)], "description": [plain(meta.standfirst)],
             "creator": [plain(meta.author)] if meta.author else [],
             "publisher": [plain(meta.publisher)], "language": [lang],
             "identifier": [source.identifier], "source": [meta.source_url or plain(meta.publisher)],
             "date": [source.build_time.strftime("%Y-%m-%d")], "rights": [plain(meta.rights)],
             "relation": [], "contributor": []}
    if meta.translation:
        english = f"{meta.identifier}#{meta.translation.source_language}"
        terms["relation"] = [f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, english)}"]
        review = REVIEWED if meta.translation.review == "reviewed" else NOT_REVIEWED
        terms["contributor"] = [f"{plain(meta.translation.method)} {source.translations.gettext(review)}"]
    return terms


def xmp_packet(source: RenderInput) -> bytes:
    """The archival PDF's XMP packet: identification, Dublin Core, dates and provenance, from
    the content alone (the same bytes in every build)."""
    lang = source.language.code
    moment = source.build_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    rdf = Element(f"{{{NS['rdf']}}}RDF")
    about = SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})

    def simple(prefix: str, name: str, text: str) -> None:
        SubElement(about, f"{{{NS[prefix]}}}{name}").text = text

    simple("pdfaid", "part", PART)
    simple("pdfaid", "conformance", CONFORMANCE)
    simple("dc", "format", "application/pdf")
    for name, values in dublin_core(source).items():
        form = DC_FORMS[name]
        if not values:
            continue
        if form is None:
            simple("dc", name, values[0])
            continue
        container = SubElement(SubElement(about, f"{{{NS['dc']}}}{name}"), f"{{{NS['rdf']}}}{form}")
        for value in values:
            for code in (("x-default", lang) if form == "Alt" else (None,)):
                item = SubElement(container, f"{{{NS['rdf']}}}li", {XML_LANG: code} if code else {})
                item.text = value
    simple("photoshop", "DateCreated", _xmp_date(source.article.metadata.written.start))
    simple("xmp", "CreateDate", moment)
    simple("xmp", "ModifyDate", moment)
    simple("xmp", "MetadataDate", moment)
    simple("pdf", "Producer", f"WeasyPrint {weasyprint.__version__}")
    simple("xmpMM", "DocumentID", source.identifier)
    instance = uuid.uuid5(EDITION_NAMESPACE, f"{source.identifier};{ArchivalFormat.variant};{moment}")
    simple("xmpMM", "InstanceID", f"urn:uuid:{instance}")
    body = tostring(rdf, encoding="unicode").encode("utf-8")
    return XPACKET_BEGIN + b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + body + b"</x:xmpmeta>" + XPACKET_END


UNICODE_CMAP = b"/CMapName /Adobe-Identity-UCS def"
NO_TEXT = re.compile(rb"^(<[0-9a-f]{4}>) <>$")
NO_TEXT_OF_ITS_OWN = "\u200b".encode("utf-16-be").hex().encode()


def mapped_to_text(line: bytes) -> bytes:
    """A ToUnicode entry, with a glyph that WeasyPrint maps to nothing mapped to U+200B.

    A Khmer syllable drawn with more glyphs than it has characters gives its text to its first
    glyph; WeasyPrint maps the others to no text, and PDF/A-3u wants every glyph to map to at
    least one character. These glyphs are all inside ActualText spans, which carry the
    syllable's real text for extractors; U+200B, the break opportunity the editions already put
    between Khmer words, is the invisible character that says the glyph adds no text.
    """
    return NO_TEXT.sub(rb"\1 <" + NO_TEXT_OF_ITS_OWN + rb">", line)


class ArchivalFormat(PdfFormat):
    """The PDF edition's pages as PDF/A-3u, with the sources it was made from attached."""
    variant = "archival"
    filename = "article-archival.pdf"

    def pdf_identifier(self, source) -> bytes:
        return f"{source.identifier};{self.variant}".encode()

    def attachments(self, source: RenderInput, fetcher: ProjectFetcher) -> list[weasyprint.Attachment]:
        sources = [weasyprint.Attachment(
            filename=str(path), name=name, description=f"Source of this edition: {name}",
            created=source.build_time, modified=source.build_time, relationship="Source",
            url_fetcher=fetcher) for name, path in source_files(source.project.content, source.language.code)]
        return sources + super().attachments(source, fetcher)

    def write_options(self, source: RenderInput) -> dict:
        packet = xmp_packet(source)

        def finish_pdf(document, pdf) -> None:
            """Put the archival XMP packet in place of WeasyPrint's (uncompressed, as an
            archivist's tools expect to find it); drop the empty pattern and shading
            dictionaries WeasyPrint gives every page's resources (they hold nothing, and the
            validator cannot approve a file that has them); and turn off image interpolation,
            which PDF/A forbids (ISO 19005-3, 6.2.8)."""
            stream = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
            stream.stream = [packet]
            stream.compress = False
            for item in pdf.objects:
                if isinstance(item, dict):
                    for key in EMPTY_RESOURCES:
                        if key in item and item[key] == {}:
                            del item[key]
                elif isinstance(item, pydyf.Stream) and item.extra.get("Interpolate") == "true":
                    item.extra["Interpolate"] = "false"
                elif isinstance(item, pydyf.Stream) and UNICODE_CMAP in item.stream:
                    item.stream = [mapped_to_text(line) for line in item.stream]

        return {"pdf_variant": PDFA_VARIANT, "finisher": finish_pdf}

    def render(self, source, problems):
        edition = super().render(source, problems)
        if edition is None:
            return None
        found = archival_problems(edition.files[self.filename], f"{source.language.code}/{self.filename}",
                                  [name for name, _ in source_files(source.project.content,
                                                                    source.language.code)])
        problems.extend(found)
        return None if any(p.is_error for p in found) else edition

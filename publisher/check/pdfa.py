"""Checks of an archival PDF: PDF/A-3 as far as a tool installable here can tell, and what the
3b level leaves out.

veraPDF, the reference validator, is not installable here. pikepdf's PDF/A module validates
PDF/A-3b by an allowlist of constructs mapped to veraPDF's rules: what it approves conforms; a
construct it does not know is reported as not checked. It does not check levels A and U, so
this module adds the checks for what the archival PDF claims beyond 3b:

- the XMP identification says PDF/A-3u (pdfaid:part 3, conformance U);
- every font has a ToUnicode map, and every glyph the font is given widths for (each glyph
  drawn) maps to Unicode text;
- every source file and the font licence are attached, listed in the catalog's /AF, with
  their AFRelationship (Source, Supplement) and a MIME type.

The PDF's XMP says conformance U; pikepdf validates level B, so its one finding that the
conformance is not B is expected and left out.
"""
from __future__ import annotations

import io
import re

import pikepdf

from ..problems import Problem

LICENCE = "OFL.txt"
PART, CONFORMANCE = "3", "U"
FINDINGS_SHOWN = 5
FIX = "the archival PDF is made by publisher/render/archival.py; check WeasyPrint and its options"


def pikepdf_problems(pdf: bytes, shown: str) -> list[Problem]:
    """pikepdf's PDF/A-3b validation, apart from the conformance letter."""
    from pikepdf import pdfa   # needs pikepdf[pdfa]; imported where archival PDFs are checked
    report = pdfa.validate_written(io.BytesIO(pdf), "3b")
    findings = [f for f in report.findings
                if not (f.rule.endswith("6.6.4-3") and f"{CONFORMANCE!r}" in f.message)]
    problems = []
    for finding in findings[:FINDINGS_SHOWN]:
        code = "PDFA-001" if finding.kind == "violation" else "PDFA-002"
        problems.append(Problem(code, shown, None, f"{finding.rule} at {finding.where}: {finding.message}",
                                FIX))
    if len(findings) > FINDINGS_SHOWN:
        problems.append(Problem(problems[0].code, shown, None,
                                f"… and {len(findings) - FINDINGS_SHOWN} more findings", FIX))
    return problems


def identification_problems(document: pikepdf.Pdf, shown: str) -> list[Problem]:
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    if (part, conformance) == (PART, CONFORMANCE):
        return []
    return [Problem("PDFA-003", shown, None,
                    f"the XMP identifies the file as PDF/A part {part!r} conformance {conformance!r}, "
                    f"not part {PART} conformance {CONFORMANCE}", FIX)]


_HEX = r"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(rf"{_HEX}\s*{_HEX}")
_BFRANGE = re.compile(rf"{_HEX}\s*{_HEX}\s*(\[[^\]]*\]|{_HEX})")
_SECTION = re.compile(r"begin(bfchar|bfrange)(.*?)end\1", re.S)


def to_unicode_map(cmap: bytes) -> dict[int, str]:
    """The codes a ToUnicode CMap maps, with their text (PDF 32000-1, 9.10.3)."""
    mapped: dict[int, str] = {}
    text = cmap.decode("latin-1")
    for kind, body in _SECTION.findall(text):
        if kind == "bfchar":
            for code, value in _BFCHAR.findall(body):
                mapped[int(code, 16)] = bytes.fromhex(value).decode("utf-16-be", "replace")
            continue
        for match in _BFRANGE.finditer(body):
            first, last = int(match.group(1), 16), int(match.group(2), 16)
            if match.group(3).startswith("["):
                values = re.findall(_HEX, match.group(3))
                for offset, value in enumerate(values[:last - first + 1]):
                    mapped[first + offset] = bytes.fromhex(value).decode("utf-16-be", "replace")
            else:
                start = bytes.fromhex(match.group(4))
                for offset in range(last - first + 1):
                    value = (int.from_bytes(start, "big") + offset).to_bytes(len(start), "big")
                    mapped[first + offset] = value.decode("utf-16-be", "replace")
    return mapped


def drawn_glyphs(font: pikepdf.Dictionary) -> set[int]:
    """The codes of the glyphs a composite font gives widths for: the ones drawn."""
    widths = font.DescendantFonts[0].get("/W", pikepdf.Array())
    codes, i = set(), 0
    while i < len(widths):
        first = int(widths[i])
        if isinstance(widths[i + 1], pikepdf.Array):
            codes.update(range(first, first + len(widths[i + 1])))
            i += 2
        else:
            codes.update(range(first, int(widths[i + 1]) + 1))
            i += 3
    return codes


def unicode_problems(document: pikepdf.Pdf, shown: str) -> list[Problem]:
    problems = []
    seen = set()
    for page in document.pages:
        for font in page.Resources.get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            if "/ToUnicode" not in font:
                problems.append(Problem("PDFA-004", shown, None, f"font {name} has no ToUnicode map", FIX))
                continue
            mapped = to_unicode_map(font.ToUnicode.read_bytes())
            glyphs = drawn_glyphs(font) if font.get("/Subtype") == "/Type0" else set(mapped)
            unmapped = sorted(g for g in glyphs
                              if not mapped.get(g, "").strip("\x00\ufffd\ufeff\ufffe"))
            if unmapped:
                problems.append(Problem("PDFA-004", shown, None,
                                        f"font {name}: {len(unmapped)} glyph(s) map to no Unicode "
                                        f"text (first: glyph {unmapped[0]})", FIX))
    return problems


def attachment_problems(document: pikepdf.Pdf, shown: str, sources: list[str]) -> list[Problem]:
    """Each source attached as Source and the font licence as Supplement, each listed in the
    catalog's /AF with a MIME type."""
    expected = {name: "/Source" for name in sources} | {LICENCE: "/Supplement"}
    listed = {item.objgen for item in document.Root.get("/AF", pikepdf.Array())}
    attached = document.attachments
    problems = []
    for name, relationship in expected.items():
        if name not in attached:
            problems.append(Problem("PDFA-005", shown, None, f"{name} is not attached",
                                    "rebuild the archival PDF"))
            continue
        spec = attached[name]
        stream = spec.obj.EF.F
        if str(spec.obj.get("/AFRelationship")) != relationship:
            problems.append(Problem("PDFA-005", shown, None,
                                    f"{name}: AFRelationship is {spec.obj.get('/AFRelationship')}, "
                                    f"not {relationship}", FIX))
        if spec.obj.objgen not in listed:
            problems.append(Problem("PDFA-005", shown, None,
                                    f"{name} is not listed in the catalog's /AF", FIX))
        if "/Subtype" not in stream:
            problems.append(Problem("PDFA-005", shown, None, f"{name} has no MIME type", FIX))
    for name in sorted(set(attached) - set(expected)):
        problems.append(Problem("PDFA-005", shown, None, f"{name} is attached but is no source", FIX))
    return problems


def archival_problems(pdf: bytes, shown: str, sources: list[str]) -> list[Problem]:
    """Every check of an archival PDF, one problem per finding."""
    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as error:
        return [Problem("PDFA-001", shown, None, f"the file is not a readable PDF: {error}", FIX)]
    with document:
        problems = identification_problems(document, shown)
        problems += unicode_problems(document, shown)
        problems += attachment_problems(document, shown, sources)
    return problems + pikepdf_problems(pdf, shown)


def attached_sources(pdf: bytes) -> list[str]:
    """The names of the files an archival PDF carries as its sources."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sorted(name for name, spec in document.attachments.items()
                      if str(spec.obj.get("/AFRelationship")) == "/Source")

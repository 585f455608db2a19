"""The printed booklet and what a printer needs from it: the same PDF unit, on the booklet
template; the print-shop file adds bleed and crop marks; the imposed file puts the pages
two-up on sheets in saddle-stitch order."""
from __future__ import annotations

import io

import pypdf

from .imposition import impose
from .pdf import FONT_LICENCE, PdfFormat

COLOPHON = "colophon"   # the id of the colophon's section: imposition pads before it


class BookletFormat(PdfFormat):
    variant = "booklet"
    template = "booklet.html"
    filename = "booklet.pdf"
    bleed = False

    def template_options(self, source) -> dict:
        return {"bleed": self.bleed}

    def pdf_identifier(self, source) -> bytes:
        return f"{source.identifier};{self.variant}".encode()


class PrintFormat(BookletFormat):
    """The booklet with 3 mm bleed and crop marks: TrimBox A5, BleedBox 3 mm beyond it."""
    variant = "print"
    filename = "booklet-print.pdf"
    bleed = True


class ImposedFormat(BookletFormat):
    """The booklet two-up on A4 landscape sheets, padded with blank pages before the colophon."""
    variant = "imposed"
    filename = "booklet-imposed.pdf"
    in_reading_order = False

    def __init__(self, creep_mm: float = 0.0):
        self.creep_mm = creep_mm

    def finish(self, source, pdf: bytes) -> bytes:
        licence = (source.project.fonts / FONT_LICENCE).read_bytes()
        return impose(pdf, page_of(pdf, COLOPHON), self.creep_mm, {FONT_LICENCE: licence})


def page_of(pdf: bytes, anchor: str) -> int:
    """The 0-based page that an element id (a named destination of the PDF) is on."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    destination = reader.named_destinations[anchor]
    return reader.get_destination_page_number(destination)

"""Saddle-stitch imposition with pypdf: pages two-up on A4 landscape sheets in booklet order.

pypdf (BSD) places the pages; the marks are a few lines of PDF drawn on each sheet.
"""
from __future__ import annotations

import io

import pypdf
from pypdf.generic import DecodedStreamObject, NameObject

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
MARK_LENGTH = 6 * MM
MARK_GAP = 2 * MM       # between the sheet's edge and a mark, where printers cannot print
MARK_WIDTH = 0.25


def saddle_stitch_order(count: int) -> list[tuple[int, int]]:
    """The pages (0-based) on the left and right half of each sheet side, front then back.

    ``count`` is a multiple of four. Sheet 1's front holds the last page and page 1, its back
    page 2 and the one before last, and so on inwards.
    """
    if count % 4:
        raise ValueError(f"a saddle-stitched booklet has a multiple of 4 pages, not {count}")
    sides = []
    for sheet in range(count // 4):
        sides.append((count - 1 - 2 * sheet, 2 * sheet))
        sides.append((2 * sheet + 1, count - 2 - 2 * sheet))
    return sides


def padded(count: int, blanks_before: int) -> list[int | None]:
    """Page indices with blank pages (None) inserted before page ``blanks_before`` to make a
    multiple of four."""
    blanks = -count % 4
    pages = list(range(count))
    return pages[:blanks_before] + [None] * blanks + pages[blanks_before:]


def creep_shift(sheet: int, sheets: int, creep: float) -> float:
    """How far (pt) a sheet's pages move towards the spine: none on the outer sheet, ``creep``
    on the innermost, in proportion between."""
    return creep * sheet / (sheets - 1) if sheets > 1 else 0.0


def _marks(width: float, height: float, page_width: float, trim: float) -> bytes:
    """Fold marks at the spine, and crop marks where the folded booklet's fore-edge is trimmed:
    ``trim`` in from the pages' outer edges (without creep compensation, the edges themselves).
    Both stand in the head and foot margins."""
    spine = width / 2
    lines = []
    for x in (spine - page_width + trim, spine + page_width - trim):
        lines += [(x, height - MARK_GAP, x, height - MARK_GAP - MARK_LENGTH),
                  (x, MARK_GAP, x, MARK_GAP + MARK_LENGTH)]
    ops = [b"q", b"0 0 0 RG", f"{MARK_WIDTH} w".encode()]
    ops += [f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S".encode() for x1, y1, x2, y2 in lines]
    ops.append(b"[2 2] 0 d")
    for y1, y2 in ((height - MARK_GAP, height - MARK_GAP - MARK_LENGTH), (MARK_GAP, MARK_GAP + MARK_LENGTH)):
        ops.append(f"{spine:.2f} {y1:.2f} m {spine:.2f} {y2:.2f} l S".encode())
    ops.append(b"Q")
    return b"\n".join(ops) + b"\n"


def impose(pdf: bytes, blanks_before: int, creep_mm: float = 0.0,
           attachments: dict[str, bytes] | None = None) -> bytes:
    """The booklet's pages on A4 landscape sheet sides, padded with blank pages inserted before
    page ``blanks_before`` (0-based), ready to print double-sided, flipped on the short edge."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    order = padded(len(reader.pages), blanks_before)
    sheet_width, sheet_height = A4_LANDSCAPE
    sides = saddle_stitch_order(len(order))
    sheets = len(sides) // 2
    creep = creep_mm * MM
    page_width = float(reader.pages[0].mediabox.width)
    writer = pypdf.PdfWriter()
    writer.pdf_header = reader.pdf_header.encode()   # the booklet's PDF version
    for number, (left, right) in enumerate(sides):
        side = writer.add_blank_page(sheet_width, sheet_height)
        shift = creep_shift(number // 2, sheets, creep)
        for slot, index in ((0, left), (1, right)):
            if order[index] is None:
                continue
            page = reader.pages[order[index]]
            x = sheet_width / 2 - page_width + shift if slot == 0 else sheet_width / 2 - shift
            y = (sheet_height - float(page.mediabox.height)) / 2
            side.merge_transformed_page(page, pypdf.Transformation().translate(x, y))
        marks = pypdf.PageObject.create_blank_page(None, sheet_width, sheet_height)
        stream = DecodedStreamObject()
        stream.set_data(_marks(sheet_width, sheet_height, page_width, creep))
        marks[NameObject("/Contents")] = stream
        side.merge_page(marks)
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items() if key != "/Producer"})
    for name, data in (attachments or {}).items():
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""Where the printed edition's pages begin, for the EPUB's page list.

The printed edition is laid out by WeasyPrint (``weasyprint.HTML(...).render()``) and walked
page by page: each page's start is the last element with an id before it (a section, heading,
figure or gap of the article or the colophon) and the count of letters and digits from that
element to the page's first one. The EPUB has the same ids and text (both formats add the same
break opportunities), so the same element and count find the same place in its chapters; a
line that differs between the formats (the colophon names its edition) shifts nothing beyond
the next id.

The page numbers are those of the layout :func:`printed_layout` returns, and
:func:`page_source` names that edition: the printed booklet (templates/booklet.html), whose
page numbers a reader of the book cites. To follow another printed edition, change those two
functions: nothing else changes.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from weasyprint.formatting_structure import boxes

from .context import RenderInput
from .booklet import BookletFormat
from .pdf import render_html_document

# The printed page's text that is the article's and the colophon's: what the EPUB's chapters
# from the first section on hold too. Title page and contents come before; page furniture
# (folios, running heads) stands in margin boxes and is never counted.
BODY_CLASSES = {"section", "colophon"}


@dataclass(frozen=True)
class PageStart:
    number: int        # the printed page number, 1 for the first page
    label: str         # as the page shows it, in the language's digits
    anchor: str | None  # the id of the last element that starts before the page; None before the body
    offset: int         # letters and digits from that element to the page's first
    opening: str        # the page's first letters and digits, to check where it was found


def counted(text: str) -> int:
    """How many characters of ``text`` take part in the count: letters, marks and digits."""
    return sum(1 for c in text if c.isalnum())


def printed_layout(source: RenderInput) -> str:
    """The HTML of the printed edition whose page numbers the EPUB cites: the booklet."""
    return BookletFormat().page_html(source)


def page_source(source: RenderInput) -> str:
    """The identifier of the printed edition the page numbers come from (the booklet PDF's own)."""
    return BookletFormat().pdf_identifier(source).decode()


def _in_body(box) -> bool:
    return bool(BODY_CLASSES & set((box.element.get("class") or "").split())) \
        if getattr(box, "element", None) is not None and box.element_tag == "section" else False


def page_starts(source: RenderInput) -> list[PageStart]:
    """Each page of the printed layout that has text, with where it begins in the body."""
    document, _fetcher = render_html_document(source, printed_layout(source))
    document = document.render()
    starts, anchor, total, seen = [], None, 0, set()
    for number, page in enumerate(document.pages, 1):
        first: list[tuple[str | None, int, str]] = []

        def walk(box, in_body: bool):
            nonlocal anchor, total
            if isinstance(box, boxes.MarginBox):
                return
            in_body = in_body or _in_body(box)
            element = getattr(box, "element", None)
            if in_body and element is not None and element not in seen:
                seen.add(element)
                if element.get("id"):
                    anchor, total = element.get("id"), 0
            if isinstance(box, boxes.TextBox) and getattr(box, "pseudo_type", None) != "marker":
                count = counted(box.text)
                if count and not first:
                    first.append((anchor if in_body else None, total if in_body else 0,
                                  "".join(c for c in box.text if c.isalnum())))
                if in_body:
                    total += count
            for child in getattr(box, "children", ()):
                if getattr(child, "pseudo_type", None) in ("marker", "before", "after"):
                    continue
                walk(child, in_body)

        walk(page._page_box, False)
        if first:
            starts.append(PageStart(number, source.language.to_digits(str(number)), *first[0]))
    return starts


TEXT_OR_TAG = re.compile(r"(<[^>]+>)|([^<]+)")
CHARACTER = re.compile(r"&[^;]+;|.", re.S)
ELEMENT_ID = re.compile(r'\sid="([^"]+)"')
BLOCK_START = re.compile(r"^<(h[1-6]|p|li|dd|dt|blockquote)\b[^>]*>$")


def mark_page_breaks(chapters: list[tuple[str, str]], starts: list[PageStart],
                     marker) -> tuple[dict[str, str], list[tuple[PageStart, str]]]:
    """The chapters (name, XHTML), from the first section on, with a marker where each printed
    page of the body begins; and each such page with its address (``name#page-<number>``).

    ``marker(start)`` is the markup of a page's start, with the id ``page-<number>``. A page
    that begins with a heading or a paragraph gets its marker just before that element. A page
    whose element the chapters lack gets no marker.
    """
    pending = [s for s in starts if s.anchor is not None]
    changed, targets, anchor, total = {}, [], None, 0
    for name, page in chapters:
        body_at = page.index(">", page.index("<body")) + 1
        out = []
        for tag, text in TEXT_OR_TAG.findall(page[body_at:]):
            if tag:
                out.append(tag)
                ident = ELEMENT_ID.search(tag)
                if ident and not tag.startswith("</"):
                    anchor, total = html.unescape(ident[1]), 0
                continue
            counted_at = [m.start() for m in CHARACTER.finditer(text) if html.unescape(m.group()).isalnum()]
            position = 0
            while pending and pending[0].anchor == anchor and pending[0].offset < total + len(counted_at):
                start = pending.pop(0)
                at = counted_at[start.offset - total]
                targets.append((start, f"{name}#page-{start.number}"))
                if position == 0 and not text[:at].strip() and out and BLOCK_START.match(out[-1]):
                    out.insert(len(out) - 1, marker(start))
                else:
                    out += [text[position:at], marker(start)]
                    position = at
            out.append(text[position:])
            total += len(counted_at)
        changed[name] = page[:body_at] + "".join(out)
    return changed, targets

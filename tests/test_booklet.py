"""The printed booklet, the print shop's file and the imposed sheets.

Layout is checked on WeasyPrint's laid-out booklet (exact for every script); what the PDFs
hold — page boxes, fonts, colours, the order of the imposed pages — on the built files.
Expected texts come from the article, never from strings copied out of it.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
from dataclasses import dataclass, field

import pypdf
import pytest
from pypdf.generic import ContentStream
from weasyprint.formatting_structure import boxes

from publisher.languages import LANGUAGES
from publisher.model import plain_text
from publisher.render.booklet import BookletFormat
from publisher.render.context import RenderInput
from publisher.render.i18n import load_translations
from publisher.render.pdf import render_html_document
from tests.helpers import canonical
from tests.test_editions import PDF_EXTRACTABLE

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
A4_LANDSCAPE = (297 * MM, 210 * MM)
BLEED = 3 * MM
ELLIPSIS = "…"
HEADINGS = ("h1", "h2", "h3", "h4")
RUNNING_TEXT = ("p", "li", "dd", "dt")


@dataclass
class Line:
    element: object          # the element whose text the line holds
    section: str | None      # the id of the article section it is in, if any
    text: str
    text_boxes: list
    within: frozenset        # the classes of the elements it is in


@dataclass
class Page:
    number: int
    box: object
    margin_texts: dict[str, str]
    lines: list[Line] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)

    @property
    def is_left(self) -> bool:
        return self.number % 2 == 0

    @property
    def head(self) -> str:
        return self.margin_texts.get("@top-center", "")

    @property
    def folio(self) -> str:
        return self.margin_texts.get("@bottom-left", "") + self.margin_texts.get("@bottom-right", "")


def _texts(box):
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", None) or []:
        yield from _texts(child)


def _walk(box, page: Page, section: str | None, within: frozenset = frozenset()):
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None):
        if element.get("id"):
            page.ids.add(element.get("id"))
        classes = (element.get("class") or "").split()
        page.classes.update(classes)
        within = within | set(classes)
        if box.element_tag == "section" and "section" in classes:
            section = element.get("id").removeprefix("section-")
    for child in getattr(box, "children", None) or []:
        if isinstance(child, boxes.MarginBox):
            continue
        if isinstance(child, boxes.LineBox):
            texts = list(_texts(child))
            if texts:
                page.lines.append(Line(box.element, section, "".join(t.text for t in texts), texts,
                                       within))
            continue
        _walk(child, page, section, within)


def lay_out(document) -> list[Page]:
    pages = []
    for number, laid in enumerate(document.pages, 1):
        margins = {child.at_keyword: "".join(t.text for t in _texts(child)).strip()
                   for child in laid._page_box.children if isinstance(child, boxes.MarginBox)}
        page = Page(number, laid._page_box, margins)
        _walk(laid._page_box, page, None)
        pages.append(page)
    return pages


@pytest.fixture(scope="session")
def booklet_layout(project, articles, glossary):
    """Each language's booklet as WeasyPrint lays it out, laid out once per session."""
    cache = {}

    def laid_out(lang: str) -> list[Page]:
        if lang not in cache:
            source = RenderInput(project, articles[lang], LANGUAGES[lang],
                                 load_translations(project.templates, lang, "en", []),
                                 glossary.keep_together(lang), dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
            document, _ = render_html_document(source, BookletFormat().page_html(source))
            cache[lang] = lay_out(document.render())
        return cache[lang]
    return laid_out


def page_kind(page: Page, article) -> str:
    if "cover" in page.classes:
        return "cover"
    if "title-page" in page.classes or "toc" in page.classes:
        return "front"
    if "colophon" in page.classes:
        return "colophon"
    if not page.lines:
        return "blank"
    if any(heading_id(section) in page.ids for section in article.sections):
        return "opening"
    return "text"


def heading_id(section) -> str:
    return next(block.id for block in section.blocks if block.kind == "heading")


def title_of(section, lang) -> str:
    return plain_text(section.title, LANGUAGES[lang].quotes)


def page_of_id(pages: list[Page], element_id: str) -> int:
    return next(page.number for page in pages if element_id in page.ids)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_contents_page_numbers_are_the_pages_of_the_headings(booklet_layout, articles, lang):
    pages = booklet_layout(lang)
    language = LANGUAGES[lang]
    entries: dict = {}
    for page in pages:
        for line in page.lines:
            if line.element.tag == "li" and "toc" in line.within:
                entries.setdefault(line.element, []).append(line.text)
    assert len(entries) == len(articles[lang].sections) + 1
    listed = {}
    for item, texts in entries.items():
        number = re.search(f"[{language.digits}]+$", "".join(texts).strip())
        assert number, f"no page number in the contents entry {''.join(texts)!r}"
        target = item.find("a").get("href").lstrip("#")
        listed[target] = number.group()
        assert number.group() == language.to_digits(str(page_of_id(pages, target)))
    assert [f"section-{s.id}" for s in articles[lang].sections] == list(listed)[:-1]


@pytest.mark.parametrize("lang", PDF_EXTRACTABLE)
def test_the_pdf_shows_each_section_on_the_page_the_contents_give(built, booklet_layout, articles, lang):
    pages = booklet_layout(lang)
    path = built / lang / "booklet.pdf"
    texts = [canonical(_page_text(path, number)) for number in range(1, len(_pages(path)) + 1)]
    assert len(texts) == len(pages)
    contents = next(text for text in texts if canonical(title_of(articles[lang].sections[-1], lang)) in text)
    for section in articles[lang].sections:
        number = page_of_id(pages, f"section-{section.id}")
        title = canonical(title_of(section, lang))
        assert title + LANGUAGES[lang].to_digits(str(number)) in contents
        assert title in texts[number - 1]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_running_heads_and_folios(booklet_layout, articles, lang):
    article, language = articles[lang], LANGUAGES[lang]
    short_title = plain_text(article.metadata.short_title or article.metadata.headline, language.quotes)
    sections = {s.id: title_of(s, lang) for s in article.sections}
    kinds = []
    for page in booklet_layout(lang):
        kind = page_kind(page, article)
        kinds.append(kind)
        where = f"page {page.number} ({kind})"
        if kind in ("cover", "front", "colophon", "blank"):
            assert (page.head, page.folio) == ("", ""), where
            continue
        assert page.folio == language.to_digits(str(page.number)), where
        position = "@bottom-left" if page.is_left else "@bottom-right"
        assert page.margin_texts.get(position) == page.folio, where
        if kind == "opening":
            assert page.head == "", where
        elif page.is_left:
            assert canonical(page.head) == canonical(short_title), where
        else:
            title = canonical(sections[page.lines[0].section])
            head = canonical(page.head)
            assert head.removesuffix(ELLIPSIS) and (
                head == title or (head.endswith(ELLIPSIS) and title.startswith(head[:-1]))), where
    assert kinds[:4] == ["cover", "blank", "front", "front"]
    assert kinds.count("opening") == len(article.sections)
    assert kinds[-1] == "colophon"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_heading_is_the_last_line_of_a_page(booklet_layout, lang):
    last_lines = [(page.number, page.lines[-1]) for page in booklet_layout(lang) if page.lines]
    assert [(number, line.text) for number, line in last_lines if line.element.tag in HEADINGS] == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_single_line_of_a_paragraph_at_the_top_or_foot_of_a_page(booklet_layout, lang):
    parts: dict = {}
    for page in booklet_layout(lang):
        for line in page.lines:
            if line.element.tag in RUNNING_TEXT:
                parts.setdefault(line.element, {}).setdefault(page.number, []).append(line.text)
    split = {element: by_page for element, by_page in parts.items() if len(by_page) > 1}
    alone = [(number, lines[0][:40]) for by_page in split.values()
             for number, lines in by_page.items() if len(lines) < 2]
    assert alone == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_section_ends_with_a_single_line_on_its_last_page(booklet_layout, articles, lang):
    pages = booklet_layout(lang)
    for section in articles[lang].sections:
        last = [p for p in pages if any(line.section == section.id for line in p.lines)][-1]
        assert sum(line.section == section.id for line in last.lines) >= 2, last.number


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_text_outside_the_text_block(booklet_layout, lang):
    outside = []
    for page in booklet_layout(lang):
        box = page.box
        left, top = box.content_box_x(), box.content_box_y()
        right, bottom = left + box.width, top + box.height
        for line in page.lines:
            for text in line.text_boxes:
                x, y = text.position_x, text.position_y
                if x < left - 0.01 or x + text.margin_width() > right + 0.01 \
                        or y < top - 0.01 or y + text.margin_height() > bottom + 0.01:
                    outside.append((page.number, text.text[:30]))
        for margin in box.children:
            if isinstance(margin, boxes.MarginBox) and margin.at_keyword == "@top-center":
                # A head too long for its line is cut with an ellipsis: the box clips it.
                clipped = margin.style["overflow"] == "hidden"
                for text in _texts(margin):
                    x, width = (margin.content_box_x(), margin.width) if clipped \
                        else (text.position_x, text.margin_width())
                    if x < left - 0.01 or x + min(width, text.margin_width()) > right + 0.01:
                        outside.append((page.number, text.text[:30]))
    assert outside == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_only_languages_that_hyphenate_are_hyphenated(booklet_layout, lang):
    paragraphs = [line for page in booklet_layout(lang) for line in page.lines
                  if line.element.tag == "p" and "section" in line.within]
    hyphenated = [line.text for line in paragraphs if line.text.rstrip().endswith("\u2010")]
    if LANGUAGES[lang].hyphenate:
        assert {text.style["hyphens"] for line in paragraphs for text in line.text_boxes} == {"auto"}
        assert {text.style["lang"] for line in paragraphs for text in line.text_boxes} == {lang}
        assert hyphenated or len(paragraphs) < 100   # a text this long breaks some word
    else:
        assert hyphenated == []


def _pages(path):
    return pypdf.PdfReader(path).pages


def _size(box) -> tuple[float, float]:
    return float(box.width), float(box.height)


def _close(a, b, tolerance=0.1) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_booklet_pages_are_a5(built, lang):
    assert all(_close(_size(page.mediabox), A5) for page in _pages(built / lang / "booklet.pdf"))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_print_file_has_a5_trim_and_3mm_bleed_on_every_page(built, lang):
    booklet = _pages(built / lang / "booklet.pdf")
    pages = _pages(built / lang / "booklet-print.pdf")
    assert len(pages) == len(booklet)
    for page in pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert _close(_size(trim), A5)
        assert _close((float(bleed.left), float(bleed.bottom)), (float(trim.left) - BLEED, float(trim.bottom) - BLEED))
        assert _close((float(bleed.right), float(bleed.top)), (float(trim.right) + BLEED, float(trim.top) + BLEED))
        assert float(page.mediabox.width) >= float(bleed.width) - 0.1


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_print_file_embeds_every_font_and_paints_in_one_colour_space(built, lang):
    reader = pypdf.PdfReader(built / lang / "booklet-print.pdf")
    operators = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            assert any("/FontDescriptor" in d and {"/FontFile", "/FontFile2", "/FontFile3"}
                       & set(d["/FontDescriptor"].get_object()) for d in descriptors), font["/BaseFont"]
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"rg", b"RG", b"g", b"G", b"k", b"K", b"cs", b"CS"):
                operators.add(operator)
    assert operators <= {b"rg", b"RG"}   # DeviceRGB only
    assert b"GTS_PDFX" not in (built / lang / "booklet-print.pdf").read_bytes()   # no PDF/X claim


def saddle_stitch(count: int) -> list[tuple[int, int]]:
    """Pages (1-based) on the left and right of each sheet side, as a person folds them."""
    sides = []
    for sheet in range(1, count // 4 + 1):
        sides.append((count - 2 * sheet + 2, 2 * sheet - 1))   # front
        sides.append((2 * sheet, count - 2 * sheet + 1))       # back
    return sides


def _page_text(path, page: int) -> str:
    """A page's text as poppler extracts it (honouring ActualText)."""
    return subprocess.run(["pdftotext", "-q", "-f", str(page), "-l", str(page), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def _text_in(path, page: int, x: float, y: float, width: float, height: float) -> str:
    return subprocess.run(
        ["pdftotext", "-q", "-f", str(page), "-l", str(page), "-x", str(int(x)), "-y", str(int(y)),
         "-W", str(int(width)), "-H", str(int(height)), str(path), "-"],
        check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_imposed_sheets_are_a4_landscape_two_sides_per_four_pages(built, lang):
    booklet = len(_pages(built / lang / "booklet.pdf"))
    sides = _pages(built / lang / "booklet-imposed.pdf")
    assert len(sides) == math.ceil(booklet / 4) * 2
    assert all(_close(_size(side.mediabox), A4_LANDSCAPE) for side in sides)


@pytest.mark.parametrize("lang", PDF_EXTRACTABLE)
def test_imposed_pages_are_in_saddle_stitch_order(built, articles, lang):
    """Each half of each sheet side shows the booklet page saddle stitching puts there: its
    folio and its whole text; the blank pages that pad the booklet come before the colophon."""
    booklet_path, imposed = built / lang / "booklet.pdf", built / lang / "booklet-imposed.pdf"
    reader = pypdf.PdfReader(booklet_path)
    count = len(reader.pages)
    colophon = reader.get_destination_page_number(reader.named_destinations["colophon"])
    physical = list(range(1, colophon + 1)) + [None] * (-count % 4) + list(range(colophon + 1, count + 1))
    width, height = A4_LANDSCAPE
    page_width, page_height = A5
    folios_seen = 0
    for side, pair in enumerate(saddle_stitch(len(physical)), 1):
        for half, position in enumerate(pair):
            page = physical[position - 1]
            x = width / 2 - page_width if half == 0 else width / 2
            text = _text_in(imposed, side, x, 0, page_width, height)
            foot = _text_in(imposed, side, x, height - 22 * MM, page_width, 22 * MM).strip()
            if page is None:
                assert text.strip() == "", (side, half)
                continue
            expected = _text_in(booklet_path, page, 0, 0, page_width, page_height)
            assert canonical(text) == canonical(expected), (side, half, page)
            assert foot == _text_in(booklet_path, page, 0, page_height - 22 * MM, page_width, 22 * MM).strip()
            if re.fullmatch(f"[{LANGUAGES[lang].digits}]+", foot):
                assert foot == LANGUAGES[lang].to_digits(str(position)), (side, half)
                folios_seen += 1
    assert folios_seen >= len(articles[lang].sections)


def _words(path, page: int) -> list[tuple[float, float, str]]:
    """The words of a page with the left and right edge of each, from pdftotext's boxes."""
    html = subprocess.run(["pdftotext", "-q", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [(float(a), float(b), w) for a, b, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]


def test_creep_moves_the_inner_sheets_pages_towards_the_spine(built, project, tmp_path):
    from publisher.render.imposition import impose
    from publisher.render.booklet import COLOPHON, page_of
    lang = PDF_EXTRACTABLE[0]
    booklet = (built / lang / "booklet.pdf").read_bytes()
    without = built / lang / "booklet-imposed.pdf"
    with_creep = tmp_path / "creep.pdf"
    with_creep.write_bytes(impose(booklet, page_of(booklet, COLOPHON), creep_mm=2.0))
    sides = len(_pages(without))
    spine = A4_LANDSCAPE[0] / 2
    for side, expected in ((1, 0.0), (sides, 2 * MM)):   # outer sheet, innermost sheet
        before, after = _words(without, side), _words(with_creep, side)
        assert [w for _, _, w in before] == [w for _, _, w in after]
        for (left, right, _), (moved_left, moved_right, _) in zip(before, after):
            towards_spine = moved_left - left if right <= spine else left - moved_left
            assert abs(towards_spine - expected) < 0.05
    fore_edge = spine - A5[0]
    assert _vertical_marks(without) >= {round(spine), round(fore_edge), round(2 * spine - fore_edge)}
    assert _vertical_marks(with_creep) >= {round(spine), round(fore_edge + 2 * MM),
                                           round(2 * spine - fore_edge - 2 * MM)}


def _vertical_marks(path) -> set[int]:
    """Where the first sheet side's short vertical lines (marks) stand, to the point."""
    reader = pypdf.PdfReader(path)
    found, start = set(), None
    for operands, operator in ContentStream(reader.pages[0].get_contents(), reader).operations:
        if operator == b"m":
            start = [float(v) for v in operands]
        elif operator == b"l" and start and abs(float(operands[0]) - start[0]) < 0.01 \
                and abs(float(operands[1]) - start[1]) < 10 * MM:
            found.add(round(start[0]))
    return found


def test_an_occasion_that_is_not_a_date_interval_is_reported(project_copy, capsys):
    from publisher.cli import main
    path = project_copy / "content" / "en" / "article.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.rstrip("\n") + "\n" if "booklet:" in text else text + "booklet:\n  short_title: A title\n"
    lines = [line for line in text.splitlines() if not line.strip().startswith("occasion:")]
    lines.insert(lines.index("booklet:") + 1, "  occasion: January 1979")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = main(["--quiet", "--lang", "en", "--format", "html", "--variant", "standard"], root=project_copy)
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0] == (f"content/en/article.yaml:{lines.index('  occasion: January 1979') + 1}: LOAD-008 "
                      "booklet.occasion 'January 1979' is not a date interval — write the event's date "
                      "and the commemoration's, e.g. `occasion: 1979-01-07/2024-01-07`")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_figures_stay_with_their_captions_and_notes_stay_whole(booklet_layout, articles, lang):
    pages = booklet_layout(lang)
    kept = [block.id for block in articles[lang].all_blocks() if block.kind in ("figure", "gap")]
    assert {block_id: sum(block_id in page.ids for page in pages) for block_id in kept} == \
        {block_id: 1 for block_id in kept}


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("name", ["booklet.pdf", "booklet-print.pdf", "booklet-imposed.pdf"])
def test_every_booklet_file_carries_the_font_licence_and_only_the_languages_fonts(built, lang, name):
    from publisher.render.pdf import embedded_fonts, unintended_fonts
    data = (built / lang / name).read_bytes()
    assert unintended_fonts(embedded_fonts(data), LANGUAGES[lang]) == set()
    attachments = pypdf.PdfReader(built / lang / name).attachments
    assert b"SIL OPEN FONT LICENSE" in attachments["OFL.txt"][0]

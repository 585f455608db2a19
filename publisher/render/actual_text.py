"""Extractable text for complex scripts: ``/ActualText`` on glyph clusters in every PDF.

A PDF maps each glyph to text once, through its font's ToUnicode map. That is enough for
English and Vietnamese, where a glyph stands for one character (or a ligature for a few). It
cannot describe Khmer: a split vowel (ើ ោ ៀ) is drawn as a glyph before the consonant and
another after it, a subscript consonant (្ក) as a glyph that belongs to the syllable, and the
same glyph means different text in different syllables. Copying, searching, a screen reader or
an archive's text extraction then get the vowels reordered or lost.

PDF 32000-1, 14.9.4 gives the standard answer, the one Chromium (Skia's
``SkPDFDevice::internalDrawGlyphRun``) and LibreOffice use: each cluster whose glyphs and
characters do not map one to one is wrapped in marked content that carries its real text,
``/Span <</ActualText <FEFF…>>> BDC … EMC``. Extractors (poppler's ``pdftotext``, pdfium,
Acrobat) read that text instead of the glyphs'.

WeasyPrint 70.0 writes no ActualText. :func:`draw_first_line` here follows
``weasyprint.draw.text.draw_first_line`` of that version line for line and adds three things:

* Pango's glyph clusters (``log_clusters``) group the glyphs; a cluster whose glyphs do not
  each stand for their own text in the font's ToUnicode map is drawn inside an ActualText
  span holding the cluster's characters. The ToUnicode map and the glyphs drawn are exactly
  WeasyPrint's, so pages look the same and embed the same fonts.
* Break opportunities the pipeline adds (U+200B ZERO WIDTH SPACE, U+2060 WORD JOINER) are
  left out of any ActualText, so they never come back as text.
* A hyphen WeasyPrint adds at a line end (drawn as U+2010, which extractors keep) gets the
  ActualText "-", which poppler and pdfium recognise as a line-end hyphen and remove: the
  hyphenated word comes back whole.
* A span's last glyph is drawn with character spacing (``Tc``) that brings the pen to where
  the next text starts, in place of WeasyPrint's adjustment after it: the same glyph
  positions, but an extractor sees no gap (and so no space) inside a word such as ក្នុង.

The spans nest inside the ``/Span <</MCID n>>`` marked content WeasyPrint writes for tagged
PDF, within the text object, as the standard allows.

:func:`install` puts the function in place of WeasyPrint's and refuses to do so for any
WeasyPrint but the pinned one, or if the function it follows has changed: review this module
against the new version first. Upstream, the change belongs in WeasyPrint's own
``draw_first_line`` (see the README, "Extractable text in every PDF").
"""
from __future__ import annotations

import hashlib
import inspect
import unicodedata
from io import BytesIO
from xml.etree import ElementTree

import pydyf
import weasyprint
import weasyprint.draw.text as weasyprint_text
from PIL import Image
from weasyprint.images import RasterImage, SVGImage
from weasyprint.logger import LOGGER
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango
from weasyprint.text.fonts import get_hb_object_data
from weasyprint.text.line_break import get_last_word_end

PINNED_VERSION = "70.0"
# sha256 of inspect.getsource(weasyprint.draw.text.draw_first_line) in the pinned version.
FOLLOWED_SOURCE_SHA256 = "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b"
INVISIBLE_BREAKS = str.maketrans("", "", "\u200b\u2060")
LINE_END_HYPHEN = "-"   # what poppler and pdfium take for a hyphen to remove at a line end
VIRAMA = 9   # canonical combining class of signs that join the next consonant (្)

_original = weasyprint_text.draw_first_line


class ExtensionOutOfDate(RuntimeError):
    """WeasyPrint is not the version whose text drawing this module follows."""


def followed_source_digest() -> str:
    return hashlib.sha256(inspect.getsource(_original).encode()).hexdigest()


def install() -> None:
    """Draw every PDF's text through :func:`draw_first_line` (idempotent)."""
    if weasyprint.__version__ != PINNED_VERSION or followed_source_digest() != FOLLOWED_SOURCE_SHA256:
        raise ExtensionOutOfDate(
            f"publisher/render/actual_text.py follows draw_first_line of WeasyPrint {PINNED_VERSION}, "
            f"but WeasyPrint {weasyprint.__version__} is installed or that function has changed: "
            "compare the two functions, carry the change over, then update PINNED_VERSION and "
            "FOLLOWED_SOURCE_SHA256 (or pin WeasyPrint back in requirements.txt)")
    weasyprint_text.draw_first_line = draw_first_line


def _clusters(glyph_item, num_glyphs, utf8_text):
    """For each glyph index, the byte range (start, end) of its syllable in the item's text.

    Pango numbers clusters per character (a mark gets a cluster of its own), but a mark
    drawn with its own offset, taken out of its syllable, lands elsewhere in extracted text.
    So a cluster that starts with a combining mark, or follows a virama-like sign (Khmer
    COENG, combining class 9), joins the cluster before it: a whole syllable shares one
    ActualText.
    """
    clusters = glyph_item.glyphs.log_clusters
    length, offset = glyph_item.item.length, glyph_item.item.offset
    starts = sorted({clusters[i] for i in range(num_glyphs)})
    ends = starts[1:] + [length]
    syllable_of, syllable_starts = {}, []
    for start, end in zip(starts, ends):
        text = utf8_text[offset + start:offset + end].decode()
        before = utf8_text[offset + syllable_starts[-1]:offset + start].decode() if syllable_starts else ""
        if not before or not (unicodedata.category(text[0]).startswith("M")
                              or unicodedata.combining(before[-1]) == VIRAMA):
            syllable_starts.append(start)
        syllable_of[start] = syllable_starts[-1]
    following = dict(zip(syllable_starts, syllable_starts[1:] + [length]))
    return [(syllable_of[clusters[i]], following[syllable_of[clusters[i]]]) for i in range(num_glyphs)]


def _inserted_hyphen_start(textbox) -> int | None:
    """Where, in the layout's UTF-8 text, a hyphen added at the line end begins, if one was.

    WeasyPrint appends ``hyphenate-character`` to a line it hyphenates; the source text never
    had it there. A source that uses that character itself is left alone.
    """
    hyphen = textbox.style["hyphenate_character"]
    text = textbox.pango_layout.text
    if not hyphen or not text.endswith(hyphen) or len(text) == len(hyphen):
        return None
    element = textbox.element
    if element is not None and hyphen in "".join(element.itertext()):
        return None
    return len(text.encode()) - len(hyphen.encode())


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """Draw the given ``textbox`` line to the document ``stream``.

    WeasyPrint 70.0's function, with ActualText spans around clusters (see the module's
    docstring); the lines marked ``# actual text`` are the additions.
    """
    # Don’t draw lines with only invisible characters.
    if not textbox.text.strip():
        return []

    if textbox.style['font_size'] < 1e-6:  # default float precision used by pydyf
        return []

    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)

    if text_overflow == 'ellipsis' or block_ellipsis != 'none':
        assert textbox.pango_layout.max_width is not None
        max_width = textbox.pango_layout.max_width
        pango.pango_layout_set_width(
            textbox.pango_layout.layout, int(max_width * TO_UNITS))
        if text_overflow == 'ellipsis':
            pango.pango_layout_set_ellipsize(
                textbox.pango_layout.layout, pango.PANGO_ELLIPSIZE_END)
        else:
            if block_ellipsis == 'auto':
                ellipsis = '…'
            else:
                assert block_ellipsis[0] == 'string'
                ellipsis = block_ellipsis[1]

            # Remove last word if hyphenated.
            new_text = textbox.pango_layout.text
            if new_text.endswith(textbox.style['hyphenate_character']):
                last_word_end = get_last_word_end(
                    new_text[:-len(textbox.style['hyphenate_character'])],
                    textbox.style['lang'])
                if last_word_end:
                    new_text = new_text[:last_word_end]

            textbox.pango_layout.set_text(new_text + ellipsis)

    first_line, index = textbox.pango_layout.get_first_line()

    if block_ellipsis != 'none':
        while index:
            last_word_end = get_last_word_end(
                textbox.pango_layout.text[:-len(ellipsis)],
                textbox.style['lang'])
            if last_word_end is None:
                break
            new_text = textbox.pango_layout.text[:last_word_end]
            textbox.pango_layout.set_text(new_text + ellipsis)
            first_line, index = textbox.pango_layout.get_first_line()

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ''
    x_advance = 0
    emojis = []
    utf8_text = textbox.pango_layout.text.encode()  # actual text
    hyphen_start = _inserted_hyphen_start(textbox)  # actual text
    run = first_line.runs[0]
    while run != ffi.NULL:
        # Get Pango objects.
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        glyphs_info = glyph_string.glyphs
        num_glyphs = glyph_string.num_glyphs
        clusters = glyph_string.log_clusters

        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            # Add font file content and get font size.
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)

            # Workaround for https://gitlab.gnome.org/GNOME/pango/-/issues/530.
            # This is also needed by raster emoji fonts, see #2800.
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style['font_size']

            # Go through the run glyphs.
            if string:
                stream.show_text(string)
            string = ''
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        string += '<'
        item_offset = glyph_item.item.offset  # actual text
        cluster_ranges = _clusters(glyph_item, num_glyphs, utf8_text)  # actual text
        span_end = None  # actual text: the last glyph index of the open ActualText span
        for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
            glyph_id = glyph_info.glyph
            width = glyph_info.geometry.width

            # actual text: open a span at the first glyph of a cluster that needs one.
            if span_end is None and (i == 0 or cluster_ranges[i] != cluster_ranges[i - 1]):
                actual, last = _actual_text(
                    font, glyphs_info, i, num_glyphs, cluster_ranges, utf8_text,
                    item_offset, glyph_item.item.analysis.level % 2, hyphen_start)
                if actual is not None:
                    string = _flush(stream, string)
                    stream.begin_marked_content(
                        'Span', pydyf.Dictionary({'ActualText': pydyf.String(actual)}))
                    span_end = last

            # Display zero-width empty glyph.
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                string += f'>{-width / font_size}<'
                string, span_end = _close_span(stream, string, i, span_end)  # actual text
                continue

            # Display .notdef and log warning for missing glyphs.
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning(
                    '.notdef glyph rendered for Unicode string unsupported by fonts: '
                    '"%s" (U+%04X)', chr(codepoint), codepoint)
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    # "width" is actually Pango’s get_approximate_char_width. Force
                    # .notdef’s to use this width, even if it’s not the right, as we
                    # want to keep Pango’s layout for next glyphs.
                    font.widths[0] = font.widths[glyph_id]

            # Create mapping between glyphs and Unicode codepoints.
            if glyph_id not in font.to_unicode:
                font.to_unicode[glyph_id] = _weasyprint_mapping(
                    glyph_item, clusters, i, num_glyphs, utf8_text)

            # Get glyph logical widths.  (actual text: computed before the glyph is shown)
            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size)

            # Set horizontal and vertical offsets.
            offset = glyph_info.geometry.x_offset / font_size
            rise = glyph_info.geometry.y_offset / 1000
            kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size

            # actual text: a span's last glyph reaches the pen position where the next text
            # starts, so that extractors do not see a gap (and a space) inside a word.
            spacing = 0
            if i == span_end and int(kerning) < 0 and not font.bitmap:
                string = _flush(stream, string)
                spacing = -int(kerning) * font_size / 1000
                _set_character_spacing(stream, spacing)
            if rise:
                if string[-1] == '<':
                    string = string[:-1]
                else:
                    string += '>'
                if string:
                    stream.show_text(string)
                stream.set_text_rise(-rise)
                string = ''
                if offset:
                    string = f'{-offset}'
                string += f'<{glyph_id:02x}>' if font.bitmap else f'<{glyph_id:04x}>'
                stream.show_text(string)
                stream.set_text_rise(0)
                string = '<'
            else:
                if offset:
                    string += f'>{-offset}<'
                string += f'{glyph_id:02x}' if font.bitmap else f'{glyph_id:04x}'

            # Set kerning, word spacing, letter spacing.
            if kerning and not spacing:  # actual text: spacing replaces the kerning
                string += f'>{int(kerning)}<'

            # Create list of emojis.
            if font.svg:
                svg_data = get_hb_object_data(font.hb_face, 'svg', glyph_id)
                if svg_data:
                    # Do as explained in specification
                    # https://learn.microsoft.com/typography/opentype/spec/svg
                    tree = ElementTree.fromstring(svg_data)
                    if tree.get('id') != f'glyph{glyph_id}':
                        defs = ElementTree.Element('defs')
                        for child in list(tree):
                            defs.append(child)
                            tree.remove(child)
                        tree.append(defs)
                        ElementTree.SubElement(
                            tree, 'use', attrib={'href': f'#glyph{glyph_id}'})
                    if 'viewBox' not in tree.attrib:
                        tree.attrib['viewBox'] = f'0 0 {font.upem} {font.upem}'
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    emojis.append([image, font, a, d, x_advance, 0])
            elif font.png:
                png_data = get_hb_object_data(font.hb_font, 'png', glyph_id)
                if png_data:
                    pillow_image = Image.open(BytesIO(png_data))
                    image_id = f'{font.hash}{glyph_id}'
                    image = RasterImage(pillow_image, image_id, png_data)
                    d = logical_width / 1000
                    a = pillow_image.width / pillow_image.height * d
                    pango.pango_font_get_glyph_extents(
                        pango_font, glyph_id, stream.ink_rect,
                        stream.logical_rect)
                    f = -stream.logical_rect.y
                    f = f * FROM_UNITS / font_size - font_size
                    emojis.append([image, font, a, d, x_advance, f])
            elif font.colr:
                svg_data = get_hb_object_data(font.hb_font, 'colr', glyph_id)
                if svg_data:
                    tree = ElementTree.fromstring(svg_data)
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    e = x_advance - kerning
                    emojis.append([image, font, a, d, e, -textbox.baseline])

            x_advance += (logical_width + offset - kerning) / 1000
            string, span_end = _close_span(stream, string, i, span_end, spacing)  # actual text

        # Close the last glyphs list, remove if empty.
        if string[-1] == '<':
            string = string[:-1]
        else:
            string += '>'

    # Draw text.
    stream.show_text(string)

    return emojis


def _weasyprint_mapping(glyph_item, clusters, i, num_glyphs, utf8_text) -> str:
    """The text WeasyPrint 70.0 maps a glyph to: from its cluster value to the next glyph's."""
    offset = glyph_item.item.offset
    t1 = clusters[i]
    if glyph_item.item.analysis.level % 2:  # rtl
        t2 = glyph_item.item.length if i == 0 else clusters[i-1]
    else:
        t2 = glyph_item.item.length if i == num_glyphs-1 else clusters[i+1]
    return utf8_text[offset+t1:offset+t2].decode()


def _actual_text(font, glyphs_info, first, num_glyphs, cluster_ranges, utf8_text, item_offset,
                 rtl, hyphen_start):
    """The ActualText for the cluster starting at glyph ``first``, and its last glyph index;
    ``(None, None)`` where the glyphs already map to the cluster's text one to one."""
    last = first
    while last + 1 < num_glyphs and cluster_ranges[last + 1] == cluster_ranges[first]:
        last += 1
    start, end = cluster_ranges[first]
    if hyphen_start is not None and item_offset + start >= hyphen_start:
        return LINE_END_HYPHEN, last
    text = utf8_text[item_offset + start:item_offset + end].decode()
    visible = text.translate(INVISIBLE_BREAKS)
    drawn = [glyphs_info[i].glyph for i in range(first, last + 1)
             if glyphs_info[i].glyph != pango.PANGO_GLYPH_EMPTY]
    if not drawn:
        return None, None
    if len(drawn) == 1 and visible == text and font.to_unicode.get(drawn[0], text) == text:
        return None, None
    return visible, last


def _flush(stream, string: str) -> str:
    """Show the glyphs gathered so far and start a new glyph string."""
    if string and string[-1] == '<':
        string = string[:-1]
    elif string:
        string += '>'
    if string:
        stream.show_text(string)
    return '<'


def _set_character_spacing(stream, spacing: float) -> None:
    stream.stream.append(f"{spacing:f}".rstrip("0").rstrip(".").encode() + b" Tc")


def _close_span(stream, string: str, index: int, span_end, spacing: float = 0):
    """After glyph ``index``: end the ActualText span if it was the span's last glyph, and
    undo the character spacing its last glyph was drawn with."""
    if span_end is not None and index == span_end:
        string = _flush(stream, string)
        if spacing:
            _set_character_spacing(stream, 0)
        stream.end_marked_content()
        return string, None
    return string, span_end

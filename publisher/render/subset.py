"""Fonts cut down to the glyphs a text needs, and the proof that the text still shapes the same.

A text-driven subset keeps the characters' glyphs and, with layout closure, the glyphs the
font's own substitutions reach. It misses glyphs the shaper adds by itself: HarfBuzz draws
the left part of a Khmer split vowel (ើ ឿ ៀ ោ ៅ) with the glyph of U+17C1, a character the
text may never contain. So the glyphs HarfBuzz actually shapes from the text with the full
font are kept too, and :func:`shaping_differences` shapes the text again with the subset to
show that every glyph sequence came through.
"""
from __future__ import annotations

import io
from pathlib import Path

import uharfbuzz as hb
from fontTools import subset
from fontTools.ttLib import TTFont

from ..problems import Problem

FLAVORS = {"ttf": None, "woff2": "woff2"}   # woff2 needs the brotli package


def _lines(text: str) -> list[str]:
    return [line for line in dict.fromkeys(text.splitlines()) if line.strip()]


def _shape(font: hb.Font, text: str) -> list[tuple[int, int, int, int]]:
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer)
    return [(info.codepoint, pos.x_advance, pos.x_offset, pos.y_offset)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions)]


def _hb_font(data: bytes) -> hb.Font:
    return hb.Font(hb.Face(data))


def shaped_glyphs(font_data: bytes, text: str) -> set[int]:
    """The glyph ids HarfBuzz uses to draw ``text``, line by line."""
    font = _hb_font(font_data)
    return {glyph for line in _lines(text) for glyph, *_ in _shape(font, line)}


def subset_font(font_data: bytes, text: str, flavor: str = "ttf") -> bytes:
    """``font_data`` with only what ``text`` needs: its characters, every glyph HarfBuzz shapes
    from it, and everything the font's layout features reach from those. Glyph names are kept
    so that the subset can be compared with the full font."""
    if flavor not in FLAVORS:
        raise ValueError(f"unknown font flavor {flavor!r}: use one of {', '.join(FLAVORS)}")
    options = subset.Options()
    options.layout_features = ["*"]
    options.layout_closure = True
    options.glyph_names = True
    options.name_IDs = ["*"]           # keep the font's names and its licence notice
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False   # the same input gives the same bytes
    font = TTFont(io.BytesIO(font_data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in text},
                       gids=shaped_glyphs(font_data, text))
    subsetter.subset(font)
    font.flavor = FLAVORS[flavor]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def as_woff2(font_data: bytes) -> bytes:
    """The same font compressed as WOFF2 for the web (HarfBuzz reads only the uncompressed one,
    so a subset is proved before it is compressed)."""
    font = TTFont(io.BytesIO(font_data), recalcTimestamp=False)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _glyph_names(font_data: bytes) -> list[str]:
    return TTFont(io.BytesIO(font_data), lazy=True).getGlyphOrder()


def shaping_differences(full: bytes, subset_data: bytes, text: str) -> list[str]:
    """Each line of ``text`` whose shaping with the subset differs from the full font's: other
    glyphs (by name) or other positions. Empty when the subset draws the text exactly alike."""
    full_font, small_font = _hb_font(full), _hb_font(subset_data)
    full_names, small_names = _glyph_names(full), _glyph_names(subset_data)
    differences = []
    for line in _lines(text):
        before = [(full_names[g], *rest) for g, *rest in _shape(full_font, line)]
        after = [(small_names[g], *rest) for g, *rest in _shape(small_font, line)]
        if before != after:
            first = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b),
                         min(len(before), len(after)))
            differences.append(f"{line[:40]!r}: glyph {first} is "
                               f"{after[first] if first < len(after) else 'missing'}, "
                               f"not {before[first] if first < len(before) else 'absent'}")
    return differences


def proved_subset(fonts: Path, face_file: str, text: str, problems: list[Problem],
                  edition: str) -> bytes | None:
    """The font ``face_file`` under ``fonts`` cut down to ``text`` and proved to shape it as the
    full font does; None, with a FONT-003 problem naming ``edition``, when it does not."""
    full = (fonts / face_file).read_bytes()
    small = subset_font(full, text)
    differences = shaping_differences(full, small, text)
    if differences:
        problems.append(Problem("FONT-003", f"fonts/{face_file}", None,
                                f"the subset font shapes the text differently: {differences[0]}",
                                f"report it with the font and the text; {edition} is not written"))
        return None
    return small

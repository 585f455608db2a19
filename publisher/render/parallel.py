"""The parallel editions: two languages side by side on A4 pages, each block beside its
translation — the same PDF unit, on templates/parallel.html.

Each column is rendered in its own language — its catalog, quotation marks, digits and line
breaks — by partials/parallel-side.html, made once per language; the page sets the two in the
rows the alignment check paired (``RenderInput.parallel``).

The columns share the text block's width in proportion to the depth each text takes at one
width: Khmer, with its tall line height, needs about a third more than Vietnamese, and equal
columns left the Vietnamese one half empty beside each long Khmer paragraph.
"""
from __future__ import annotations

from functools import lru_cache

from babel import Locale

from ..model import block_text
from .context import RenderInput, make_environment
from .pdf import PdfFormat

SIDE_TEMPLATE = "partials/parallel-side.html"
PAGE_WIDTH = 210.0     # mm: A4 portrait
MARGIN = 16.0          # mm, left and right: the columns meet at the page's centre line or near it
GUTTER = 8.0           # mm between the columns, a rule in its middle
# The narrowest share of the text block a column takes, however short its text: a narrower
# justified column sets lines too loose.
NARROWEST = 0.46
# Characters a running head holds per millimetre of its column, with room to spare (the
# booklet's heads: 64 in 115 mm, the same size of type).
HEAD_CHARACTERS_PER_MM = 64 / 115


class Side:
    """One language of a parallel edition: what its column shows, rendered in that language."""

    def __init__(self, source: RenderInput, languages: list[str], *, add_breaks: bool = True,
                 mark_languages: bool = False, image_base: str = ""):
        self.lang = source.language.code
        self.language = source.language
        self.article = source.article
        self.meta = source.article.metadata
        env = make_environment(source, add_breaks=add_breaks, mark_languages=mark_languages,
                               image_base=image_base)
        env.globals["id_prefix"] = f"{self.lang}-"   # the other column has the same ids
        # The edition's languages, named in this one (CLDR's names, through Babel).
        names = [Locale.parse(source.language.locale).languages[code] for code in languages]
        self.parts = env.get_template(SIDE_TEMPLATE).make_module({"language_names": names})


class ParallelFormat(PdfFormat):
    """A PDF of two languages side by side, block by block, listed under the first of them."""
    template = "parallel.html"

    def __init__(self, languages: tuple[str, str]):
        self.languages = languages
        self.variant = f"parallel-{'-'.join(languages)}"
        self.filename = f"{self.variant}.pdf"

    def template_options(self, source: RenderInput) -> dict:
        codes = [side.language.code for side in source.sides]
        widths = column_widths(source)
        return {"sides": [Side(side, codes) for side in source.sides], "sections": source.parallel,
                "font_families": tuple(dict.fromkeys(
                    family for side in source.sides for family in side.language.fonts)),
                "margin": MARGIN, "gutter": GUTTER, "split": split(source), "column_widths": widths,
                "head_lengths": [int(width * HEAD_CHARACTERS_PER_MM) for width in widths]}

    def pdf_identifier(self, source: RenderInput) -> bytes:
        return ";".join([*(side.identifier for side in source.sides), self.variant]).encode()

    def text_columns(self, source: RenderInput) -> list[tuple[float, float]]:
        """Where each language's column stands across the page, from its left edge to its
        right, as shares of the page's width: the edges are the middle of the gutter."""
        middle = (MARGIN + split(source) * (PAGE_WIDTH - 2 * MARGIN)) / PAGE_WIDTH
        return [(0.0, middle), (middle, 1.0)]


def column_widths(source: RenderInput) -> tuple[float, float]:
    """The widths of the two columns' text, in mm."""
    block = PAGE_WIDTH - 2 * MARGIN
    return split(source) * block - GUTTER / 2, (1 - split(source)) * block - GUTTER / 2


def split(source: RenderInput) -> float:
    """Where the gutter's middle stands across the text block, as a share of its width: the
    columns' widths are in proportion to the depth their texts take at one width."""
    width = PAGE_WIDTH - 2 * MARGIN - GUTTER
    first, second = (depth(side) for side in source.sides)
    share = min(max(first / (first + second), NARROWEST), 1 - NARROWEST)
    return (share * width + GUTTER / 2) / (width + GUTTER)


def depth(source: RenderInput) -> float:
    """How deep the text of the article runs in a column of one width, give or take: the
    length of its blocks set in its language's font (HarfBuzz's advances, in ems) times the
    font size squared and the line height."""
    language = source.language
    text = "\n".join(block_text(block) for section in source.article.sections for block in section.blocks)
    size = float(language.font_size.removesuffix("pt"))
    font = source.project.fonts / language.fonts[0].faces[0].file
    return _advance(str(font), text) * size * size * language.line_height


@lru_cache(maxsize=8)
def _advance(font_file: str, text: str) -> float:
    import uharfbuzz as hb
    font = hb.Font(hb.Face(hb.Blob.from_file_path(font_file)))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return sum(position.x_advance for position in buffer.glyph_positions) / font.face.upem

"""What every format renders from: the article, its language, and the shared Jinja setup."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Callable

import jinja2
from babel.lists import format_list
from babel.support import NullTranslations
from markupsafe import Markup, escape

from ..dates import PartialDate, format_point
from ..languages import Language

from ..model import (Article, Emphasis, KeepTogether, Link, OtherLanguages, ParallelSection, Quote,
                     Strong, Text, block_inlines, plain_text, quotes_in)
from ..project import Project  # noqa: F401  (where the units and tests find it)

EDITION_NAMESPACE = uuid.UUID("6f1c7f34-2b55-4a4c-9d0e-3f43d5d1c0a1")

# The mark after a quotation that says where its wording comes from; a note before the text
# explains it. Names and set phrases (origin "phrase") carry none.
ORIGIN_MARKS = {"translated": "†", "original": "‡"}

# The fonts' licence, which every edition names and carries (fonts/OFL.txt): in English,
# whatever the edition's language
FONT_LICENCE_NAME = "SIL Open Font License 1.1"
FONT_LICENCE_LANGUAGE = "en"


@dataclass(frozen=True)
class RenderInput:
    project: Project
    article: Article
    language: Language
    translations: NullTranslations
    unbreakable: KeepTogether      # what a line must never split (glossary, word list)
    build_time: dt.datetime        # the edition date, from the content (see pipeline.edition_time)
    editions: dict = field(default_factory=dict)   # (format, variant) → bytes of the editions it carries
    partner: RenderInput | None = None          # a parallel edition's second language
    parallel: tuple[ParallelSection, ...] = ()  # a parallel edition's blocks, side by side
    other_languages: OtherLanguages = OtherLanguages()   # words of the text in another language (glossary)

    @property
    def sides(self) -> tuple[RenderInput, ...]:
        """The languages the edition is set in, each with its article, catalog and line breaks."""
        return (self,) if self.partner is None else (self, self.partner)

    @property
    def images(self) -> list[str]:
        """The image files the article's figures show."""
        return sorted({b.image for b in self.article.all_blocks() if b.kind == "figure" and b.image})

    @property
    def identifier(self) -> str:
        """A stable identifier of this language's text, the same in every format and build,
        derived from the article's ``identifier``."""
        name = f"{self.article.metadata.identifier}#{self.language.code}"
        return f"urn:uuid:{uuid.uuid5(EDITION_NAMESPACE, name)}"


TAG = re.compile(r"(<[^>]*>)")


class InlineRenderer:
    """Inlines → HTML, with the language's quotation marks and, where the format needs them,
    the script's line-break opportunities and the language of each word written in another
    (``other_languages``; None: not marked)."""

    def __init__(self, language: Language, unbreakable: KeepTogether, add_breaks: bool,
                 quote_tag: str, other_languages: OtherLanguages | None = None):
        self.language = language
        self.quote_tag = quote_tag
        self.unbreakable = unbreakable
        self.add_breaks = add_breaks
        self.other_languages = other_languages

    def text(self, text: str) -> str:
        """Text as the edition sets it. Markup (a catalog's string with its placeholders
        filled) keeps its elements as they are: only the text between them is set."""
        if isinstance(text, Markup):
            return "".join(piece if TAG.fullmatch(piece) else self.text(Markup(piece).unescape())
                           for piece in TAG.split(text) if piece)
        text = self.language.join_spaces(text)
        if self.add_breaks:
            text = self.language.script.add_break_opportunities(text, self.unbreakable)
        if self.other_languages is None:
            return str(escape(text))
        out, done = [], 0
        for start, end, tag in self.other_languages.find(text):
            out += [escape(text[done:start]), self.in_language(text[start:end], tag)]
            done = end
        return "".join(out + [escape(text[done:])])

    def in_language(self, text: str, tag: str) -> Markup:
        """``text``, written in the language ``tag``, marked as such where that is not the
        edition's language and the format marks languages."""
        if self.other_languages is None or tag == self.language.code:
            return escape(text)
        return Markup('<span lang="{}">{}</span>').format(tag, text)

    def __call__(self, inlines, depth: int = 0) -> Markup:
        quotes = self.language.quotes
        out = []
        for node in inlines:
            if isinstance(node, Text):
                out.append(self.text(node.text))
            elif isinstance(node, Quote):
                open_, close = (quotes[0], quotes[1]) if depth % 2 == 0 else (quotes[2], quotes[3])
                out.append(f'<{self.quote_tag} class="quote">{escape(open_)}'
                           f'{self(node.children, depth + 1)}{escape(close)}</{self.quote_tag}>')
                if node.origin in ORIGIN_MARKS:
                    out.append(f'<sup class="quote-origin">{ORIGIN_MARKS[node.origin]}</sup>')
            elif isinstance(node, Emphasis):
                out.append(f"<em>{self(node.children, depth)}</em>")
            elif isinstance(node, Strong):
                out.append(f"<strong>{self(node.children, depth)}</strong>")
            elif isinstance(node, Link):
                out.append(f'<a href="{escape(node.url)}">{self(node.children, depth)}</a>')
        return Markup("".join(out))


def quotation_origins(article: Article) -> dict:
    """What the front matter says of the article's quotations: whether any is marked as
    translated, and the sources of those given in their original wording."""
    quotes = [q for block in article.all_blocks() if block.kind != "list"
              for q in quotes_in(block_inlines(block))]
    quotes += [b for b in article.all_blocks() if b.kind == "quotation"]
    sources = []
    for quote in quotes:
        if quote.origin == "original" and quote.source not in sources:
            sources.append(quote.source)
    return {"translated": any(q.origin == "translated" for q in quotes), "sources": sources}


RUNNING_HEAD_LENGTH = 64   # spacing characters a running head's line holds, with room to spare


def spacing_width(text: str) -> int:
    """How many characters of ``text`` take room on a line (not its combining marks)."""
    return sum(unicodedata.category(c) not in ("Mn", "Me", "Cf") for c in text)


def shortened(text: str, language: Language, keep: KeepTogether,
              limit: int = RUNNING_HEAD_LENGTH, width: Callable[[str], int] = spacing_width) -> str:
    """``text`` cut at its last word boundary where it is at most ``limit`` wide, measured by
    ``width`` (spacing characters unless another measure is given), with an ellipsis after
    it; whole if it fits or has no boundary there. Words are the script's own (Khmer's from its
    line breaker), and what ``keep`` holds together is never cut."""
    if width(text) <= limit:
        return text
    broken = language.script.add_break_opportunities(text, keep)
    cuts = [m.start() for m in re.finditer("[ \u200b]", broken)
            if width(broken[:m.start()].replace("\u200b", "")) <= limit]
    if not cuts:
        return text
    return broken[:cuts[-1]].replace("\u200b", "").rstrip(" ,;:–—") + "…"


def css_string(text: str) -> Markup:
    """Text as a CSS string literal, safe inside a <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?()'’-–" or ord(c) > 127 else f"\\{ord(c):x} "
                      for c in str(text))
    return Markup(f'"{escaped}"')


def make_environment(render_input: RenderInput, *, add_breaks: bool, mark_languages: bool = False,
                     quote_tag: str = "q", image_base: str = "") -> jinja2.Environment:
    """The Jinja environment for one language and format.

    ``add_breaks``: whether the format's readers need the script's line-break opportunities
    added to the text; ``mark_languages``: whether each word written in another language
    (a name in the glossary, the font licence's name) is marked with its ``lang``;
    ``quote_tag``: the element that wraps a quotation (its marks are text); ``image_base``:
    what comes before an image's file name in the format's pages.
    """
    language = render_input.language
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(render_input.project.templates),
        autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(render_input.translations, newstyle=True)
    inline = InlineRenderer(language, render_input.unbreakable, add_breaks, quote_tag,
                            render_input.other_languages if mark_languages else None)
    env.filters["inline"] = inline
    env.filters["text"] = lambda value: Markup(inline.text(value))
    env.filters["plain"] = lambda inlines: plain_text(inlines, language.quotes)
    env.filters["digits"] = lambda value: language.to_digits(str(value))

    env.filters["date"] = lambda value: format_point(
        value if isinstance(value, PartialDate) else PartialDate(value.year, value.month, value.day),
        language)
    # CLDR's two-item Khmer pattern joins with a zero-width space where its longer one has a
    # space; the editions add their own break opportunities, so a space is what a reader needs.
    env.filters["series"] = lambda items: format_list(list(items), locale=language.locale).replace("\u200b", " ")
    env.filters["occasion"] = lambda value: tuple(dt.date.fromisoformat(d) for d in value.split("/"))
    env.filters["css_string"] = css_string
    env.filters["running_head"] = lambda inlines, limit=RUNNING_HEAD_LENGTH: shortened(
        plain_text(inlines, language.quotes), language, render_input.unbreakable, limit)
    env.globals["image_url"] = lambda name: image_base + name
    env.globals["font_licence_name"] = inline.in_language(FONT_LICENCE_NAME, FONT_LICENCE_LANGUAGE)
    env.globals["origin_marks"] = ORIGIN_MARKS
    env.globals["id_prefix"] = ""   # before every id the page gives: the text's language where a page sets two
    env.globals["font_families"] = language.fonts   # what the page's @font-face rules declare
    env.globals["quotations"] = quotation_origins(render_input.article)
    env.globals.update(article=render_input.article, meta=render_input.article.metadata,
                       language=language, identifier=render_input.identifier,
                       build_date=render_input.build_time.date())
    return env

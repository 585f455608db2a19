"""The article as typed objects: article → sections → blocks → inlines.

Every block remembers where it came from (file and line) so that checks can point a person at
it. Nothing here knows about a particular article or language.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Union

from .dates import DateSpan


@dataclass(frozen=True)
class Where:
    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


# Inlines ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    text: str


# Where a quotation's wording comes from (see the README, "Editing the content"):
# "translated" — translated from the source text, the original wording not being available;
# "original" — the original wording, from the cited ``source``;
# "phrase" — a name, title or set phrase in quotation marks, not someone's words.
QUOTE_ORIGINS = ("translated", "original", "phrase")


@dataclass(frozen=True)
class Quote:
    """A quotation inside running text; each edition sets its language's quotation marks.
    ``origin`` (one of QUOTE_ORIGINS, or None where the text does not say) and ``source``
    tell where its wording comes from."""
    children: tuple["Inline", ...]
    origin: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Emphasis:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Link:
    children: tuple["Inline", ...]
    url: str


Inline = Union[Text, Quote, Emphasis, Strong, Link]


def plain_text(inlines: tuple[Inline, ...], marks: tuple[str, str, str, str] = ('"', '"', "'", "'"),
               depth: int = 0, origin_marks: dict[str, str] | None = None) -> str:
    """The text a reader sees, with quotation marks taken from ``marks`` (outer and inner pair)
    and, with ``origin_marks``, each quotation's origin mark after it (as the editions show)."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Quote):
            open_, close = (marks[0], marks[1]) if depth % 2 == 0 else (marks[2], marks[3])
            out.append(open_ + plain_text(node.children, marks, depth + 1, origin_marks) + close
                       + (origin_marks or {}).get(node.origin or "", ""))
        else:
            out.append(plain_text(node.children, marks, depth, origin_marks))
    return "".join(out)


def quotes_in(inlines: tuple[Inline, ...]):
    """Every inline quotation, depth first."""
    for node in inlines:
        if isinstance(node, Quote):
            yield node
        if not isinstance(node, Text):
            yield from quotes_in(node.children)


def count_quotes(inlines: tuple[Inline, ...]) -> int:
    total = 0
    for node in inlines:
        if isinstance(node, Quote):
            total += 1
        if not isinstance(node, Text):
            total += count_quotes(node.children)
    return total


# Blocks ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    kind = "heading"
    level: int
    id: str
    inlines: tuple[Inline, ...]
    where: Where


@dataclass(frozen=True)
class Paragraph:
    kind = "paragraph"
    inlines: tuple[Inline, ...]
    where: Where


@dataclass(frozen=True)
class Quotation:
    """A block quotation; ``origin`` and ``source`` as for :class:`Quote`."""
    kind = "quotation"
    blocks: tuple["Block", ...]
    where: Where
    origin: str | None = None
    source: str = ""


@dataclass(frozen=True)
class ListBlock:
    kind = "list"
    ordered: bool
    items: tuple[tuple["Block", ...], ...]
    where: Where


@dataclass(frozen=True)
class Figure:
    """A figure; ``image`` is None where the source keeps the caption but not the picture."""
    kind = "figure"
    id: str
    caption: tuple[Inline, ...]
    alt: str
    image: str | None
    where: Where


@dataclass(frozen=True)
class Gap:
    """Marks where the source text is cut off; ``note`` says what is missing, never supplies it."""
    kind = "gap"
    id: str
    note: tuple[Inline, ...]
    where: Where


Block = Union[Heading, Paragraph, Quotation, ListBlock, Figure, Gap]


def block_inlines(block: Block) -> tuple[Inline, ...]:
    """The running text of a block, for checks that read words and numbers."""
    if isinstance(block, (Heading, Paragraph)):
        return block.inlines
    if isinstance(block, Figure):
        return block.caption
    if isinstance(block, Gap):
        return block.note
    inner = block.blocks if isinstance(block, Quotation) else [b for item in block.items for b in item]
    out: list[Inline] = []
    for child in inner:
        if out:
            out.append(Text(" "))
        out.extend(block_inlines(child))
    return tuple(out)


def block_text(block: Block) -> str:
    return plain_text(block_inlines(block))


def walk_blocks(blocks):
    """Every block, depth first, including those inside quotations and lists."""
    for block in blocks:
        yield block
        if isinstance(block, Quotation):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_blocks(item)


@dataclass(frozen=True)
class KeepTogether:
    """What a line must never split, in one language."""
    phrases: tuple[str, ...] = ()   # names and unbreakable terms: not even at their spaces
    words: tuple[str, ...] = ()     # other terms and listed words: never inside a word

    def covers(self, word: str) -> bool:
        return any(word in kept for kept in self.phrases + self.words)


@dataclass(frozen=True)
class OtherLanguages:
    """Words of one language's text written in another language — names, mostly — each with
    that language's BCP 47 tag, so that a reader's speech says them in their own language."""
    forms: tuple[tuple[str, str], ...] = ()   # (form, tag)

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        """Every form as a whole word, the longest first; a space in a form stands for a
        space or a no-break space, and may have a break opportunity (U+200B) beside it, as the
        editions write them; either apostrophe stands for both."""
        def spelled(form: str) -> str:
            return "".join("\u200b?[ \u00a0]\u200b?" if char == " " else "['’]" if char in "'’"
                           else re.escape(char) for char in form)
        forms = sorted({form for form, _ in self.forms}, key=len, reverse=True)
        return re.compile(rf"(?<!\w)(?:{'|'.join(map(spelled, forms))})(?!\w)") if forms else None

    @cached_property
    def _tags(self) -> dict[str, str]:
        return {self._key(form): tag for form, tag in self.forms}

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Where the forms stand in ``text`` (start, end, tag), never overlapping: where two
        begin at one place, the longer; case counts, as in a name."""
        if self._pattern is None:
            return []
        return [(match.start(), match.end(), self._tags[self._key(match.group())])
                for match in self._pattern.finditer(text)]

    @staticmethod
    def _key(found: str) -> str:
        return found.replace("\u200b", "").replace("\u00a0", " ").replace("’", "'")


# Article ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    id: str
    blocks: tuple[Block, ...]
    where: Where
    status: str | None = None               # translations: "draft" or "reviewed"
    source_fingerprint: str | None = None   # translations: fingerprint of the English section
    source_blocks: str | None = None        # translations: fingerprints of its blocks

    @property
    def title(self) -> tuple[Inline, ...]:
        for block in self.blocks:
            if isinstance(block, Heading):
                return block.inlines
        return ()


@dataclass(frozen=True)
class ParallelSection:
    """One section of texts set side by side: each row holds one block of every text, the
    blocks that stand for the same block of the English text."""
    id: str
    rows: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Translation:
    source_language: str
    method: tuple[Inline, ...]
    review: str          # "not-reviewed" or "reviewed"


@dataclass(frozen=True)
class Metadata:
    """The article's metadata; its running texts are inlines, like the body's."""
    language: str
    headline: tuple[Inline, ...]
    standfirst: tuple[Inline, ...]
    publisher: tuple[Inline, ...]
    source_url: str | None            # where the text was first published, if on the web
    author: tuple[Inline, ...]        # empty where the source names no author
    written: DateSpan                 # when the text was written, as precisely as known
    written_basis: tuple[Inline, ...]  # how that date is known; may be empty
    rights: tuple[Inline, ...]
    editorial_notes: tuple[tuple[Inline, ...], ...]
    translation: Translation | None
    where: Where
    translator_notes: tuple[tuple[Inline, ...], ...] = ()   # translations: shown before the text
    identifier: str | None = None     # the article's own stable name; translations inherit it
    edition_date: dt.date | None = None  # the date the editions carry; translations inherit it
    short_title: tuple[Inline, ...] = ()   # the booklet's running head; the headline if empty
    occasion: str | None = None            # EDTF "event/commemoration" dates for the cover


@dataclass(frozen=True)
class Article:
    lang: str
    metadata: Metadata
    sections: tuple[Section, ...]
    folder: Path = field(compare=False)

    def all_blocks(self):
        for section in self.sections:
            yield from walk_blocks(section.blocks)

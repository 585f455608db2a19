"""How much of the source text comes back out of a PDF, as a reader's tools take it out.

A reader copies from a viewer, a library indexes the file, an archive extracts its text for
preservation: each uses an extractor, not the pixels. Two are measured: poppler's
``pdftotext``, which honours ``/ActualText`` (the figure the release gate uses), and pdfium,
the engine of Chrome's PDF viewer, where most readers copy from. pypdf ignores ActualText and
is not used here.

The figure is the share of the source's characters that come back in order — the longest
common subsequence of the source and the extracted text —, white space and invisible break
characters removed on both sides: page furniture (folios, running heads) between two halves of
a paragraph costs nothing. What is extracted beyond that (furniture, repeats) is reported
apart. Paragraphs that do not come back whole are named, the first of them in messages.
"""
from __future__ import annotations

import difflib
import math
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..languages import Language
from ..model import Article, ListBlock, Quotation, Where, block_inlines, plain_text, walk_blocks
from ..problems import Problem

ENGINES = ("poppler", "pdfium")
GATE = "poppler"   # the extractor whose figure a release must reach, and whose losses are named
TARGET = 0.99
# White space, the break opportunities the pipeline adds, soft hyphens, and the marks pdfium
# puts where it removed a line-end hyphen (U+FFFE) or a byte-order mark.
INVISIBLE = re.compile(r"[\s\u200b\u2060\u00ad\ufeff\ufffe]+")
WINDOW_SLACK = 600
OPENING = 24   # characters that find where a paragraph interrupted by page furniture begins
# Characters of page furniture or repeats allowed between two matches: a folio and a running
# head (the booklet's are cut to about 64 letters, more code points in Khmer).
REACH = 160


def normalise(text: str) -> str:
    return INVISIBLE.sub("", text)


@dataclass(frozen=True)
class Paragraph:
    where: Where | str
    text: str


@dataclass
class Fidelity:
    engine: str
    matched: int = 0
    total: int = 0
    extracted: int = 0     # characters taken out, white space aside
    missing: list[tuple[Paragraph, str]] = field(default_factory=list)  # paragraph, what came back

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 1.0

    @property
    def extra(self) -> float:
        """Characters taken out beyond those of the source that came back, per source
        character: page furniture (folios, contents, colophon labels) and any repeats."""
        return (self.extracted - self.matched) / self.total if self.total else 0.0


def source_paragraphs(article: Article, language: Language) -> list[Paragraph]:
    """The headline, the standfirst and every paragraph, heading, caption and note of the
    body, in reading order, as a reader sees them (with the language's quotation marks)."""
    meta = article.metadata
    texts = [Paragraph(meta.where, plain_text(meta.headline, language.quotes)),
             Paragraph(meta.where, plain_text(meta.standfirst, language.quotes))]
    for section in article.sections:
        for block in walk_blocks(section.blocks):
            if not isinstance(block, (Quotation, ListBlock)):
                texts.append(Paragraph(block.where, plain_text(block_inlines(block), language.quotes)))
    return [t for t in texts if normalise(t.text)]


def extract_text(pdf: bytes, engine: str, column: tuple[float, float] | None = None) -> str:
    """The text of every page, in the extractor's reading order; with ``column`` — its left and
    right edges, as shares of the page's width — only the text inside that upright strip of
    each page, as a reader selects one column."""
    import pypdfium2   # loaded only where PDFs are measured
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i] for i in range(len(document))]
        strips = [_strip(page.get_size(), column) for page in pages]
        if engine == "pdfium":
            return "\n".join(page.get_textpage().get_text_range() if strip is None
                             else page.get_textpage().get_text_bounded(*strip)
                             for page, strip in zip(pages, strips))
    finally:
        document.close()
    if engine == "poppler":
        crop = []
        if column is not None:
            if len(set(strips)) != 1:
                raise ValueError("pdftotext takes a column out of pages of one size only")
            left, _, right, top = strips[0]
            crop = ["-x", str(math.floor(left)), "-y", "0", "-W", str(math.ceil(right) - math.floor(left)),
                    "-H", str(math.ceil(top))]
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, handle.name, "-"], check=True,
                                  capture_output=True, text=True).stdout
    raise ValueError(f"unknown extractor {engine!r}")


def _strip(size: tuple[float, float], column: tuple[float, float] | None):
    """``column`` of a page of ``size`` as (left, bottom, right, top) in points; None: the page."""
    if column is None:
        return None
    width, height = size
    return (width * column[0], 0.0, width * column[1], height)


def lcs_length(a: str, b: str) -> int:
    """The length of the longest common subsequence of ``a`` and ``b``: how many characters
    of ``a`` come back in order in ``b``, whatever is inserted between them.

    Bit-parallel (Hyyrö, 2004): one machine-word operation per 64 characters of ``a`` for each
    character of ``b``, on Python's integers.
    """
    masks: dict[str, int] = {}
    for i, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for char in b:
        u = v & masks.get(char, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def compare(paragraphs: list[Paragraph], extracted: str, engine: str, detail: bool = True) -> Fidelity:
    """How many of the paragraphs' characters come back in order in ``extracted`` (the longest
    common subsequence of the two) and, with ``detail``, which paragraphs do not come back
    whole.

    A paragraph whose only loss is a hyphen-minus still counts as come back (the hyphen does
    not count as matched): poppler and pdfium drop a hyphen that ends a line, taking it for a
    hyphenation, so a compound broken at its own hyphen loses it in every PDF.
    """
    haystack = normalise(extracted)
    source = "".join(normalise(p.text) for p in paragraphs)
    result = Fidelity(engine, matched=lcs_length(source, haystack), total=len(source),
                      extracted=len(haystack))
    if detail:
        result.missing = _lost_paragraphs(paragraphs, haystack)
    return result


def _lost_paragraphs(paragraphs: list[Paragraph], haystack: str) -> list[tuple[Paragraph, str]]:
    """The paragraphs that do not come back whole, each with what came back in its place.

    Each is looked for after the previous one, whole or, where page furniture (a folio, a
    running head) interrupts it, in a window that starts where its opening is found.
    """
    missing = []
    cursor = 0
    for paragraph in paragraphs:
        wanted = normalise(paragraph.text)
        found = haystack.find(wanted, cursor)
        if found >= 0:
            cursor = found + len(wanted)
            continue
        start = haystack.find(wanted[:OPENING], cursor)
        if start >= 0:
            cursor = start
        window = haystack[cursor:cursor + 3 * len(wanted) + WINDOW_SLACK]
        blocks = _in_reach(b for b in difflib.SequenceMatcher(None, wanted, window, autojunk=False)
                           .get_matching_blocks() if b.size)
        covered = set()
        for b in blocks:
            covered.update(range(b.a, b.a + b.size))
        lost = {wanted[i] for i in range(len(wanted)) if i not in covered}
        if lost - {"-"}:
            start = blocks[0].b if blocks else 0
            missing.append((paragraph, window[start:start + len(wanted)]))
        if blocks:
            cursor += blocks[-1].b + blocks[-1].size
    return missing


def _in_reach(blocks) -> list:
    """The matching blocks that follow one another closely, from the first on: a match far
    beyond the last one (the same words in a later paragraph) is chance, not this text."""
    kept = []
    for block in blocks:
        if kept:
            last = kept[-1]
            if block.b - (last.b + last.size) > 2 * (block.a - (last.a + last.size)) + REACH:
                break
        kept.append(block)
    return kept


def measure(pdf: bytes, article: Article, language: Language,
            engines: tuple[str, ...] = ENGINES) -> dict[str, Fidelity]:
    return measure_texts(pdf, [(article, language)], engines)[0]


def measure_texts(pdf: bytes, texts: list[tuple[Article, Language]], engines: tuple[str, ...] = ENGINES,
                  columns: list[tuple[float, float]] | None = None) -> list[dict[str, Fidelity]]:
    """How much of each text comes back from a PDF that sets them all; with ``columns``, the
    texts are set side by side (a parallel edition), each looked for in its own column."""
    whole = {} if columns else {engine: extract_text(pdf, engine) for engine in engines}
    return [{engine: compare(source_paragraphs(article, language),
                             extract_text(pdf, engine, columns[index]) if columns else whole[engine],
                             engine, detail=engine == GATE) for engine in engines}
            for index, (article, language) in enumerate(texts)]


def measure_file(path: Path, article: Article, language: Language,
                 engines: tuple[str, ...] = ENGINES) -> dict[str, Fidelity]:
    return measure(path.read_bytes(), article, language, engines)


def text_problems(figures: dict[str, Fidelity], shown: str, release: bool) -> list[Problem]:
    """A PDF whose text does not come back (poppler's figure) is a warning, and in a release
    an error that keeps it from being written."""
    poppler = figures[GATE]
    if poppler.share >= TARGET:
        return []
    first, got = poppler.missing[0] if poppler.missing else (None, "")
    where = f"; first lost: {first.where}" if first else ""
    problem = Problem(
        "TEXT-002" if release else "TEXT-001", shown, None,
        f"only {poppler.share:.4f} of the source text comes back from the PDF with pdftotext "
        f"(target {TARGET}){where}",
        "check the fonts and the ActualText extension (publisher/render/actual_text.py)",
        first.text if first else "", got)
    return [problem]


def summary(*figures: dict[str, Fidelity]) -> dict[str, float]:
    """Each engine's figure; for a PDF that sets several texts, the lowest of theirs."""
    return {engine: round(min(f[engine].share for f in figures), 4) for engine in figures[0]}

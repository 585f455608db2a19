"""Khmer: canonical character order, shaping, and word breaks for renderers without them.

Khmer is written without spaces between words, so a line may break only where a dictionary
says a word ends. Pango (and so WeasyPrint) and many e-readers have no such dictionary: the
renderer adds U+200B ZERO WIDTH SPACE at word boundaries found by ICU's Khmer dictionary. The
source files never contain these characters.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

# ICU, HarfBuzz and khmerspell are imported where they are used: the language table is read
# by every command, also by a build that finds nothing to do.
from ..model import KeepTogether, Where
from ..problems import Problem
from . import Script

ZWSP = "\u200b"
NBSP = "\u00a0"
DOTTED_CIRCLE = 0x25CC
KHMER_RUN = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF\u200C\u200D]+")
LATIN_IN_KHMER_WORD = re.compile(r"[\u1780-\u17DD][A-Za-z]|[A-Za-z][\u1780-\u17DD]")
SPACE_BEFORE_SIGN = re.compile(r"\s+[។៕៖]")
# A base consonant or independent vowel with its subscripts, vowels and signs; or signs alone
SYLLABLE = re.compile(r"[\u1780-\u17A2\u17A5-\u17B3](?:\u17D2[\u1780-\u17B3]|[\u17B4-\u17DD\u200C\u200D])*"
                      r"|[\u17B4-\u17DD\u200C\u200D]+")


def _is_base(char: str) -> bool:
    from khmerspell.khnormal import Cats, charcat
    return charcat(char) == Cats.Base


def _is_khmer(char: str) -> bool:
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def _syllable_start(text: str, index: int) -> int:
    """``index`` moved back to the start of its orthographic syllable (for excerpts)."""
    index = max(0, index)
    while index > 0 and _is_khmer(text[index - 1]) and (
            not _is_base(text[index]) or text[index - 1] == "\u17d2"):
        index -= 1
    return index


def _cluster_at(text: str, index: int) -> str:
    """The orthographic syllable of ``text`` around ``index`` (base consonant to next base)."""
    start = _syllable_start(text, index)
    end = index + 1
    while end < len(text) and _is_khmer(text[end]) and (
            not _is_base(text[end]) or text[end - 1] == "\u17d2"):
        end += 1
    return text[start:end]


class KhmerScript(Script):
    name = "Khmer"

    def text_problems(self, text: str, where: Where) -> list[Problem]:
        from khmerspell.khnormal import khnormal
        problems = []
        canonical = text if _in_canonical_order(text) else khnormal(text)
        if canonical != text:
            index = next(i for i, (a, b) in enumerate(zip(text, canonical)) if a != b)
            found, wanted = _cluster_at(text, index), _cluster_at(canonical, index)
            problems.append(Problem(
                "KHMER-001", where.file, where.line,
                f"Khmer cluster {found} ({_codepoints(found)}) is not in canonical order",
                f"write {wanted} ({_codepoints(wanted)})"))
        for match in SPACE_BEFORE_SIGN.finditer(text):
            problems.append(Problem(
                "KHMER-004", where.file, where.line,
                f"space before {match.group().strip()}: {text[_syllable_start(text, match.start() - 12):match.end()]!r}",
                f"write {match.group().strip()} straight after the word it closes"))
        for match in LATIN_IN_KHMER_WORD.finditer(text):
            problems.append(Problem(
                "KHMER-003", where.file, where.line,
                f"Latin letter inside a Khmer word: {text[max(0, match.start() - 6):match.end() + 6]!r}",
                "write the word in Khmer, or set a Latin word apart with a space"))
        return problems

    def shaping_problems(self, text: str, font_file: Path, where: Where) -> list[Problem]:
        import uharfbuzz as hb
        font = _harfbuzz_font(str(font_file))
        dotted = font.get_nominal_glyph(DOTTED_CIRCLE)
        problems = []
        for run in KHMER_RUN.finditer(text):
            buffer = hb.Buffer()
            buffer.add_str(run.group())
            buffer.guess_segment_properties()
            hb.shape(font, buffer, {})
            for info in buffer.glyph_infos:
                char = run.group()[info.cluster]
                if info.codepoint == 0 or (info.codepoint == dotted and ord(char) != DOTTED_CIRCLE):
                    cluster = _cluster_at(run.group(), info.cluster)
                    what = "has no glyph" if info.codepoint == 0 else "does not shape (dotted circle)"
                    problems.append(Problem(
                        "KHMER-002", where.file, where.line,
                        f"Khmer cluster {cluster} ({_codepoints(cluster)}) {what} in {font_file.name}",
                        "check the cluster: a vowel or sign needs a base consonant before it"))
                    break
        return problems

    def add_break_opportunities(self, text: str, keep: KeepTogether = KeepTogether()) -> str:
        """Insert U+200B at ICU's Khmer word boundaries, except inside what ``keep`` holds.

        Inside names and unbreakable terms (``keep.phrases``), spaces become no-break spaces
        too, so that a name is never split across two lines. A space before the repetition
        sign ៗ is made no-break as well.
        """
        boundaries, whole = _break_positions(text, keep)
        out = []
        for i, char in enumerate(text):
            if i in boundaries:
                out.append(ZWSP)
            if char == " " and (whole[i] or text[i + 1:i + 2] == "ៗ"):
                char = NBSP
            out.append(char)
        return "".join(out)

    def word_break_doubts(self, text: str, keep: KeepTogether = KeepTogether()) -> list[tuple[str, str]]:
        """Words khmercut (a CRF segmenter) keeps whole where ICU's dictionary would break a
        line inside them. Either may be wrong: a native editor decides."""
        boundaries, _ = _break_positions(text, keep)
        doubts = []
        for run in KHMER_RUN.finditer(text):
            position = run.start()
            for word in _second_segmenter()(run.group()):
                inside = sorted(b for b in boundaries if position < b < position + len(word))
                if inside and not keep.covers(word):
                    cuts = [position] + inside + [position + len(word)]
                    doubts.append((word, "|".join(text[a:b] for a, b in zip(cuts, cuts[1:]))))
                position += len(word)
        return doubts


def _break_positions(text: str, keep: KeepTogether) -> tuple[set[int], list[bool]]:
    """Where ICU's Khmer dictionary allows a line break between two Khmer characters, less
    the places inside kept words; and, per position, whether it lies inside a kept phrase."""
    whole = [False] * (len(text) + 1)
    inside = [False] * (len(text) + 1)
    for kept, marks in ((keep.phrases, (whole, inside)), (keep.words, (inside,))):
        for form in kept:
            for match in re.finditer(re.escape(form), text):
                for i in range(match.start() + 1, match.end()):
                    for mark in marks:
                        mark[i] = True
    breaker = _line_breaker()
    breaker.setText(text)
    boundaries = {b for b in breaker if 0 < b < len(text) and not inside[b]
                  and _is_khmer(text[b - 1]) and _is_khmer(text[b])}
    return boundaries, whole


def _in_canonical_order(text: str) -> bool:
    """Whether khmerspell leaves ``text`` as it is, asked one syllable at a time: an article
    repeats a few hundred syllables, so each is normalised once."""
    return all(_syllable_in_order(match.group()) for match in SYLLABLE.finditer(text))


@functools.lru_cache(maxsize=8192)
def _syllable_in_order(syllable: str) -> bool:
    from khmerspell.khnormal import khnormal
    return khnormal(syllable) == syllable


def _codepoints(text: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in text)


@functools.lru_cache(maxsize=None)
def _harfbuzz_font(path: str):
    import uharfbuzz as hb
    return hb.Font(hb.Face(hb.Blob.from_file_path(path)))


@functools.lru_cache(maxsize=None)
def _second_segmenter():
    """khmercut's tokenizer, loaded only by the check that compares segmenters."""
    from khmercut import tokenize
    return tokenize


@functools.lru_cache(maxsize=None)
def _line_breaker():
    """One ICU line breaker, reused: building it loads the Khmer dictionary."""
    import icu
    return icu.BreakIterator.createLineInstance(icu.Locale("km"))


KHMER = KhmerScript()

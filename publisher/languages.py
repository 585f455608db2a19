"""The language table: everything the pipeline knows about a language is a row here.

Renderers and checks read these fields; none of them tests for a particular language code.
Adding a language means adding a row, its content folder and its message catalog.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .scripts import LATIN, Script

LATIN_DIGITS = "0123456789"
from .scripts.khmer import KHMER
from .scripts.vietnamese import VIETNAMESE


@dataclass(frozen=True)
class FontFace:
    file: str            # file name under fonts/
    weight: int
    style: str = "normal"


@dataclass(frozen=True)
class FontFamily:
    css_name: str        # the family name the editions' CSS uses, never a system font's name
    name: str            # the font's own name, for the colophon
    faces: tuple[FontFace, ...]


NOTO_SERIF = FontFamily("Edition Serif", "Noto Serif", (
    FontFace("NotoSerif-Regular.ttf", 400),
    FontFace("NotoSerif-Bold.ttf", 700),
))
NOTO_SERIF_KHMER = FontFamily("Edition Khmer", "Noto Serif Khmer", (
    FontFace("NotoSerifKhmer-Regular.ttf", 400),
    FontFace("NotoSerifKhmer-Bold.ttf", 700),
))


# How a language keeps a number on one line with the word beside it (see Language.binds).
ANY_WORD = "any word"
CAPITALISED_WORD = "a capitalised word"   # a name, a month, a title: "June 5", "No. 7"
NO_WORD = "no word"


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str
    locale: str                       # Babel locale for dates and plural rules
    direction: str
    script: Script                    # script-specific checks and text processing
    fonts: tuple[FontFamily, ...]     # in fallback order: the script's font first
    quotes: tuple[str, str, str, str]  # outer open, outer close, inner open, inner close
    digits: str                       # the ten digits the language writes, 0 to 9
    date_pattern: str                 # Babel pattern for a day in running text
    month_pattern: str                # Babel pattern for a month and year
    year_pattern: str                 # Babel pattern for a year alone
    month_prefix: str                 # the word before a month's name, where words run together
    closing_mark: str                 # the sign that ends a whole text, where there is one
    full_stop: str                    # the sign that ends a sentence
    decimal_sign: str
    group_sign: str
    counter_style: str                # CSS counter style for page and list numbers
    text_align: str                   # "justify" or "left"
    hyphenate: bool
    font_size: str                    # body text size in print
    line_height: float                # body text
    heading_line_height: float
    length_ratio: float               # usual length of a translation in characters / English
    number_binds_before: str = NO_WORD   # the word before a number that stays with it
    number_binds_after: str = NO_WORD    # the word after a number that stays with it

    def join_spaces(self, text: str) -> str:
        """No-break spaces between a number and the words it binds to ("June 5",
        "tháng 4", "45 years"), so that no line ends between them.

        A word between two numbers that binds to the second is its noun, not the first's unit:
        "tháng 4 năm 1975" keeps "tháng 4" and "năm 1975" but may break between them, so that
        a date does not become one run too long for a narrow column."""
        digits = re.escape(self.digits + (LATIN_DIGITS if self.digits != LATIN_DIGITS else ""))
        number = rf"[{digits}]+(?:[.,][{digits}]+)*"

        def nouns_next_number(word: str, number_follows: str | None) -> bool:
            return bool(number_follows) and self.number_binds_before != NO_WORD \
                and self._binds(word, self.number_binds_before)
        if self.number_binds_before != NO_WORD:
            text = re.sub(rf"(?<![^\W\d_])([^\W\d_][\w.]*) (?={number})",
                          lambda m: m.group(1) + ("\u00a0" if self._binds(m.group(1), self.number_binds_before)
                                                  else " "), text)
        if self.number_binds_after != NO_WORD:
            text = re.sub(rf"(?<![\w.,])({number}) (?=([^\W\d_]\w*)([ \u00a0]{number})?)",
                          lambda m: m.group(1) + ("\u00a0" if self._binds(m.group(2), self.number_binds_after)
                                                  and not nouns_next_number(m.group(2), m.group(3))
                                                  else " "), text)
        return text

    @staticmethod
    def _binds(word: str, rule: str) -> bool:
        return rule == ANY_WORD or (rule == CAPITALISED_WORD and word[:1].isupper())

    def to_digits(self, text: str) -> str:
        return text.translate(str.maketrans("0123456789", self.digits))


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language(
        code="en", english_name="English", native_name="English", locale="en", direction="ltr",
        script=LATIN, fonts=(NOTO_SERIF,), quotes=("“", "”", "‘", "’"), digits="0123456789",
        date_pattern="MMMM d, y", month_pattern="MMMM y", year_pattern="y", month_prefix="",
        closing_mark="", full_stop=".", decimal_sign=".", group_sign=",",
        counter_style="decimal", text_align="justify", hyphenate=True, font_size="10pt",
        line_height=1.45, heading_line_height=1.25, length_ratio=1.0,
        # names, months and titles come before their number; units and nouns after it
        number_binds_before=CAPITALISED_WORD, number_binds_after=ANY_WORD),
    Language(
        code="vi", english_name="Vietnamese", native_name="Tiếng Việt", locale="vi", direction="ltr",
        script=VIETNAMESE, fonts=(NOTO_SERIF,), quotes=("“", "”", "‘", "’"), digits="0123456789",
        date_pattern="'ngày' d 'tháng' M 'năm' y", month_pattern="'tháng' M 'năm' y",
        year_pattern="'năm' y", month_prefix="", closing_mark="", full_stop=".",
        decimal_sign=",", group_sign=".",
        counter_style="decimal", text_align="justify", hyphenate=False, font_size="10pt",
        line_height=1.5, heading_line_height=1.3, length_ratio=0.92,
        # a noun or classifier comes before its number ("ngày 7", "tháng 4"), a unit after it
        number_binds_before=ANY_WORD, number_binds_after=ANY_WORD),
    Language(
        code="km", english_name="Khmer", native_name="ភាសាខ្មែរ", locale="km", direction="ltr",
        script=KHMER, fonts=(NOTO_SERIF_KHMER, NOTO_SERIF), quotes=("“", "”", "‘", "’"),
        digits="០១២៣៤៥៦៧៨៩", date_pattern="'ថ្ងៃទី'd 'ខែ'MMMM 'ឆ្នាំ'y",
        month_pattern="'ខែ'MMMM 'ឆ្នាំ'y", year_pattern="'ឆ្នាំ'y", month_prefix="ខែ",
        closing_mark="៕", full_stop="។", decimal_sign=",",
        group_sign=".", counter_style="khmer", text_align="left", hyphenate=False,
        font_size="10.5pt", line_height=1.95, heading_line_height=1.75, length_ratio=0.95),
)}

SOURCE_LANGUAGE = "en"

# The parallel editions: each pair of languages set side by side, block by block, in the order
# they are built; the first language is the left column, and the edition is listed as its.
PARALLEL_PAIRS: tuple[tuple[str, str], ...] = (("vi", "km"), ("en", "vi"), ("en", "km"))

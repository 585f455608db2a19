"""The language table: everything the pipeline knows about a language is a row here.

Renderers and checks read these fields; none of them tests for a particular language code.
Adding a language means adding a row, its content folder and its message catalog.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .scripts import LATIN, Script
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
    date_pattern: str                 # Babel pattern for a full date in running text
    month_pattern: str                # Babel pattern for a month and year
    month_prefix: str                 # the word before a month's name, where words run together
    closing_mark: str                 # the sign that ends a whole text, where there is one
    decimal_sign: str
    group_sign: str
    counter_style: str                # CSS counter style for page and list numbers
    text_align: str                   # "justify" or "left"
    hyphenate: bool
    font_size: str                    # body text size in print
    line_height: float                # body text
    heading_line_height: float
    length_ratio: float               # usual length of a translation in characters / English
    keep_together: tuple[str, ...] = ()  # patterns whose spaces must not break a line

    def join_spaces(self, text: str) -> str:
        """No-break spaces inside the language's unbreakable phrases ("April 30", "tháng 4")."""
        for pattern in self.keep_together:
            text = re.sub(pattern, lambda m: m.group().replace(" ", "\u00a0"), text)
        return text

    def to_digits(self, text: str) -> str:
        return text.translate(str.maketrans("0123456789", self.digits))


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language(
        code="en", english_name="English", native_name="English", locale="en", direction="ltr",
        script=LATIN, fonts=(NOTO_SERIF,), quotes=("“", "”", "‘", "’"), digits="0123456789",
        date_pattern="MMMM d, y", month_pattern="MMMM y", month_prefix="",
        closing_mark="", decimal_sign=".", group_sign=",",
        counter_style="decimal", text_align="justify", hyphenate=True, font_size="10pt",
        line_height=1.45, heading_line_height=1.25, length_ratio=1.0,
        keep_together=(r"\b(?:January|February|March|April|May|June|July|August|September|October"
                       r"|November|December|No\.|Routes?|Division|Corps|Stage|Regions?|USD) \d",
                       r"\d (?:billion|kilometers)\b")),
    Language(
        code="vi", english_name="Vietnamese", native_name="Tiếng Việt", locale="vi", direction="ltr",
        script=VIETNAMESE, fonts=(NOTO_SERIF,), quotes=("“", "”", "‘", "’"), digits="0123456789",
        date_pattern="'ngày' d 'tháng' M 'năm' y", month_pattern="'tháng' M 'năm' y", month_prefix="",
        closing_mark="", decimal_sign=",", group_sign=".",
        counter_style="decimal", text_align="justify", hyphenate=False, font_size="10pt",
        line_height=1.5, heading_line_height=1.3, length_ratio=0.92,
        keep_together=(r"\b(?:ngày|tháng|năm|số|Đường|Sư đoàn|Quân đoàn|Quân khu|Giai đoạn) \d",
                       r"\d (?:tỷ|km)\b")),
    Language(
        code="km", english_name="Khmer", native_name="ភាសាខ្មែរ", locale="km", direction="ltr",
        script=KHMER, fonts=(NOTO_SERIF_KHMER, NOTO_SERIF), quotes=("“", "”", "‘", "’"),
        digits="០១២៣៤៥៦៧៨៩", date_pattern="'ថ្ងៃទី'd 'ខែ'MMMM 'ឆ្នាំ'y",
        month_pattern="'ខែ'MMMM 'ឆ្នាំ'y", month_prefix="ខែ", closing_mark="៕", decimal_sign=",",
        group_sign=".", counter_style="khmer", text_align="left", hyphenate=False,
        font_size="10.5pt", line_height=1.95, heading_line_height=1.75, length_ratio=0.95),
)}

SOURCE_LANGUAGE = "en"

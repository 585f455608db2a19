"""Numbers as a language writes them, read strictly with Babel.

Each language's numbers are read with its own digits and separators; month names (from Babel's
CLDR data) next to a number count as the month's number, so "June 5, 1962", "ngày 5 tháng 6
năm 1962" and "ថ្ងៃទី៥ ខែមិថុនា ឆ្នាំ១៩៦២" all give {6, 5, 1962}. Month names are matched as
written (capitalised in English), so the verb "may" is not a month.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from decimal import Decimal

from babel.dates import get_month_names
from babel.numbers import NumberFormatError, parse_decimal

from ..languages import Language

LATIN_DIGITS = "0123456789"


@functools.lru_cache(maxsize=None)
def _patterns(language: Language):
    digits = re.escape(language.digits)
    number = re.compile(rf"[{digits}]+(?:[.,][{digits}]+)*")
    months = {name: number_ for number_, name in get_month_names("wide", locale=language.locale).items()
              if not any(c.isdigit() for c in name)}
    month = None
    if months:
        names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
        if language.month_prefix:   # a script without spaces: the month's name follows its word
            month = re.compile(rf"(?<={re.escape(language.month_prefix)})({names})")
        else:                       # capitalised month names, as written in running text
            month = re.compile(rf"(?<!\w)({names})(?!\w)")
    return number, month, months


def read_numbers(text: str, language: Language) -> tuple[Counter, list[str]]:
    """The multiset of numbers in ``text`` and the tokens written in another convention."""
    number, month, months = _patterns(language)
    found: Counter = Counter()
    wrong: list[str] = []
    if month is not None:
        for match in month.finditer(text):
            found[Decimal(months[next(g for g in match.groups() if g)])] += 1
    for match in number.finditer(text):
        token = match.group()
        latin = token.translate(str.maketrans(language.digits, LATIN_DIGITS))
        try:
            value = parse_decimal(latin, locale=_number_locale(language), strict=True)
        except NumberFormatError:
            wrong.append(token)
            continue
        found[value] += 1
    if language.digits != LATIN_DIGITS:
        wrong.extend(re.findall(r"[0-9]+(?:[.,][0-9]+)*", text))
    return found, wrong


def _number_locale(language: Language) -> str:
    """A locale whose separators are the language's own (Babel's km data uses Latin ones)."""
    for candidate in (language.locale, "de", "en"):
        from babel.numbers import get_decimal_symbol, get_group_symbol
        if (get_decimal_symbol(candidate), get_group_symbol(candidate)) == (
                language.decimal_sign, language.group_sign):
            return candidate
    raise ValueError(f"no locale reads numbers with {language.decimal_sign!r} and {language.group_sign!r}")

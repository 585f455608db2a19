"""Vietnamese in Latin script: one tone-placement style throughout.

In open syllables spelt oa, oe and uy, the tone mark can sit on the first vowel (the
traditional style: hòa, khỏe, thủy) or on the second (the newer style: hoà, khoẻ, thuỷ). NFC
does not make the two equal, so a text mixing them searches and sorts badly. The Vietnamese
press on this subject uses the traditional style; so does this pipeline.
"""
from __future__ import annotations

import re
import unicodedata

from ..model import Where
from ..problems import Problem
from . import Script

TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}   # huyền, sắc, hỏi, ngã, nặng
NEW_STYLE = re.compile(r"(?<![qQ])([oO][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")


def traditional(syllable_end: str) -> str:
    """Move the tone mark of "oà" / "uỳ" to the first vowel: "òa" / "ùy"."""
    first, second = syllable_end
    decomposed = unicodedata.normalize("NFD", second)
    tone = next(c for c in decomposed if c in TONES)
    bare = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
    return unicodedata.normalize("NFC", first + tone) + bare


class VietnameseScript(Script):
    name = "Latin"

    def text_problems(self, text: str, where: Where) -> list[Problem]:
        problems = []
        for match in NEW_STYLE.finditer(text):
            start = text.rfind(" ", 0, match.start()) + 1
            word = text[start:match.end()]
            wanted = word[: match.start() - start] + traditional(match.group(1))
            problems.append(Problem("VIET-001", where.file, where.line,
                                    f"{word!r} puts the tone mark in the newer style",
                                    f"write {wanted!r}: this text places tone marks the traditional way"))
        return problems


VIETNAMESE = VietnameseScript()

"""Script-specific knowledge: checks on text in a script, and text processing for rendering.

A :class:`Script` does nothing by default; scripts that need more (Khmer) override the hooks.
"""
from __future__ import annotations

from pathlib import Path

from ..load.words import KeepTogether
from ..model import Where
from ..problems import Problem


class Script:
    name = "Latin"

    def text_problems(self, text: str, where: Where) -> list[Problem]:
        """Problems in a piece of source text written in this script."""
        return []

    def shaping_problems(self, text: str, font_file: Path, where: Where) -> list[Problem]:
        """Problems the shaper finds when setting ``text`` in ``font_file``."""
        return []

    def add_break_opportunities(self, text: str, keep: KeepTogether = KeepTogether()) -> str:
        """``text`` with invisible line-break opportunities where the renderer cannot find them,
        never inside what ``keep`` holds together."""
        return text

    def word_break_doubts(self, text: str, keep: KeepTogether = KeepTogether()) -> list[tuple[str, str]]:
        """Words a second segmenter keeps whole where the line breaker would break them: each
        word, and the line breaker's split of it (``ហ្វា|ស៊ី|ស``)."""
        return []


LATIN = Script()

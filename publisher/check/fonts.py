"""Fonts: the pinned files are present and unchanged, and they cover every character."""
from __future__ import annotations

import functools
import hashlib
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

from ..languages import Language
from ..model import Where
from ..problems import Problem

CHECKSUMS = "SHA256SUMS"


def verify_font_files(fonts: Path, languages) -> list[Problem]:
    """Every font the languages use is in fonts/ with the checksum recorded in SHA256SUMS."""
    problems = []
    listed = {}
    sums = fonts / CHECKSUMS
    if sums.is_file():
        for line in sums.read_text().splitlines():
            digest, _, name = line.partition("  ")
            listed[name.strip()] = digest
    needed = {face.file for language in languages for family in language.fonts for face in family.faces}
    for name in sorted(needed):
        path = fonts / name
        if name not in listed:
            problems.append(Problem("FONT-002", f"fonts/{CHECKSUMS}", None,
                                    f"{name} has no recorded checksum",
                                    "add its line to fonts/SHA256SUMS after checking the file"))
        elif not path.is_file():
            problems.append(Problem("FONT-002", f"fonts/{name}", None, "font file is missing",
                                    "run `make` to install the fonts"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != listed[name]:
            problems.append(Problem("FONT-002", f"fonts/{name}", None,
                                    "font file differs from the pinned version",
                                    "run `make fonts` to install the pinned font"))
    return problems


@functools.lru_cache(maxsize=None)
def _cmap(path: str) -> frozenset[int]:
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def uncovered(text: str, language: Language, fonts: Path) -> list[str]:
    """Characters of ``text`` that no face of the language's fonts can draw."""
    missing = []
    for char in sorted(set(text)):
        if unicodedata.category(char) == "Cc":
            continue
        faces = [fonts / face.file for family in language.fonts for face in family.faces]
        if not any(ord(char) in _cmap(str(path)) for path in faces if path.is_file()):
            missing.append(char)
    return missing


def coverage_problems(texts: list[tuple[str, Where]], language: Language, fonts: Path) -> list[Problem]:
    problems, reported = [], set()
    for text, where in texts:
        for char in uncovered(text, language, fonts):
            if char in reported:
                continue
            reported.add(char)
            names = " / ".join(family.name for family in language.fonts)
            problems.append(Problem(
                "FONT-001", where.file, where.line,
                f"U+{ord(char):04X} {unicodedata.name(char, '?')} ({char}) has no glyph in {names}",
                "use another character, or add a font that covers it to the language table"))
    return problems

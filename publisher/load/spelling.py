"""House spellings: for each language, the form the edition uses of recurring words and the
variants it refuses (``content/spelling.yaml``).

A language whose words run together (Khmer) says ``match: anywhere``: a variant then counts
wherever it stands, not only as a whole word. A variant that is part of an occurrence of its
house form (ព្យាករ inside ព្យាករណ៍) is not a fault.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Where
from ..problems import Problem
from .files import display_path, read_yaml

MATCHES = ("words", "anywhere")


@dataclass(frozen=True)
class HouseWord:
    house: str
    refused: tuple[str, ...]
    note: str
    line: int


@dataclass(frozen=True)
class HouseSpellings:
    words: dict[str, tuple[HouseWord, ...]]   # language → its house words
    match: dict[str, str]                     # language → "words" or "anywhere"
    path: Path

    def problems(self, text: str, lang: str, where: Where) -> list[Problem]:
        """A SPELL-001 for each refused variant in ``text``."""
        found = []
        for word in self.words.get(lang, ()):
            house_spans = [m.span() for m in self._finditer(word.house, text, lang)]
            for variant in word.refused:
                for match in self._finditer(variant, text, lang):
                    start, end = match.span()
                    if any(s <= start and end <= e for s, e in house_spans):
                        continue
                    found.append(Problem(
                        "SPELL-001", where.file, where.line,
                        f"{variant!r} is not the house spelling",
                        f"write {word.house!r} ({self.path}:{word.line}"
                        + (f"; {word.note}" if word.note else "") + ")"))
        return found

    def _finditer(self, form: str, text: str, lang: str):
        pattern = re.escape(form)
        if self.match.get(lang, "words") == "words":
            pattern = rf"(?<!\w){pattern}(?!\w)"
        return re.finditer(pattern, text)


def load_spelling(path: Path, languages: tuple[str, ...], problems: list[Problem]) -> HouseSpellings:
    """The house spellings; a project without the file has none."""
    shown = display_path(path)
    empty = HouseSpellings({}, {}, shown)
    if not path.is_file():
        return empty
    doc = read_yaml(path, problems)
    if doc is None:
        return empty
    words: dict[str, tuple[HouseWord, ...]] = {}
    matches: dict[str, str] = {}
    for lang, entry in doc.data.items():
        line = doc.line(lang)

        def bad(message, hint, at=line):
            problems.append(Problem("LOAD-008", shown, at, message, hint))

        if lang not in languages:
            bad(f"unknown language {lang!r}", f"use one of {', '.join(languages)}")
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("words"), list):
            bad(f"{lang}: expected `match:` and a `words:` list", "see the README, Editing the content")
            continue
        match = entry.get("match", "words")
        if match not in MATCHES:
            bad(f"{lang}: match {match!r} is not one of {', '.join(MATCHES)}",
                "write `match: words`, or `match: anywhere` where words run together")
            continue
        matches[lang] = match
        found = []
        for i, item in enumerate(entry["words"]):
            at = doc.line(lang, "words", i)
            refused = item.get("refuse") if isinstance(item, dict) else None
            if (not isinstance(item, dict) or not isinstance(item.get("house"), str) or not item["house"]
                    or not isinstance(refused, list) or not refused
                    or not all(isinstance(v, str) and v for v in refused)):
                bad(f"{lang}: a house word needs `house:` and a `refuse:` list", 
                    "write `- {house: form, refuse: [variant]}`", at)
                continue
            if item["house"] in refused:
                bad(f"{lang}: {item['house']!r} is both the house form and refused",
                    "remove it from `refuse:`", at)
                continue
            found.append(HouseWord(item["house"], tuple(refused), str(item.get("note", "")), at))
        words[lang] = tuple(found)
    return HouseSpellings(words, matches, shown)

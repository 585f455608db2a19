"""Words a line must never split, and the reviewed decisions about word breaks.

Scripts written without spaces (Khmer) break lines where a dictionary says a word ends, and a
dictionary misses words: ICU breaks ហ្វាស៊ីស (fascist) as ហ្វា|ស៊ី|ស. ``content/words.yaml``
lists, per language, words whose breaks a native editor decides: ``break: never`` keeps the
word whole on a line; ``break: allowed`` records that the dictionary's breaks inside it are
right. Every glossary term is kept whole without being listed. ``build.py check`` compares the
dictionary with a second segmenter and reports the words they split differently that nobody
has decided yet (WORD-001), so the list grows by review.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem
from .files import display_path, read_yaml

WORDS_FILE = "words.yaml"
BREAKS = ("never", "allowed")
STATES = ("reviewed", "draft")


@dataclass(frozen=True)
class WordEntry:
    word: str
    gloss: str
    breaks: str        # "never" or "allowed"
    status: str        # "reviewed" or "draft"
    line: int


@dataclass(frozen=True)
class WordList:
    entries: dict[str, tuple[WordEntry, ...]]   # language → entries
    path: Path

    def never_split(self, lang: str) -> tuple[str, ...]:
        return tuple(e.word for e in self.entries.get(lang, ()) if e.breaks == "never")

    def decided(self, lang: str) -> dict[str, WordEntry]:
        return {e.word: e for e in self.entries.get(lang, ())}


def load_words(content: Path, languages: tuple[str, ...], problems: list[Problem]) -> WordList:
    """The word list; an article without one has none."""
    path = content / WORDS_FILE
    shown = display_path(path)
    empty = WordList({}, shown)
    if not path.is_file():
        return empty
    doc = read_yaml(path, problems)
    if doc is None:
        return empty
    entries: dict[str, tuple[WordEntry, ...]] = {}
    for lang, items in doc.data.items():
        if lang not in languages or not isinstance(items, list):
            problems.append(Problem("LOAD-008", shown, doc.line(lang),
                                    f"{lang!r} is not a language with a list of words",
                                    f"use one of {', '.join(languages)}, each with a list of "
                                    "`- word: …` entries"))
            continue
        found = []
        for index, item in enumerate(items):
            line = doc.line(lang, index)
            if not isinstance(item, dict) or not isinstance(item.get("word"), str) or not item["word"].strip():
                problems.append(Problem("LOAD-008", shown, line, "entry without a word",
                                        "start each entry with `- word: …`"))
                continue
            breaks, status = item.get("break", "never"), item.get("status")
            if breaks not in BREAKS or status not in STATES:
                problems.append(Problem(
                    "LOAD-008", shown, line,
                    f"{item['word']}: break must be never or allowed, status reviewed or draft",
                    "write `break: never` (or allowed) and `status: draft` until a native "
                    "editor has decided"))
                continue
            found.append(WordEntry(item["word"].strip(), str(item.get("gloss", "")), breaks, status, line))
        entries[lang] = tuple(found)
    return WordList(entries, shown)

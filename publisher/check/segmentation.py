"""Word breaks a native editor should decide: where two segmenters disagree.

The editions break Khmer lines where ICU's dictionary finds a word boundary. Where a second,
independently made segmenter (khmercut) keeps a word whole that ICU would break, one of them
is wrong; the report names each such word once, with the place it first occurs, until a native
editor records a decision in ``content/words.yaml`` (see :mod:`publisher.load.words`). A listed
word is not reported again; its ``status`` says whether the decision is reviewed.
"""
from __future__ import annotations

from ..languages import Language
from ..load.words import WORDS_FILE, WordEntry
from ..model import KeepTogether
from ..model import Article
from ..problems import Problem
from . import article_texts


def word_break_notes(article: Article, language: Language, keep: KeepTogether,
                     decided: dict[str, WordEntry]) -> list[Problem]:
    notes, seen = [], set()
    for text, where in article_texts(article):
        for word, split in language.script.word_break_doubts(text, keep):
            if word in seen or word in decided:
                continue
            seen.add(word)
            notes.append(Problem(
                "WORD-001", where.file, where.line,
                f"{word}: ICU breaks it {split}, khmercut keeps it whole",
                f"a native editor decides: list it in content/{WORDS_FILE} under "
                f"{language.code} with `break: never` or `break: allowed`, `status: reviewed`"))
    return notes

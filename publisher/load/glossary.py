"""The glossary: each key term and name with its form in every language."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import KeepTogether
from ..problems import Problem
from .files import display_path, read_yaml

KINDS = ("person", "place", "organisation", "term")


def fold(text: str) -> str:
    """Text as terms are compared: without case, and with one apostrophe for ' and ’."""
    return text.replace("’", "'").casefold()
STATES = ("verified", "draft")


@dataclass(frozen=True)
class Term:
    id: str
    kind: str
    forms: dict[str, tuple[str, ...]]   # language → accepted forms; "en" holds the source forms
    status: dict[str, str]              # language → "verified" or "draft"
    note: str
    line: int
    unbreakable: bool = False           # kept whole on a line, even at its spaces

    @property
    def whole(self) -> bool:
        """Names and terms marked unbreakable are never split, not even at a space."""
        return self.unbreakable or self.kind in ("person", "place")


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    path: Path

    def occurrences(self, text: str, lang: str) -> list[tuple[int, int, "Term"]]:
        """Where the terms' ``lang`` forms stand in ``text``, as whole words (``fold``ed)."""
        folded = fold(text)
        found = []
        for term in self.terms:
            for form in term.forms.get(lang, ()):
                for match in re.finditer(rf"(?<!\w){re.escape(fold(form))}(?!\w)", folded):
                    found.append((match.start(), match.end(), term))
        return found

    def names(self, lang: str) -> tuple[str, ...]:
        """Forms of names and unbreakable terms, which a line must never split."""
        return tuple(form for term in self.terms if term.whole for form in term.forms.get(lang, ()))

    def keep_together(self, lang: str, words: tuple[str, ...] = ()) -> KeepTogether:
        """Names and unbreakable terms whole; every other term (and ``words``) not inside a word."""
        return KeepTogether(self.names(lang), tuple(
            form for term in self.terms if not term.whole for form in term.forms.get(lang, ())) + words)


def load_glossary(path: Path, languages: tuple[str, ...], problems: list[Problem]) -> Glossary | None:
    shown = display_path(path)
    if not path.is_file():
        problems.append(Problem("LOAD-009", shown, None, "the glossary is missing",
                                "create it with one entry per key term and name"))
        return None
    doc = read_yaml(path, problems, expected=list)
    if doc is None:
        return None
    terms, seen = [], {}
    before = len(problems)
    for entry, entry_node in zip(doc.data, doc.node.value if doc.node else ()):
        line = entry_node.start_mark.line + 1

        def bad(message, hint):
            problems.append(Problem("LOAD-008", shown, line, message, hint))

        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            bad("glossary entry without an id", "start each entry with `- id: some-name`")
            continue
        term_id = entry["id"]
        if term_id in seen:
            problems.append(Problem("LOAD-005", shown, line,
                                    f"glossary id {term_id!r} is already used at line {seen[term_id]}",
                                    "merge the two entries"))
            continue
        seen[term_id] = line
        if entry.get("kind") not in KINDS:
            bad(f"{term_id}: kind must be one of {', '.join(KINDS)}", "set `kind:`")
        forms = {}
        for lang in languages:
            value = entry.get(lang)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
                bad(f"{term_id}: no {lang} form", f"add `{lang}: [form]`")
                continue
            forms[lang] = tuple(value)
        status = entry.get("status") or {}
        if not isinstance(status, dict):
            bad(f"{term_id}: status must give each translation's state",
                f"write `status: {{{', '.join(f'{lang}: draft' for lang in languages[1:])}}}` "
                "until a native editor has checked it")
            status = {}
        else:
            for lang in languages[1:]:
                if status.get(lang) not in STATES:
                    bad(f"{term_id}: status for {lang} must be verified or draft",
                        f"add `status: {{{lang}: draft}}` until a native editor has checked it")
        if not isinstance(entry.get("unbreakable", False), bool):
            bad(f"{term_id}: unbreakable must be true or false", "write `unbreakable: true`")
        terms.append(Term(term_id, entry.get("kind", ""), forms, dict(status),
                          entry.get("note", ""), line, entry.get("unbreakable") is True))
    if len(problems) > before:
        return None
    return Glossary(tuple(terms), shown)

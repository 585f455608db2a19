"""The glossary: each key term and name with its form in every language."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.core import Locale, get_global, parse_locale
from fontTools.unicodedata import script as script_of

from ..languages import LANGUAGES
from ..model import KeepTogether, OtherLanguages
from ..problems import Problem
from .files import display_path, read_yaml

KINDS = ("person", "place", "organisation", "term")
STATES = ("verified", "draft")
WRITTEN_IN = "written-in"
# ISO 15924 codes of characters that belong to no one script: spaces, digits, punctuation, marks
NO_SCRIPT = {"Zyyy", "Zinh", "Zzzz"}


def fold(text: str) -> str:
    """Text as terms are compared: without case, and with one apostrophe for ' and ’."""
    return text.replace("’", "'").casefold()


@dataclass(frozen=True)
class Term:
    id: str
    kind: str
    forms: dict[str, tuple[str, ...]]   # language → accepted forms; "en" holds the source forms
    status: dict[str, str]              # language → "verified" or "draft"
    note: str
    line: int
    unbreakable: bool = False           # kept whole on a line, even at its spaces
    written_in: dict[str, str] = field(default_factory=dict)   # language → BCP 47 tag of its forms' language

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

    def other_languages(self, lang: str) -> OtherLanguages:
        """The ``lang`` forms written in another language (``written-in``), with its tag."""
        return OtherLanguages(tuple((form, term.written_in[lang]) for term in self.terms
                                    if lang in term.written_in for form in term.forms.get(lang, ())))


TAG_SHAPE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def language_tag(value: str) -> tuple[str | None, str]:
    """A BCP 47 tag — a language, with a script, region and variant where it needs them —
    whose every part CLDR (through Babel) knows, in its canonical case (``km-Latn``); or None
    and what is wrong with it."""
    if not TAG_SHAPE.fullmatch(value):
        return None, "is not a language tag"
    try:
        language, region, script, variant = parse_locale(value, sep="-")
    except ValueError:
        return None, "is not a language tag"
    names = Locale("en")
    if language not in names.languages or language == "und":
        return None, f"names no known language ({language!r})"
    if script is not None and script not in names.scripts:
        return None, f"names no known script ({script!r})"
    if region is not None and region not in names.territories:
        return None, f"names no known region ({region!r})"
    if variant is not None and variant not in names.variants:
        return None, f"names no known script, region or variant ({value.rsplit('-', 1)[-1]!r})"
    return "-".join(part for part in (language, script, region, variant and variant.lower()) if part), ""


def tag_script(tag: str) -> str | None:
    """The script a tag's language is written in: its script subtag, else CLDR's likely one."""
    language, _region, script, _variant = parse_locale(tag, sep="-")
    if script is None:
        likely = get_global("likely_subtags").get(language)
        script = parse_locale(likely)[2] if likely else None
    return script


WRITTEN_IN_EXAMPLE = "`written-in: {en: km-Latn}` for a Khmer name in Latin letters in the English text"


def read_written_in(value: dict, term_id: str, forms: dict[str, tuple[str, ...]], bad) -> dict[str, str]:
    """An entry's ``written-in``: for each language of ``forms`` whose forms are written in
    another language, that language's tag. ``bad(message, hint)`` records each problem."""
    found = {}
    for lang, raw in value.items():
        if lang not in LANGUAGES:
            bad(f"{term_id}: {WRITTEN_IN} names {lang!r}, which is not a language of the editions",
                f"use one of {', '.join(LANGUAGES)}")
            continue
        if lang not in forms:
            continue   # a language not read this time, or without a form (reported already)
        tag, wrong = language_tag(raw) if isinstance(raw, str) else (None, "is not a language tag")
        if tag is None:
            bad(f"{term_id}: the {WRITTEN_IN} tag {raw!r} of the {lang} forms {wrong}",
                f"write a BCP 47 tag, a language code and a script where the forms are not in "
                f"the language's usual one: {WRITTEN_IN_EXAMPLE}")
            continue
        if tag == lang:
            bad(f"{term_id}: {WRITTEN_IN} says the {lang} forms are written in {lang}, their own language",
                f"remove `{lang}: {raw}`: only forms written in another language are marked")
            continue
        scripts = {script_of(c) for form in forms[lang] for c in form} - NO_SCRIPT
        expected = tag_script(tag)
        if expected is not None and scripts - {expected}:
            names = Locale("en").scripts
            bad(f"{term_id}: the {lang} forms are written in "
                f"{' and '.join(names.get(s, s) for s in sorted(scripts))} script, but {tag} is "
                f"written in {names.get(expected, expected)}",
                f"name the forms' script in the tag ({tag.split('-')[0]}-{min(scripts)}), "
                "or correct its language")
            continue
        found[lang] = tag
    return found


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
    for index, (entry, entry_node) in enumerate(zip(doc.data, doc.node.value if doc.node else ())):
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
        written = entry.get(WRITTEN_IN, {})
        if not isinstance(written, dict):
            bad(f"{term_id}: {WRITTEN_IN} must give, per language, the language its forms are written in",
                f"write {WRITTEN_IN_EXAMPLE}")
            written = {}
        written_in = read_written_in(written, term_id, forms, lambda message, hint: problems.append(
            Problem("LOAD-016", shown, doc.line(index, WRITTEN_IN), message, hint)))
        terms.append(Term(term_id, entry.get("kind", ""), forms, dict(status),
                          entry.get("note", ""), line, entry.get("unbreakable") is True, written_in))
    if len(problems) > before:
        return None
    return Glossary(tuple(terms), shown)

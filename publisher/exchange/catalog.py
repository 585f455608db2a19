"""The units of one translation, built from the content: the English beside the translation,
with what a translator needs to know about each (stale, review state, glossary terms)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..check.stale import changed_blocks, fingerprint
from ..languages import SOURCE_LANGUAGE
from ..load import load_article
from ..load.glossary import Glossary, load_glossary
from ..load.metadata import TEXT_FIELDS
from ..model import Article, Section, Where
from ..problems import BuildFailed
from .units import META, TAG, Leaf, Tagged, section_leaves, to_tagged

DRAFT, REVIEWED = "draft", "reviewed"


@dataclass
class Unit:
    id: str
    source: Tagged
    target: Tagged
    section: str | None             # None for the metadata
    status: str                     # the section's review state (the metadata: the translation's)
    stale: bool                     # the English changed since the translation was refreshed
    where: Where
    notes: list[str] = field(default_factory=list)
    leaf: Leaf | None = None        # the translation's text in its section file
    yaml_keys: tuple = ()           # the metadata field in article.yaml
    monolingual: bool = False       # written in the translation only (translator's notes)
    suggestion: str = ""            # how a translation memory filled the target, if it did
    tentative: bool = False         # the target is a close match's, only a suggestion
    previous_source: str = ""       # the English the translation was made from, where known


@dataclass
class Catalog:
    lang: str
    source: Article
    target: Article
    units: list[Unit]

    def reviewed_sections(self) -> list[str]:
        return [s.id for s in self.target.sections if s.status == REVIEWED]


def load_catalog(content: Path, lang: str) -> Catalog:
    """The units of ``lang``'s translation in ``content``; the content must load."""
    source, problems = load_article(content, SOURCE_LANGUAGE, SOURCE_LANGUAGE)
    target, target_problems = load_article(content, lang, SOURCE_LANGUAGE)
    if source is None or target is None:
        raise BuildFailed([p for p in problems + target_problems if p.is_error])
    glossary_problems: list = []
    glossary = load_glossary(content / "glossary.yaml", (SOURCE_LANGUAGE, lang), glossary_problems)
    if glossary is None:
        raise BuildFailed([p for p in glossary_problems if p.is_error])
    units = metadata_units(source, target)
    by_id = {s.id: s for s in target.sections}
    for section in source.sections:
        units.extend(section_units(section, by_id.get(section.id), target))
    for unit in units:
        unit.notes.extend(glossary_notes(unit, glossary, lang))
    return Catalog(lang, source, target, units)


def metadata_units(source: Article, target: Article) -> list[Unit]:
    english, translated = source.metadata, target.metadata
    review = translated.translation.review if translated.translation else ""
    where = translated.where
    units = []

    def add(name: str, keys: tuple, source_inlines, target_inlines, monolingual=False):
        units.append(Unit(f"{META}:{name}", to_tagged(source_inlines), to_tagged(target_inlines or ()),
                          None, review, False, where, yaml_keys=keys, monolingual=monolingual))

    for name, keys in TEXT_FIELDS.items():
        if getattr(english, name):
            add(name, keys, getattr(english, name), getattr(translated, name))
    for number, note in enumerate(english.editorial_notes, 1):
        theirs = translated.editorial_notes
        add(f"editorial_notes.{number}", ("editorial_notes", number - 1), note,
            theirs[number - 1] if number <= len(theirs) else ())
    for number, note in enumerate(translated.translator_notes, 1):
        add(f"translator_notes.{number}", ("translator_notes", number - 1), note, note, monolingual=True)
    return units


def section_units(english: Section, translated: Section | None, target: Article) -> list[Unit]:
    theirs = {leaf.key: leaf for leaf in section_leaves(translated)} if translated else {}
    stale_blocks = _stale_block_indexes(english, translated)
    status = (translated.status or DRAFT) if translated else DRAFT
    units = []
    for leaf in section_leaves(english):
        mine = theirs.get(leaf.key)
        if mine is not None and mine.kind != leaf.kind:
            mine = None
        where = mine.where if mine else (translated.where if translated else Where(target.folder, 0))
        units.append(Unit(leaf.key, to_tagged(leaf.inlines), to_tagged(mine.inlines) if mine else Tagged(""),
                          english.id, status, leaf.top in stale_blocks, where, leaf=mine))
    return units


def _stale_block_indexes(english: Section, translated: Section | None) -> set[int]:
    """Indexes of the English blocks that changed since the translation recorded them."""
    if translated is None or translated.source_fingerprint == fingerprint(english):
        return set()
    if not translated.source_fingerprint or not translated.source_blocks:
        return set(range(len(english.blocks)))
    changed, _ = changed_blocks(translated.source_blocks, english)
    return {i for i, block in enumerate(english.blocks) if any(block is c for c in changed)}


def glossary_notes(unit: Unit, glossary: Glossary | None, lang: str) -> list[str]:
    """The glossary's form of every term the English of the unit uses."""
    if glossary is None or unit.monolingual:
        return []
    seen, notes = set(), []
    text = plain_text_of(unit.source)
    for _, _, term in sorted(glossary.occurrences(text, SOURCE_LANGUAGE), key=lambda o: o[0]):
        if term.id not in seen:
            seen.add(term.id)
            forms = " / ".join(term.forms.get(lang, ()))
            state = term.status.get(lang, "")
            notes.append(f"glossary: {term.forms[SOURCE_LANGUAGE][0]} → {forms} ({state})")
    return notes


def plain_text_of(tagged: Tagged) -> str:
    return TAG.sub("", tagged.text)

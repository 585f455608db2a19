"""Load stage: ``content/<lang>/`` → :class:`publisher.model.Article`."""
from __future__ import annotations

from pathlib import Path

from ..model import Article, Figure, Gap, Heading, walk_blocks
from ..problems import Problem
from .files import display_path
from .markdown import load_sections
from .metadata import load_metadata

METADATA_FILE = "article.yaml"
SECTION_GLOB = "*.md"


def load_article(content: Path, lang: str, source_lang: str) -> tuple[Article | None, list[Problem]]:
    """Read one language's folder. Sections come in file-name order."""
    problems: list[Problem] = []
    folder = content / lang
    if not folder.is_dir():
        problems.append(Problem("LOAD-009", display_path(folder), None,
                                f"no content folder for language {lang!r}",
                                f"create {display_path(folder)}/ with {METADATA_FILE} and the section files"))
        return None, problems
    meta_path = folder / METADATA_FILE
    if not meta_path.is_file():
        problems.append(Problem("LOAD-009", display_path(meta_path), None, "the metadata file is missing",
                                f"create {METADATA_FILE} with the headline, standfirst, source and notes"))
        metadata = None
    else:
        metadata = load_metadata(meta_path, lang, source_lang, problems)
    sections = [s for s in load_sections(sorted(folder.glob(SECTION_GLOB)), problems) if s]
    if not sections:
        problems.append(Problem("LOAD-009", display_path(folder), None, "no section files",
                                "add one Markdown file per section, such as 01-introduction.md"))
    problems.extend(_duplicate_ids(sections))
    if metadata is None or any(p.is_error for p in problems):
        return None, problems
    return Article(lang, metadata, tuple(sections), folder), problems


def _duplicate_ids(sections) -> list[Problem]:
    """Section ids, and ids of headings, figures and gaps, must be unique in the article."""
    seen: dict[str, str] = {}
    problems = []
    for section in sections:
        things = [(section.id, section.where)] + [
            (b.id, b.where) for b in walk_blocks(section.blocks)
            if isinstance(b, (Heading, Figure, Gap)) and b.id and b.id != section.id]
        for identifier, where in things:
            if identifier in seen:
                problems.append(Problem("LOAD-005", where.file, where.line,
                                        f"id {identifier!r} is already used at {seen[identifier]}",
                                        "give each section, heading, figure and gap its own id"))
            else:
                seen[identifier] = str(where)
    return problems

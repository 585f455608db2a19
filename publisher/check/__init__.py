"""Check stage: problems in one language's article that must stop its editions."""
from __future__ import annotations

from pathlib import Path

from ..languages import Language
from ..load.glossary import Glossary
from ..load.spelling import HouseSpellings
from ..model import Article, Where, block_text, plain_text
from ..problems import Problem
from .alignment import alignment_problems
from .fonts import coverage_problems, verify_font_files

__all__ = ["check_article", "verify_font_files", "article_texts", "glossary_spelling_problems"]


def article_texts(article: Article) -> list[tuple[str, Where]]:
    """Every piece of text a reader sees, with where it comes from."""
    meta = article.metadata
    texts = [(plain_text(value), meta.where) for value in (
        meta.headline, meta.standfirst, meta.publisher, meta.author, meta.written_basis, meta.rights,
        *meta.editorial_notes, *meta.translator_notes,
        meta.translation.method if meta.translation else (), meta.short_title)]
    texts += [(block_text(block), block.where) for block in article.all_blocks()]
    texts += [(block.alt, block.where) for block in article.all_blocks() if block.kind == "figure"]
    return texts


def closing_mark_problems(article: Article, language: Language) -> list[Problem]:
    """Where a language closes a whole text with a sign (Khmer ៕), the last paragraph has it."""
    if not language.closing_mark:
        return []
    last = [b for b in article.sections[-1].blocks if b.kind == "paragraph"][-1:]
    if last and not block_text(last[0]).rstrip().endswith(language.closing_mark):
        return [Problem("PUNCT-003", last[0].where.file, last[0].where.line,
                        f"the last paragraph does not end with {language.closing_mark}",
                        f"end the text with {language.closing_mark}")]
    return []


def check_article(article: Article, language: Language, fonts: Path, *, source: Article | None,
                  languages: dict[str, Language], glossary: Glossary | None,
                  template_strings: list[str], spelling: HouseSpellings | None = None) -> list[Problem]:
    texts = article_texts(article)
    problems: list[Problem] = []
    script_font = fonts / language.fonts[0].faces[0].file
    for text, where in texts:
        problems.extend(language.script.text_problems(text, where))
        if spelling is not None:
            problems.extend(spelling.problems(text, language.code, where))
        problems.extend(language.script.shaping_problems(text, script_font, where))
    catalog = Where(Path(f"templates/locales/{language.code}/LC_MESSAGES/messages.po"), 0)
    problems.extend(coverage_problems(texts + [(s, catalog) for s in template_strings], language, fonts))
    problems.extend(closing_mark_problems(article, language))
    if source is not None and source is not article:
        problems.extend(alignment_problems(source, article, languages, glossary))
    return problems


def glossary_spelling_problems(glossary: Glossary | None, spelling: HouseSpellings, lang: str) -> list[Problem]:
    """The glossary's forms follow the house spellings too."""
    problems = []
    for term in glossary.terms if glossary else ():
        for form in term.forms.get(lang, ()):
            problems.extend(spelling.problems(form, lang, Where(glossary.path, term.line)))
    return problems

"""The whole flow: load the source → check it → render each edition → write and record it."""
from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import jinja2

from .check import check_article, extraction, glossary_spelling_problems, verify_font_files
from .check.qa import qa_problems, review_gate
from .check.segmentation import word_break_notes
from .check.templates import template_problems
from .languages import LANGUAGES, SOURCE_LANGUAGE
from .load import load_article
from .load.glossary import load_glossary
from .load.spelling import load_spelling
from .load.words import KeepTogether, load_words
from .load.metadata import inherit_source_metadata
from .model import Article
from .problems import Problem
from .render import VARIANTS, edition_units
from .render.context import Project, RenderInput
from .render.i18n import load_translations, template_messages
from .write import EditionRecord, record_editions, write_edition

Progress = Callable[[str], None]
PDF = "application/pdf"


@dataclass
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    written: list[EditionRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    articles: dict[str, Article | None] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


def build(project: Project, languages: list[str], formats: list[str], output: Path,
          progress: Progress = lambda message: None, release: bool = False,
          variants: list[str] | tuple[str, ...] = VARIANTS, creep_mm: float = 0.0) -> BuildReport:
    """Build the editions of ``languages`` × ``formats`` × ``variants`` into ``output``.

    A language with any error in its content is not rendered, and its existing editions stay
    as they were; the other languages are built. A release also runs the translation QA and
    refuses translations that are stale or not reviewed. ``creep_mm`` is the creep
    compensation of the imposed booklet sheets.
    """
    report = BuildReport()
    articles = load_and_check(project, languages, report, qa=release, release=release)
    units = [unit for (fmt, variant), unit in edition_units(creep_mm).items()
             if fmt in formats and variant in variants]
    jobs = [(lang, unit) for lang in languages if lang in articles for unit in units]
    for number, (lang, unit) in enumerate(jobs, 1):
        started = time.perf_counter()
        name = unit.name if unit.variant == "standard" else f"{unit.name} {unit.variant}"
        progress(f"[{number}/{len(jobs)}] {lang} {name} …")
        article, translations, keep = articles[lang]
        source = RenderInput(project, article, LANGUAGES[lang], translations, keep,
                             edition_time(article))
        try:
            edition = unit.render(source, report.problems)
        except jinja2.TemplateError as error:
            report.problems.append(Problem(
                "RENDER-001", *_template_place(error, project.templates),
                f"the {lang} {name} edition's template failed: {error}",
                "fix the template (a name it uses may be misspelt)"))
            edition = None
        if edition is None:
            continue
        if edition.media_type == PDF and unit.in_reading_order \
                and not _text_comes_back(edition, article, report, release):
            continue
        report.written.append(write_edition(edition, output))
        progress(f"[{number}/{len(jobs)}] {lang} {name} → {report.written[-1].path} "
                 f"({time.perf_counter() - started:.1f} s)")
    if report.written:
        record_editions(output, report.written)
    return report


def _template_place(error: Exception, templates: Path) -> tuple[str, int | None]:
    """The template file and line where rendering failed: the innermost template frame."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if Path(f.filename).resolve().is_relative_to(templates.resolve())]
    if not frames:
        return "templates/", None
    return f"templates/{Path(frames[-1].filename).resolve().relative_to(templates.resolve())}", frames[-1].lineno


def _text_comes_back(edition, article: Article, report: BuildReport, release: bool) -> bool:
    """Measure how much of the source text comes back out of a PDF; record it on the edition.
    In a release, a PDF below the target is refused."""
    figures = extraction.measure(edition.files[edition.main], article, LANGUAGES[edition.lang])
    edition.text_fidelity = extraction.summary(figures)
    problems = extraction.text_problems(figures, f"{edition.lang}/{edition.main}", release)
    report.problems.extend(problems)
    return not any(p.is_error for p in problems)


def load_and_check(project: Project, languages: list[str], report: BuildReport, *,
                   qa: bool = False, release: bool = False) -> dict:
    """Load and check every requested language; return those fit to render.

    ``qa`` adds the translation QA checks; ``release`` adds the review gate.
    """
    problems = report.problems
    problems.extend(verify_font_files(project.fonts, [LANGUAGES[code] for code in languages]))
    problems.extend(template_problems(project.templates))
    glossary = load_glossary(project.content / "glossary.yaml", tuple(LANGUAGES), problems)
    words = load_words(project.content, tuple(LANGUAGES), problems)
    spelling = load_spelling(project.content / "spelling.yaml", tuple(LANGUAGES), problems)
    source, source_problems = load_article(project.content, SOURCE_LANGUAGE, SOURCE_LANGUAGE)
    if SOURCE_LANGUAGE in languages or source is None:
        problems.extend(source_problems)
    if any(p.is_error for p in problems):
        report.skipped.extend(languages)
        return {}
    messages = template_messages(project.templates)

    def keep(lang: str) -> KeepTogether:
        return glossary.keep_together(lang, words.never_split(lang))

    ready = {}
    for lang in languages:
        language = LANGUAGES[lang]
        found: list[Problem] = []
        article: Article | None = source
        if lang != SOURCE_LANGUAGE:
            article, load_problems = load_article(project.content, lang, SOURCE_LANGUAGE)
            found.extend(load_problems)
            if article is not None:
                article = replace(article, metadata=inherit_source_metadata(article.metadata, source.metadata))
        translations = load_translations(project.templates, lang, SOURCE_LANGUAGE, found, messages)
        if article is not None and translations is not None:
            found.extend(check_article(
                article, language, project.fonts, source=source, languages=LANGUAGES,
                glossary=glossary, template_strings=[translations.gettext(m) for m in messages],
                spelling=spelling))
            found.extend(glossary_spelling_problems(glossary, spelling, lang))
            if qa:
                found.extend(word_break_notes(article, language, keep(lang), words.decided(lang)))
            if qa and article is not source:
                found.extend(qa_problems(source, article, LANGUAGES[SOURCE_LANGUAGE], language, glossary))
            if release and article is not source:
                found.extend(review_gate(article))
        report.articles[lang] = article
        problems.extend(found)
        if article is None or translations is None or any(p.is_error for p in found):
            report.skipped.append(lang)
            continue
        ready[lang] = (article, translations, keep(lang))
    return ready


def check_everything(project: Project) -> BuildReport:
    """Every check on every language, the translation QA included; nothing is rendered."""
    report = BuildReport()
    load_and_check(project, list(LANGUAGES), report, qa=True)
    return report


def edition_time(article: Article) -> dt.datetime:
    """The editions' date: the article's edition date, or SOURCE_DATE_EPOCH where it is set.

    The date comes from the content, so the same content gives the same bytes in any checkout
    and on any day; SOURCE_DATE_EPOCH lets a packager fix another.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    day = article.metadata.edition_date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)

"""The whole flow: decide what to redo → load the source → check it → render each edition →
write and record it.

Only light modules are imported here; loading, checking and rendering import their libraries
when they run, so a build with nothing to do is over before WeasyPrint or pandoc is imported.
"""
from __future__ import annotations

import datetime as dt
import os
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .inputs import Fingerprints, Key, outdated
from .languages import LANGUAGES, SOURCE_LANGUAGE
from .model import Article
from .problems import Problem
from .render import UNIT_CLASSES, VARIANTS
from .render.workers import default_jobs, in_order, running_workers
from .write import EditionRecord, OutputUnavailable, output_folder

if TYPE_CHECKING:
    from .project import Project
    from .render.context import RenderInput
    from .render.formats import RenderedEdition

Progress = Callable[[str], None]
PDF = "application/pdf"


@dataclass
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    written: list[EditionRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    articles: dict[str, Article | None] = field(default_factory=dict)
    rendered: list[Key] = field(default_factory=list)     # the editions rendered, whatever came of it
    up_to_date: list[Key] = field(default_factory=list)   # asked for, and built already from the same inputs

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


def build(project: Project, languages: list[str], formats: list[str], output: Path,
          progress: Progress = lambda message: None, release: bool = False,
          variants: list[str] | tuple[str, ...] = VARIANTS, creep_mm: float = 0.0,
          jobs: int | None = None) -> BuildReport:
    """Build the editions of ``languages`` × ``formats`` × ``variants`` into ``output``.

    Only editions whose inputs changed since they were built are built again (a release
    builds and checks everything); only the languages they need are loaded and checked. A
    language with any error in its content is not rendered, and its existing editions stay
    as they were; the other languages are built. A release also runs the translation QA and
    refuses translations that are stale or not reviewed. ``creep_mm`` is the creep
    compensation of the imposed booklet sheets; ``jobs`` how many editions render at once
    (default: one per core).
    """
    report = BuildReport()
    wanted = [(lang, fmt, variant) for lang in languages for fmt, variant in UNIT_CLASSES
              if fmt in formats and variant in variants]
    fingerprints = Fingerprints(project, creep_mm)
    inputs = {key: fingerprints.of(key) for key in wanted}
    todo = wanted if release else outdated(wanted, inputs, output)
    report.up_to_date = [key for key in wanted if key not in todo]
    if not todo:
        progress(f"nothing to do: {len(wanted)} editions up to date")
        return report
    try:
        with running_workers(min(jobs or default_jobs(), len(todo))) as workers:
            articles = load_and_check(project, list(dict.fromkeys(lang for lang, _, _ in todo)),
                                      report, qa=release, release=release)
            tasks = [RenderTask(key, render_input(project, *articles[key[0]]), creep_mm, release)
                     for key in todo if key[0] in articles]
            if tasks:
                with output_folder(output) as manifest:
                    for number, outcome in enumerate(in_order(workers, render_edition, tasks), 1):
                        report.rendered.append(outcome.key)
                        report.problems.extend(outcome.problems)
                        if outcome.edition is not None:
                            report.written.append(manifest.write_edition(outcome.edition, inputs[outcome.key]))
                            progress(f"[{number}/{len(tasks)}] {' '.join(outcome.key)} → "
                                     f"{report.written[-1].path} ({outcome.seconds:.1f} s)")
    except OutputUnavailable as refused:
        report.problems.append(refused.problem)
    return report


def _template_place(error: Exception, templates: Path) -> tuple[str, int | None]:
    """The template file and line where rendering failed: the innermost template frame."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if Path(f.filename).resolve().is_relative_to(templates.resolve())]
    if not frames:
        return "templates/", None
    return f"templates/{Path(frames[-1].filename).resolve().relative_to(templates.resolve())}", frames[-1].lineno


@dataclass(frozen=True)
class RenderTask:
    key: Key
    source: RenderInput
    creep_mm: float
    release: bool


@dataclass
class RenderOutcome:
    key: Key
    edition: RenderedEdition | None   # None: refused
    problems: list[Problem]
    seconds: float


def render_input(project: Project, article: Article, translations, keep) -> RenderInput:
    from .render.context import RenderInput
    return RenderInput(project, article, LANGUAGES[article.lang], translations, keep,
                       edition_time(article))


def render_edition(task: RenderTask) -> RenderOutcome:
    """Render one edition; a PDF's text is measured too (in a worker process, if there are)."""
    import time

    import jinja2

    from .render import edition_unit
    started = time.perf_counter()
    lang, fmt, variant = task.key
    unit = edition_unit((fmt, variant), task.creep_mm)
    problems: list[Problem] = []
    try:
        edition = unit.render(task.source, problems)
    except jinja2.TemplateError as error:
        problems.append(Problem("RENDER-001", *_template_place(error, task.source.project.templates),
                                f"the {lang} {fmt} {variant} edition's template failed: {error}",
                                "fix the template (a name it uses may be misspelt)"))
        edition = None
    if edition is not None and edition.media_type == PDF and unit.in_reading_order \
            and not _text_comes_back(edition, task.source.article, problems, task.release):
        edition = None
    return RenderOutcome(task.key, edition, problems, time.perf_counter() - started)


def _text_comes_back(edition, article: Article, problems: list[Problem], release: bool) -> bool:
    """Measure how much of the source text comes back out of a PDF; record it on the edition.
    In a release, a PDF below the target is refused."""
    from .check import extraction
    figures = extraction.measure(edition.files[edition.main], article, LANGUAGES[edition.lang])
    edition.text_fidelity = extraction.summary(figures)
    found = extraction.text_problems(figures, f"{edition.lang}/{edition.main}", release)
    problems.extend(found)
    return not any(p.is_error for p in found)


def load_and_check(project: Project, languages: list[str], report: BuildReport, *,
                   qa: bool = False, release: bool = False) -> dict:
    """Load and check every requested language; return those fit to render.

    ``qa`` adds the translation QA checks; ``release`` adds the review gate.
    """
    from .check import check_article, glossary_spelling_problems, verify_font_files
    from .check.qa import qa_problems, review_gate
    from .check.segmentation import word_break_notes
    from .check.templates import template_problems
    from .load import load_article
    from .load.glossary import load_glossary
    from .load.metadata import inherit_source_metadata
    from .load.spelling import load_spelling
    from .load.words import load_words
    from .render.i18n import load_translations, template_messages
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

    def keep(lang: str):
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

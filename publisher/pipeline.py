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
from .render import UNIT_NEEDS, VARIANTS, edition_keys, edition_languages, with_needs
from .render.workers import default_jobs, in_order, running_workers
from .write import EditionRecord, OutputUnavailable, output_folder

if TYPE_CHECKING:
    from .load.glossary import Glossary
    from .project import Project
    from .render.context import RenderInput
    from .render.formats import RenderedEdition

Progress = Callable[[str], None]
PDF = "application/pdf"


@dataclass
class BuildReport:
    problems: list[Problem] = field(default_factory=list)
    written: list[EditionRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)     # languages with errors: none of their editions built
    held_back: list[tuple[Key, str]] = field(default_factory=list)   # other editions not built, and why
    articles: dict[str, Article | None] = field(default_factory=dict)   # the English too, as the reference
    glossary: Glossary | None = None
    rendered: list[Key] = field(default_factory=list)     # the editions rendered, whatever came of it
    up_to_date: list[Key] = field(default_factory=list)   # asked for, and built already from the same inputs

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


def build(project: Project, languages: list[str], formats: list[str], output: Path,
          progress: Progress = lambda message: None, release: bool = False,
          variants: list[str] | tuple[str, ...] = VARIANTS, creep_mm: float = 0.0,
          base_url: str | None = None, jobs: int | None = None) -> BuildReport:
    """Build the editions of ``languages`` × ``formats`` × ``variants`` into ``output``.

    Only editions whose inputs changed since they were built are built again (a release
    builds and checks everything); only the languages they need are loaded and checked. A
    language with any error in its content is not rendered, and its existing editions stay
    as they were; the other languages are built. A release also runs the translation QA and
    refuses translations that are stale or not reviewed. An edition that carries others (the
    web page and its downloads) is built after them, and asks for them if they were not asked
    for. ``creep_mm`` is the creep compensation of the imposed booklet sheets; ``base_url``
    the address the site is published at (its links are relative without it); ``jobs`` how
    many editions render at once (default: one per core).
    """
    report = BuildReport()
    options = {"creep_mm": creep_mm, "base_url": base_url}
    wanted = with_needs(edition_keys(languages, formats, variants))
    fingerprints = Fingerprints(project, **options)
    inputs = {key: fingerprints.of(key) for key in wanted}
    todo = wanted if release else outdated(wanted, inputs, output)
    report.up_to_date = [key for key in wanted if key not in todo]
    if not wanted:
        progress("no edition has these languages, formats and variants "
                 "(a parallel edition, parallel-A-B, is built with its first language, A)")
        return report
    if not todo:
        progress(f"nothing to do: {len(wanted)} editions up to date")
        return report
    try:
        with running_workers(min(jobs or default_jobs(), len(todo))) as workers:
            languages_needed = list(dict.fromkeys(lang for key in todo for lang in edition_languages(key)))
            articles = load_and_check(project, languages_needed, report, qa=release, release=release)
            tasks = [RenderTask(key, source, options, release) for key in todo
                     if (source := edition_input(project, key, articles, report)) is not None]
            stages = ([t for t in tasks if not UNIT_NEEDS.get(t.key[1:])],
                      [t for t in tasks if UNIT_NEEDS.get(t.key[1:])])
            if tasks:
                with output_folder(output) as manifest:
                    done = 0
                    for stage in stages:
                        stage = [carried(task, output, manifest.entries, report) for task in stage]
                        for outcome in in_order(workers, render_edition, [t for t in stage if t]):
                            done += 1
                            report.rendered.append(outcome.key)
                            report.problems.extend(p for p in outcome.problems if p not in report.problems)
                            if outcome.edition is not None:
                                report.written.append(manifest.write_edition(outcome.edition, inputs[outcome.key]))
                                progress(f"[{done}/{len(tasks)}] {' '.join(outcome.key)} → "
                                         f"{report.written[-1].path} ({outcome.seconds:.1f} s)")
    except OutputUnavailable as refused:
        report.problems.append(refused.problem)
    return report


def carried(task: RenderTask, output: Path, listed: dict[Key, dict], report: BuildReport) -> RenderTask | None:
    """``task`` with the editions its unit carries, as the manifest now lists them (``listed``:
    built before, or just now); None, with a problem, when one of them could not be built."""
    lang = task.key[0]
    needs = UNIT_NEEDS.get(task.key[1:], ())
    if not needs:
        return task
    failed = set(report.rendered) - {record.key for record in report.written}
    editions = {}
    for need in needs:
        entry = listed.get((lang, *need)) if (lang, *need) not in failed else None
        if entry is None:
            report.problems.append(Problem(
                "RENDER-004", f"{lang}/", None,
                f"the {lang} {' '.join(task.key[1:])} edition carries the {' '.join(need)} "
                "edition, which was not built",
                "fix the problem reported for that edition, then build again"))
            return None
        editions[need] = (output / entry["path"]).read_bytes()
    return replace(task, source=replace(task.source, editions=editions))


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
    options: dict
    release: bool


@dataclass
class RenderOutcome:
    key: Key
    edition: RenderedEdition | None   # None: refused
    problems: list[Problem]
    seconds: float


def render_input(project: Project, article: Article, translations, keep, other_languages) -> RenderInput:
    """What a language's editions are rendered from, as :func:`load_and_check` readies it."""
    from .render.context import RenderInput
    return RenderInput(project, article, LANGUAGES[article.lang], translations, keep,
                       edition_time(article), other_languages=other_languages)


def edition_input(project: Project, key: Key, ready: dict, report: BuildReport) -> RenderInput | None:
    """What the edition ``key`` is rendered from: its language's checked article, and in a
    parallel edition its partner's too, their blocks paired as the alignment check pairs them.
    None when a language it is set in has errors (reported already)."""
    from .check.alignment import parallel_sections
    languages = edition_languages(key)
    unfit = [lang for lang in languages if lang not in ready]
    if unfit:
        if key[0] in ready:
            report.held_back.append((key, f"its {' and '.join(unfit)} text has errors"))
        return None
    sides = [render_input(project, *ready[lang]) for lang in languages]
    if len(sides) == 1:
        return sides[0]
    sections, problems = parallel_sections(report.articles[SOURCE_LANGUAGE],
                                           tuple(side.article for side in sides), LANGUAGES,
                                           report.glossary)
    if problems:
        report.problems.extend(problems)
        report.held_back.append((key, "its texts do not align"))
        return None
    return replace(sides[0], partner=sides[1], parallel=sections)


def render_edition(task: RenderTask) -> RenderOutcome:
    """Render one edition; a PDF's text is measured too (in a worker process, if there are)."""
    import time

    import jinja2

    from .render import edition_unit
    started = time.perf_counter()
    lang, fmt, variant = task.key
    unit = edition_unit((fmt, variant), **task.options)
    problems: list[Problem] = []
    try:
        edition = unit.render(task.source, problems)
    except jinja2.TemplateError as error:
        problems.append(Problem("RENDER-001", *_template_place(error, task.source.project.templates),
                                f"the {lang} {fmt} {variant} edition's template failed: {error}",
                                "fix the template (a name it uses may be misspelt)"))
        edition = None
    if edition is not None and edition.media_type == PDF and unit.in_reading_order \
            and not _text_comes_back(edition, task.source, problems, task.release,
                                     unit.text_columns(task.source)):
        edition = None
    return RenderOutcome(task.key, edition, problems, time.perf_counter() - started)


def _text_comes_back(edition, source: RenderInput, problems: list[Problem], release: bool,
                     columns: list[tuple[float, float]] | None = None) -> bool:
    """Measure how much of the source text — each text of a parallel edition, in its column —
    comes back out of a PDF; record it on the edition. In a release, a PDF below the target is
    refused."""
    from .check import extraction
    figures = extraction.measure_texts(edition.files[edition.main],
                                       [(side.article, side.language) for side in source.sides],
                                       columns=columns)
    edition.text_fidelity = extraction.summary(*figures)
    found = [problem for each in figures
             for problem in extraction.text_problems(each, f"{edition.lang}/{edition.main}", release)]
    problems.extend(found)
    return not any(p.is_error for p in found)


def load_and_check(project: Project, languages: list[str], report: BuildReport, *,
                   qa: bool = False, release: bool = False) -> dict:
    """Load and check every requested language; return those fit to render, each with what
    :func:`render_input` takes: its article, catalog, what its lines keep together and the
    words of its text in other languages.

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
    report.articles[SOURCE_LANGUAGE] = source   # the reference a parallel edition is paired through
    report.glossary = glossary
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
        ready[lang] = (article, translations, keep(lang), glossary.other_languages(lang))
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

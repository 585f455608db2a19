"""The archive deposit's flow: check that the build is complete and current, check the
archival PDFs again, then bag and pack every edition with the source (``build.py deposit``);
and verify a copy of a deposit (``build.py verify PATH``)."""
from __future__ import annotations

from .check.deposit import verify
from .check.pdfa import archival_problems
from .languages import LANGUAGES
from .pipeline import BuildReport, load_and_check, render_input
from .render.archival import ArchivalFormat, source_files
from .render.context import Project
from .write import OutputUnavailable, output_folder
from .write.deposit import Deposit, edition_problems, make_deposit

__all__ = ["deposit", "verify"]


def deposit(project: Project, report: BuildReport) -> Deposit | None:
    """Bag every edition in the project's output with the content they were made from.

    Nothing is made while the content has an error, an edition is missing or differs from the
    manifest, or an archival PDF fails its checks; the previous deposit then stays as it was.
    """
    output = project.output
    ready = load_and_check(project, list(LANGUAGES), report)
    report.problems.extend(edition_problems(output))
    if report.failed:
        return None
    try:
        with output_folder(output):   # no build changes the editions while they are bagged
            return _bag_checked_editions(project, output, ready, report)
    except OutputUnavailable as refused:
        report.problems.append(refused.problem)
        return None


def _bag_checked_editions(project: Project, output, ready: dict, report: BuildReport) -> Deposit | None:
    for lang in LANGUAGES:
        name = f"{lang}/{ArchivalFormat.filename}"
        sources = [shown for shown, _ in source_files(project.content, lang)]
        report.problems.extend(archival_problems((output / name).read_bytes(), name, sources))
    if report.failed:
        return None
    sources = {lang: render_input(project, *checked) for lang, checked in ready.items()}
    return make_deposit(project, output, sources)

"""The command line: ``python build.py [options]``, ``python build.py check`` and
``python build.py refresh``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .pipeline import build, check_everything
from .project import Project
from .problems import ERROR, NOTE, WARNING, BuildFailed
from .render import FORMATS, VARIANTS


# Each command imports what it needs when it runs: a build with nothing to do imports neither
# WeasyPrint nor pandoc.
COMMANDS = ("check", "refresh")


def _choices(value: str, known) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown: {', '.join(unknown)} (choose from {', '.join(known)})")
    return chosen


def _list_option(parser, flag: str, short: str, known, what: str) -> None:
    parser.add_argument(flag, short, type=lambda v: _choices(v, known), default=list(known),
                        metavar=what.upper(),
                        help=f"comma-separated {what} to build (default: all: {','.join(known)})")


def _folder_options(parser) -> None:
    """Every command reads one article's folder and writes into one output folder."""
    parser.add_argument("--content", "-c", type=Path, default=None, metavar="DIR",
                        help="the article's content folder (default: content/ in the project)")
    parser.add_argument("--output", "-o", type=Path, default=None, metavar="DIR",
                        help="where editions and reports go (default: output/ in the project)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the article's editions: PDF, EPUB and HTML in every language, "
                    "from content/ through templates/ into output/. Other commands: "
                    "`build.py check` (every check, with a report for translators) and "
                    "`build.py refresh` (record that a translation is up to date).",
        epilog="Problems are printed one per line as file:line: CODE message — what to do. "
               "The exit status is 1 when any error was found; a language with errors keeps "
               "its previous editions.")
    _list_option(p, "--lang", "-l", LANGUAGES, "languages")
    _list_option(p, "--format", "-f", FORMATS, "formats")
    _list_option(p, "--variant", "-V", VARIANTS, "variants")
    p.add_argument("--creep", type=float, default=0.0, metavar="MM",
                   help="creep compensation of the imposed booklet's sheets: how far (mm) the "
                        "innermost sheet's pages move towards the spine (default: 0)")
    p.add_argument("--release", action="store_true",
                   help="run the translation QA too, and refuse translations with a draft or "
                        "stale section")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="how many editions to render at once, each in its own process "
                        "(default: one per core; 1 renders in this process)")
    _folder_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only, no progress")
    return p


def check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py check",
        description="Run every check on every language: structure, alignment, script, fonts, "
                    "and translation QA (numbers, terms, untranslated text, brackets, length, "
                    "stale sections). Prints a table of sections × languages and one line per "
                    "problem; writes the same as JSON.")
    _folder_options(p)
    p.add_argument("--json", type=Path, default=None,
                   help="where to write the JSON report (default: check.json in the output folder)")
    return p


def refresh_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py refresh",
        description="Record in a translation's sections the fingerprint of the English they "
                    "now translate, after bringing them up to date.")
    p.add_argument("--lang", "-l", required=True,
                   choices=[lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
    p.add_argument("--section", "-s", action="append", metavar="ID",
                   help="a section id (repeatable; default: every section)")
    p.add_argument("--reviewed", action="store_true",
                   help="also mark the sections reviewed by a native editor")
    _folder_options(p)
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    root = root or Path(__file__).resolve().parent.parent
    command, parser = {"check": (_check, check_parser), "refresh": (_refresh, refresh_parser)}.get(
        argv[0] if argv else "", (_build, build_parser))
    if command is not _build:
        argv = argv[1:]
    args = parser().parse_args(argv)
    return command(Project(root, args.content, args.output), args)


def _build(project: Project, args) -> int:
    output = project.output
    progress = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr))
    report = build(project, args.lang, args.format, output, progress, release=args.release,
                   variants=args.variant, creep_mm=args.creep, jobs=args.jobs)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.skipped:
        print(f"not built: {', '.join(report.skipped)} (existing editions left as they were)",
              file=sys.stderr)
    return 1 if report.failed else 0


def _check(project: Project, args) -> int:
    from .report import pdf_text_rows, render_pdf_text_table, render_table, section_states, write_json
    report = check_everything(project)
    rows = section_states(report)
    pdf_text = pdf_text_rows(project.output)
    print(render_table(rows))
    print()
    print(render_pdf_text_table(pdf_text))
    print()
    for problem in sorted(report.problems, key=lambda p: p.severity == NOTE):
        print(problem)
    errors, warnings, notes = (sum(p.severity == s for p in report.problems) for s in (ERROR, WARNING, NOTE))
    print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
          + (f", {notes} note{'s' * (notes != 1)} for a native editor" if notes else ""))
    write_json(report, rows, args.json or project.output / "check.json", pdf_text)
    return 1 if errors else 0


def _refresh(project: Project, args) -> int:
    from .translations import refresh
    try:
        for line in refresh(project.content, args.lang, args.section, args.reviewed):
            print(line)
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"refresh: {error}", file=sys.stderr)
        return 2
    return 0

"""The command line: ``python build.py [options]``, ``python build.py check``,
``python build.py refresh``, ``python build.py export``, ``python build.py import`` and
``python build.py serve``."""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .pipeline import BuildReport, build, check_everything
from .project import Project
from .problems import ERROR, NOTE, WARNING, BuildFailed
from .render import FORMATS, VARIANTS


# Each command imports what it needs when it runs: a build with nothing to do imports neither
# WeasyPrint nor pandoc.
COMMANDS = ("check", "refresh", "export", "import", "deposit", "verify", "serve")


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


def _jobs_option(parser) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="how many editions to render at once, each in its own process "
                             "(default: one per core; 1 renders in this process)")


def _base_url(value: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) address such as "
                                         "https://example.org/commemoration/")
    return value if value.endswith("/") else value + "/"


def _base_url_option(parser) -> None:
    parser.add_argument("--base-url", type=_base_url, default=None, metavar="URL",
                        help="the address output/site/ is published at: the web pages' canonical "
                             "and alternate-language links and their card image are absolute "
                             "under it (default: relative links)")


def _translation_option(parser) -> None:
    parser.add_argument("--lang", "-l", required=True,
                        choices=[lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the article's editions: PDF, EPUB and HTML in every language, "
                    "from content/ through templates/ into output/. Other commands: "
                    "`build.py check` (every check, with a report for translators) and "
                    "`build.py refresh` (record that a translation is up to date), "
                    "`build.py export` and `build.py import` (a translation as PO or XLIFF for "
                    "translators' tools, and back), "
                    "`build.py deposit` (bag every edition with its source for an archive), "
                    "`build.py verify PATH` (check a copy of a deposit) and "
                    "`build.py serve` (the web pages on this machine, rebuilt and reloaded as "
                    "you edit).",
        epilog="Problems are printed one per line as file:line: CODE message — what to do. "
               "The exit status is 1 when any error was found; a language with errors keeps "
               "its previous editions.")
    _list_option(p, "--lang", "-l", LANGUAGES, "languages")
    _list_option(p, "--format", "-f", FORMATS, "formats")
    _list_option(p, "--variant", "-V", VARIANTS, "variants")
    p.add_argument("--creep", type=float, default=0.0, metavar="MM",
                   help="creep compensation of the imposed booklet's sheets: how far (mm) the "
                        "innermost sheet's pages move towards the spine (default: 0)")
    _base_url_option(p)
    p.add_argument("--release", action="store_true",
                   help="run the translation QA too, and refuse translations with a draft or "
                        "stale section")
    _jobs_option(p)
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
    _translation_option(p)
    p.add_argument("--section", "-s", action="append", metavar="ID",
                   help="a section id (repeatable; default: every section)")
    p.add_argument("--reviewed", action="store_true",
                   help="also mark the sections reviewed by a native editor")
    _folder_options(p)
    return p


def export_parser() -> argparse.ArgumentParser:
    from . import exchange
    p = argparse.ArgumentParser(
        prog="build.py export",
        description="Write a translation as PO, XLIFF 2.0 or XLIFF 1.2 for a translator's tool: one unit per "
                    "paragraph, heading, list item, caption and metadata text, the English as "
                    "source; units whose English changed are marked for review.")
    _translation_option(p)
    p.add_argument("--to", "-t", required=True, choices=list(exchange.SUFFIXES),
                   help="the file format")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="where to write it (default: exchange/<lang>.po, .xlf or .xliff12.xlf in the "
                        "output folder)")
    p.add_argument("--memory", type=Path, default=None, metavar="DIR",
                   help="another article's content folder whose reviewed translations fill "
                        "matching units (exact matches; close ones as suggestions to review)")
    p.add_argument("--previous", type=Path, default=None, metavar="FILE",
                   help="a file exported before the English changed: units whose English "
                        "changed show the English they were translated from")
    _folder_options(p)
    return p


def deposit_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py deposit",
        description="After a full build: bag every edition of every language and variant, the "
                    "content they were made from, the manifest and a Dublin Core record of "
                    "each language as a BagIt bag (SHA-256 and SHA-512 manifests) in "
                    "deposit/ of the output folder, and pack it as one tar file.")
    _folder_options(p)
    return p


def import_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py import",
        description="Write the translations of a PO or XLIFF file made by `build.py export` back "
                    "into the content, after every check has passed on the result; refresh the "
                    "sections it updates that it says were reviewed.")
    p.add_argument("file", type=Path, help="the .po or .xlf file")
    _folder_options(p)
    return p


def verify_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py verify",
        description="Check a deposit — a bag, its tar file, or a folder holding them — against "
                    "its checksums and its own rules (every file listed present, nothing extra, "
                    "every edition of its manifest, each archival PDF still PDF/A-3u with its "
                    "sources), one line per file that changed.")
    p.add_argument("path", type=Path, metavar="PATH", help="the bag, the .tar file or a folder holding them")
    return p


def serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py serve",
        description="Build the web pages (with the booklet and EPUB they offer), serve "
                    "output/site/ on this machine, and build again whenever the content, the "
                    "templates or the message catalogs change: only the editions they affect "
                    "are rebuilt, and the open pages reload. A build with errors keeps the last "
                    "good pages and shows its problems in the page and here. Ctrl-C stops.")
    _list_option(p, "--lang", "-l", LANGUAGES, "languages")
    p.add_argument("--port", "-p", type=int, default=8000,
                   help="the port to serve on (default: 8000; 0: any free port, printed)")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to serve on (default: 127.0.0.1, this machine only)")
    _jobs_option(p)
    _folder_options(p)
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    root = root or Path(__file__).resolve().parent.parent
    command, parser = {"check": (_check, check_parser), "refresh": (_refresh, refresh_parser),
                       "export": (_export, export_parser), "import": (_import, import_parser),
                       "deposit": (_deposit, deposit_parser), "verify": (_verify, verify_parser),
                       "serve": (_serve, serve_parser)}.get(
        argv[0] if argv else "", (_build, build_parser))
    if command is not _build:
        argv = argv[1:]
    args = parser().parse_args(argv)
    if command is _serve:   # Ctrl-C is how a preview ends: it stops cleanly by itself
        return _serve(Project(root, args.content, args.output), args)
    try:
        with _stopped_by_signals():
            if command is _verify:
                return _verify(args)
            return command(Project(root, args.content, args.output), args)
    except Stopped as stop:
        print(f"stopped by {stop.signal.name}" + (
            ": the editions written before it are in place and in the manifest, the others are "
            "as they were" if command is _build else ""), file=sys.stderr)
        return 128 + stop.signal


class Stopped(BaseException):
    """SIGINT or SIGTERM arrived: the command stops where it is, each file it was writing left
    as it was (see publisher/write), and says so in one line rather than a traceback."""

    def __init__(self, number: int):
        super().__init__(number)
        self.signal = signal.Signals(number)


@contextmanager
def _stopped_by_signals():
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(number, frame):
        raise Stopped(number)
    before = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _build(project: Project, args) -> int:
    output = project.output
    progress = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr))
    report = build(project, args.lang, args.format, output, progress, release=args.release,
                   variants=args.variant, creep_mm=args.creep, base_url=args.base_url,
                   jobs=args.jobs)
    for line in _report_lines(report):
        print(line, file=sys.stderr)
    return 1 if report.failed else 0


def _report_lines(report: BuildReport) -> list[str]:
    """A build's problems, one per line, and the languages it left as they were."""
    lines = [str(problem) for problem in report.problems]
    if report.skipped:
        lines.append(f"not built: {', '.join(report.skipped)} (existing editions left as they were)")
    for key, reason in report.held_back:
        lines.append(f"not built: the {' '.join(key)} edition, as {reason} (an existing one is left as it was)")
    return lines


def _serve(project: Project, args) -> int:
    from .preview import BuildOutcome, serve
    from .render.html import SITE

    def rebuild() -> BuildOutcome:
        report = build(project, args.lang, ["html"], project.output,
                       lambda message: print(message, file=sys.stderr), jobs=args.jobs)
        lines = _report_lines(report)
        for line in lines:
            print(line, file=sys.stderr)
        return BuildOutcome(wrote=bool(report.written), failed=report.failed, problems=lines)

    return serve(project.output / SITE, [project.content, project.templates], [project.output],
                 rebuild, args.host, args.port)


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


def _export(project: Project, args) -> int:
    from . import exchange
    path = args.out or exchange.default_path(project.output, args.lang, args.to)
    try:
        count = exchange.export(project.content, args.lang, args.to, path, args.memory, args.previous)
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    print(f"{path}: {count} units")
    return 0


def _import(project: Project, args) -> int:
    from . import exchange
    try:
        for line in exchange.import_translation(project, args.file):
            print(line)
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        print(f"nothing imported from {args.file}", file=sys.stderr)
        return 1
    return 0


def _deposit(project: Project, args) -> int:
    from .archive import deposit   # bagit and pikepdf are loaded only for the archive
    report = BuildReport()
    made = deposit(project, report)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if made is None:
        print("no deposit made (the previous one, if any, is left as it was)", file=sys.stderr)
        return 1
    print(f"{made.bag}\n{made.packed}")
    return 0


def _verify(args) -> int:
    from .archive import verify
    problems = verify(args.path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} file{'s' * (len(problems) != 1)} changed, missing or added", file=sys.stderr)
        return 1
    print(f"{args.path}: every file matches its checksums; the archival PDFs are PDF/A-3u with their sources")
    return 0

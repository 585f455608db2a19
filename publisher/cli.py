"""The command line: ``python build.py [options]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .languages import LANGUAGES
from .pipeline import build
from .render import FORMATS
from .render.context import Project


def _choices(value: str, known) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown: {', '.join(unknown)} (choose from {', '.join(known)})")
    return chosen


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the article's editions: PDF, EPUB and HTML in every language, "
                    "from content/ through templates/ into output/.",
        epilog="Problems are printed one per line as file:line: CODE message — what to do. "
               "The exit status is 1 when any error was found; a language with errors keeps "
               "its previous editions.")
    p.add_argument("--lang", "-l", type=lambda v: _choices(v, LANGUAGES), default=list(LANGUAGES),
                   metavar="LANGS", help=f"comma-separated languages to build (default: all: "
                                         f"{','.join(LANGUAGES)})")
    p.add_argument("--format", "-f", type=lambda v: _choices(v, FORMATS), default=list(FORMATS),
                   metavar="FORMATS", help=f"comma-separated formats to build (default: all: "
                                           f"{','.join(FORMATS)})")
    p.add_argument("--output", "-o", type=Path, default=None,
                   help="where editions go (default: output/ in the project)")
    p.add_argument("--quiet", "-q", action="store_true", help="print problems only, no progress")
    return p


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project((root or Path(__file__).resolve().parent.parent))
    output = args.output or project.root / "output"
    progress = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr))
    report = build(project, args.lang, args.format, output, progress)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.skipped:
        print(f"not built: {', '.join(report.skipped)} (existing editions left as they were)",
              file=sys.stderr)
    return 1 if report.failed else 0

"""Templates: every one parses, so that a typing mistake in a template is a message with its
file and line, not a traceback in the middle of a build."""
from __future__ import annotations

from pathlib import Path

import jinja2

from ..problems import Problem

TEMPLATE_SUFFIXES = (".html", ".css")


def template_problems(templates: Path) -> list[Problem]:
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    problems = []
    for path in sorted(templates.rglob("*")):
        if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
            continue
        name = path.relative_to(templates).as_posix()
        try:
            environment.parse(path.read_text(encoding="utf-8"), name=name)
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem("RENDER-003", f"templates/{name}", error.lineno,
                                    f"template syntax error: {error.message}",
                                    "close every {% … %} block and {{ … }} expression it opens"))
        except UnicodeDecodeError:
            problems.append(Problem("RENDER-003", f"templates/{name}", None,
                                    "the template is not UTF-8 text", "save it as UTF-8"))
    return problems

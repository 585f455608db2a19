"""The translators' report: a table of sections × languages, then one line per problem."""
from __future__ import annotations

import json
from pathlib import Path

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .pipeline import BuildReport
from .problems import ERROR
from .write import write_atomically

STALE = ("STALE-001", "STALE-002")


def section_states(report: BuildReport) -> dict[str, dict[str, str]]:
    """For every section and language: "ok", "source", "stale", "draft", "N problems" or a mix."""
    source = report.articles.get(SOURCE_LANGUAGE)
    rows: dict[str, dict[str, str]] = {}
    ids = [s.id for s in source.sections] if source else []
    for lang in LANGUAGES:
        article = report.articles.get(lang)
        sections = {s.id: s for s in article.sections} if article else {}
        for section_id in ids:
            section = sections.get(section_id)
            if article is None:
                state = "not loaded"
            elif section is None:
                state = "missing"
            else:
                mine = [p for p in report.problems if str(p.file) == str(section.where.file)]
                parts = []
                if lang == SOURCE_LANGUAGE:
                    parts.append("source")
                if any(p.code in STALE for p in mine):
                    parts.append("stale")
                if lang != SOURCE_LANGUAGE and section.status != "reviewed":
                    parts.append("draft")
                others = [p for p in mine if p.code not in STALE]
                if others:
                    parts.append(f"{len(others)} problem{'s' if len(others) > 1 else ''}")
                state = ", ".join(parts) or "ok"
            rows.setdefault(section_id, {})[lang] = state
    return rows


def render_table(rows: dict[str, dict[str, str]]) -> str:
    langs = list(LANGUAGES)
    width = max([len("section")] + [len(r) for r in rows])
    cells = {lang: max([len(lang)] + [len(rows[r][lang]) for r in rows]) for lang in langs}
    lines = ["  ".join(["section".ljust(width)] + [lang.ljust(cells[lang]) for lang in langs])]
    lines.append("  ".join(["-" * width] + ["-" * cells[lang] for lang in langs]))
    for section_id, states in rows.items():
        lines.append("  ".join([section_id.ljust(width)] + [states[lang].ljust(cells[lang]) for lang in langs]))
    return "\n".join(line.rstrip() for line in lines)


def write_json(report: BuildReport, rows, path: Path) -> None:
    data = {
        "sections": rows,
        "errors": sum(p.severity == ERROR for p in report.problems),
        "warnings": sum(p.severity != ERROR for p in report.problems),
        "problems": [p.as_dict() for p in report.problems],
    }
    write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

"""The translators' report: a table of sections × languages, then one line per problem."""
from __future__ import annotations

import json
from pathlib import Path

from .languages import LANGUAGES, SOURCE_LANGUAGE
from .pipeline import BuildReport
from .problems import ERROR, NOTE, WARNING
from .check.extraction import ENGINES, TARGET
from .write import MANIFEST, write_atomically

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
                others = [p for p in mine if p.code not in STALE and p.severity != NOTE]
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


def pdf_text_rows(output: Path) -> list[dict]:
    """Each PDF edition of the last build with how much of its source text comes back."""
    path = output / MANIFEST
    if not path.is_file():
        return []
    editions = json.loads(path.read_text(encoding="utf-8")).get("editions", [])
    return [{"path": e["path"], "variant": e["variant"], **e["text_fidelity"]}
            for e in editions if e.get("text_fidelity")]


def render_pdf_text_table(rows: list[dict]) -> str:
    if not rows:
        return "PDF text: no PDF built yet (run `python build.py`) — nothing measured"
    engines = [e for e in ENGINES if any(e in row for row in rows)]
    width = max(len("PDF edition"), *(len(row["path"]) for row in rows))
    lines = [f"{'PDF edition'.ljust(width)}  " + "  ".join(e.ljust(7) for e in engines),
             f"{'-' * width}  " + "  ".join("-" * 7 for _ in engines)]
    for row in rows:
        cells = [f"{row[e]:.4f}".ljust(7) if e in row else "-".ljust(7) for e in engines]
        flag = "" if row.get("poppler", 0) >= TARGET else f"  below {TARGET}"
        lines.append(f"{row['path'].ljust(width)}  " + "  ".join(cells) + flag)
    return ("Share of the source text that comes back from each PDF (target "
            f"{TARGET} with poppler):\n" + "\n".join(line.rstrip() for line in lines))


def write_json(report: BuildReport, rows, path: Path, pdf_text: list[dict] | None = None) -> None:
    data = {
        "sections": rows,
        "pdf_text": pdf_text or [],
        "errors": sum(p.severity == ERROR for p in report.problems),
        "warnings": sum(p.severity == WARNING for p in report.problems),
        "notes": sum(p.severity == NOTE for p in report.problems),
        "problems": [p.as_dict() for p in report.problems],
    }
    write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

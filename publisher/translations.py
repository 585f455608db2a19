"""Keeping translations' records: the fingerprint of the English each section translates."""
from __future__ import annotations

import re
from pathlib import Path

from .check.stale import block_fingerprints, fingerprint
from .languages import SOURCE_LANGUAGE
from .load import load_article
from .load.files import display_path
from .load.markdown import FRONT_MATTER
from .problems import BuildFailed


def refresh(content: Path, lang: str, section_ids: list[str] | None, reviewed: bool) -> list[str]:
    """Record the current English fingerprint in the translation's sections (after a translator
    has brought them up to date); with ``reviewed``, mark them reviewed as well."""
    source, problems = load_article(content, SOURCE_LANGUAGE, SOURCE_LANGUAGE)
    target, target_problems = load_article(content, lang, SOURCE_LANGUAGE)
    if source is None or target is None:
        raise BuildFailed(problems + target_problems)
    english = {s.id: s for s in source.sections}
    chosen = [s for s in target.sections if section_ids is None or s.id in section_ids]
    unknown = set(section_ids or ()) - {s.id for s in chosen}
    if unknown:
        raise ValueError(f"no section {', '.join(sorted(unknown))} in {display_path(content / lang)}/")
    done = []
    for section in chosen:
        if section.id not in english:
            continue
        path = content / lang / section.where.file.name
        fields = {"source-fingerprint": fingerprint(english[section.id]),
                  "source-blocks": block_fingerprints(english[section.id])}
        if reviewed:
            fields["status"] = "reviewed"
        path.write_text(_set_front_matter(path.read_text(encoding="utf-8"), fields), encoding="utf-8")
        done.append(f"{section.where.file}: source-fingerprint {fields['source-fingerprint']}"
                    + (", status reviewed" if reviewed else ""))
    return done


def _set_front_matter(text: str, fields: dict[str, str]) -> str:
    match = FRONT_MATTER.match(text)
    lines = match.group(1).split("\n") if match.group(1) else []
    for key, value in fields.items():
        pattern = re.compile(rf"^{re.escape(key)}:")
        for i, line in enumerate(lines):
            if pattern.match(line):
                lines[i] = f"{key}: {value}"
                break
        else:
            lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(line for line in lines if line) + "\n---\n" + text[match.end():]

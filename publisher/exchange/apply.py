"""Importing a translator's file: check every unit, then every check on the result, then write.

Only units whose translation changed touch the content, and only their own lines (or their
own YAML value): front matter, ids, figure attributes and quotation markers stay as they are,
so a file imported unchanged leaves the content byte for byte as it was.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..languages import LANGUAGES, SOURCE_LANGUAGE
from ..load.files import display_path
from ..pipeline import BuildReport, load_and_check
from ..problems import BuildFailed, Problem
from ..render.context import Project
from ..translations import refresh
from ..write import write_atomically
from .catalog import Catalog, Unit, load_catalog
from .formats import READERS, ReceivedFile, UnreadableFile, format_of
from .units import tag_problem, tagged_to_markdown

# Checks that an import is expected to leave failing: the translator updates stale sections,
# and only `refresh` records them as current.
LEFT_TO_REFRESH = ("STALE-001", "STALE-002")
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
PREFIX = re.compile(r"^((?:>\s?)*(?:\s*(?:[-*+]|\d+[.)])\s+)?)")
HEADING = re.compile(r"^(#+\s+)(.*?)(\s*\{#[^}]*\}\s*)$")
ALT = re.compile(r'alt="(?:[^"\\]|\\.)*"')


@dataclass
class Change:
    unit: Unit
    markdown: str
    line: int | None          # the unit's line in the translator's file
    new_line: int | None = None   # where its text stands in the edited section file


def import_translation(project: Project, path: Path) -> list[str]:
    """Write the translations of ``path`` into the content; return what was done.

    Raises BuildFailed with one problem per fault, having written nothing.
    """
    shown = display_path(path)
    try:
        received = READERS[format_of(path)](path)
    except UnreadableFile as error:
        raise BuildFailed([Problem("XCHG-006", shown, None, f"cannot read the file: {error}",
                                   "import a .po or .xlf file exported by `build.py export`")])
    lang = received.lang
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        raise BuildFailed([Problem("XCHG-006", shown, None, f"the file's language is {lang!r}",
                                   "set its language (PO: Language header; XLIFF: trgLang) to one of "
                                   + ", ".join(code for code in LANGUAGES if code != SOURCE_LANGUAGE))])
    catalog = load_catalog(project.content, lang)
    changes, problems = _changes(catalog, received, shown)
    current = {unit.id: unit.target.text for unit in catalog.units}
    held = [item.id for item in received.units
            if item.needs_review and item.id in current and item.target != current[item.id]]
    if problems:
        raise BuildFailed(problems)
    files = _edited_files(project.content, lang, changes)
    problems = _check_edited(project, lang, files, changes, shown)
    if problems:
        raise BuildFailed(problems)
    done = []
    for file, text in files.items():
        write_atomically(file, text.encode("utf-8"))
        done.append(f"{display_path(file)}: {sum(c.unit.where.file.name == file.name for c in changes)} "
                    "unit(s) updated")
    sections = _sections_to_refresh(catalog, received, changes)
    if sections:
        done.extend(refresh(project.content, lang, sections, reviewed=True))
    if held:
        done.append(f"not imported, still marked for review (fuzzy): {', '.join(held)}")
    if not done:
        done.append("no translation changed")
    return done


def _changes(catalog: Catalog, received: ReceivedFile, shown: Path) -> tuple[list[Change], list[Problem]]:
    problems: list[Problem] = []
    known = {unit.id: unit for unit in catalog.units}
    seen: dict[str, int | None] = {}
    changes = []
    for item in received.units:
        unit = known.get(item.id)
        if item.id in seen:
            problems.append(Problem("XCHG-003", shown, item.line,
                                    f"unit {item.id!r} is in the file twice (first at line {seen[item.id]})",
                                    "keep one of them"))
            continue
        seen[item.id] = item.line
        if unit is None:
            problems.append(Problem("XCHG-001", shown, item.line,
                                    f"unit {item.id!r} is not a text of the article",
                                    "export the file again from the current content and carry the "
                                    "translations over"))
            continue
        if item.source != unit.source.text:
            problems.append(Problem("XCHG-004", shown, item.line,
                                    f"the English of unit {item.id!r} is not the current English",
                                    "export the file again; the English changed since this one was made",
                                    unit.source.text, item.source))
            continue
        if item.target == unit.target.text or item.needs_review:
            continue     # a text still marked for review (fuzzy) is not used, as gettext does
        if not item.target.strip():
            problems.append(Problem("XCHG-007", shown, item.line, f"unit {item.id!r} has no translation",
                                    "translate it, or leave the translation it had"))
            continue
        broken = tag_problem(item.target, item.source)
        if broken:
            problems.append(Problem("XCHG-005", shown, item.line,
                                    f"the tags of unit {item.id!r} do not match the English: {broken}",
                                    "keep every <tag>…</tag> of the English once, in the same nesting",
                                    item.source, item.target))
            continue
        if unit.section is not None and unit.leaf is None:
            problems.append(Problem("XCHG-007", shown, item.line,
                                    f"the translation has no block for unit {item.id!r}",
                                    f"add the block to {unit.where.file} in the English order, then import"))
            continue
        if unit.section is None and not unit.target.text:
            problems.append(Problem("XCHG-007", shown, item.line,
                                    f"{unit.where.file} has no field for unit {item.id!r}",
                                    f"add `{'.'.join(map(str, unit.yaml_keys))}` to it, then import"))
            continue
        nodes = {**unit.source.nodes, **unit.target.nodes}
        is_alt = unit.leaf is not None and unit.leaf.kind == "alt"
        changes.append(Change(unit, item.target if is_alt else tagged_to_markdown(item.target, nodes),
                              item.line))
    for unit in catalog.units:
        if unit.id not in seen:
            problems.append(Problem("XCHG-002", shown, None, f"unit {unit.id!r} is missing from the file",
                                    "export the file again, or put the unit back"))
    return changes, problems


def _edited_files(content: Path, lang: str, changes: list[Change]) -> dict[Path, str]:
    """The new text of every file a change touches, keyed by its path in ``content``."""
    folder = content / lang
    by_file: dict[Path, list[Change]] = {}
    for change in changes:
        by_file.setdefault(folder / Path(change.unit.where.file).name, []).append(change)
    edited = {}
    for file, file_changes in by_file.items():
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".md":
            edited[file] = _edit_section(text, file_changes)
        else:
            edited[file] = _edit_yaml(text, file_changes)
    return edited


def _edit_section(text: str, changes: list[Change]) -> str:
    lines = text.split("\n")
    spans = []
    for change in changes:
        leaf = change.unit.leaf
        start = leaf.where.line - 1
        if leaf.kind == "heading":
            match = HEADING.match(lines[start])
            spans.append((start, start + 1, [match.group(1) + change.markdown + match.group(3)], change))
        elif leaf.kind == "alt":
            value = change.markdown.replace("\\", "\\\\").replace('"', '\\"')
            spans.append((start, start + 1, [ALT.sub(lambda _: f'alt="{value}"', lines[start], count=1)],
                          change))
        else:
            while leaf.kind in ("caption", "note") and not lines[start].strip():
                start += 1      # a blank line after the ::: line
            end = _paragraph_end(lines, start)
            prefix = PREFIX.match(lines[start]).group(1)
            spans.append((start, end, [prefix + change.markdown], change))
    shift = 0
    for start, end, new, change in sorted(spans, key=lambda span: span[0]):
        lines[start + shift:end + shift] = new
        change.new_line = start + shift + 1
        shift += len(new) - (end - start)
    return "\n".join(lines)


def _paragraph_end(lines: list[str], start: int) -> int:
    quoted = lines[start].lstrip().startswith(">")
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if (not line.strip() or line.lstrip().startswith((":::", "#")) or LIST_MARKER.match(line)
                or (quoted and not line.lstrip(">").strip())):
            break
        end += 1
    return end


def _edit_yaml(text: str, changes: list[Change]) -> str:
    """Replace each changed value in article.yaml by a folded block scalar, nothing else."""
    spans = []
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for change in changes:
        node = _yaml_node(root, change.unit.yaml_keys)
        start, end = node.start_mark.index, node.end_mark.index
        line_start = text.rfind("\n", 0, start) + 1
        indent = len(text[line_start:start]) - len(text[line_start:start].lstrip()) + 2
        trailing = re.search(r"\s*\Z", text[start:end]).group()
        wrapped = textwrap.wrap(change.markdown, width=max(40, 80 - indent), break_long_words=False,
                                break_on_hyphens=False)
        spans.append((start, end, ">-\n" + "\n".join(" " * indent + line for line in wrapped) + trailing))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    data = yaml.safe_load(text)
    for change in changes:
        value = data
        for key in change.unit.yaml_keys:
            value = value[key]
        if value != change.markdown:
            raise ValueError(f"could not write {change.unit.id} into the YAML file")
    return text


def _yaml_node(root, keys):
    node = root
    for key in keys:
        if isinstance(key, int):
            node = node.value[key]
        else:
            node = next(value for name, value in node.value if name.value == key)
    return node


def _check_edited(project: Project, lang: str, files: dict[Path, str], changes: list[Change],
                  shown: Path) -> list[Problem]:
    """Every check, on a copy of the content with the edited files; problems in a changed unit
    point at the unit in the translator's file."""
    if not files:
        return []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(project.content, copy)
        for file, text in files.items():
            (copy / lang / file.name).write_text(text, encoding="utf-8")
        report = BuildReport()
        load_and_check(Project(project.root, copy, Path(scratch) / "output"), [lang], report, qa=True)
        unit_lines = _unit_lines(changes)
        real, shown_copy = str(display_path(project.content)), str(display_path(copy))
        problems = []
        for problem in report.problems:
            if not problem.is_error or problem.code in LEFT_TO_REFRESH:
                continue
            problem = replace(problem, message=problem.message.replace(shown_copy, real),
                              hint=problem.hint.replace(shown_copy, real))
            path = Path(str(problem.file))
            in_copy = str(path).startswith(shown_copy) and path.parent.name == lang
            located = unit_lines.get((path.name, problem.line)) if in_copy else None
            if located is not None:
                unit, line = located
                problems.append(replace(problem, file=shown, line=line,
                                        message=f"unit {unit}: {problem.message}"))
            else:
                problems.append(replace(problem, file=str(problem.file).replace(shown_copy, real)))
        return problems


def _unit_lines(changes: list[Change]) -> dict:
    """(file name, line in the edited file) → (unit id, line in the translator's file)."""
    return {(Path(c.unit.where.file).name, c.new_line): (c.unit.id, c.line)
            for c in changes if c.new_line is not None}


def _sections_to_refresh(catalog: Catalog, received: ReceivedFile, changes: list[Change]) -> list[str]:
    """Sections the file updates (a changed text, or a stale unit accepted as it is), which it
    says a native editor has reviewed and in which it leaves no unit needing review."""
    needs_review = {item.id for item in received.units if item.needs_review}
    by_id = {unit.id: unit for unit in catalog.units}
    updated = {change.unit.section for change in changes if change.unit.section}
    updated |= {by_id[item.id].section for item in received.units
                if item.id in by_id and by_id[item.id].stale and not item.needs_review}
    sections = []
    for section in catalog.source.sections:
        units = [u for u in catalog.units if u.section == section.id]
        if (section.id in updated and section.id in received.reviewed_sections
                and not any(u.id in needs_review for u in units)):
            sections.append(section.id)
    return sections

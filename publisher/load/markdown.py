"""Section files: YAML front matter, then a CommonMark body parsed by pandoc into blocks."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pypandoc

from ..model import (QUOTE_ORIGINS, Emphasis, Figure, Gap, Heading, Link, ListBlock, Paragraph,
                     Quotation, Quote, Section, Strong, Text, Where)
from ..problems import Problem
from .files import display_path, parse_yaml, read_text

# CommonMark with pandoc's attributes, fenced divs and smart quotes; no raw HTML, no automatic
# heading ids (every heading carries an explicit, stable one), source positions for messages.
PANDOC_FORMAT = ("commonmark_x-gfm_auto_identifiers-raw_html-raw_attribute-emoji"
                 "-tex_math_dollars-yaml_metadata_block-implicit_header_references+sourcepos")
FRONT_MATTER = re.compile(r"\A---\n(.*?)^---\n", re.S | re.M)
POSITION = re.compile(r"(\d+):\d+-")
TYPOGRAPHIC_QUOTES = "“”„«»‹›「」"
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
IMAGES = "images"
LINK_ADDRESS = re.compile(r"(?:https?://[^\s/]|mailto:[^\s@]+@)", re.I)
SECTION_FENCE = ":" * 40            # longer than any fence a section writes
SECTION_DIV = "pipeline-section-"
LINK_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)


def load_section(path: Path, problems: list[Problem]) -> Section | None:
    return load_sections([path], problems)[0]


@dataclass
class _SectionFile:
    path: Path
    shown: Path
    text: str
    body_offset: int         # lines before the body (the front matter)
    front: dict
    body: str


def load_sections(paths: list[Path], problems: list[Problem]) -> list[Section | None]:
    """Section files, their bodies parsed by one pandoc run (a run costs more than the
    parsing); a file that cannot be read gives None."""
    files = [_read_front(path, problems) for path in paths]
    readable = [f for f in files if f is not None]
    asts = _parse_together(readable)
    sections = {}
    for file in readable:
        blocks, first_line = asts[id(file)]
        reader = _BlockReader(file.shown, file.body_offset - (first_line - 1), problems,
                              file.text.split("\n"), file.path.parent.parent / IMAGES)
        sections[id(file)] = Section(
            id=file.front["id"], blocks=tuple(reader.blocks(blocks)), where=Where(file.shown, 1),
            status=file.front.get("status"), source_fingerprint=file.front.get("source-fingerprint"),
            source_blocks=file.front.get("source-blocks"))
    return [sections.get(id(f)) if f is not None else None for f in files]


def _read_front(path: Path, problems: list[Problem]) -> _SectionFile | None:
    shown = display_path(path)
    text = read_text(path, problems)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.append(Problem("LOAD-003", shown, 1, "no front matter",
                                "start the file with `---`, an `id: …` line and `---`"))
        return None
    front = parse_yaml(match.group(1), shown, 2, problems)
    if front is None:
        return None
    section_id = front.data.get("id")
    if not isinstance(section_id, str) or not section_id.strip():
        problems.append(Problem("LOAD-004", shown, front.line("id") if "id" in front.data else 1,
                                "the section has no id",
                                "add `id: some-stable-name` to the front matter"))
        return None
    status = front.data.get("status")
    if status is not None and status not in ("draft", "reviewed"):
        problems.append(Problem("LOAD-008", shown, front.line("status"),
                                f"status {status!r} is neither 'draft' nor 'reviewed'",
                                "write `status: draft` or `status: reviewed`"))
    for key in ("source-fingerprint", "source-blocks"):
        value = front.data.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(Problem("LOAD-008", shown, front.line(key),
                                    f"{key} must be a text, found {type(value).__name__}",
                                    f"remove the {key} line and let `build.py refresh` write it"))
    return _SectionFile(path, shown, text, text[: match.end()].count("\n"), front.data,
                        text[match.end():])


def _pandoc(markdown: str) -> list:
    return json.loads(pypandoc.convert_text(markdown, "json", format=PANDOC_FORMAT,
                                            extra_args=["--sandbox"]))["blocks"]


def _parse_together(files: list[_SectionFile]) -> dict[int, tuple[list, int]]:
    """Each file's body as pandoc blocks, with the line of the parsed text its body starts on.

    The bodies go to pandoc as one document, each inside a fenced div of its own, and come
    back split at those divs. Where that could change how a body reads — a body that defines
    link references, or one whose div does not come back whole — each body is parsed alone.
    """
    if len(files) > 1 and not any(LINK_REFERENCE.search(f.body) for f in files):
        parts, first_lines, line = [], [], 1
        for number, file in enumerate(files):
            parts.append(f"{SECTION_FENCE} {{#{SECTION_DIV}{number}}}\n{file.body}\n\n{SECTION_FENCE}\n\n")
            first_lines.append(line + 1)
            line += parts[-1].count("\n")
        blocks = _pandoc("".join(parts))
        ids = [b["c"][0][0] if b["t"] == "Div" else None for b in blocks]
        if ids == [f"{SECTION_DIV}{n}" for n in range(len(files))]:
            return {id(f): (b["c"][1], first) for f, b, first in zip(files, blocks, first_lines)}
    return {id(f): (_pandoc(f.body), 1) for f in files}


def parse_texts(texts: list[tuple[str, int]], shown: Path, problems: list[Problem]) -> list[tuple] | None:
    """Short texts (the metadata's), each one paragraph, parsed as inline Markdown like the
    body, so that their quotations too get each language's marks. ``texts`` pairs each text
    with the line it stands on, for messages."""
    document = "\n\n".join(" ".join(text.split()) for text, _ in texts)
    ast = json.loads(pypandoc.convert_text(document, "json", format=PANDOC_FORMAT,
                                           extra_args=["--sandbox"]))
    found: list[Problem] = []
    reader = _BlockReader(shown, 0, found, document.split("\n"), Path("."))
    blocks = list(reader.blocks(ast["blocks"]))
    lines = {2 * i + 1: line for i, (_, line) in enumerate(texts)}
    problems.extend(replace(p, line=lines.get(p.line, p.line)) for p in found)
    if len(blocks) != len(texts) or any(not isinstance(b, Paragraph) for b in blocks):
        problems.append(Problem("LOAD-006", shown, texts[0][1] if texts else None,
                                "a metadata text is not plain running text",
                                "write each metadata text as one paragraph, without list or heading marks"))
        return None
    return [b.inlines for b in blocks]


class _BlockReader:
    """Turns pandoc's JSON AST into model blocks, reporting what the model does not know."""

    def __init__(self, shown: Path, offset: int, problems: list[Problem], lines: list[str],
                 images: Path):
        self.shown, self.offset, self.problems, self.lines = shown, offset, problems, lines
        self.images = images
        self.quote_lines: set[int] = set()

    def where(self, attrs, fallback: int) -> Where:
        for key, value in attrs[2]:
            if key == "data-pos":
                match = POSITION.search(value)
                if match:
                    return Where(self.shown, self.offset + int(match.group(1)))
        return Where(self.shown, fallback)

    def problem(self, code, line, message, hint):
        problem = Problem(code, self.shown, line, message, hint)
        if problem not in self.problems:
            self.problems.append(problem)

    def blocks(self, nodes, line: int = 0):
        for node in nodes:
            kind, content = node["t"], node.get("c")
            if kind == "Div":
                attrs, children = content
                where = self.where(attrs, line)
                if ("wrapper", "1") in [tuple(kv) for kv in attrs[2]]:
                    yield from self.blocks(children, where.line)
                else:
                    block = self.div(attrs, children, where)
                    if block is not None:
                        yield block
            elif kind == "Header":
                level, attrs, inlines = content
                where = self.where(attrs, line)
                if not attrs[0]:
                    self.problem("LOAD-004", where.line, "heading has no id",
                                 "end the heading line with an id, such as `{#background}`")
                yield Heading(level, attrs[0], self.inlines(inlines, where.line), where)
            elif kind in ("Para", "Plain"):
                yield Paragraph(self.inlines(content, line), Where(self.shown, line))
            elif kind == "BlockQuote":
                yield Quotation(tuple(self.blocks(content, line)), Where(self.shown, line))
            elif kind in ("BulletList", "OrderedList"):
                items = content if kind == "BulletList" else content[1]
                yield ListBlock(kind == "OrderedList",
                                tuple(tuple(self.blocks(item, line)) for item in items),
                                Where(self.shown, line))
            elif kind == "RawBlock":
                self.raw_html(line)
            else:
                self.problem("LOAD-006", line, f"unknown block type ({kind})",
                             "use headings, paragraphs, > quotations, lists, "
                             "::: figure or ::: gap")

    def raw_html(self, line: int):
        self.problem("LOAD-007", line, "raw HTML is not allowed in the text",
                     "write the text without tags: \"quotations\", *emphasis*, **strong** and "
                     "[links](https://…) are what the editions support")

    def origin(self, pairs: dict, line: int) -> tuple[str, str] | None:
        """A quotation's ``origin`` and ``source`` attributes, or None if they are malformed."""
        origin, source = pairs.get("origin"), pairs.get("source", "").strip()
        unknown = sorted(set(pairs) - {"origin", "source"})
        hint = ('write {.quote origin=translated}, {.quote origin=phrase} or '
                '{.quote origin=original source="where the original wording was published"}')
        if origin not in QUOTE_ORIGINS:
            self.problem("LOAD-011", line, f"quotation origin {origin!r} is not one of "
                         f"{', '.join(QUOTE_ORIGINS)}", hint)
        elif unknown:
            self.problem("LOAD-011", line, f"unknown quotation attribute {unknown[0]!r}", hint)
        elif (origin == "original") != bool(source):
            self.problem("LOAD-011", line, "origin=original needs a source=\"…\""
                         if origin == "original" else f"origin={origin} takes no source", hint)
        else:
            return origin, source
        return None

    def div(self, attrs, children, where: Where):
        identifier, classes, pairs = attrs
        pairs = {k: v for k, v in pairs if k != "data-pos"}
        if classes == ["quote"]:
            inner = list(self.blocks(children, where.line))
            marked = self.origin(pairs, where.line)
            if len(inner) != 1 or not isinstance(inner[0], Quotation):
                self.problem("LOAD-011", where.line, "a ::: quote block holds one > quotation",
                             "put only the > quotation inside the ::: block")
                return None
            if marked is None:
                return None
            return Quotation(inner[0].blocks, inner[0].where, *marked)
        if classes not in (["figure"], ["gap"]):
            self.problem("LOAD-006", where.line, f"unknown block type ::: {' '.join(classes) or '(none)'}",
                         "use ::: {.figure #id alt=\"…\"} or ::: {.gap #id}")
            return None
        if not identifier:
            self.problem("LOAD-004", where.line, f"{classes[0]} has no id",
                         f"write ::: {{.{classes[0]} #some-id}}")
        inner = list(self.blocks(children, where.line))
        if any(not isinstance(b, Paragraph) for b in inner) or len(inner) > 1:
            self.problem("LOAD-006", where.line, f"a {classes[0]} holds one paragraph of text",
                         "put only the caption or note inside the ::: block")
        text = inner[0].inlines if inner and isinstance(inner[0], Paragraph) else ()
        if classes == ["gap"]:
            return Gap(identifier, text, where)
        if not pairs.get("alt"):
            self.problem("LOAD-008", where.line, "figure has no alt text",
                         "add alt=\"…\" describing the picture")
        image = pairs.get("image") or None
        if image is not None:
            self.check_image(image, where.line)
        return Figure(identifier, text, pairs.get("alt", ""), image, where)

    def check_image(self, name: str, line: int):
        """Images live in content/images/, shared by every language, as PNG or JPEG."""
        if "/" in name or "\\" in name or ":" in name:
            self.problem("LOAD-008", line, f"image {name!r} is a path or an address, not a file name",
                         "put the picture in content/images/ and give only its file name")
        elif Path(name).suffix.lower() not in IMAGE_TYPES:
            self.problem("LOAD-008", line, f"image {name!r} is not the name of a PNG or JPEG file",
                         "put the picture in content/images/ as .png or .jpg and give its file name")
        elif not (self.images / name).is_file():
            self.problem("LOAD-009", line, f"image {name!r} is not in content/images/",
                         "add the file, or leave out image= to keep the caption alone")
        elif not (self.images / name).resolve().is_relative_to(self.images.resolve()):
            self.problem("LOAD-008", line, f"image {name!r} leads outside content/images/",
                         "put the picture itself in content/images/, not a link to it")

    def inlines(self, nodes, line: int) -> tuple:
        out: list = []
        for node in nodes:
            kind, content = node["t"], node.get("c")
            if kind == "Str":
                self.check_quotes(content, line)
                out.append(Text(content))
            elif kind in ("Space", "SoftBreak"):
                out.append(Text(" "))
            elif kind == "Span":
                attrs, children = content
                if ("wrapper", "1") in [tuple(kv) for kv in attrs[2]]:
                    out.extend(self.inlines(children, line))
                elif attrs[1] == ["quote"]:
                    out.extend(self.marked_quote(attrs, children, line))
                else:
                    self.problem("LOAD-007", line, "unsupported inline markup (span)",
                                 "remove the [ ]{…} markup")
            elif kind == "Quoted":
                out.append(Quote(self.inlines(content[1], line)))
            elif kind == "Emph":
                out.append(Emphasis(self.inlines(content, line)))
            elif kind == "Strong":
                out.append(Strong(self.inlines(content, line)))
            elif kind == "Link":
                url = content[2][0]
                if not LINK_ADDRESS.match(url):
                    self.problem("LOAD-015", line, f"link to {url!r}",
                                 "link only to web (https://…) or mail (mailto:…) addresses")
                out.append(Link(self.inlines(content[1], line), url))
            elif kind == "Image":
                self.problem("LOAD-007", line, f"an image in the running text ({content[2][0]!r})",
                             "put the picture in content/images/ and show it in a "
                             "::: {.figure #id image=\"name.png\" alt=\"…\"} block")
            elif kind == "RawInline":
                self.raw_html(line)
            else:
                self.problem("LOAD-007", line, f"unsupported inline markup ({kind})",
                             "use plain text, \"quotations\", *emphasis*, **strong** or links")
        return _merge_text(out)

    def marked_quote(self, attrs, children, line: int) -> list:
        """``["…"]{.quote origin=…}``: one quotation and what its wording comes from."""
        where = self.where(attrs, line)
        inner = [n for n in self.inlines(children, where.line)
                 if not (isinstance(n, Text) and not n.text.strip())]
        marked = self.origin({k: v for k, v in attrs[2] if k != "data-pos"}, where.line)
        if len(inner) != 1 or not isinstance(inner[0], Quote):
            self.problem("LOAD-011", where.line, "a [ ]{.quote} span holds one \"quotation\" and nothing else",
                         'write ["the quoted words"]{.quote origin=…}')
            return inner
        if marked is None:
            return inner
        return [Quote(inner[0].children, *marked)]

    def check_quotes(self, text: str, line: int):
        """pandoc turns paired straight quotes into quotations and a lone one into a curly mark;
        the source line tells which of the two a stray mark was."""
        if line in self.quote_lines or not any(c in TYPOGRAPHIC_QUOTES or c == '"' for c in text):
            return
        self.quote_lines.add(line)
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        marks = [c for c in source_line if c in TYPOGRAPHIC_QUOTES]
        if marks:
            self.problem("LOAD-010", line, f"typographic quotation mark {marks[0]}",
                         'write straight quotes "…"; each edition sets its language\'s marks')
        else:
            self.problem("LOAD-010", line, "a quotation mark \" without its pair",
                         'close every " with a matching "')


def _merge_text(nodes: list) -> tuple:
    merged: list = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)

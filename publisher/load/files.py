"""Reading source files: strict UTF-8, NFC, and YAML that remembers line numbers."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from ..problems import Problem


def display_path(path: Path) -> Path:
    """The path as a person in the project folder would type it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


# Characters that show nothing yet change how text breaks, joins or runs: zero-width spaces and
# joiners, the word joiner, direction marks and embeddings, invisible operators, the BOM. The
# source has none; the editions add the break opportunities they need.
INVISIBLE_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
MAX_SOURCE_BYTES = 2 * 1024 * 1024   # far more than any article's file; a larger one is a mistake


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, or None after recording why it cannot be used."""
    shown = display_path(path)
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        problems.append(Problem("LOAD-014", shown, None,
                                f"the file is {size / 1024 / 1024:.1f} MB, more than a source file can be "
                                f"({MAX_SOURCE_BYTES // 1024 // 1024} MB)",
                                "check that it is the right file; split a long section into several"))
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        what = ("it is UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff")
                else "it is not a text file" if b"\x00" in data[:8192]
                else f"byte 0x{data[error.start]:02x} at offset {error.start}"
                + (", as Latin-1 or Windows-1252 write it" if _is_cp1252(data) else ""))
        problems.append(Problem("LOAD-001", shown, line, f"not valid UTF-8 ({what})",
                                "save the file as UTF-8 text"))
        return None
    if text.startswith("\ufeff"):
        problems.append(Problem("LOAD-013", shown, 1, "the file starts with a byte-order mark (U+FEFF)",
                                "save it as UTF-8 without BOM (most editors call it plain UTF-8)"))
        text = text[1:]
    for number, line_text in enumerate(text.split("\n"), 1):
        found: dict[str, list[int]] = {}
        for match in INVISIBLE_CONTROLS.finditer(line_text):
            found.setdefault(match.group(), []).append(match.start() + 1)
        if found:
            problems.append(Problem(
                "LOAD-013", shown, number, "invisible " + "; ".join(
                    f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL')} at column "
                    + ", ".join(map(str, columns)) for c, columns in found.items()),
                "delete it: the editions add their own line-break opportunities, and a name that "
                "must not break belongs in the glossary"))
    for number, line_text in enumerate(text.split("\n"), 1):
        if not unicodedata.is_normalized("NFC", line_text):
            column = next(i for i, _ in enumerate(line_text, 1)
                          if not unicodedata.is_normalized("NFC", line_text[:i]))
            problems.append(Problem(
                "LOAD-002", shown, number,
                f"text is not in Unicode NFC (first at column {column}: "
                f"{line_text[max(0, column - 8):column + 8]!r})",
                "convert the file to NFC, for example with `uconv -x any-nfc`"))
    return text


def read_yaml(path: Path, problems: list[Problem], expected: type = dict) -> "YamlDoc | None":
    """A whole YAML file, read as :func:`read_text` reads text, or None after recording why
    it cannot be used."""
    text = read_text(path, problems)
    return parse_yaml(text, display_path(path), 1, problems, expected) if text is not None else None


class YamlDoc:
    """A parsed YAML mapping plus the line of each key, for messages that point at a line."""

    def __init__(self, data, node, first_line: int):
        self.data = data
        self.node = node
        self._first_line = first_line

    def line(self, *keys) -> int:
        node = self.node
        line = node.start_mark.line if node is not None else 0
        for key in keys:
            if isinstance(key, int) and isinstance(node, yaml.SequenceNode) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line
                continue
            if not isinstance(node, yaml.MappingNode):
                break
            for key_node, value_node in node.value:
                if key_node.value == key:
                    line = key_node.start_mark.line
                    node = value_node
                    break
            else:
                break
        return self._first_line + line


def parse_yaml(text: str, shown: Path, first_line: int, problems: list[Problem],
               expected: type = dict) -> YamlDoc | None:
    """Parse ``text`` (which starts at ``first_line`` of its file) as a YAML mapping, or as a
    list where ``expected`` is ``list``."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        problems.append(Problem("LOAD-003", shown, line,
                                f"malformed YAML: {getattr(error, 'problem', None) or error}",
                                "fix the YAML syntax (indentation, quotes, colons)"))
        return None
    if data is None:
        data = expected()
    if not isinstance(data, expected):
        what, hint = (("a mapping of keys to values", "write `key: value` lines") if expected is dict
                      else ("a list of entries", "write one `- …` entry per item"))
        problems.append(Problem("LOAD-003", shown, first_line, f"expected {what}", hint))
        return None
    return YamlDoc(data, node, first_line)

"""Problems found in content or while building, each with a stable code.

A problem is reported on one line, ``file:line: CODE message — what to do``, so that an editor
or translator can jump to the place and look the code up in the README.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTE = "note"          # for a reviewer's attention; never stops a build

# code: (severity, what it means). The README's table of problem codes is this table.
CODES: dict[str, tuple[str, str]] = {
    "LOAD-001": (ERROR, "a file is not valid UTF-8"),
    "LOAD-002": (ERROR, "text is not in Unicode normalization form NFC"),
    "LOAD-003": (ERROR, "malformed front matter or metadata (YAML)"),
    "LOAD-004": (ERROR, "a section or heading has no id"),
    "LOAD-005": (ERROR, "an id is used twice"),
    "LOAD-006": (ERROR, "unknown block type"),
    "LOAD-007": (ERROR, "unsupported inline markup"),
    "LOAD-008": (ERROR, "a metadata field is missing or has the wrong type"),
    "LOAD-009": (ERROR, "the content folder or a required file is missing"),
    "LOAD-010": (ERROR, "typographic or unbalanced quotation marks in the source"),
    "LOAD-011": (ERROR, "a quotation's origin marker is malformed"),
    "LOAD-012": (ERROR, "a date in the metadata cannot be read or written in the article's language"),
    "LOAD-013": (ERROR, "an invisible control character (zero-width, direction, BOM) in the source"),
    "LOAD-014": (ERROR, "a source file is far too large to be one"),
    "LOAD-015": (ERROR, "a link's address is not a web or mail address"),
    "LOAD-016": (ERROR, "a glossary entry's written-in is not a known language tag, or not of its forms' script"),
    "ALIGN-001": (ERROR, "a section of the English text is missing from the translation"),
    "ALIGN-002": (ERROR, "the translation has a section the English text lacks"),
    "ALIGN-003": (ERROR, "sections are in a different order than in the English text"),
    "ALIGN-004": (ERROR, "the blocks of a section part from the English text"),
    "ALIGN-005": (ERROR, "a heading differs in id or level from the English text"),
    "ALIGN-006": (ERROR, "a block has a different number of quotations, list items or figures"),
    "ALIGN-007": (ERROR, "the article metadata differs in shape from the English metadata"),
    "KHMER-001": (ERROR, "Khmer text is not in canonical character order"),
    "KHMER-002": (ERROR, "a Khmer cluster does not shape: the font draws a dotted circle"),
    "KHMER-003": (ERROR, "a Latin letter inside a Khmer word"),
    "KHMER-004": (ERROR, "a space before ។, ៖ or ៕"),
    "WORD-001": (NOTE, "two word segmenters split a word differently: a native editor decides"),
    "VIET-001": (ERROR, "a Vietnamese tone mark is placed in the other style"),
    "SPELL-001": (ERROR, "a word is spelled in a variant the house spellings refuse"),
    "FONT-001": (ERROR, "a character has no glyph in the language's fonts"),
    "FONT-002": (ERROR, "a font file is missing or its checksum does not match"),
    "FONT-003": (ERROR, "the renderer drew a missing glyph or fell back to another font"),
    "I18N-001": (ERROR, "a template string has no translation in the language's catalog"),
    "I18N-002": (ERROR, "a language's message catalog is missing or malformed"),
    "I18N-003": (ERROR, "a catalog translation's placeholders differ from the template string's"),
    "NUM-001": (ERROR, "a paragraph's numbers or dates differ from the English"),
    "NUM-002": (ERROR, "a number is written in another language's convention"),
    "TERM-001": (ERROR, "a glossary term of the English paragraph is missing from the translation"),
    "UNTR-001": (ERROR, "a translated paragraph is identical to the English"),
    "UNTR-002": (ERROR, "a run of English words is left in the translation"),
    "PUNCT-001": (ERROR, "brackets are not balanced"),
    "PUNCT-002": (ERROR, "a paragraph has a different number of brackets than the English"),
    "PUNCT-003": (ERROR, "the text does not end with the language's closing mark"),
    "QUOTE-001": (ERROR, "a quotation in a translation does not say where its wording comes from"),
    "LEN-001": (WARNING, "a translation is far shorter or longer than usual: summarised or padded?"),
    "STALE-001": (ERROR, "the English section changed since it was translated"),
    "STALE-002": (ERROR, "a translated section records no fingerprint of its English section"),
    "REVIEW-001": (ERROR, "release refused: a section is a draft, not reviewed by a native editor"),
    "REVIEW-002": (ERROR, "release refused: the translation is not reviewed by a native editor"),
    "TEXT-001": (WARNING, "less of the source text comes back from a PDF than the target"),
    "TEXT-002": (ERROR, "release refused: the PDF's text does not come back whole enough"),
    "XCHG-001": (ERROR, "a translator's file has a unit the article does not have"),
    "XCHG-002": (ERROR, "a unit of the article is missing from a translator's file"),
    "XCHG-003": (ERROR, "a unit id is used twice in a translator's file"),
    "XCHG-004": (ERROR, "a unit's English is not the current English: the file was exported from an earlier text"),
    "XCHG-005": (ERROR, "a unit's tags (quotations, emphasis, links) do not match the English"),
    "XCHG-006": (ERROR, "a translator's file cannot be read or is not for a translation"),
    "XCHG-007": (ERROR, "a unit has no translation, or the translation has no block for it"),
    "WRITE-001": (ERROR, "another build is writing to the same output folder"),
    "WRITE-002": (ERROR, "the output folder cannot be written"),
    "RENDER-001": (ERROR, "an edition could not be rendered"),
    "RENDER-003": (ERROR, "a template has a syntax error"),
    "RENDER-002": (ERROR, "rendering tried to read a file outside the project"),
    "RENDER-004": (ERROR, "an edition carries another that could not be built"),
    "PDFA-001": (ERROR, "the PDF/A validator found a violation of PDF/A-3b in an archival PDF"),
    "PDFA-002": (ERROR, "the PDF/A validator could not check a construct of an archival PDF"),
    "PDFA-003": (ERROR, "an archival PDF's XMP does not identify it as PDF/A-3u"),
    "PDFA-004": (ERROR, "a font of an archival PDF has no ToUnicode map, or a glyph maps to no text"),
    "PDFA-005": (ERROR, "a source or the font licence is not attached to an archival PDF as it should be"),
    "BAG-001": (ERROR, "a file of the deposit differs from its checksum"),
    "BAG-002": (ERROR, "a file listed in the deposit's manifests is missing"),
    "BAG-003": (ERROR, "a file in the deposit is listed in none of its manifests"),
    "BAG-004": (ERROR, "the deposit is not a readable BagIt bag"),
    "BAG-005": (ERROR, "an edition listed in the deposit's manifest.json is not in it"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    file: Path | str
    line: int | None
    message: str
    hint: str = ""
    source_text: str = ""   # the English side, where the problem compares two texts
    target_text: str = ""   # the translation's side


    def __post_init__(self):
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code}")

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else f"{self.file}"

    def __str__(self) -> str:
        text = f"{self.location}: {self.code} {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        if self.source_text or self.target_text:
            text += f' | en: "{excerpt(self.source_text)}" | translation: "{excerpt(self.target_text)}"'
        return text

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "file": str(self.file),
                "line": self.line, "message": self.message, "hint": self.hint,
                "source_text": self.source_text, "target_text": self.target_text}


def excerpt(text: str, length: int = 70) -> str:
    """The start of ``text`` on one line, cut with … past ``length`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


class BuildFailed(Exception):
    """Raised with the problems that stop a build; the command line prints them one per line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

"""A web page's own fonts: each face cut down to the characters the page draws with it, as
WOFF2, with the ``unicode-range`` a browser needs to fetch only the faces a page uses.

Each character of the page is given to the first font of its element's language (the page's,
or a ``lang`` attribute's) that has it, as a browser's font fallback would. Every face is then
proved, as the EPUB's fonts are, to shape every run of the page's text exactly as the full font
does (the Khmer split vowels are drawn with glyphs the text never names).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import html as lxml_html

from ..languages import FontFace, FontFamily, Language
from ..problems import Problem
from .subset import as_woff2, proved_subset

# Elements whose text is never drawn with the page's fonts
UNDRAWN = {"head", "script", "style", "title", "meta", "link"}


@dataclass(frozen=True)
class WebFace:
    family: FontFamily
    face: FontFace
    file: str              # path of the WOFF2 file, relative to the page's folder
    unicode_range: str     # CSS unicode-range of the characters it draws
    data: bytes


def texts_by_language(page: str, page_lang: str) -> dict[str, list[str]]:
    """The page's drawn text, as runs grouped by the language of the element each stands in."""
    root = lxml_html.document_fromstring(page)
    runs: dict[str, list[str]] = {}

    def walk(element, lang: str) -> None:
        if not isinstance(element.tag, str) or element.tag in UNDRAWN:
            return
        lang = element.get("lang", lang)
        if element.text:
            runs.setdefault(lang, []).append(element.text)
        for child in element:
            walk(child, lang)
            if child.tail:
                runs.setdefault(lang, []).append(child.tail)
    walk(root, root.get("lang", page_lang))
    return runs


def _cmap(path: Path, cache: dict) -> set[int]:
    if path not in cache:
        cache[path] = set(TTFont(path, lazy=True).getBestCmap())
    return cache[path]


def _ranges(codepoints: set[int]) -> str:
    spans: list[list[int]] = []
    for point in sorted(codepoints):
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def page_faces(page: str, language: Language, languages: dict[str, Language], fonts: Path,
               extra: str, problems: list[Problem], folder: str = "fonts/") -> list[WebFace] | None:
    """The faces ``page`` needs, subset to what each draws; ``extra`` is text the stylesheet
    draws (list numbers, generated marks). None, with a problem, when a subset would shape the
    text differently from its full font."""
    cmaps: dict = {}
    runs_by_family: dict[FontFamily, list[str]] = {}
    for lang, runs in texts_by_language(page, language.code).items():
        stack = languages[lang].fonts if lang in languages else language.fonts
        for run in runs + ([extra] if lang == language.code else []):
            current: FontFamily | None = None
            for char in run:
                if char in "\n\r\t":
                    current = None
                    continue
                family = next((f for f in stack
                               if ord(char) in _cmap(fonts / f.faces[0].file, cmaps)), None)
                if family is None:
                    continue    # the content checks report a character no font draws
                pieces = runs_by_family.setdefault(family, [])
                if family is not current or not pieces:
                    pieces.append("")
                pieces[-1] += char
                current = family
    faces = []
    for family, pieces in runs_by_family.items():
        text = "\n".join(dict.fromkeys(pieces))
        codepoints = {ord(c) for c in text if c != "\n"}
        for face in family.faces:
            small = proved_subset(fonts, face.file, text, problems, "the page")
            if small is None:
                return None
            faces.append(WebFace(family, face, f"{folder}{Path(face.file).stem}.woff2",
                                 _ranges(codepoints), as_woff2(small)))
    return faces

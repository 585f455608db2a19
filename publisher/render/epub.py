"""The EPUB 3 edition: the EPUB template's HTML, made into a book by pandoc."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pypandoc
import yaml
from markupsafe import escape

from ..problems import Problem
from .context import RenderInput, make_environment
from .formats import Format, RenderedEdition
from .pdf import FONT_LICENCE

REFERENCE = re.compile(r"""<(?:link|script|source|video|audio|iframe|object)\b[^>]*>""", re.I)
SOURCE = re.compile(r'\ssrc="([^"]*)"')


def font_licence_paragraphs(fonts: Path) -> list[str]:
    text = (fonts / FONT_LICENCE).read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


CONTENTS = "Contents"   # the catalog's label for the table of contents (templates/print.html)
NAV = "EPUB/nav.xhtml"
LANDMARK_TOC = re.compile(r'(<a href="#toc" epub:type="toc">)Table of Contents(</a>)')


@contextlib.contextmanager
def _source_date_epoch(moment: dt.datetime):
    """Set SOURCE_DATE_EPOCH for pandoc, restoring what was there before."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def translate_landmarks(epub: bytes, contents: str) -> bytes:
    """The book with its landmarks' label in the edition's language.

    pandoc (3.9) writes the landmark of the table of contents as "Table of Contents" whatever
    the language: the label is fixed in its EPUB writer, not taken from its translations or
    from the metadata. Every other entry of the book is copied unchanged, in order.
    """
    source = zipfile.ZipFile(io.BytesIO(epub))
    nav = source.read(NAV).decode("utf-8")
    translated, count = LANDMARK_TOC.subn(lambda m: m.group(1) + str(escape(contents)) + m.group(2), nav)
    if count != 1:
        raise ValueError("pandoc's navigation document no longer has the expected landmark")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info in source.infolist():
            book.writestr(info, translated.encode("utf-8") if info.filename == NAV else source.read(info))
    return out.getvalue()


class EpubFormat(Format):
    name = "epub"
    media_type = "application/epub+zip"
    add_break_opportunities = True   # many e-readers have no Khmer line breaker
    filename = "article.epub"

    def render(self, source: RenderInput, problems: list[Problem]):
        env = make_environment(source, add_breaks=self.add_break_opportunities, quote_tag="span")
        images = source.images
        language, meta = source.language, source.article.metadata
        plain = env.filters["plain"]
        body = env.get_template("epub.html").render(
            font_licence=font_licence_paragraphs(source.project.fonts))
        css = "\n".join(env.get_template(f"styles/{name}").render(font_base="../fonts/")
                        for name in ("fonts.css", "article.css", "epub.css"))
        metadata = {
            "title": plain(meta.headline), "lang": language.code, "identifier": source.identifier,
            "publisher": plain(meta.publisher), "rights": plain(meta.rights),
            "description": plain(meta.standfirst),
            "date": source.build_time.strftime("%Y-%m-%d"),
            "toc-title": source.translations.gettext(CONTENTS),
        }
        if meta.author:
            metadata["creator"] = [{"role": "aut", "text": plain(meta.author)}]
        stray = [m.group() for m in REFERENCE.finditer(body)] + [
            src for src in SOURCE.findall(body) if src not in images]
        if stray:
            problems.append(Problem("RENDER-002", "templates/epub.html", None,
                                    f"the EPUB page refers to a resource: {stray[0]}",
                                    "the EPUB page may load only the figures' images"))
            return None
        fonts = [source.project.fonts / face.file for family in language.fonts for face in family.faces]
        with tempfile.TemporaryDirectory(prefix="epub-") as work:
            work = Path(work)
            (work / "edition.css").write_text(css, encoding="utf-8")
            (work / "metadata.yaml").write_text(yaml.safe_dump(metadata, allow_unicode=True),
                                                encoding="utf-8")
            target = work / self.filename
            try:
                # pandoc takes the book's modification date from SOURCE_DATE_EPOCH: the edition's.
                # Its sandbox would refuse the stylesheet and fonts; instead the page loads
                # nothing but the figures' images (checked above), from content/images/.
                with _source_date_epoch(source.build_time):
                    pypandoc.convert_text(
                        body, "epub3", format="html", outputfile=str(target), cworkdir=str(work),
                        extra_args=["--split-level=1", "--toc", "--toc-depth=2", "--epub-title-page=false",
                                    f"--resource-path={source.project.images.resolve()}",
                                    f"--metadata-file={work / 'metadata.yaml'}",
                                    f"--css={work / 'edition.css'}",
                                    *[f"--epub-embed-font={font}" for font in fonts]])
            except RuntimeError as error:
                problems.append(Problem("RENDER-001", f"output/{language.code}/{self.filename}", None,
                                        f"pandoc failed: {error}", "see pandoc's message"))
                return None
            try:
                data = translate_landmarks(target.read_bytes(), source.translations.gettext(CONTENTS))
            except ValueError as error:
                problems.append(Problem("RENDER-001", f"output/{language.code}/{self.filename}", None,
                                        str(error), "check the pandoc version pinned in requirements.txt"))
                return None
        return RenderedEdition(language.code, self.name, self.variant, self.media_type,
                               self.filename, {self.filename: data})

"""The PDF edition, laid out by WeasyPrint from the print template."""
from __future__ import annotations

import base64
import io
import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pypdf
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..problems import Problem
from . import actual_text
from .context import RenderInput, make_environment
from .formats import Format, RenderedEdition

actual_text.install()

FONT_LICENCE = "OFL.txt"


class ProjectFetcher(URLFetcher):
    """Lets WeasyPrint read files inside the given folders and nothing else: no network."""

    def __init__(self, allowed: list[Path]):
        super().__init__(allowed_protocols=["file", "data"], fail_on_errors=True)
        self.allowed = [folder.resolve() for folder in allowed]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):   # the bytes are in the URL: nothing is read
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.allowed):
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url}: only files of the project may be read")


class _LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_html_document(source: RenderInput, html: str) -> tuple[weasyprint.HTML, ProjectFetcher]:
    project = source.project
    fetcher = ProjectFetcher([project.fonts, project.templates, project.content])
    return weasyprint.HTML(string=html, base_url=str(project.templates) + "/", url_fetcher=fetcher), fetcher


def embedded_image_url(path: Path) -> str:
    """An image as a data: URL. WeasyPrint names an image in the PDF after a hash of its URL;
    a file: URL holds the project's folder, which would make every checkout's PDF differ."""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def print_html(source: RenderInput) -> str:
    """The print page as HTML; tests lay it out to see where lines end."""
    return PdfFormat().page_html(source)


class PdfFormat(Format):
    """A PDF laid out by WeasyPrint. Variants change the template (and what the template is
    told), the file name, and what :meth:`finish` does to the written PDF; the fetcher, the
    font checks, the attachment and the fixed dates are the same for every PDF."""
    name = "pdf"
    media_type = "application/pdf"
    add_break_opportunities = True
    marks_languages = False
    filename = "article.pdf"
    template = "print.html"

    def template_options(self, source: RenderInput) -> dict:
        """What the variant's template is told beyond the article and its language."""
        return {}

    def page_html(self, source: RenderInput) -> str:
        env = make_environment(source, add_breaks=self.add_break_opportunities,
                               mark_languages=self.marks_languages)
        env.globals["image_url"] = lambda name: embedded_image_url(source.project.images / name)
        return env.get_template(self.template).render(
            font_base=source.project.fonts.resolve().as_uri() + "/",
            timestamp=source.build_time.strftime("%Y-%m-%dT%H:%M:%SZ"), **self.template_options(source))

    def pdf_identifier(self, source: RenderInput) -> bytes:
        return source.identifier.encode()

    def attachments(self, source: RenderInput, fetcher: ProjectFetcher) -> list[weasyprint.Attachment]:
        """The files the PDF carries: the licence of its fonts."""
        return [weasyprint.Attachment(
            filename=str(source.project.fonts / FONT_LICENCE), name=FONT_LICENCE,
            description="Licence of the fonts embedded in this PDF",
            created=source.build_time, modified=source.build_time, relationship="Supplement",
            url_fetcher=fetcher)]

    def write_options(self, source: RenderInput) -> dict:
        """Further options of WeasyPrint's ``write_pdf`` (a PDF/A variant, a finisher)."""
        return {}

    def finish(self, source: RenderInput, pdf: bytes) -> bytes:
        """The file to publish, from the PDF WeasyPrint wrote (checked already)."""
        return pdf

    def render(self, source, problems):
        document, fetcher = render_html_document(source, self.page_html(source))
        collector = _LogCollector()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        try:
            extra = self.write_options(source)
            finisher = extra.pop("finisher", None)
            options = dict(attachments=self.attachments(source, fetcher),
                           pdf_identifier=self.pdf_identifier(source), pdf_tags=True,
                           uncompressed_pdf=False, **extra)
            laid_out = document.render(font_config=FontConfiguration(), **options)
            data = laid_out.write_pdf(finisher=finisher, **options)
        except (Exception, FatalURLFetchingError) as error:  # how WeasyPrint reports fetch and layout failures
            problems.append(Problem("RENDER-001", f"output/{source.language.code}/{self.filename}",
                                    None, f"WeasyPrint failed: {error}", "see the message above"))
            return None
        finally:
            logger.removeHandler(collector)
        for url in fetcher.refused:
            problems.append(Problem("RENDER-002", f"templates/{self.template}", None,
                                    f"the print page asked for {url}",
                                    "refer only to files in fonts/, templates/ or content/"))
        for message in collector.messages:
            code = "FONT-003" if "glyph" in message.lower() or "font" in message.lower() else "RENDER-001"
            problems.append(Problem(code, f"output/{source.language.code}/{self.filename}", None,
                                    f"WeasyPrint: {message}",
                                    "check the language's fonts cover every character"))
        for name in sorted(unintended_fonts(written_fonts(laid_out), *(s.language for s in source.sides))):
            problems.append(Problem("FONT-003", f"output/{source.language.code}/{self.filename}", None,
                                    f"the PDF embeds {name}, which is not one of the language's fonts",
                                    "a character fell back to a system font: check FONT-001 "
                                    "and the language table"))
        if any(p.is_error for p in problems):
            return None
        return RenderedEdition(source.language.code, self.name, self.variant, self.media_type,
                               self.filename, {self.filename: self.finish(source, data)})


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds, without their subset prefix."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.get_object().values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def written_fonts(document) -> set[str]:
    """The names of the fonts WeasyPrint embedded in the PDF it wrote of ``document``, as
    :func:`embedded_fonts` reads them back, without reading the PDF again."""
    return {font.name.decode().lstrip("/").split("+", 1)[-1] for font in document.fonts.values()}


def unintended_fonts(names: set[str], *languages) -> set[str]:
    """Fonts of a PDF that are none of its languages': a fallback the renderer chose silently."""
    allowed = {family.css_name.replace(" ", "-") for language in languages for family in language.fonts}
    return {name for name in names
            if not any(name == a or name.startswith(a + "-") for a in allowed)}

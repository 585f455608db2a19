"""The EPUB 3 edition: the EPUB template's HTML, made into a book by pandoc."""
from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypandoc
import yaml
from markupsafe import escape

from ..problems import Problem
from .context import FONT_LICENCE_LANGUAGE, RenderInput, make_environment
from .cover import cover_png
from .pages import PageStart, mark_page_breaks, page_source, page_starts
from .formats import Format, RenderedEdition
from .pdf import FONT_LICENCE
from .subset import proved_subset

REFERENCE = re.compile(r"""<(?:link|script|source|video|audio|iframe|object)\b[^>]*>""", re.I)
SOURCE = re.compile(r'\ssrc="([^"]*)"')


def font_licence_paragraphs(fonts: Path) -> list[str]:
    text = (fonts / FONT_LICENCE).read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


CONTENTS = "Contents"   # the catalog's label for the table of contents (templates/print.html)
PACKAGE, NAV, NCX = "EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx"
COVER = "text/cover.xhtml"   # pandoc's page for --epub-cover-image
PAGE_SOURCE_ID = "page-source"   # the dc:source whose pages the page list gives
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
PANDOC_LANDMARKS = re.compile(r'<nav epub:type="landmarks".*?</nav>', re.S)
CHAPTER_TITLE = re.compile(r"<title>(ch\d+\.xhtml|cover)</title>")
HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
BODY_TYPE = re.compile(r'<body[^>]* epub:type="(\w+)"')
TAG = re.compile(r"<[^>]+>")


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


def rewrite_entries(epub: bytes, change) -> bytes:
    """The book with each entry's data passed through ``change(name, data)``.

    Every entry keeps pandoc's order, date, permissions and compression: the mimetype first
    and stored, the same bytes for the same input.
    """
    source = zipfile.ZipFile(io.BytesIO(epub))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for info in source.infolist():
            book.writestr(info, change(info.filename, source.read(info)))
    return out.getvalue()


def spine_chapters(package: str) -> list[str]:
    """The spine's chapter files (``text/…``), in reading order."""
    ids = re.findall(r'<itemref idref="([^"]+)"', package)
    hrefs = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', package))
    return [hrefs[i] for i in ids if hrefs[i].startswith("text/")]


def page_marker(start: PageStart) -> str:
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{start.number}" '
            f'aria-label="{escape(start.label)}"></span>')


def finish_book(epub: bytes, render_part, book_title: str, pages: list[PageStart]) -> bytes:
    """What pandoc (3.9) cannot write, written into its book.

    - each chapter's ``<title>`` is its heading, not its file name;
    - the landmarks (cover, contents, start of the text, back matter) are labelled in the
      book's language; pandoc writes only "Table of Contents", in English;
    - the contents come after the title chapter, not first in the spine;
    - the package says which accessibility standard the book conforms to;
    - the NCX declares the depth of its tree, and holds the page list too;
    - the printed edition's pages: a marker where each begins, and the page list.

    ``render_part(part, **values)`` renders a part of templates/epub-package.html.
    """
    book = zipfile.ZipFile(io.BytesIO(epub))
    package = book.read(PACKAGE).decode("utf-8")
    chapters = spine_chapters(package)
    bodies = {href: book.read(f"EPUB/{href}").decode("utf-8") for href in chapters}
    types = {href: (BODY_TYPE.search(body) or [None, None])[1] for href, body in bodies.items()}
    landmarks = []
    if COVER in bodies:
        landmarks.append({"type": "cover", "href": COVER})
    landmarks.append({"type": "toc", "href": "#toc"})
    landmarks += [{"type": kind, "href": next(h for h in chapters if types[h] == kind)}
                  for kind in ("bodymatter", "backmatter") if kind in types.values()]
    title_chapter = next(h for h in chapters if types[h] == "frontmatter")
    body_chapters = chapters[chapters.index(next(h for h in chapters if types[h] == "bodymatter")):]
    bodies_marked, page_targets = mark_page_breaks([(h, bodies[h]) for h in body_chapters], pages,
                                                   page_marker)
    # the pages before the text: the title chapter's, and the contents (the last of them)
    front = [start for start in pages if start.anchor is None]
    contents_page = front.pop() if len(front) > 1 else None
    title_page = bodies[title_chapter]
    at = title_page.index(">", title_page.index("<body")) + 1
    bodies_marked[title_chapter] = (title_page[:at] + "".join("\n" + page_marker(s) for s in front)
                                    + title_page[at:])
    page_targets = ([(start, f"{title_chapter}#page-{start.number}") for start in front]
                    + ([(contents_page, f"nav.xhtml#page-{contents_page.number}")] if contents_page else [])
                    + page_targets)

    def change(name: str, data: bytes) -> bytes:
        if name == PACKAGE:
            text = data.decode("utf-8")
            text = text.replace('    <itemref idref="nav" />\n', "")
            title_id = re.search(rf'<item id="([^"]+)" href="{re.escape(title_chapter)}"', text)[1]
            text = re.sub(rf'(<itemref idref="{re.escape(title_id)}"[^>]*/>\n)',
                          r'\1    <itemref idref="nav" />\n', text, count=1)
            cover = render_part("label", kind="cover").strip()
            text = text.replace('title="Cover"', f'title="{escape(cover)}"')
            added = f'    <meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>\n'
            if pages:   # pandoc writes the dc:source, without an id or what it is the source of
                text = text.replace("<dc:source>", f'<dc:source id="{PAGE_SOURCE_ID}">', 1)
                added += f'    <meta refines="#{PAGE_SOURCE_ID}" property="source-of">pagination</meta>\n'
            text = text.replace("  </metadata>", added + "  </metadata>", 1)
            return text.encode("utf-8")
        if name == NAV:
            text = data.decode("utf-8")
            page_list = [{"label": start.label, "href": href} for start, href in page_targets]
            navs = render_part("landmarks", landmarks=landmarks).strip()
            if page_list:
                navs += "\n" + render_part("page-list", pages=page_list).strip()
            text, count = PANDOC_LANDMARKS.subn(lambda m: navs, text)
            if contents_page is not None:
                text = text.replace('<nav epub:type="toc"', page_marker(contents_page) + '\n<nav epub:type="toc"', 1)
            if count != 1:
                raise ValueError("pandoc's navigation document no longer has the expected landmarks")
            return text.encode("utf-8")
        if name == NCX:
            text = data.decode("utf-8")
            depth, level = 0, 0
            for tag in re.findall(r"</?navPoint\b", text):
                level += 1 if tag == "<navPoint" else -1
                depth = max(depth, level)
            text = re.sub(r'(<meta name="dtb:depth" content=")\d+(")', rf"\g<1>{depth}\2", text)
            if page_targets:   # the page list for reading systems that read the NCX
                last = max(start.number for start, _ in page_targets)
                text = re.sub(r'(<meta name="dtb:(?:totalPageCount|maxPageNumber)" content=")\d+(")',
                              rf"\g<1>{last}\2", text)
                targets = "".join(
                    f'    <pageTarget id="page-target-{start.number}" type="normal" value="{start.number}">\n'
                    f"      <navLabel>\n        <text>{escape(start.label)}</text>\n      </navLabel>\n"
                    f'      <content src="{href}" />\n    </pageTarget>\n' for start, href in page_targets)
                text = text.replace("</ncx>", f"  <pageList>\n{targets}  </pageList>\n</ncx>", 1)
            return text.encode("utf-8")
        href = name.removeprefix("EPUB/")
        if href in bodies:
            text = bodies_marked.get(href, data.decode("utf-8"))
            heading = HEADING.search(text)
            title = (" ".join(TAG.sub("", heading[1]).replace("\u200b", "").split()) if heading
                     else str(escape(book_title)))
            if href == COVER:
                text = text.replace("<svg ", f'<svg role="img" aria-label="{escape(book_title)}" ', 1)
            return CHAPTER_TITLE.sub(lambda m: f"<title>{title}</title>", text, count=1).encode("utf-8")
        return data

    return rewrite_entries(epub, change)


class EpubFormat(Format):
    name = "epub"
    media_type = "application/epub+zip"
    add_break_opportunities = True   # many e-readers have no Khmer line breaker
    marks_languages = True
    filename = "article.epub"

    def render(self, source: RenderInput, problems: list[Problem]):
        env = make_environment(source, add_breaks=self.add_break_opportunities,
                               mark_languages=self.marks_languages, quote_tag="span")
        images = source.images
        language = source.language
        plain = env.filters["plain"]
        body = env.get_template("epub.html").render(
            font_licence=font_licence_paragraphs(source.project.fonts),
            font_licence_lang=FONT_LICENCE_LANGUAGE)
        package_parts = env.get_template("epub-package.html")

        def render_part(part: str, **values) -> str:
            return package_parts.render(part=part, **values)

        css = "\n".join(env.get_template(f"styles/{name}").render(font_base="../fonts/")
                        for name in ("fonts.css", "article.css", "epub.css"))
        stray = [m.group() for m in REFERENCE.finditer(body)] + [
            src for src in SOURCE.findall(body) if src not in images]
        if stray:
            problems.append(Problem("RENDER-002", "templates/epub.html", None,
                                    f"the EPUB page refers to a resource: {stray[0]}",
                                    "the EPUB page may load only the figures' images"))
            return None
        shown = f"output/{language.code}/{self.filename}"
        try:
            pages, cover = page_starts(source), cover_png(source)
        except (OSError, subprocess.CalledProcessError) as error:
            problems.append(Problem("RENDER-001", shown, None,
                                    f"the cover or the printed pages could not be laid out: {error}",
                                    "check that poppler-utils is installed (`make system`)"))
            return None
        metadata = self.metadata(source, plain, render_part, bool(pages))
        with tempfile.TemporaryDirectory(prefix="epub-") as work:
            work = Path(work)
            (work / "edition.css").write_text(css, encoding="utf-8")
            (work / "metadata.yaml").write_text(yaml.safe_dump(metadata, allow_unicode=True),
                                                encoding="utf-8")
            # the printed edition whose page numbers the page list gives (EPUB Accessibility 1.1)
            (work / "package.xml").write_text(
                f"<dc:source>{escape(page_source(source))}</dc:source>\n" if pages else "",
                encoding="utf-8")
            (work / "cover.png").write_bytes(cover)
            fonts = self.subset_fonts(source, body, metadata, work, problems)
            if fonts is None:
                return None
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
                                    f"--epub-metadata={work / 'package.xml'}",
                                    f"--css={work / 'edition.css'}",
                                    f"--epub-cover-image={work / 'cover.png'}",
                                    *[f"--epub-embed-font={font}" for font in fonts]])
            except RuntimeError as error:
                problems.append(Problem("RENDER-001", shown, None,
                                        f"pandoc failed: {error}", "see pandoc's message"))
                return None
            try:
                data = finish_book(target.read_bytes(), render_part, metadata["title"], pages)
            except (ValueError, StopIteration, TypeError) as error:
                problems.append(Problem("RENDER-001", shown, None,
                                        f"pandoc's book is not as expected: {error}",
                                        "check the pandoc version pinned in requirements.txt"))
                return None
        return RenderedEdition(language.code, self.name, self.variant, self.media_type,
                               self.filename, {self.filename: data})

    @staticmethod
    def metadata(source: RenderInput, plain, render_part, has_pages: bool) -> dict:
        """The book's metadata for pandoc: credits, dates and accessibility."""
        meta = source.article.metadata
        figures = [b for b in source.article.all_blocks() if b.kind == "figure"]
        has_pictures = any(b.image for b in figures)
        publisher = plain(meta.publisher)
        creators = [{"role": "aut", "text": plain(meta.author)}] if meta.author else []
        # the body that first published the text; its author too where the source names none
        creators.append({"role": "isb" if meta.author else "aut", "text": publisher})
        metadata = {
            "title": plain(meta.headline), "lang": source.language.code,
            "identifier": source.identifier, "publisher": publisher,
            "rights": plain(meta.rights), "description": plain(meta.standfirst),
            "date": source.build_time.strftime("%Y-%m-%d"),
            "toc-title": source.translations.gettext(CONTENTS),
            "creator": creators,
            "accessModes": ["textual", "visual"] if has_pictures else ["textual"],
            "accessModeSufficient": ["textual"],
            "accessibilityFeatures": (["alternativeText"] if has_pictures else []) + [
                "displayTransformability", "readingOrder", "structuralNavigation", "tableOfContents"]
            + (["pageBreakMarkers", "pageNavigation"] if has_pages else []),
            "accessibilityHazards": ["none"],
            "accessibilitySummary": " ".join(render_part(
                "summary", has_pictures=has_pictures,
                has_absent_pictures=any(not b.image for b in figures), has_pages=has_pages).split()),
        }
        if meta.translation:
            metadata["contributor"] = [{"role": "trl", "text": plain(meta.translation.method)}]
        return metadata

    @staticmethod
    def subset_fonts(source: RenderInput, body: str, metadata: dict, work: Path,
                     problems: list[Problem]) -> list[Path] | None:
        """The language's fonts cut down to the book's text, under their own names, each proved
        to shape every line of the text as the full font does."""
        text = "\n".join([html.unescape(TAG.sub("\n", body)), metadata["title"], metadata["toc-title"],
                          "0123456789" + source.language.digits])
        paths = []
        for family in source.language.fonts:
            for face in family.faces:
                small = proved_subset(source.project.fonts, face.file, text, problems, "the EPUB")
                if small is None:
                    return None
                paths.append(work / face.file)
                paths[-1].write_bytes(small)
        return paths

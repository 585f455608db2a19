"""The parallel web pages: two languages side by side in the site, each block beside its
translation — the web page's unit, on templates/parallel-web.html and the parallel booklet's
columns (partials/parallel-side.html, one per language).

On a wide screen each pair is a row of two columns, as wide as the booklet's (their texts'
depths in proportion); on a phone a pair's two blocks stand one above the other. The page
offers the pair's booklet for download and links both languages' pages.
"""
from __future__ import annotations

from ..model import plain_text
from .context import RenderInput, make_environment
from .formats import RenderedEdition
from .html import ICON, SITE, HtmlFormat, description, language_links, parallel_folder
from .parallel import Side, split


class ParallelPageFormat(HtmlFormat):
    """A web page of two languages side by side, block by block, listed under the first."""
    styles = (*HtmlFormat.styles, "styles/parallel-web.css")

    def __init__(self, languages: tuple[str, str], base_url: str | None = None):
        super().__init__(base_url)
        self.languages = languages
        self.variant = f"parallel-{'-'.join(languages)}"

    def render(self, source: RenderInput, problems):
        folder = parallel_folder(self.languages) + "/"
        files: dict[str, bytes] = {}
        downloads = self.downloads(source, folder, files)
        env = make_environment(source, add_breaks=self.add_break_opportunities,
                               mark_languages=self.marks_languages, image_base="images/")
        codes = [side.language.code for side in source.sides]
        share = split(source)
        site = {
            "title": " / ".join(plain_text(side.article.metadata.headline, side.language.quotes)
                             for side in source.sides),
            "description": description(source),
            "canonical": self.base_url and self.page_address(folder, 0),
            "alternates": [],
            "icon": ICON,
            "languages": language_links(None),
            "sides": [Side(side, codes, add_breaks=self.add_break_opportunities,
                           mark_languages=self.marks_languages, image_base="images/")
                      for side in source.sides],
            "sections": source.parallel,
            "downloads": downloads,
            "columns": (share, 1 - share),
        }
        page = self.finished_page(source, env, "parallel-web.html", site, None, "fonts/",
                                  problems, files, prefix=folder)
        if page is None:
            return None
        files[folder + self.filename] = page
        self.add_beside(source, folder, files)
        return RenderedEdition(source.language.code, self.name, self.variant, self.media_type,
                               folder + self.filename, files, folder=SITE)


"""The web edition: one HTML page per language, with its fonts beside it."""
from __future__ import annotations

from ..languages import LANGUAGES
from .context import make_environment
from .formats import Format, RenderedEdition
from .pdf import FONT_LICENCE


class HtmlFormat(Format):
    name = "html"
    media_type = "text/html"
    add_break_opportunities = False   # browsers break Khmer at word boundaries themselves
    filename = "index.html"

    def render(self, source, problems):
        env = make_environment(source, add_breaks=self.add_break_opportunities, image_base="images/")
        page = env.get_template("web.html").render(font_base="fonts/",
                                                   languages=list(LANGUAGES.values()))
        fonts = source.project.fonts
        files = {self.filename: page.encode("utf-8")}
        for family in source.language.fonts:
            for face in family.faces:
                files[f"fonts/{face.file}"] = (fonts / face.file).read_bytes()
        files[f"fonts/{FONT_LICENCE}"] = (fonts / FONT_LICENCE).read_bytes()
        for name in source.images:
            files[f"images/{name}"] = (source.project.images / name).read_bytes()
        return RenderedEdition(source.language.code, self.name, self.variant, self.media_type,
                               self.filename, files)

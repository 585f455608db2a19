"""The web edition: a small site under output/site/, one page per language and a landing page
where a reader picks a language (written with the source language's page).

Each page carries its own fonts, cut to its text (see webfonts), the language's booklet and
EPUB to download, and the EPUB's cover as its card image. Its stylesheet and script are in the
page, named by hash in a Content-Security-Policy that lets it load nothing from elsewhere.
"""
from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from babel.core import Locale, get_global
from babel.units import format_unit
from lxml import etree
from markupsafe import Markup

from ..languages import LANGUAGES, PARALLEL_PAIRS, SOURCE_LANGUAGE, Language
from ..model import plain_text
from .context import RenderInput, make_environment, shortened
from .formats import Format, RenderedEdition
from .i18n import load_translations
from .pdf import FONT_LICENCE
from .webfonts import page_faces

SITE = "site"                  # the site's folder under output/
DESCRIPTION_LENGTH = 160       # characters of a page's description, ellipsis included
CARD_IMAGE = "cover.png"
ROBOTS = "robots.txt"
SCRIPT = "scripts/site.js"
# Text the stylesheet draws that is not in the page: the permalinks' mark
STYLESHEET_TEXT = " #"
ICON = "data:image/svg+xml," + quote(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>"
    "<rect width='16' height='16' rx='3' fill='#1d4f7c'/>"
    "<path d='M4 4h8v1.5H4zm0 3.25h8v1.5H4zm0 3.25h5.5v1.5H4z' fill='#fdfdfb'/></svg>", safe=":/='")


@dataclass(frozen=True)
class Download:
    edition: tuple[str, str]    # (format, variant)
    file: str
    media_type: str
    size: str

    @property
    def kind(self) -> tuple[str, str]:
        """What the reader is offered, whatever its languages: (format, variant without them)."""
        return self.edition[0], self.edition[1].partition("-")[0]


def language_links(current: str | None) -> list[dict]:
    """The language switcher's links, from a page one folder down: every language's page,
    ``current`` marked."""
    return [{"code": other.code, "native_name": other.native_name,
             "href": f"../{other.code}/index.html", "current": other.code == current}
            for other in LANGUAGES.values()]


def parallel_folder(pair: tuple[str, str]) -> str:
    """The site's folder of the web page setting ``pair`` side by side."""
    return f"parallel-{'-'.join(pair)}"


def pairs_with(code: str, depth: int) -> list[dict]:
    """The side-by-side pages the language ``code`` is in, for a page ``depth`` folders down:
    each with its address and its languages' own names."""
    return [{"href": "../" * depth + f"{parallel_folder(pair)}/index.html",
             "languages": [{"code": lang, "native_name": LANGUAGES[lang].native_name} for lang in pair]}
            for pair in PARALLEL_PAIRS if code in pair or depth == 0]


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(style: str, script: str | None) -> str:
    """Nothing but this page's own stylesheet and script, and fonts and images beside it.
    Requests to the site itself are allowed: crawlers' tools read its robots.txt from the page."""
    return "; ".join([
        "default-src 'none'",
        "connect-src 'self'",
        f"style-src {_hash(style)}",
        f"script-src {_hash(script)}" if script is not None else "script-src 'none'",
        "font-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def og_locale(language: Language) -> str:
    """The Open Graph locale (language_TERRITORY) from CLDR's likely subtags."""
    likely = Locale.parse(get_global("likely_subtags").get(language.locale, language.locale))
    return f"{likely.language}_{likely.territory}" if likely.territory else likely.language


def description(source: RenderInput) -> str:
    """The standfirst, cut at a word boundary to a search result's length."""
    text = plain_text(source.article.metadata.standfirst, source.language.quotes)
    return shortened(" ".join(text.split()), source.language, source.unbreakable,
                     DESCRIPTION_LENGTH - 1, width=len)


def file_size(size: int, language: Language) -> str:
    kilobytes = max(1, round(size / 1000))
    return language.to_digits(format_unit(kilobytes, "digital-kilobyte", length="short",
                                          locale=language.locale)).replace(" ", "\u00a0")


def epub_cover(epub: bytes) -> bytes:
    """The cover image the EPUB's package names."""
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        package_path = container.find(".//{*}rootfile").get("full-path")
        package = etree.fromstring(book.read(package_path))
        item = package.find(".//{*}manifest/{*}item[@properties='cover-image']")
        folder = package_path.rsplit("/", 1)[0] + "/" if "/" in package_path else ""
        return book.read(folder + item.get("href"))


class HtmlFormat(Format):
    name = "html"
    media_type = "text/html"
    add_break_opportunities = False   # browsers break Khmer at word boundaries themselves
    marks_languages = True
    filename = "index.html"

    styles = ("styles/article.css", "styles/web.css")

    def __init__(self, base_url: str | None = None):
        self.base_url = base_url

    def page_address(self, folder: str, depth: int) -> str:
        """The address of the page in ``folder`` (under the site's folder; "" for the landing
        page) for a page ``depth`` folders down: under the base URL where there is one,
        relative to that page otherwise."""
        return self.base_url + folder if self.base_url else "../" * depth + folder + "index.html"

    def render(self, source, problems):
        language = source.language
        code = language.code
        files: dict[str, bytes] = {}
        downloads = self.downloads(source, f"{code}/", files)
        files[f"{code}/{CARD_IMAGE}"] = epub_cover(source.editions[("epub", "standard")])
        env = make_environment(source, add_breaks=self.add_break_opportunities,
                               mark_languages=self.marks_languages, image_base="images/")
        script = env.loader.get_source(env, SCRIPT)[0]
        site = {
            "description": description(source),
            "canonical": self.base_url and f"{self.base_url}{code}/",
            "alternates": self.alternates(1),
            "card_image": f"{self.base_url}{code}/{CARD_IMAGE}" if self.base_url else CARD_IMAGE,
            "og_locale": og_locale(language),
            "og_alternate_locales": [og_locale(other) for other in LANGUAGES.values() if other.code != code],
            "icon": ICON,
            "languages": language_links(code),
            "downloads": downloads,
            "pairs": pairs_with(code, 1),
            "contents": self.contents(source, env),
        }
        page = self.finished_page(source, env, "web.html", site, script, "fonts/", problems,
                                  files, prefix=f"{code}/")
        if page is None:
            return None
        files[f"{code}/{self.filename}"] = page
        self.add_beside(source, f"{code}/", files)
        if code == SOURCE_LANGUAGE and not self.landing_page(source, problems, files):
            return None
        return RenderedEdition(code, self.name, self.variant, self.media_type,
                               f"{code}/{self.filename}", files, folder=SITE)

    def downloads(self, source: RenderInput, folder: str, files: dict) -> list[Download]:
        """The editions the page offers (the unit's needs), put in ``folder`` beside it."""
        from . import UNIT_NEEDS, edition_unit
        found = []
        for need in UNIT_NEEDS[(self.name, self.variant)]:
            unit = edition_unit(need)
            data = source.editions[need]
            files[folder + unit.filename] = data
            found.append(Download(need, unit.filename, unit.media_type,
                                  file_size(len(data), source.language)))
        return found

    @staticmethod
    def add_beside(source: RenderInput, folder: str, files: dict) -> None:
        """What a page in ``folder`` uses besides its own text: its fonts' licence, the
        article's images."""
        files[f"{folder}fonts/{FONT_LICENCE}"] = (source.project.fonts / FONT_LICENCE).read_bytes()
        for name in source.images:
            files[f"{folder}images/{name}"] = (source.project.images / name).read_bytes()

    def alternates(self, depth: int) -> list[dict]:
        found = [{"hreflang": other.code, "href": self.page_address(f"{other.code}/", depth)}
                 for other in LANGUAGES.values()]
        return found + [{"hreflang": "x-default", "href": self.page_address("", depth)}]

    @staticmethod
    def contents(source: RenderInput, env) -> list[dict]:
        """The sections' headings and, under each, its subheadings, as links."""
        inline = env.filters["inline"]
        entries: list[dict] = []
        for section in source.article.sections:
            for block in section.blocks:
                if block.kind != "heading":
                    continue
                item = {"id": block.id, "title": inline(block.inlines), "children": []}
                if block.level == 1 or not entries:
                    entries.append(item)
                elif block.level == 2:
                    entries[-1]["children"].append(item)
        entries.append({"id": "about-this-edition", "children": [],
                        "title": Markup.escape(source.translations.gettext("About this edition"))})
        return entries

    def finished_page(self, source: RenderInput, env, template: str, site: dict,
                      script: str | None, fonts: str, problems, files: dict, prefix: str) -> bytes | None:
        """The page with its fonts, its stylesheet and the policy naming them: laid out once
        to learn which characters it draws, then again with the fonts cut to them."""
        page_template = env.get_template(template)
        draft = page_template.render(site={**site, "policy": "", "style": "", "script": "",
                                           "faces": [], "preload": [], "stacks": []})
        extra = STYLESHEET_TEXT + source.language.digits
        faces = page_faces(draft, source.language, LANGUAGES, source.project.fonts, extra,
                           problems, folder=fonts)
        if faces is None:
            return None
        site = {**site, "faces": faces, "stacks": list(LANGUAGES.values()),
                "preload": [face for face in faces
                            if any(face.family in side.language.fonts for side in source.sides)],
                "script": Markup(script or "")}
        style = "".join(env.get_template(name).render(site=site) for name in self.styles)
        site.update(style=Markup(style), policy=Markup(content_security_policy(style, script)))
        for face in faces:
            files[prefix + face.file] = face.data
        return page_template.render(site=site).encode("utf-8")

    def robots(self) -> str:
        """Every page may be indexed."""
        return "User-agent: *\nAllow: /\n"

    def landing_page(self, source: RenderInput, problems, files: dict) -> bool:
        """The site's first page, in the source language, offering every language in its own."""
        choices = []
        for other in LANGUAGES.values():
            catalog = load_translations(source.project.templates, other.code, SOURCE_LANGUAGE, problems)
            if catalog is None:
                return False
            choices.append({"code": other.code, "native_name": other.native_name,
                            "href": f"{other.code}/index.html",
                            "gettext": catalog.gettext})
        env = make_environment(source, add_breaks=self.add_break_opportunities,
                               mark_languages=self.marks_languages)
        site = {"description": description(source), "canonical": self.base_url,
                "alternates": self.alternates(0), "icon": ICON, "choices": choices,
                "pairs": pairs_with(source.language.code, 0)}
        page = self.finished_page(source, env, "site-index.html", site, None, "fonts/",
                                  problems, files, prefix="")
        if page is None:
            return False
        files[self.filename] = page
        files[ROBOTS] = self.robots().encode("ascii")
        files[f"fonts/{FONT_LICENCE}"] = (source.project.fonts / FONT_LICENCE).read_bytes()
        return True

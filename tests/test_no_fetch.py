"""Content never makes the build reach outside the project: a web server on 127.0.0.1 whose
address stands in every place of the content an address can go receives no request while
every edition is built, and the places where an address would be fetched are refused when
the content is loaded.

Where an address may stand, as a reader's link or a citation, and is never fetched: links in
the text (inline, automatic, by reference, with a title) and in the metadata's texts, the
source's ``url`` and the article's ``identifier``, a quotation's ``source``, a figure's alt
text, a translator's note, the booklet's short title, a note in the glossary, and attributes
the model does not keep (a heading's ``style``, a figure's ``poster``), which reach no edition.

Where it would be fetched, and is refused before anything is rendered: a Markdown image in
the text or in the metadata (LOAD-007), raw HTML — ``<img>``, ``<script>``, ``<link>`` —
(LOAD-007), a figure's ``image`` (LOAD-008), and a ``file:`` address as a link (LOAD-015) or
as the source's ``url`` (LOAD-015).
"""
from __future__ import annotations

import re
import threading
import urllib.request
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.load import load_article
from publisher.pipeline import build
from publisher.project import Project
from publisher.render import FORMATS, VARIANTS, edition_keys

LANGUAGES_BUILT = [SOURCE_LANGUAGE, "vi"]


class Recorder(ThreadingHTTPServer):
    """A web server that records every connection made to it and answers each request."""

    def __init__(self):
        self.connections: list[tuple] = []
        super().__init__(("127.0.0.1", 0), Answer)

    def process_request(self, request, client_address):
        self.connections.append(client_address)
        super().process_request(request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_HEAD = do_POST = do_GET

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """The recording server; no proxy stands between it and whatever would fetch from it."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    recorder = Recorder()
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    urllib.request.urlopen(f"{recorder.url}/check", timeout=10).close()
    assert len(recorder.connections) == 1, "the server records no connection"
    recorder.connections.clear()
    yield recorder
    recorder.shutdown()
    recorder.server_close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_allowed_addresses(content: Path, url: str) -> None:
    """The server's address wherever content may hold one that is never fetched."""
    en, vi = content / "en", content / "vi"
    edit(en / "03-today.md", "# III. The Library Today {#today}",
         f'# III. The Library Today {{#today style="background: url({url}/heading-style.png)"}}')
    edit(en / "03-today.md", "a bigger house.",
         f"a bigger house. Read [the library's page]({url}/inline-link), <{url}/automatic-link>, "
         f'[its history][history] and [its plan]({url}/titled-link "{url}/link-title"), or type '
         f"{url}/bare-address.\n\n[history]: {url}/reference-link")
    edit(en / "01-opening.md", 'alt="A drawing of a reading room with shelves and a long table"',
         f'alt="A drawing of a reading room, as at {url}/alt-text" poster="{url}/poster.png"')
    edit(en / "article.yaml", "url: https://example.org/river-library", f"url: {url}/source-url")
    edit(en / "article.yaml", "identifier: sample-river-library", f"identifier: {url}/identifier")
    edit(en / "article.yaml", "tells its imagined story.",
         f"tells its imagined story ([more]({url}/standfirst-link)).")
    edit(en / "article.yaml", "exercise every kind of block.", f"exercise every kind of block: <{url}/note-link>.")
    edit(en / "article.yaml", "editorial_notes:",
         f"booklet:\n  short_title: The library at <{url}/short-title>\neditorial_notes:")
    edit(vi / "01-opening.md", "{.quote origin=translated}",
         f'{{.quote origin=original source="{url}/quote-source"}}')
    edit(vi / "03-today.md", "một ngôi nhà lớn hơn.", f"một ngôi nhà lớn hơn. Xem [trang của thư viện]({url}/vi-link).")
    edit(vi / "article.yaml", "translation:",
         f"translator_notes:\n  - 'Bản gốc: [{url}/translator-note]({url}/translator-note).'\ntranslation:")
    edit(vi / "article.yaml", "bảng thuật ngữ của ấn bản.", f"bảng thuật ngữ của ấn bản <{url}/method>.")
    edit(content / "glossary.yaml", "status: {vi: verified, km: verified}",
         f"status: {{vi: verified, km: verified}}\n  note: {url}/glossary-note")


def test_addresses_in_the_content_are_never_fetched(server, project_copy, tmp_path):
    add_allowed_addresses(project_copy / "content", server.url)
    output = tmp_path / "output"
    report = build(Project(project_copy), LANGUAGES_BUILT, list(FORMATS), output, variants=VARIANTS)
    assert not [p for p in report.problems if p.is_error], "\n".join(map(str, report.problems))
    assert len(report.written) == len(edition_keys(LANGUAGES_BUILT, FORMATS, VARIANTS))
    assert server.connections == []

    # The editions hold the addresses as links and text only: a reader's browser or e-reader
    # fetches nothing from the server either.
    pages = {f"{lang}/index.html": (output / "site" / lang / "index.html").read_text(encoding="utf-8")
             for lang in LANGUAGES_BUILT}
    for lang in LANGUAGES_BUILT:
        with zipfile.ZipFile(output / lang / "article.epub") as book:
            pages |= {f"{lang}/article.epub/{name}": book.read(name).decode("utf-8")
                      for name in book.namelist() if name.endswith((".xhtml", ".opf", ".ncx", ".css"))}
    for lang, places in SHOWN.items():
        for place in places:
            assert f"{server.url}/{place}" in pages[f"{lang}/index.html"], f"{lang}: {place}"
    for name, page in pages.items():
        assert "heading-style" not in page and "poster" not in page, name
        for tag, attribute in fetching_references(page, server.url):
            assert (tag, attribute) in {("a", "href"), ("img", "alt")}, f"{name}: <{tag} {attribute}=…{server.url}…>"
        assert f"url({server.url}" not in page, name


# The places whose address the web page shows, as a link or as text.
SHOWN = {"en": ["inline-link", "automatic-link", "reference-link", "titled-link", "bare-address",
                "alt-text", "source-url", "standfirst-link", "note-link"],
         "vi": ["vi-link", "quote-source", "translator-note", "method"]}


def fetching_references(page: str, url: str) -> list[tuple[str, str]]:
    """(tag, attribute) of every attribute of ``page`` whose value holds ``url``."""
    found = []
    for tag, attributes in re.findall(r"<([\w:]+)\b([^>]*)>", page):
        found += [(tag, name) for name, value in re.findall(r'([\w:-]+)="([^"]*)"', attributes) if url in value]
    return found


def test_addresses_that_would_be_fetched_are_refused_when_loading(server, project_copy, tmp_path):
    content = project_copy / "content"
    url = server.url
    edit(content / "en" / "01-opening.md", "ever since.", f"ever since. ![A lamp]({url}/markdown-image.png)")
    edit(content / "en" / "02-years.md", "## The First Shelves",
         f'<img src="{url}/raw-image.png">\n\n<script src="{url}/script.js"></script>\n\n'
         f'<link rel="stylesheet" href="{url}/style.css">\n\n## The First Shelves')
    edit(content / "en" / "03-today.md", "a bigger house.", "a bigger house. [Read](file:///etc/passwd).")
    edit(content / "vi" / "01-opening.md", 'image="reading-room.png"', f'image="{url}/figure.png"')
    edit(content / "vi" / "article.yaml", "url: https://example.org/river-library", "url: file:///etc/passwd")
    edit(content / "km" / "article.yaml", "rights: >-", f"rights: >-\n  ![A seal]({url}/metadata-image.png)")
    found = set()
    for lang in LANGUAGES:
        article, problems = load_article(content, lang, SOURCE_LANGUAGE)
        assert article is None
        found |= {(str(p.file), p.line, p.code) for p in problems}
    assert found == {
        ("content/en/01-opening.md", 9, "LOAD-007"),    # a Markdown image
        ("content/en/02-years.md", 7, "LOAD-007"),      # <img>
        ("content/en/02-years.md", 9, "LOAD-007"),      # <script>
        ("content/en/02-years.md", 11, "LOAD-007"),     # <link>
        ("content/en/03-today.md", 11, "LOAD-015"),     # a file: link
        ("content/vi/01-opening.md", 13, "LOAD-008"),   # a figure's image
        ("content/vi/article.yaml", 9, "LOAD-015"),     # a file: source
        ("content/km/article.yaml", 12, "LOAD-007"),    # a Markdown image in the metadata
    }
    report = build(Project(project_copy), list(LANGUAGES), list(FORMATS), tmp_path / "output")
    assert report.rendered == [] and report.failed
    assert server.connections == []

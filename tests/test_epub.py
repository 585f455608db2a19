"""The EPUB editions as a distributor and an e-reader user meet them."""
from __future__ import annotations

import zipfile

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from publisher.languages import LANGUAGES


def unpacked(built, lang, tmp_path):
    folder = tmp_path / lang
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        book.extractall(folder)
    return folder


def font_sizes(page, tags) -> dict[str, float]:
    """The font size of the first box of each of ``tags`` in a laid-out chapter."""
    found = {}

    def walk(box):
        tag = getattr(box, "element_tag", None)
        if tag in tags and tag not in found and isinstance(box, boxes.BlockBox):
            found[tag] = box.style["font_size"]
        for child in getattr(box, "children", []):
            walk(child)
    walk(page._page_box)
    return found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_headline_is_set_a_little_larger_than_the_text(built, lang, tmp_path):
    folder = unpacked(built, lang, tmp_path)
    opening = next(p for p in sorted((folder / "EPUB" / "text").glob("*.xhtml"))
                   if 'class="headline"' in p.read_text(encoding="utf-8"))
    document = weasyprint.HTML(filename=str(opening)).render()
    sizes = font_sizes(document.pages[0], {"body", "h1"})
    assert 1.3 <= sizes["h1"] / sizes["body"] <= 2.0, sizes


def test_the_same_content_in_another_checkout_gives_the_same_books(built, project_copy, tmp_path):
    """Nothing of the build's place or day gets into a book: its dates are the content's."""
    from publisher.pipeline import build
    from publisher.render.context import Project
    report = build(Project(project_copy), list(LANGUAGES), ["epub"], tmp_path / "elsewhere")
    assert not report.problems, report.problems
    for lang in LANGUAGES:
        assert (tmp_path / "elsewhere" / lang / "article.epub").read_bytes() == \
            (built / lang / "article.epub").read_bytes(), lang


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_books_are_dated_by_the_edition_date(built, articles, lang):
    day = articles["en"].metadata.edition_date.isoformat()
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        package = book.read("EPUB/content.opf").decode("utf-8")
        stamps = {info.date_time[:3] for info in book.infolist()}
    assert f">{day}</dc:date>" in package
    assert f'<meta property="dcterms:modified">{day}T00:00:00Z</meta>' in package
    assert stamps == {tuple(int(part) for part in day.split("-"))}

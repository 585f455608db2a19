"""Figures: a caption alone where the source has no picture, the picture where it has one."""
from __future__ import annotations

import re
import zipfile

import pypdf
import pytest

from publisher.cli import main
from publisher.languages import LANGUAGES
from publisher.model import plain_text
from publisher.render.i18n import load_translations

from tests.helpers import canonical


def figures(article, with_image: bool):
    found = [b for b in article.all_blocks() if b.kind == "figure" and bool(b.image) == with_image]
    assert found, f"the sample article has no figure {'with' if with_image else 'without'} an image"
    return found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_figure_without_image_keeps_caption_and_says_so(built, articles, project, lang):
    """A screen reader announces a note, not a picture that is not there."""
    with zipfile.ZipFile(built / lang / "article.epub") as book:
        chapters = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("EPUB/text/"))
    notice = load_translations(project.templates, lang, "en", []).gettext("Picture not reproduced.")
    for page in ((built / "site" / lang / "index.html").read_text(encoding="utf-8"), chapters):
        for figure in figures(articles[lang], with_image=False):
            assert canonical(plain_text(figure.caption, LANGUAGES[lang].quotes)) in canonical(page)
            notes = re.findall(r'<div class="figure-absent" role="note">\s*<p>(.*?)</p>', page)
            assert canonical(notice) in map(canonical, notes)
            assert f'aria-label="{figure.alt}"' not in page


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_figure_image_appears_in_every_format(built, articles, project, lang):
    [figure] = figures(articles[lang], with_image=True)
    output, site = built / lang, built / "site" / lang
    picture = (project.images / figure.image).read_bytes()
    assert (site / "images" / figure.image).read_bytes() == picture
    assert f'<img src="images/{figure.image}" alt="{figure.alt}">' in \
        (site / "index.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(output / "article.epub") as book:
        assert picture in [book.read(n) for n in book.namelist() if n.endswith(".png")]
    images = {image.name for page in pypdf.PdfReader(output / "article.pdf").pages for image in page.images}
    assert len(images) == 1


def test_missing_image_is_reported(project_copy, capsys):
    path = project_copy / "content" / "en" / "01-opening.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('image="reading-room.png"', 'image="missing.png"'), encoding="utf-8")
    status = main(["--quiet", "--lang", "en", "--format", "html", "--variant", "standard"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert lines[0] == ("content/en/01-opening.md:11: LOAD-009 image 'missing.png' is not in "
                        "content/images/ — add the file, or leave out image= to keep the caption alone")

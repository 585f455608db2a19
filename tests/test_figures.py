"""Figures: a caption alone where the source has no picture, the picture where it has one."""
from __future__ import annotations

import base64
import zipfile

import pypdf

from publisher.cli import main

PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def with_image(root, name="farewell.png"):
    (root / "content" / "images").mkdir()
    (root / "content" / "images" / "farewell.png").write_bytes(PIXEL)
    path = root / "content" / "en" / "01-context.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("::: {.figure #farewell", f"::: {{.figure #farewell image=\"{name}\"", 1),
                    encoding="utf-8")


def test_figure_without_image_keeps_caption_and_says_why(built):
    page = (built / "en" / "index.html").read_text(encoding="utf-8")
    assert "The Cambodian people bid farewell" in page
    assert "Photograph not reproduced: it is not part of the source." in page
    assert 'aria-label="Photograph: Cambodian people bidding farewell' in page


def test_figure_image_appears_in_every_format(project_copy, capsys):
    with_image(project_copy)
    assert main(["--quiet", "--lang", "en"], root=project_copy) == 0
    output = project_copy / "output" / "en"
    assert (output / "images" / "farewell.png").read_bytes() == PIXEL
    assert '<img src="images/farewell.png" alt="Photograph: Cambodian people' in \
        (output / "index.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(output / "article.epub") as book:
        assert any(n.endswith(".png") for n in book.namelist())
    images = {image.name for page in pypdf.PdfReader(output / "article.pdf").pages for image in page.images}
    assert len(images) == 1


def test_missing_image_is_reported(project_copy, capsys):
    with_image(project_copy, name="missing.png")
    status = main(["--quiet", "--lang", "en", "--format", "html"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert lines[0] == ("content/en/01-context.md:11: LOAD-009 image 'missing.png' is not in "
                        "content/images/ — add the file, or leave out image= to keep the caption alone")

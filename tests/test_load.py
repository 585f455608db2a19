"""Bad input: one message per problem, file:line, what is wrong and what to do; exit status 1;
the editions already written stay as they were."""
from __future__ import annotations

from pathlib import Path

import pytest

from publisher.cli import main


def run(root: Path, capsys, *args) -> tuple[int, list[str]]:
    status = main(["--quiet", *args], root=root)
    return status, [line for line in capsys.readouterr().err.splitlines() if line]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_section_id(project_copy, capsys):
    replace_in(project_copy / "content/en/02-years.md", "id: years\n", "")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert "content/en/02-years.md:1: LOAD-004 the section has no id — " \
           "add `id: some-stable-name` to the front matter" in lines


def test_missing_heading_id(project_copy, capsys):
    replace_in(project_copy / "content/en/02-years.md", " {#after-the-flood}", "")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert "content/en/02-years.md:25: LOAD-004 heading has no id — " \
           "end the heading line with an id, such as `{#background}`" in lines


def test_duplicate_id(project_copy, capsys):
    replace_in(project_copy / "content/en/03-today.md", "id: today", "id: opening")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert "content/en/03-today.md:1: LOAD-005 id 'opening' is already used at " \
           "content/en/01-opening.md:1 — give each section, heading, figure and gap its own id" in lines


def test_unknown_block_type(project_copy, capsys):
    replace_in(project_copy / "content/en/01-opening.md", "::: {.figure", "::: {.sidebar")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0] == ("content/en/01-opening.md:11: LOAD-006 unknown block type ::: sidebar — "
                        "use ::: {.figure #id alt=\"…\"} or ::: {.gap #id}")


def test_unknown_markdown_block(project_copy, capsys):
    path = project_copy / "content/en/03-today.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n    indented code\n", encoding="utf-8")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert any(line.startswith("content/en/03-today.md:")
               and "LOAD-006 unknown block type (CodeBlock)" in line for line in lines)


def test_malformed_metadata_yaml(project_copy, capsys):
    replace_in(project_copy / "content/en/article.yaml", "rights: >-", "rights: [unclosed")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert len(lines) == 2
    assert lines[0].startswith("content/en/article.yaml:")
    assert "LOAD-003 malformed YAML" in lines[0]


def test_metadata_field_missing(project_copy, capsys):
    replace_in(project_copy / "content/en/article.yaml",
               "  publisher: The sample desk of the publishing house\n", "")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0] == ("content/en/article.yaml:12: LOAD-008 missing field source.publisher — "
                        "add `source.publisher` to article.yaml")


def test_file_not_utf8(project_copy, capsys):
    path = project_copy / "content/en/01-opening.md"
    path.write_bytes(path.read_bytes().replace(b"Mekong", "Mékong".encode("latin-1")))
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert len(lines) == 2
    assert lines[0].startswith("content/en/01-opening.md:7: LOAD-001 not valid UTF-8 (byte 0x")
    assert lines[0].endswith("as Latin-1 or Windows-1252 write it) — save the file as UTF-8 text")


def test_text_not_nfc(project_copy, capsys):
    import unicodedata
    replace_in(project_copy / "content/en/01-opening.md", "Mekong", unicodedata.normalize("NFD", "Mê Kông"))
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0].startswith("content/en/01-opening.md:7: LOAD-002 text is not in Unicode NFC "
                               "(first at column ")
    assert lines[0].endswith("— convert the file to NFC, for example with `uconv -x any-nfc`")


def test_typographic_quotes_in_source(project_copy, capsys):
    replace_in(project_copy / "content/en/01-opening.md", '"a book is a boat',
               "“a book is a boat")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0] == ("content/en/01-opening.md:9: LOAD-010 typographic quotation mark “ — "
                        "write straight quotes \"…\"; each edition sets its language's marks")


def test_clean_source_builds_without_problems_and_bad_input_leaves_it_untouched(project_copy, capsys):
    # the English PDF, the quickest edition to build (a web page brings the booklet and EPUB it carries)
    edition = ("--lang", "en", "--format", "pdf", "--variant", "standard")
    assert run(project_copy, capsys, *edition) == (0, [])
    pdf = project_copy / "output" / "en" / "article.pdf"
    assert pdf.is_file()
    before = pdf.read_bytes()
    replace_in(project_copy / "content/en/01-opening.md", "id: opening\n", "")
    replace_in(project_copy / "content/en/02-years.md", "# II. Twenty-Five", "II. Twenty-Five")
    status, lines = run(project_copy, capsys, *edition)
    assert status == 1
    assert pdf.read_bytes() == before
    assert lines[-1] == "not built: en (existing editions left as they were)"


@pytest.mark.parametrize("option", ["--lang=xx", "--format=docx"])
def test_unknown_choice_on_the_command_line(project_copy, capsys, option):
    with pytest.raises(SystemExit) as exit_:
        main([option], root=project_copy)
    assert exit_.value.code == 2
    assert "unknown:" in capsys.readouterr().err


def test_unbalanced_quote(project_copy, capsys):
    replace_in(project_copy / "content/en/01-opening.md", 'the river."', 'the river.')
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0] == ('content/en/01-opening.md:9: LOAD-010 a quotation mark " without its pair — '
                        'close every " with a matching "')


def test_metadata_quotations_follow_the_same_rules(project_copy, capsys):
    replace_in(project_copy / "content/en/article.yaml", '"gap"', "“gap”")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0] == ("content/en/article.yaml:25: LOAD-010 typographic quotation mark “ — "
                        "write straight quotes \"…\"; each edition sets its language's marks")


def test_metadata_quotations_get_the_languages_marks(built):
    page = (built / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<q class="quote">“gap”</q>' in page


@pytest.mark.parametrize("old, new, expected", [
    ("written-in: {en: km-Latn,", "written-in: {en: km,",
     "content/glossary.yaml:16: LOAD-016 chea-sophal: the en forms are written in Latin script, but "
     "km is written in Khmer — name the forms' script in the tag (km-Latn), or correct its language"),
    ("written-in: {en: vi}", "written-in: {en: vi, vi: vi}",
     "content/glossary.yaml:23: LOAD-016 mai-lan: written-in says the vi forms are written in vi, "
     "their own language — remove `vi: vi`: only forms written in another language are marked"),
    ("written-in: {en: vi}", "written-in: {en: vi, fr: vi}",
     "content/glossary.yaml:23: LOAD-016 mai-lan: written-in names 'fr', which is not a language "
     "of the editions — use one of en, vi, km"),
])
def test_a_language_that_cannot_be_the_forms_is_refused(project_copy, capsys, old, new, expected):
    replace_in(project_copy / "content/glossary.yaml", old, new)
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0] == expected


@pytest.mark.parametrize("tag, wrong", [
    ("vn", "names no known language ('vn')"),
    ("vi-Latin", "names no known script, region or variant ('Latin')"),
    ("vi_VN", "is not a language tag"),
])
def test_a_language_tag_the_registry_does_not_know_is_refused(project_copy, capsys, tag, wrong):
    replace_in(project_copy / "content/glossary.yaml", "written-in: {en: vi}", f"written-in: {{en: {tag}}}")
    status, lines = run(project_copy, capsys, "--lang", "en", "--format", "html", "--variant", "standard")
    assert status == 1
    assert lines[0].startswith(f"content/glossary.yaml:23: LOAD-016 mai-lan: the written-in tag {tag!r} "
                               f"of the en forms {wrong} — write a BCP 47 tag")


def test_language_tags_are_read_in_their_canonical_case():
    from publisher.load.glossary import language_tag
    assert [language_tag(tag)[0] for tag in ("KM-latn", "vi", "en-gb", "km-Latn-KH")] == \
        ["km-Latn", "vi", "en-GB", "km-Latn-KH"]

"""Template strings and dates in each language, never English in disguise."""
from __future__ import annotations

import datetime as dt

import pytest

from publisher.cli import main
from publisher.languages import LANGUAGES
from publisher.render.context import RenderInput, make_environment
from publisher.render.i18n import load_translations
from publisher.dates import PartialDate


@pytest.mark.parametrize("lang, year, month, day", [
    ("en", "2024", "March 2024", "March 12, 2024"),
    ("vi", "năm 2024", "tháng 3 năm 2024", "ngày 12 tháng 3 năm 2024"),
    ("km", "ឆ្នាំ២០២៤", "ខែមីនា ឆ្នាំ២០២៤", "ថ្ងៃទី១២ ខែមីនា ឆ្នាំ២០២៤"),
])
def test_dates_in_each_precision(project, articles, lang, year, month, day):
    source = RenderInput(project, articles[lang], LANGUAGES[lang],
                         load_translations(project.templates, lang, "en", []), (),
                         dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    date = make_environment(source, add_breaks=False).filters["date"]
    assert [date(PartialDate(2024)), date(PartialDate(2024, 3)), date(PartialDate(2024, 3, 12))] == \
        [year, month, day]
    assert date(dt.date(2024, 3, 12)) == day


def test_colophon_strings_are_translated(built):
    page = (built / "site" / "vi" / "index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "Về ấn bản này" in page and "About this edition" not in page
    assert "Trong khoảng từ ngày 12 tháng 3 năm 2024 đến ngày 15 tháng 3 năm 2024." in page


def test_untranslated_template_string_stops_the_language(project_copy, capsys):
    catalog = project_copy / "templates" / "locales" / "vi" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "Mục lục"', 'msgstr ""'),
                       encoding="utf-8")
    status = main(["--quiet", "--lang", "vi", "--format", "html", "--variant", "standard"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert any(line.startswith("templates/locales/vi/LC_MESSAGES/messages.po:")
               and "I18N-001 template string 'Contents' (templates/" in line
               and "is untranslated" in line for line in lines), lines
    assert not (project_copy / "output" / "vi").exists()


def test_missing_catalog_stops_the_language(project_copy, capsys):
    (project_copy / "templates" / "locales" / "km" / "LC_MESSAGES" / "messages.po").unlink()
    status = main(["--quiet", "--lang", "km", "--format", "html", "--variant", "standard"], root=project_copy)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert lines[0].startswith("templates/locales/km/LC_MESSAGES/messages.po: I18N-002 no message "
                               "catalog for 'km'")

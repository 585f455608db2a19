"""Translation QA: each fixture folder breaks the small base article in one way, and
`build.py check` must report it with its code.

A fixture is `tests/fixtures/qa/<case>/content/…`: files laid over `base/content/`. Its
`expected.txt` is the report the check prints; `pytest --save-golden` rewrites it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publisher.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "qa"
# What a release builds in the tests: each language's PDF, the quickest edition, and one the
# release holds to its text target (a web page brings the booklet and EPUB it carries).
RELEASE = ["--release", "--quiet", "--format", "pdf", "--variant", "standard"]
CASES = {
    "base": None,
    "changed-number": "NUM-001",
    "wrong-date": "NUM-001",
    "wrong-decimal-convention": "NUM-002",
    "latin-digits-in-khmer": "NUM-002",
    "missing-term": "TERM-001",
    "english-left-in": "UNTR-002",
    "identical-to-english": "UNTR-001",
    "unbalanced-quote": "LOAD-010",
    "unbalanced-bracket": "PUNCT-001",
    "summarised": "LEN-001",
    "edited-english": "STALE-001",
    "unmarked-quotation": "QUOTE-001",
    "refused-spelling": "SPELL-001",
}


def test_every_fixture_folder_is_a_case():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(CASES)


def assemble(case: str, root: Path) -> Path:
    shutil.copytree(FIXTURES / "base" / "content", root / "content")
    overlay = FIXTURES / case / "content"
    if case != "base":
        shutil.copytree(overlay, root / "content", dirs_exist_ok=True)
    (root / "templates").symlink_to(ROOT / "templates")
    (root / "fonts").symlink_to(ROOT / "fonts")
    return root


@pytest.mark.parametrize("case", list(CASES))
def test_check_reports_the_broken_translation(case, tmp_path, monkeypatch, capsys, request):
    root = assemble(case, tmp_path / "project")
    monkeypatch.chdir(root)
    status = main(["check", "--json", str(tmp_path / "check.json")], root=root)
    printed = capsys.readouterr().out + f"exit status {status}\n"
    golden = FIXTURES / case / "expected.txt"
    if request.config.getoption("--save-golden"):
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8")
    report = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))
    codes = [p["code"] for p in report["problems"] if p["severity"] != "note"]
    if CASES[case] is None:
        assert codes == [] and status == 0
    else:
        assert CASES[case] in codes
        assert status == (1 if report["errors"] else 0)
        assert f" {CASES[case]} " in printed


def test_stale_section_becomes_current_after_refresh(tmp_path, monkeypatch, capsys):
    root = assemble("edited-english", tmp_path / "project")
    monkeypatch.chdir(root)
    assert main(["check", "--json", str(tmp_path / "a.json")], root=root) == 1
    assert main(["refresh", "--lang", "vi", "--section", "events"], root=root) == 0
    assert main(["refresh", "--lang", "km"], root=root) == 0
    capsys.readouterr()
    assert main(["check", "--json", str(tmp_path / "b.json")], root=root) == 0
    assert "events   source  draft  draft" in capsys.readouterr().out


def test_release_refuses_draft_translations_and_says_which(tmp_path, monkeypatch, capsys):
    root = assemble("base", tmp_path / "project")
    monkeypatch.chdir(root)
    status = main(RELEASE, root=root)
    lines = capsys.readouterr().err.splitlines()
    assert status == 1
    assert ("content/vi/01-events.md:1: REVIEW-001 section 'events' is a draft — have a native "
            "editor review it, then run `python build.py refresh --lang vi --section events "
            "--reviewed`") in lines
    assert ("content/km/article.yaml: REVIEW-002 translation.review is 'not-reviewed' — set "
            "`review: reviewed` once a native editor has reviewed the whole text") in lines
    assert lines[-1] == "not built: vi, km (existing editions left as they were)"
    assert (root / "output" / "en" / "article.pdf").is_file()
    assert not (root / "output" / "vi").exists()


def test_release_builds_reviewed_translations(tmp_path, monkeypatch, capsys):
    root = assemble("base", tmp_path / "project")
    monkeypatch.chdir(root)
    for lang in ("vi", "km"):
        assert main(["refresh", "--lang", lang, "--reviewed"], root=root) == 0
        meta = root / "content" / lang / "article.yaml"
        meta.write_text(meta.read_text(encoding="utf-8").replace("not-reviewed", "reviewed"),
                        encoding="utf-8")
    assert main(RELEASE, root=root) == 0
    assert (root / "output" / "km" / "article.pdf").is_file()


def test_terms_match_whichever_apostrophe_the_text_uses():
    from publisher.load.glossary import Glossary, Term
    terms = tuple(Term(name, "organisation", {"en": (form,)}, {}, "", line)
                  for line, (name, form) in enumerate([("army", "People's Army"),
                                                       ("police", "People’s Police")], 1))
    glossary = Glossary(terms, Path("glossary.yaml"))
    found = {term.id for _, _, term in glossary.occurrences("the People’s Army and the PEOPLE'S POLICE", "en")}
    assert found == {"army", "police"}


def test_stale_report_counts_added_and_removed_english_blocks(articles):
    from dataclasses import replace
    from publisher.check.stale import block_fingerprints, changed_blocks
    section = articles["en"].sections[0]
    recorded = block_fingerprints(section)
    shorter = replace(section, blocks=section.blocks[:2] + section.blocks[3:])
    assert changed_blocks(recorded, shorter) == ([], 1)
    longer = replace(section, blocks=section.blocks[:2] + (section.blocks[4],) + section.blocks[2:])
    assert changed_blocks(recorded, longer) == ([section.blocks[4]], 0)

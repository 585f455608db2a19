"""Translators' files: a translation goes out as PO or XLIFF and comes back into the content."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from translate.storage.xliff import Xliff1File
from translate.storage.xliff2 import Xliff2File

from publisher.cli import main
from publisher.exchange.units import section_leaves

TRANSLATIONS = ("vi", "km")
FORMATS = {"po": ".po", "xliff": ".xlf", "xliff12": ".xliff12.xlf"}
# A heading of the sample retranslated as a translator might: (unit, old words, new words)
RETRANSLATION = {"vi": ("years:after-the-flood", "trận lũ", "cơn lũ"),
                 "km": ("years:after-the-flood", "ក្រោយ", "បន្ទាប់ពី")}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def export(root: Path, lang: str, kind: str, *extra: str) -> Path:
    assert main(["export", "--lang", lang, "--to", kind, *extra], root=root) == 0
    path = root / "output" / "exchange" / f"{lang}{FORMATS[kind]}"
    assert path.is_file()
    return path


def import_(root: Path, path: Path) -> int:
    return main(["import", str(path)], root=root)


def change_english(root: Path) -> None:
    """The editor changes one word of the last English section."""
    english = root / "content" / "en" / "03-today.md"
    english.write_text(english.read_text(encoding="utf-8").replace("bigger house", "larger house"),
                       encoding="utf-8")


def edited_lines(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, list[str]]:
    """For each file that changed, the lines of its new version that are not in the old one."""
    changed = {}
    for name, data in after.items():
        if before.get(name) != data:
            old = set(before.get(name, b"").decode("utf-8").split("\n"))
            changed[name] = [line for line in data.decode("utf-8").split("\n") if line not in old]
    return changed


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_a_round_trip_without_changes_leaves_the_content_byte_identical(project_copy, articles, lang, kind, capsys):
    before = snapshot(project_copy / "content")
    path = export(project_copy, lang, kind)
    assert import_(project_copy, path) == 0
    assert snapshot(project_copy / "content") == before
    assert "no translation changed" in capsys.readouterr().out


def test_every_text_of_the_article_is_one_unit_with_the_english_as_source(project_copy, articles):
    po = polib.pofile(str(export(project_copy, "vi", "po")))
    ids = [entry.msgctxt for entry in po]
    assert len(ids) == len(set(ids))
    leaves = [leaf for section in articles["en"].sections for leaf in section_leaves(section)]
    assert [leaf.key for leaf in leaves] == [i for i in ids if not i.startswith("meta:")]
    assert {"meta:headline", "meta:standfirst"} <= set(ids)
    # every paragraph, list item and quotation paragraph, caption and note of the English is there
    assert len(leaves) > len(articles["en"].sections) * 3
    by_id = {entry.msgctxt: entry for entry in po}
    quoted = next(entry for entry in po if "<q1>" in entry.msgid and not entry.msgctxt.startswith("meta:"))
    assert "</q1>" in quoted.msgstr and "origin=translated" in quoted.comment
    assert not any("fuzzy" in entry.flags for entry in po)
    assert any("glossary:" in entry.comment for entry in po)
    assert all("section " in e.comment for i, e in by_id.items() if not i.startswith("meta:"))


def test_a_paragraph_whose_english_changed_is_fuzzy_with_a_note(project_copy):
    earlier = project_copy / "earlier.po"
    export(project_copy, "vi", "po").rename(earlier)
    change_english(project_copy)
    po = polib.pofile(str(export(project_copy, "vi", "po")))
    fuzzy = [entry for entry in po if "fuzzy" in entry.flags]
    assert [entry.msgctxt for entry in fuzzy] == ["today:today.3"]
    assert "larger house" in fuzzy[0].msgid and "English changed" in fuzzy[0].comment
    assert fuzzy[0].previous_msgid is None      # the content keeps no earlier English
    po = polib.pofile(str(export(project_copy, "vi", "po", "--previous", str(earlier))))
    fuzzy = [entry for entry in po if "fuzzy" in entry.flags]
    assert "bigger house" in fuzzy[0].previous_msgid and "larger house" in fuzzy[0].msgid
    assert all(entry.previous_msgid is None for entry in po if entry is not fuzzy[0])
    root = Xliff2File.parsefile(str(export(project_copy, "vi", "xliff"))).document.getroot()
    states = {seg.getparent().get("id"): (seg.get("state"), seg.get("subState"))
              for seg in root.iter("{urn:oasis:names:tc:xliff:document:2.0}segment")}
    assert states["today:today.3"] == ("initial", "publisher:needs-review-translation")
    assert {state for unit, state in states.items() if unit != "today:today.3"} == {("translated", None)}


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_a_po_edited_with_polib_imports_into_exactly_those_blocks(project_copy, lang, capsys):
    change_english(project_copy)
    path = export(project_copy, lang, "po")
    before = snapshot(project_copy / "content")
    po = polib.pofile(str(path))
    unit, old, new = RETRANSLATION[lang]
    retranslated = next(entry for entry in po if entry.msgctxt == unit)
    retranslated.msgstr = retranslated.msgstr.replace(old, new)
    fuzzy = next(entry for entry in po if "fuzzy" in entry.flags)
    fuzzy.flags.remove("fuzzy")
    po.metadata["X-Reviewed-Sections"] = "today"
    po.save(str(path))
    assert import_(project_copy, path) == 0, capsys.readouterr().err
    changed = edited_lines(before, snapshot(project_copy / "content"))
    assert sorted(changed) == [f"{lang}/02-years.md", f"{lang}/03-today.md"]
    assert changed[f"{lang}/02-years.md"] == [line for line in changed[f"{lang}/02-years.md"]
                                              if line.startswith("## ") and new in line]
    assert len(changed[f"{lang}/02-years.md"]) == 1
    # the fuzzy unit keeps its text; its section is recorded as current and reviewed
    assert all(line.startswith(("source-fingerprint:", "source-blocks:", "status: reviewed"))
               for line in changed[f"{lang}/03-today.md"])
    assert main(["refresh", "--lang", "vi" if lang == "km" else "km"], root=project_copy) == 0
    assert main(["check"], root=project_copy) == 0, capsys.readouterr().out


def test_a_section_not_said_to_be_reviewed_is_not_refreshed(project_copy):
    change_english(project_copy)
    path = export(project_copy, "vi", "po")
    po = polib.pofile(str(path))
    next(entry for entry in po if "fuzzy" in entry.flags).flags.remove("fuzzy")
    po.save(str(path))
    before = snapshot(project_copy / "content")
    assert import_(project_copy, path) == 0
    assert snapshot(project_copy / "content") == before


@pytest.mark.parametrize("kind, store_class", [("xliff", Xliff2File), ("xliff12", Xliff1File)])
def test_an_xliff_edited_with_translate_toolkit_imports_into_exactly_those_blocks(
        project_copy, kind, store_class, capsys):
    change_english(project_copy)
    path = export(project_copy, "vi", kind)
    before = snapshot(project_copy / "content")
    store = store_class.parsefile(str(path))
    unit, old, new = RETRANSLATION["vi"]
    by_id = {u.getid().split("\x04")[-1]: u for u in store.units}   # 1.2: "file\x04unit"
    by_id[unit].target = str(by_id[unit].target).replace(old, new)
    stale = by_id["today:today.3"]
    assert stale.isfuzzy()
    stale.markfuzzy(False)
    path.write_bytes(bytes(store))
    assert import_(project_copy, path) == 0, capsys.readouterr().err
    changed = edited_lines(before, snapshot(project_copy / "content"))
    assert list(changed) == ["vi/02-years.md"]
    assert len(changed["vi/02-years.md"]) == 1 and new in changed["vi/02-years.md"][0]


@pytest.mark.parametrize("breakage, code", [
    ("tag", "XCHG-005"), ("number", "NUM-001"), ("unknown", "XCHG-001"),
    ("duplicate", "XCHG-003"), ("missing", "XCHG-002"), ("english", "XCHG-004"),
])
def test_a_broken_file_is_refused_whole_with_its_code(project_copy, breakage, code, capsys):
    path = export(project_copy, "vi", "po")
    po = polib.pofile(str(path))
    quoted = next(entry for entry in po if "<q1>" in entry.msgid and not entry.msgctxt.startswith("meta:"))
    numbered = next(entry for entry in po if any(c.isdigit() for c in entry.msgid)
                    and "<" not in entry.msgid and not entry.msgctxt.startswith("meta:"))
    plain = next(entry for entry in po if entry is not numbered and entry is not quoted
                 and not entry.msgctxt.startswith("meta:"))
    plain.msgstr = plain.msgstr + " "       # a harmless change, which alone would be imported
    if breakage == "tag":
        quoted.msgstr = quoted.msgstr.replace("</q1>", "")
    elif breakage == "number":
        digit = next(c for c in numbered.msgstr if c.isdigit())
        numbered.msgstr = numbered.msgstr.replace(digit, "9" if digit != "9" else "8", 1)
    elif breakage == "unknown":
        quoted.msgctxt = "nowhere:nothing.1"
    elif breakage == "duplicate":
        po.append(polib.POEntry(msgctxt=quoted.msgctxt, msgid=quoted.msgid, msgstr=quoted.msgstr))
    elif breakage == "missing":
        po.remove(quoted)
    else:
        quoted.msgid = quoted.msgid.replace("<q1>", "<q1>an ")
    po.save(str(path))
    before = snapshot(project_copy / "content")
    assert import_(project_copy, path) == 1
    err = capsys.readouterr().err
    assert f" {code} " in err
    if breakage in ("tag", "number", "unknown"):
        assert f"{Path('output/exchange/vi.po')}:" in err.replace(str(project_copy) + "/", "")
    assert "nothing imported" in err
    assert snapshot(project_copy / "content") == before


@pytest.mark.parametrize("kind", ["po", "xliff12"])
def test_translate_toolkit_reads_the_exported_files(project_copy, kind):
    change_english(project_copy)
    path = export(project_copy, "km", kind)
    tools = Path(sys.executable).parent
    for command in ([tools / "pocount", str(path)],
                    [tools / "pofilter", str(path), str(project_copy / "filtered")]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    count = subprocess.run([tools / "pocount", "--csv", str(path)], capture_output=True, text=True)
    header, row = count.stdout.strip().split("\n")[-2:]
    figures = dict(zip(header.split(","), row.split(",")))
    assert int(figures["Fuzzy Messages"]) == 1          # the unit whose English changed
    assert int(figures["Untranslated Messages"]) == 0
    assert int(figures["Translated Messages"]) == int(figures["Total Message"]) - 1


def test_translate_toolkit_reads_the_xliff_2_file(project_copy):
    path = export(project_copy, "km", "xliff")
    store = Xliff2File.parsefile(str(path))
    po = polib.pofile(str(export(project_copy, "km", "po")))
    assert [u.getid() for u in store.units] == [entry.msgctxt for entry in po]
    assert all(u.istranslated() for u in store.units)


def test_another_articles_reviewed_translations_fill_matching_units(project_copy, tmp_path, capsys):
    memory = tmp_path / "memory" / "content"
    shutil.copytree(project_copy / "content", memory)
    change_english(memory.parent)
    change_english(project_copy)
    retranslated = memory / "vi" / "03-today.md"
    text = retranslated.read_text(encoding="utf-8")
    last = text.rstrip("\n").split("\n")[-1]
    retranslated.write_text(text.replace(last, last.replace("lớn hơn", "rộng hơn")), encoding="utf-8")
    assert main(["refresh", "--lang", "vi", "--reviewed", "--content", str(memory)], root=project_copy) == 0
    path = export(project_copy, "vi", "po", "--memory", str(memory))
    entry = next(e for e in polib.pofile(str(path)) if e.msgctxt == "today:today.3")
    assert "rộng hơn" in entry.msgstr and "fuzzy" not in entry.flags and "exact match" in entry.comment
    # a close English in the memory is only a suggestion
    shutil.rmtree(memory)
    shutil.copytree(project_copy / "content", memory)
    original = memory / "en" / "03-today.md"
    original.write_text(original.read_text(encoding="utf-8").replace("larger house", "bigger house"),
                        encoding="utf-8")
    retranslated.write_text(text.replace(last, last.replace("lớn hơn", "rộng hơn")), encoding="utf-8")
    assert main(["refresh", "--lang", "vi", "--reviewed", "--content", str(memory)], root=project_copy) == 0
    path = export(project_copy, "vi", "po", "--memory", str(memory))
    entry = next(e for e in polib.pofile(str(path)) if e.msgctxt == "today:today.3")
    assert "fuzzy" in entry.flags and "suggestion from translation memory" in entry.comment
    assert "rộng hơn" in entry.msgstr
    # a suggestion nobody accepted is not written into the content
    before = snapshot(project_copy / "content")
    assert import_(project_copy, path) == 0
    assert snapshot(project_copy / "content") == before
    assert "not imported, still marked for review (fuzzy): today:today.3" in capsys.readouterr().out


def rewrite_every_unit(content: Path, lang: str) -> tuple:
    """Write every unit's own translation back through the import's Markdown and YAML writers;
    return the article before and after."""
    from publisher.exchange.apply import Change, _edited_files
    from publisher.exchange.catalog import load_catalog
    from publisher.exchange.units import tagged_to_markdown

    catalog = load_catalog(content, lang)
    changes = [Change(u, u.target.text if u.leaf is not None and u.leaf.kind == "alt"
                      else tagged_to_markdown(u.target.text, u.target.nodes), None)
               for u in catalog.units if u.target.text]
    for path, text in _edited_files(content, lang, changes).items():
        path.write_text(text, encoding="utf-8")
    return catalog, load_catalog(content, lang)


def assert_same_translation(before, after):
    assert [(u.id, u.target.text) for u in after.units] == [(u.id, u.target.text) for u in before.units]
    assert [(u.id, u.target.nodes) for u in after.units] == [(u.id, u.target.nodes) for u in before.units]
    assert after.target.metadata == before.target.metadata
    assert [s.blocks for s in after.target.sections] != [] and [
        (s.id, s.status, s.source_fingerprint) for s in after.target.sections] == [
        (s.id, s.status, s.source_fingerprint) for s in before.target.sections]


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_unit_written_back_reads_as_the_same_translation(project_copy, lang):
    before, after = rewrite_every_unit(project_copy / "content", lang)
    assert_same_translation(before, after)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_contents_units_written_back_read_as_the_same_translation(content_project, tmp_path,
                                                                        monkeypatch, lang):
    copy = tmp_path / "content"
    shutil.copytree(content_project.content, copy)
    monkeypatch.chdir(tmp_path)
    before, after = rewrite_every_unit(copy, lang)
    assert_same_translation(before, after)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_contents_round_trip_leaves_it_byte_identical(content_project, tmp_path, monkeypatch, lang):
    copy = tmp_path / "content"
    shutil.copytree(content_project.content, copy)
    monkeypatch.chdir(tmp_path)
    before = snapshot(copy)
    for kind in FORMATS:
        assert main(["export", "--lang", lang, "--to", kind, "--content", str(copy)], root=tmp_path) == 0
        assert main(["import", str(tmp_path / "output" / "exchange" / f"{lang}{FORMATS[kind]}"),
                     "--content", str(copy)], root=tmp_path) == 0
    assert snapshot(copy) == before


def test_a_metadata_text_is_written_into_its_yaml_value_alone(project_copy, articles):
    path = export(project_copy, "vi", "po")
    po = polib.pofile(str(path))
    standfirst = next(entry for entry in po if entry.msgctxt == "meta:standfirst")
    new = "Hôm nay, " + standfirst.msgstr[0].lower() + standfirst.msgstr[1:]
    standfirst.msgstr = new
    po.save(str(path))
    before = snapshot(project_copy / "content")
    assert import_(project_copy, path) == 0
    after = snapshot(project_copy / "content")
    assert [name for name in after if after[name] != before[name]] == ["vi/article.yaml"]
    old_lines = before["vi/article.yaml"].decode("utf-8").split("\n")
    new_lines = after["vi/article.yaml"].decode("utf-8").split("\n")
    start = old_lines.index("standfirst: >-")
    assert new_lines[:start + 1] == old_lines[:start + 1]
    assert new_lines[-len(old_lines) + start + 4:] == old_lines[start + 4:]
    exported = polib.pofile(str(export(project_copy, "vi", "po")))
    assert next(entry for entry in exported if entry.msgctxt == "meta:standfirst").msgstr == new

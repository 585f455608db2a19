"""The archive deposit: archival PDFs that are PDF/A-3u and carry their source, a BagIt bag of
every edition that validates, `verify` that names what changed, and editions and bag that are
the same bytes from any copy of the project on any day."""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import bagit
import pikepdf
import pytest
from pikepdf import pdfa

from publisher.check.extraction import TARGET, measure
from publisher.check.pdfa import (archival_problems, attachment_problems, identification_problems,
                                  pikepdf_problems, unicode_problems)
from publisher.cli import main
from publisher.languages import LANGUAGES
from publisher.model import plain_text
from publisher.pipeline import BuildReport
from publisher.render import FORMATS, VARIANTS, edition_keys
from publisher.render.archival import ArchivalFormat, source_files
from publisher.render.context import Project


ARCHIVAL = ArchivalFormat.filename


@pytest.fixture(scope="session")
def deposit(built, project, tmp_path_factory):
    """The deposit of the sample article's editions, made once, in a copy of their folder
    (the shared build stays as the build left it)."""
    from publisher.archive import deposit as make_deposit
    output = tmp_path_factory.mktemp("deposited") / "output"
    shutil.copytree(built, output)
    report = BuildReport()
    made = make_deposit(Project(project.root, project.content, output), report)
    assert made is not None, "\n".join(map(str, report.problems))
    assert not report.problems
    return made


def archival(built, lang) -> bytes:
    return (built / lang / ARCHIVAL).read_bytes()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_archival_pdf_says_it_is_pdfa_3u_and_describes_its_text(built, articles, lang):
    meta = articles[lang].metadata
    with pikepdf.open(built / lang / ARCHIVAL) as document:
        assert document.pdf_version == "1.7"
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert xmp.pdfa_status == "3U"
            assert xmp["dc:title"] == plain_text(meta.headline, LANGUAGES[lang].quotes)
            assert xmp["dc:language"] == {lang}
            assert xmp["dc:rights"] == plain_text(meta.rights, LANGUAGES[lang].quotes)
            assert xmp["xmp:CreateDate"].startswith(meta.edition_date.isoformat())
            assert xmp["dc:date"] == [meta.edition_date.isoformat()]
            if meta.translation:
                assert plain_text(meta.translation.method, LANGUAGES[lang].quotes) in next(iter(xmp["dc:contributor"]))
                assert xmp["dc:relation"]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_pikepdf_approves_each_archival_pdf_as_pdfa_3b(built, lang):
    """Its only finding is the conformance letter: the file claims U, the validator checks B."""
    report = pdfa.validate_written(io.BytesIO(archival(built, lang)), "3b")
    assert [f.rule.split(":")[-1] for f in report.findings] == ["6.6.4-3"], report.summary()
    assert "'U'" in report.findings[0].message
    assert pikepdf_problems(archival(built, lang), "shown") == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_archival_pdf_carries_its_sources_and_the_font_licence(built, project, lang):
    expected = source_files(project.content, lang)
    with pikepdf.open(built / lang / ARCHIVAL) as document:
        attached = document.attachments
        assert set(attached) == {name for name, _ in expected} | {"OFL.txt"}
        assert {n for n, _ in expected} >= {f"{lang}/article.yaml", "en/article.yaml", "glossary.yaml"}
        for name, path in expected:
            assert attached[name].get_file().read_bytes() == path.read_bytes(), name
            assert attached[name].obj.AFRelationship == "/Source"
        assert attached["OFL.txt"].obj.AFRelationship == "/Supplement"
        assert b"SIL OPEN FONT LICENSE" in attached["OFL.txt"].get_file().read_bytes()
        assert attachment_problems(document, "shown", [n for n, _ in expected]) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_glyph_of_an_archival_pdf_maps_to_unicode(built, lang):
    with pikepdf.open(built / lang / ARCHIVAL) as document:
        assert unicode_problems(document, "shown") == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_text_comes_back_from_each_archival_pdf(built, articles, lang):
    figures = measure(archival(built, lang), articles[lang], LANGUAGES[lang], ("poppler",))
    assert figures["poppler"].share >= TARGET
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    recorded = next(e for e in manifest["editions"] if e["path"] == f"{lang}/{ARCHIVAL}")
    assert recorded["text_fidelity"]["poppler"] >= TARGET


def test_the_checks_catch_what_an_archival_pdf_must_not_be(built, project):
    """A PDF that is not PDF/A, has lost a Unicode map or an attachment is refused."""
    plain = (built / "km" / "article.pdf").read_bytes()
    sources = [name for name, _ in source_files(project.content, "km")]
    codes = {p.code for p in archival_problems(plain, "km/article.pdf", sources)}
    assert {"PDFA-003", "PDFA-005"} <= codes
    with pikepdf.open(io.BytesIO(archival(built, "km"))) as document:
        font = next(iter(document.pages[0].Resources.Font.values()))
        del font["/ToUnicode"]
        del document.Root.Names.EmbeddedFiles
        assert [p.code for p in unicode_problems(document, "x")] == ["PDFA-004"]
        missing = attachment_problems(document, "x", sources)
        assert {p.code for p in missing} == {"PDFA-005"} and len(missing) == len(sources) + 1
        assert identification_problems(document, "x") == []


def test_the_bag_validates_and_holds_every_edition_and_the_source(deposit, built, project, articles):
    bag = bagit.Bag(str(deposit.bag))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Bagging-Date"] == articles["en"].metadata.edition_date.isoformat()
    assert bag.info["External-Identifier"] == articles["en"].metadata.identifier
    assert bag.info["Source-Organization"] == plain_text(articles["en"].metadata.publisher)
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert {(e["lang"], e["format"], e["variant"]) for e in manifest["editions"]} == \
        set(edition_keys(LANGUAGES, FORMATS, VARIANTS))
    payload = set(bag.payload_entries())
    for edition in manifest["editions"]:
        for record in edition["files"]:
            assert f"data/editions/{record['path']}" in payload
    for path in project.content.rglob("*"):
        if path.is_file():
            assert f"data/source/content/{path.relative_to(project.content).as_posix()}" in payload
    for lang in LANGUAGES:
        record = (deposit.bag / "metadata" / f"dc-{lang}.xml").read_text(encoding="utf-8")
        assert plain_text(articles[lang].metadata.headline, LANGUAGES[lang].quotes) in record
        assert f"metadata/dc-{lang}.xml" in bag.tagfile_entries()
    with tarfile.open(deposit.packed) as archive:
        names = archive.getnames()
        assert all(m.mtime == int(dt.datetime.combine(articles["en"].metadata.edition_date, dt.time(),
                                                      dt.timezone.utc).timestamp())
                   and m.uid == 0 and m.uname == "" for m in archive.getmembers())
    assert names == sorted(names) and f"{deposit.bag.name}/bagit.txt" in names


def test_verify_passes_a_good_copy_packed_or_not(deposit, capsys):
    assert main(["verify", str(deposit.bag)]) == 0
    assert main(["verify", str(deposit.packed)]) == 0
    assert main(["verify", str(deposit.bag.parent)]) == 0


def test_verify_names_each_file_that_changed_was_added_or_removed(deposit, tmp_path, capsys):
    copy = tmp_path / deposit.bag.name
    shutil.copytree(deposit.bag, copy)
    changed = copy / "data" / "editions" / "km" / "article.pdf"
    data = bytearray(changed.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    (copy / "data" / "editions" / "notes.txt").write_text("added\n", encoding="utf-8")
    (copy / "data" / "editions" / "site" / "vi" / "index.html").unlink()
    capsys.readouterr()
    assert main(["verify", str(copy)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{copy}/data/editions/km/article.pdf: BAG-001 its content changed: sha256 and sha512 differ "
        f"from the manifests — restore the file from another copy of the deposit",
        f"{copy}/data/editions/notes.txt: BAG-003 is listed in none of the bag's manifests — remove "
        f"it, or make the deposit again",
        f"{copy}/data/editions/site/vi/index.html: BAG-002 listed in the bag's manifests but missing — "
        f"restore the file from another copy of the deposit",
    ]


def test_verify_finds_an_archival_pdf_that_is_no_longer_pdfa(deposit, tmp_path, capsys):
    """Even with its checksums made again, a PDF that lost its sources is refused."""
    copy = tmp_path / deposit.bag.name
    shutil.copytree(deposit.bag, copy)
    target = copy / "data" / "editions" / "en" / ARCHIVAL
    with pikepdf.open(target, allow_overwriting_input=True) as document:
        del document.Root.Names.EmbeddedFiles
        document.save(target)
    manifest_path = copy / "data" / "editions" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    import hashlib
    for edition in manifest["editions"]:
        for record in edition["files"]:
            if record["path"] == f"en/{ARCHIVAL}":
                record["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    bagit.Bag(str(copy)).save(manifests=True)
    capsys.readouterr()
    assert main(["verify", str(copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"{copy}/data/editions/en/{ARCHIVAL}: PDFA-005")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_builds_in_other_folders_give_the_same_bytes(deposit, built, rebuilt, tmp_path, monkeypatch):
    """Every edition and the packed deposit, built again from a copy of the project elsewhere
    (no .git), in another working directory, are byte-identical."""
    output = tmp_path / "output"   # the deposit goes into a copy: ``rebuilt`` stays as built
    shutil.copytree(rebuilt.project.output, output)
    project = Project(rebuilt.project.root, rebuilt.project.content, output)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from publisher.archive import deposit as make_deposit
    again = make_deposit(project, BuildReport())
    assert again.packed.read_bytes() == deposit.packed.read_bytes()
    first = _files(built)
    second = {name: data for name, data in _files(output).items() if not name.startswith("deposit/")}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name] and name != "manifest.json"] == []
    # The manifest records the build's inputs (code, Python, pinned packages) for rebuilds;
    # everything else in it is the same, and the deposit leaves that record out.
    assert without_inputs(first["manifest.json"]) == without_inputs(second["manifest.json"])


def without_inputs(manifest: bytes) -> list:
    return [{k: v for k, v in e.items() if k != "inputs"} for e in json.loads(manifest)["editions"]]


def test_no_edition_carries_the_day_it_was_built(built, articles):
    """Dates come from the content: no file of any edition, nor any entry of an EPUB, says
    today (the sample's edition date is in the past)."""
    today = dt.date.today()
    assert articles["en"].metadata.edition_date != today
    marks = [today.strftime(f).encode() for f in ("%Y-%m-%d", "D:%Y%m%d", "%Y%m%d")]
    for path in sorted(built.rglob("*")):
        if not path.is_file() or path.name.endswith(".tar"):
            continue
        data = path.read_bytes()
        assert not any(mark in data for mark in marks), path
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for info in book.infolist():
                    assert info.date_time[:3] != (today.year, today.month, today.day), info.filename
                    assert not any(mark in book.read(info) for mark in marks), info.filename

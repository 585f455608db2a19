"""A build redoes only what changed, and several editions rendered at once are the same bytes
as one after another."""
from __future__ import annotations

import shutil
from pathlib import Path

from publisher.languages import LANGUAGES, SOURCE_LANGUAGE
from publisher.pipeline import build
from publisher.project import Project
from publisher.render import FORMATS, VARIANTS, edition_keys

# Enough editions to see what is rebuilt, few enough to build quickly: every language's PDF,
# the quickest edition to render (every edition is compared in
# test_editions_rendered_at_once_…, and the web page that carries others in
# test_a_missing_or_altered_file_is_built_again).
FORMATS_BUILT = ["pdf"]
VARIANTS_BUILT = ["standard"]


def snapshot(output: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under ``output``: its inode, modification time and bytes."""
    return {str(p.relative_to(output)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(output.rglob("*")) if p.is_file()}


def small_build(root: Path, output: Path, **options):
    return build(Project(root), list(LANGUAGES), FORMATS_BUILT, output,
                 variants=VARIANTS_BUILT, **options)


def test_a_build_with_nothing_changed_renders_and_rewrites_nothing(built, project, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(built, output)
    before = snapshot(output)
    report = build(project, list(LANGUAGES), list(FORMATS), output)
    assert report.rendered == [] and report.written == [] and not report.problems
    assert report.up_to_date == edition_keys(LANGUAGES, FORMATS, VARIANTS)
    assert snapshot(output) == before


def test_a_missing_or_altered_file_is_built_again(built, project, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(built, output)
    (output / "site" / "vi" / "index.html").unlink()
    (output / "km" / "article.epub").write_bytes(b"not a book")
    report = build(project, list(LANGUAGES), list(FORMATS), output)
    assert report.rendered == [("km", "epub", "standard"), ("vi", "html", "standard")]   # pages last
    written = [file.path for record in report.written for file in record.files]
    assert "km/article.epub" in written and "site/vi/index.html" in written
    for path in written:   # the same bytes as the first time
        assert (output / path).read_bytes() == (built / path).read_bytes(), path


def test_only_what_a_change_touches_is_rebuilt(project_copy, tmp_path):
    output = tmp_path / "output"
    first = small_build(project_copy, output)
    assert not first.problems
    everything = sorted(first.rendered)
    assert len(everything) == len(LANGUAGES)

    lang = "vi"
    section = sorted((project_copy / "content" / lang).glob("*.md"))[-1]
    text = section.read_text(encoding="utf-8")
    paragraph = last_paragraph(text)
    first_word = paragraph.split()[0]
    section.write_text(text.replace(paragraph, f"{first_word} {paragraph}"), encoding="utf-8")
    before = snapshot(output)
    report = small_build(project_copy, output)
    assert not report.problems
    assert sorted(report.rendered) == sorted(k for k in everything if k[0] == lang)
    after = snapshot(output)
    for name, state in before.items():
        if not name.startswith((f"{lang}/", f"site/{lang}/")) and name != "manifest.json":
            assert after[name] == state, f"{name} was rewritten"

    stylesheet = project_copy / "templates" / "styles" / "article.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert sorted(small_build(project_copy, output).rendered) == everything
    assert small_build(project_copy, output).rendered == []


def test_a_language_with_errors_keeps_its_editions_and_is_checked_again(project_copy, tmp_path):
    output = tmp_path / "output"
    assert not small_build(project_copy, output).problems
    lang = sorted(LANGUAGES.keys() - {SOURCE_LANGUAGE})[0]
    section = sorted((project_copy / "content" / lang).glob("*.md"))[0]
    section.write_text(section.read_text(encoding="utf-8") + "\n\n# A heading without id\n",
                       encoding="utf-8")
    before = snapshot(output)
    for _ in range(2):
        report = small_build(project_copy, output)
        assert report.failed and report.skipped == [lang] and report.rendered == []
        assert snapshot(output) == before


def test_editions_rendered_at_once_are_the_same_as_one_after_another(built, built_messages, rebuilt):
    """``built`` renders with two worker processes; ``rebuilt``, in its own process."""
    messages, report = rebuilt.messages, rebuilt.report
    assert snapshot_bytes(rebuilt.project.output) == snapshot_bytes(built)
    assert [m.split(" (")[0] for m in built_messages] == [m.split(" (")[0] for m in messages]
    assert [m.split(" → ")[0] for m in messages] == [
        f"[{n}/{len(report.rendered)}] {' '.join(key)}" for n, key in enumerate(report.rendered, 1)]


def snapshot_bytes(output: Path) -> dict[str, bytes]:
    return {name: state[2] for name, state in snapshot(output).items()}


def last_paragraph(markdown: str) -> str:
    """The section's last paragraph of running text."""
    return [p for p in markdown.split("\n\n") if p.strip() and p[0].isalpha()][-1].strip()

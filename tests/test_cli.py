"""The command line explains itself, and every command works on any article's folder."""
import shutil

import pytest

from publisher.cli import main

from tests.conftest import SAMPLE


@pytest.mark.parametrize("argv, words", [
    (["--help"], ["--lang", "--format", "--variant", "booklet,print,imposed", "--creep",
                 "--release", "--jobs", "--content", "--output", "check", "refresh", "deposit", "verify",
                 "export", "import", "serve"]),
    (["serve", "--help"], ["--port", "--host", "127.0.0.1", "--lang", "--content", "--output", "reload"]),
    (["deposit", "--help"], ["BagIt", "SHA-256", "SHA-512", "--content", "--output"]),
    (["verify", "--help"], ["PATH", "checksums", "one line per file"]),
    (["check", "--help"], ["--json", "table of sections", "--content", "--output"]),
    (["refresh", "--help"], ["--lang", "--section", "--reviewed", "--content", "--output"]),
    (["export", "--help"], ["--lang", "--to", "--out", "--memory", "--previous", "--content", "--output"]),
    (["import", "--help"], ["file", "--content", "--output"]),
])
def test_help(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for word in words:
        assert word in out


def test_every_command_takes_a_content_and_an_output_folder(tmp_path, monkeypatch, capsys):
    content, output = tmp_path / "next-article" / "content", tmp_path / "editions"
    shutil.copytree(SAMPLE, content)
    monkeypatch.chdir(tmp_path)
    folders = ["--content", str(content), "--output", str(output)]
    # each language's PDF, the quickest edition to build (a web page brings the booklet and EPUB it carries)
    assert main(["--quiet", "--format", "pdf", "--variant", "standard", *folders]) == 0
    assert sorted(p.name for p in output.iterdir() if p.name != ".build.lock") == ["en", "km", "manifest.json", "vi"]
    assert main(["check", *folders]) == 0
    assert (output / "check.json").is_file()
    english = content / "en" / "03-today.md"
    english.write_text(english.read_text(encoding="utf-8").replace("bigger house", "larger house"),
                       encoding="utf-8")
    assert main(["check", *folders]) == 1
    assert "next-article/content/vi/03-today.md:1: STALE-001" in capsys.readouterr().out
    assert main(["refresh", "--lang", "vi", *folders]) == 0
    assert main(["refresh", "--lang", "km", *folders]) == 0
    assert main(["check", *folders]) == 0

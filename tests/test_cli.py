"""The command line explains itself."""
import pytest

from publisher.cli import main


@pytest.mark.parametrize("argv, words", [
    (["--help"], ["--lang", "--format", "--variant", "booklet,print,imposed", "--creep",
                 "--release", "check", "refresh"]),
    (["check", "--help"], ["--json", "table of sections"]),
    (["refresh", "--help"], ["--lang", "--section", "--reviewed"]),
])
def test_help(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for word in words:
        assert word in out

"""The README's table of problem codes is the one the program uses."""
from pathlib import Path

from publisher.problems import CODES

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_lists_every_problem_code():
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    table = {row.split("|")[1].strip(" `"): (row.split("|")[2].strip(), row.split("|")[3].strip())
             for row in rows if "-" in row.split("|")[1]}
    assert table == CODES

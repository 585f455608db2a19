"""The README's table of problem codes is the one the program uses."""
import re
from pathlib import Path

from publisher.problems import CODES

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_lists_every_problem_code():
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    table = {row.split("|")[1].strip(" `"): (row.split("|")[2].strip(), row.split("|")[3].strip())
             for row in rows if re.fullmatch(r"[A-Z0-9]+-\d{3}", row.split("|")[1].strip(" `"))}
    assert table == CODES

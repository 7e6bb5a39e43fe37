"""The research notes the published figures were transcribed from (copies in tests/fixtures/research), read as the
tests of the figures need them: the tables' rows, the prose note's bullets, values written in words."""

from __future__ import annotations

import re
from pathlib import Path

NOTES_DIR = Path(__file__).parent.parent / "fixtures" / "research"
NOTES = NOTES_DIR / "published-figures.md"
MORE = NOTES_DIR / "published-figures-more.md"
THIRD = NOTES_DIR / "published-figures-2026.md"
COUNTRY_ROWS = {"DK", "NO", "SE", "FI", "IS", "Nordic"}
SECTIONS = {"Denmark": "DK", "Norway": "NO", "Sweden": "SE", "Finland": "FI", "Iceland": "IS"}
# how the notes write a share in words, as this project transcribes it
WORDS = {"1 in 10": 10, "1 in 4": 25, "half": 50, "more than half": 50, "over half": 50, "nearly half": 50,
         "more than every second": 50, "3 in 4": 75, "4 in 5": 80, "about 72 (each)": 72, "about 52": 52,
         "3 in 10": 30, "1 in 5": 20, "4 in 10": 40, "2 in 3": 67, "1 in 3": 33, "nearly 3 in 10": 30,
         "nearly 90": 90, "just over a quarter": 25, "about half": 50, "over 80": 80, "just under half": 50,
         "just under a quarter": 25}


def table_rows(path: Path) -> list[dict[str, str]]:
    """The main table of a note (published-figures-more.md or -2026.md) as dicts, one per figure row; a row whose
    address is "same URL as above" gets the row above's."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows: list[dict[str, str]] = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(header) and cells[0] in COUNTRY_ROWS:
            row = dict(zip(header, cells, strict=True))
            if row["source URL"].startswith("same URL as above") and rows:
                row["source URL"] = rows[-1]["source URL"]
            rows.append(row)
    return rows


def prose_percentages(path: Path) -> list[tuple[str, str, re.Match[str]]]:
    """Every number written with % in the bullets of a prose note: (country of its section, its bullet, the match)."""
    found = []
    country = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            country = next((code for name, code in SECTIONS.items() if line[3:].startswith(name)), None)
        elif line.startswith("- ") and country is not None:
            found += [(country, line, match) for match in re.finditer(r"(\d+(?:\.\d+)?)%", line)]
    return found


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("...", " ").replace("…", " ")).strip()


def value_of(text: str) -> float:
    """A row's value as a number: written in words (WORDS) or the number it starts with."""
    text = text.strip()
    if text in WORDS:
        return WORDS[text]
    return float(re.match(r"[\d.]+", text).group(0))

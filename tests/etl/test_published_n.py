"""Every n printed with a published figure says what it counts (responses, innovations, respondents), and the
research notes it was transcribed from count the same thing: Denmark 2021-23's 83% is of 1,611 responses; the
1,352 printed on CO-PI's pages are the innovative workplaces, the base of the latest-innovation questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.models.common import published_n_counts
from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.published import load_published_figures

NOTES = "\n".join(path.read_text(encoding="utf-8")
                  for path in sorted((Path(__file__).parent.parent / "fixtures" / "research").glob("*.md")))
FIGURES = load_published_figures(get_settings().published_figures_file, get_catalogue())
WITH_N = [f for f in FIGURES if f.n]
# words the notes use beside a count of each kind
WORDS = {"responses": ("responses", "responded", "workplaces"), "innovations": ("innovations",),
         "respondents": ("managers", "respondents", "replied")}


@pytest.mark.parametrize("figure", WITH_N, ids=lambda f: f.id)
def test_each_published_n_is_what_the_notes_count(figure) -> None:
    counts = published_n_counts({"unit": figure.unit})
    written = f"{figure.n:,}"
    lines = [line for line in NOTES.splitlines() if re.search(rf"(?<!\d)(?<!\d,){re.escape(written)}(?!\d|,\d)", line)]
    assert lines, f"{figure.id}: n = {written} is not in the research notes"
    assert any(any(word in line for word in WORDS[counts]) for line in lines), (figure.id, counts, lines)


def test_denmark_2021_23_share_is_of_its_responses_not_of_its_innovative_workplaces() -> None:
    (figure,) = [f for f in FIGURES if f.id == "dk-2021-innovative"]
    assert figure.n == 1611 and published_n_counts({"unit": figure.unit}) == "responses"
    assert "1,352" in figure.note and "innovative workplaces" in figure.note
    # no figure of a share of workplaces carries the innovative workplaces' base as its n
    assert not [f.id for f in FIGURES if f.n == 1352]
    # 1,352 / 1,611 is the unweighted share innovative (84%), close to the weighted 83% published
    assert round(1352 / 1611 * 100) == 84

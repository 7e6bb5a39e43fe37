"""Search text: accents and case folded in all six languages, words split."""

from __future__ import annotations

from app.search.text import fold, words


def test_fold_removes_accents_and_case_of_the_nordic_letters() -> None:
    assert fold("Nýsköpunarvogin ÆRØ Åland Þing Ðað straße Kööpenhamina") == \
        "nyskopunarvogin aero aland thing dad strasse koopenhamina"


def test_words_split_on_anything_but_letters_and_digits() -> None:
    assert words("Samarbeid med «private» (2018–19), 38 %") == ["samarbeid", "med", "private", "2018", "19", "38"]

"""Text as the search compares it: accents and case folded (Danish, Norwegian, Icelandic, Finnish and Swedish
letters included), split into words."""

from __future__ import annotations

import re
import unicodedata

# letters that decomposition does not reduce to a plain one
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ß": "ss", "ł": "l", "đ": "d"})
_WORD = re.compile(r"[a-z0-9]+")
# short function words of the six languages that a query may contain but no view needs to match
STOPWORDS = frozenset("""
    a an and or of the in on for to with by at is are what how who which
    og i pa av med for til om som er det den de en et eller
    och pa av med for till om som ar det den de en ett eller
    ja tai on ovat sen se
    og i a af med fyrir til um sem er thad hvad hver
""".split())


def fold(text: str) -> str:
    """Lower case without accents: 'Nýsköpun Ærø' -> 'nyskopun aero'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return _WORD.findall(fold(text))

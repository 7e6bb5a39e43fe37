"""Codebook texts (notes, wave descriptions, harmonised questions) in the page's language.

They are stored per language with English always present. A page shows the text in its own language and falls
back to English only where that translation is missing; the English fallback is marked ``lang="en"`` so a
screen reader pronounces it as English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dash import html


@dataclass(frozen=True)
class Shown:
    """A text as a page shows it, and the language it is in (the page's, or English as the fallback)."""

    text: str
    lang: str


def in_language(texts: Mapping[str, str], lang: str) -> Shown:
    """The text in ``lang``, else in English (always stored), else the empty text."""
    if texts.get(lang):
        return Shown(texts[lang], lang)
    return Shown(texts.get("en", ""), "en")


def text_in(texts: Mapping[str, str], lang: str) -> str:
    """The plain text in ``lang`` with the English fallback (for downloads, hover texts and titles)."""
    return in_language(texts, lang).text


def element(texts: Mapping[str, str], lang: str) -> str | html.Span:
    """The text for a page in ``lang``: a plain string, or a span marked as English where it falls back."""
    shown = in_language(texts, lang)
    return shown.text if shown.lang == lang else html.Span(shown.text, lang=shown.lang)


def note_element(note: Mapping[str, str], lang: str) -> str | html.Span:
    """A comparability note row (``note`` in ``note_lang``) for a page in ``lang``, marked where it is English."""
    return note["note"] if note["note_lang"] == lang else html.Span(note["note"], lang=note["note_lang"])


def published_measure(figure: Mapping[str, Any], ref: Any, lang: str) -> str | html.Span:
    """What a published figure measures: the harmonised indicator and option it maps to, in ``lang``; a figure
    that maps to none keeps its measure as transcribed, in English (marked so)."""
    indicator, option = figure.get("indicator"), figure.get("option")
    if indicator in ref.indicators and option:
        label = ref.label("indicator", indicator, lang)
        return label if option == "yes" else f"{label}: {ref.option_label(indicator, option, lang)}"
    return html.Span(figure["measure_en"], lang="en")

"""UI text catalogues (one JSON file per language in this folder) and locale-aware number formatting."""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from core.config import LANGUAGES

CATALOGUE_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"

# Native names of the languages, for the language switcher (each in its own language).
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "nb": "Norsk bokmål", "da": "Dansk", "sv": "Svenska", "fi": "Suomi", "is": "Íslenska",
}

# Precision of every value shown on screen (chart labels, hovers, tables, cards): whole percentage points.
# A 95% interval several points wide makes tenths noise; downloads and the API carry unrounded values.
DISPLAY_DECIMALS = 0

# CLDR locales behind each UI language (numbers, percentages and dates are written by babel from CLDR).
BABEL_LOCALES = {"en": "en_GB", "nb": "nb_NO", "da": "da_DK", "sv": "sv_SE", "fi": "fi_FI", "is": "is_IS"}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT_LANGUAGE]))


def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR number pattern ('#,##0', '#,##0\u00a0%') with exactly ``decimals`` fraction digits."""
    whole = pattern.rstrip("%\u00a0 ").rsplit(".", 1)[0]
    return pattern.replace(pattern.rstrip("%\u00a0 "), whole + ("." + "0" * decimals if decimals else ""), 1)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of ``lang`` (falls back to English for an unknown language)."""
    code = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return json.loads((CATALOGUE_DIR / f"{code}.json").read_text(encoding="utf-8"))


def t(lang: str, key: str, **values: object) -> str:
    """Translated text for ``key``, with ``{placeholders}`` filled; English, then the key, as fallbacks."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A number with the locale's decimal and thousands separators and minus sign ('' for missing)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if round(value, decimals) == 0:
        value = 0  # no '-0'
    return format_decimal(value, format=_with_decimals("#,##0", decimals), locale=_locale(lang))


def fmt_pct(share: float | None, lang: str, decimals: int = DISPLAY_DECIMALS) -> str:
    """A share in [0, 1] written as the locale writes a percentage, e.g. 0.811 -> '81%' (en) or '81 %' (sv)."""
    if share is None or not math.isfinite(share):
        return ""
    pattern = _locale(lang).percent_formats[None].pattern
    return format_percent(share, format=_with_decimals(pattern, decimals), locale=_locale(lang))


def fmt_ci(low: float | None, high: float | None, lang: str, decimals: int = DISPLAY_DECIMALS) -> str:
    """A 95% interval as 'low–high%'."""
    if low is None or high is None:
        return ""
    return f"{fmt_number(low * 100, lang, decimals)}–{fmt_number(high * 100, lang, decimals)}{percent_suffix(lang)}"


def fmt_date(value: date | None, lang: str) -> str:
    """A date as the locale writes it in medium length (CLDR), e.g. '23 Nov 2026', '23.11.2026'."""
    return format_date(value, "medium", locale=_locale(lang)) if value else ""


def percent_suffix(lang: str) -> str:
    """What follows the number in the locale's percentage ('%', or a no-break space and '%')."""
    pattern = _locale(lang).percent_formats[None].pattern
    return pattern[len(pattern.rstrip("%\u00a0 ")):]


def safe_lang(lang: object) -> str:
    """``lang`` when it is one of the UI languages, else the default (values from browsers are untrusted)."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE


def plotly_separators(lang: str) -> str:
    """Plotly's 'separators' layout string: decimal then thousands character (CLDR)."""
    return get_decimal_symbol(_locale(lang)) + get_group_symbol(_locale(lang))

"""UI text catalogues (one JSON file per language in this folder) and locale-aware number formatting."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from core.config import LANGUAGES

CATALOGUE_DIR = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "en"

# Native names of the languages, for the language switcher (each in its own language).
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "nb": "Norsk bokmål", "da": "Dansk", "sv": "Svenska", "fi": "Suomi", "is": "Íslenska",
}

# Decimal and thousands separators, and how a percentage is written (Nordic style sets a space before %).
_DECIMAL = {"en": ".", "nb": ",", "da": ",", "sv": ",", "fi": ",", "is": ","}
_THOUSANDS = {"en": ",", "nb": "\u00a0", "da": ".", "sv": "\u00a0", "fi": "\u00a0", "is": "."}
_PERCENT = {"en": "%", "nb": "\u00a0%", "da": "\u00a0%", "sv": "\u00a0%", "fi": "\u00a0%", "is": "%"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of ``lang`` (falls back to English for an unknown language)."""
    code = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return json.loads((CATALOGUE_DIR / f"{code}.json").read_text(encoding="utf-8"))


def t(lang: str, key: str, **values: object) -> str:
    """Translated text for ``key``, with ``{placeholders}`` filled; English, then the key, as fallbacks."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """A number with the locale's decimal and thousands separators ('' for missing)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if value < 0 and float(text) != 0 else ""
    grouped = _group(whole, _THOUSANDS.get(lang, ","))
    return sign + grouped + (_DECIMAL.get(lang, ".") + frac if frac else "")


def fmt_pct(share: float | None, lang: str, decimals: int = 1) -> str:
    """A share in [0, 1] written as a percentage, e.g. 0.811 -> '81.1%' (en) or '81,1 %' (sv)."""
    if share is None:
        return ""
    return fmt_number(share * 100, lang, decimals) + _PERCENT.get(lang, "%")


def fmt_ci(low: float | None, high: float | None, lang: str, decimals: int = 1) -> str:
    """A 95% interval as 'low–high%'."""
    if low is None or high is None:
        return ""
    return f"{fmt_number(low * 100, lang, decimals)}–{fmt_number(high * 100, lang, decimals)}{percent_suffix(lang)}"


def percent_suffix(lang: str) -> str:
    return _PERCENT.get(lang, "%")


def safe_lang(lang: object) -> str:
    """``lang`` when it is one of the UI languages, else the default (values from browsers are untrusted)."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE


def plotly_separators(lang: str) -> str:
    """Plotly's 'separators' layout string: decimal then thousands character."""
    return _DECIMAL.get(lang, ".") + _THOUSANDS.get(lang, ",")

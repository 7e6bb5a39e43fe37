"""UI text catalogues: complete in all six languages, and numbers written the local way."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from app.i18n import DISPLAY_DECIMALS, catalogue, fmt_ci, fmt_date, fmt_number, fmt_pct, plotly_separators, safe_lang, t
from core.config import LANGUAGES

APP_DIR = Path(__file__).resolve().parents[3] / "app"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def keys_used_in_code() -> set[str]:
    pattern = re.compile(r"\bt\([\w.]+,\s*\"([a-z0-9_-]+)\"")
    return {m for path in APP_DIR.rglob("*.py") for m in pattern.findall(path.read_text(encoding="utf-8"))}


def dynamic_keys() -> set[str]:
    keys = {f"nav_{p}" for p in ("overview", "compare", "profile", "types-values", "data")}
    keys |= {f"status_{s}" for s in ("ok", "suppressed", "not_asked", "not_covered", "no_data")}
    keys |= {f"base_{b}" for b in ("all_units", "innovative_units")}
    keys |= {f"aspect_{a}" for a in ("unit", "wording", "period", "population", "method", "coverage")}
    keys |= {f"published_{r}" for r in ("equal", "approx", "over", "under", "top")}
    keys |= {f"download_{f}" for f in ("png", "svg")}
    keys |= {f"problem_{p}" for p in ("unknown_param", "unknown_value", "repeated", "too_long", "too_many",
                                      "wave_country")}
    keys |= {f"official_obtained_{o}" for o in ("statbank", "pxweb", "transcription")}
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalogue_has_every_key_with_the_same_placeholders(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    assert set(other) == set(english)
    for key, text in other.items():
        assert text.strip(), f"{lang}:{key} is empty"
        assert placeholders(text) == placeholders(english[key]), f"{lang}:{key}"


@pytest.mark.parametrize("lang", ["nb", "da", "sv", "fi", "is"])
def test_nordic_catalogues_are_translated(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    same = [k for k in english if other[k] == english[k] and len(english[k]) > 12 and "{" not in english[k]]
    assert len(same) < 8, f"{lang}: untranslated {same[:10]}"


def test_every_key_the_code_uses_exists() -> None:
    missing = (keys_used_in_code() | dynamic_keys()) - set(catalogue("en"))
    assert not missing


def test_translation_fills_placeholders_and_falls_back() -> None:
    assert t("en", "n_below", min=10) == "n < 10"
    assert t("xx", "nav_compare") == "Compare"
    assert t("en", "no-such-key") == "no-such-key"
    assert safe_lang("fi") == "fi" and safe_lang("<script>") == "en" and safe_lang(None) == "en"


@pytest.mark.parametrize(("lang", "whole", "tenths"), [
    ("en", "81%", "81.1%"), ("nb", "81\u00a0%", "81,1\u00a0%"), ("da", "81\u00a0%", "81,1\u00a0%"),
    ("sv", "81\u00a0%", "81,1\u00a0%"), ("fi", "81\u00a0%", "81,1\u00a0%"), ("is", "81%", "81,1%"),
])
def test_percentages_per_locale(lang: str, whole: str, tenths: str) -> None:
    # shown values are whole percentage points (DISPLAY_DECIMALS); more only when asked for
    assert DISPLAY_DECIMALS == 0
    assert fmt_pct(0.8107, lang) == whole and fmt_pct(0.8107, lang, 1) == tenths


@pytest.mark.parametrize(("lang", "expected"), [("en", "23 Nov 2026"), ("da", "23. nov. 2026"),
                                                ("nb", "23. nov. 2026"), ("sv", "23 nov. 2026"),
                                                ("fi", "23.11.2026"), ("is", "23. nóv. 2026")])
def test_dates_per_locale(lang: str, expected: str) -> None:
    assert fmt_date(date(2026, 11, 23), lang) == expected and fmt_date(None, lang) == ""


@pytest.mark.parametrize(("lang", "expected"), [("en", "2,271"), ("da", "2.271"), ("is", "2.271"),
                                                ("sv", "2\u00a0271"), ("nb", "2\u00a0271"), ("fi", "2\u00a0271")])
def test_thousands_per_locale(lang: str, expected: str) -> None:
    assert fmt_number(2271, lang) == expected


def test_number_edge_cases() -> None:
    assert fmt_number(None, "en") == "" and fmt_number(float("nan"), "en") == ""
    assert fmt_number(1234567.891, "fi", 2) == "1\u00a0234\u00a0567,89"
    assert fmt_number(-0.0001, "en", 1) == "0.0"
    assert fmt_ci(0.793, 0.827, "en", 1) == "79.3–82.7%" and fmt_ci(None, 0.2, "en") == ""
    assert fmt_ci(0.793, 0.827, "sv") == "79–83\u00a0%" and fmt_pct(float("nan"), "en") == ""
    assert plotly_separators("en") == ".," and plotly_separators("da") == ",."
    assert plotly_separators("sv") == ",\u00a0" and plotly_separators("is") == ",."

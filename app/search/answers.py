"""A search result in the page's language: its title, its one-line answer (country, figure, kind of source) and
the address of the view it leads to."""

from __future__ import annotations

from typing import Any

from app.i18n import fmt_pct, t
from app.models.common import published_text, published_wave
from app.search.index import COUNTRY_MEASURE, FIGURE, MEASURE, Entry
from app.site.params import Known
from app.site.urls import link_to


def _measure_title(entry: Entry, known: Known, lang: str) -> str:
    ref = known.ref
    return f"{ref.label('indicator', entry.indicator, lang)}: {ref.option_label(entry.indicator, entry.option, lang)}"


def answer_line(entry: Entry, known: Known, lang: str) -> str:
    """'Iceland · 38% · published figure · 2021' (or official statistics, or a demo estimate with its wave)."""
    ref = known.ref
    if entry.kind == MEASURE:
        if not entry.real_countries:
            return t(lang, "search_answer_demo_only")
        return t(lang, "search_answer_measure",
                 countries=", ".join(ref.label("country", c, lang) for c in entry.real_countries))
    country = ref.label("country", entry.country, lang)
    if entry.figure is not None:
        level = "" if entry.figure["level"] == "all" else \
            f" ({ref.label('government_level', entry.figure['level'], lang)})"
        return " · ".join([country + level, published_text(entry.figure, lang), t(lang, "coverage_kind_published"),
                           published_wave(entry.figure, lang)])
    if entry.official is not None:
        return " · ".join([country, fmt_pct(entry.official["value"], lang, 0), t(lang, "coverage_kind_official"),
                           entry.official["wave_label"] or ""])
    if entry.estimate is not None:
        share, wave_key = entry.estimate
        kind = t(lang, "search_kind_demo") if entry.estimate_is_demo else t(lang, "coverage_kind_survey")
        return " · ".join([country, fmt_pct(share, lang, 0), kind, wave_key.split("-", 1)[1]])
    return " · ".join([country, t(lang, "status_not_asked")])


def result(entry: Entry, known: Known, lang: str) -> dict[str, Any]:
    """What the API answers and the box lists for one entry."""
    if entry.kind == FIGURE:
        figure = entry.figure
        return {"kind": FIGURE, "title": figure["measure_en"], "title_lang": "en",
                "answer": answer_line(entry, known, lang),
                "url": link_to("profile", lang, {"country": entry.country}), "country": entry.country,
                "indicator": None, "option": None}
    args = {"indicator": entry.indicator, "option": entry.option}
    title = _measure_title(entry, known, lang)
    if entry.kind == COUNTRY_MEASURE:
        args["countries"] = entry.country
        title = f"{title} – {known.ref.label('country', entry.country, lang)}"
        if entry.figure is not None or entry.official is not None:
            args["source"] = "published"
        if entry.level != "all":
            args["level"] = entry.level
    return {"kind": entry.kind, "title": title, "title_lang": lang, "answer": answer_line(entry, known, lang),
            "url": link_to("compare", lang, args), "country": entry.country, "indicator": entry.indicator,
            "option": entry.option}

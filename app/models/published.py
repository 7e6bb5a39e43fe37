"""Compare's published source: published figures and official statistics tables as bars of their own.

Real numbers as the national publications and statistics offices printed them, one bar per country and figure,
each with its programme, wave as published (or "wave not stated"), unit, relation ("about", "over") and citation,
and without a CI (the publications give none). ``source=auto`` opens a Compare view on them when every selected
wave is demo data and they cover at least two selected countries; the demo estimates are one switch away.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.data import queries
from app.data.db import Database
from app.data.queries import Wave
from app.i18n import fmt_pct, t
from app.models.common import published_n_counts, published_text, published_wave
from app.site.params import Known

PUBLISHED = "published"
SURVEY = "survey"
OFFICIAL = "official"
MIN_COUNTRIES = 2  # auto shows published figures only where they compare at least two countries
PUBLISHED_UNITS = ("workplaces", "units", "organisations", "innovations")
# the headline's units phrase for a published unit, where the unit is one of the survey units
UNIT_PHRASE = {"workplaces": "workplace", "units": "municipal_unit", "organisations": "organisation"}


class Selection(Protocol):
    """What the published figures of a view are chosen by (Compare's view has these fields)."""

    indicator: str
    option: str
    countries: tuple[str, ...]
    waves: tuple[str, ...]
    level: str
    sector: str


@dataclass(frozen=True)
class PublishedBar:
    """One published figure or official-table value of the view's measure, as printed."""

    kind: str  # 'published' (transcribed from a publication) or 'official' (an official statistics table)
    ident: str  # the figure's id, or the official table's id
    country: str
    country_label: str
    programme: str  # the programme, or for an official value its table and publisher
    wave_label: str | None  # None: the source names no wave
    wave_text: str  # the wave as shown: its label, or "wave not stated"
    wave_as_published: str | None
    value_pct: float | None  # None: printed without a number (e.g. 'among the top 2')
    relation: str  # equal, approx, over, under, top
    value_text: str  # as printed: '81%', 'about 75%', 'over 50%'
    unit: str  # published unit code, or an official table's unit in words
    unit_label: str  # '% of workplaces'
    citation: str
    source_url: str
    licence: str | None
    note: str  # scope, the source's period wording and notes (English)
    quote: str | None = None  # the source's words, verbatim, in its own language
    n: int | None = None

    @property
    def label(self) -> str:
        return f"{self.country_label} {self.wave_text}"

    @property
    def share(self) -> float | None:
        return None if self.value_pct is None else self.value_pct / 100


def unit_label(unit: str | None, lang: str) -> str:
    """What a published share counts, in words ('% of workplaces'), never the stored code."""
    return t(lang, f"published_unit_{unit}") if unit in PUBLISHED_UNITS else t(lang, "published_unit_other")


def _selected(country: str, programme: str | None, wave_label: str | None, known: Known,
              selected: set[str]) -> bool:
    """A figure of a loaded wave is shown only when that wave is selected; one that no loaded wave carries (its
    wave not stated, not loaded, or another programme) is shown for its country whatever waves are selected."""
    if wave_label is None:
        return True
    own = [w for w in known.waves_of(country) if w.wave_label == wave_label
           and (programme is None or w.programme == programme)]
    return not own or any(w.key in selected for w in own)


def published_bars(db: Database, view: Selection, known: Known, lang: str) -> list[PublishedBar]:
    """The view's published figures and official-table values, country by country (catalogue order), each
    country's figures by wave (not stated last), published figures before official values."""
    ref, selected = known.ref, set(view.waves)
    bars: list[PublishedBar] = []
    for f in queries.published_figures(db, countries=view.countries):
        if (f["indicator"], f["option"], f["level"], f["sector"]) != (view.indicator, view.option, view.level,
                                                                        view.sector):
            continue
        if not _selected(f["country"], f["programme"], f["wave_label"], known, selected):
            continue
        bars.append(PublishedBar(
            kind=PUBLISHED, ident=f["id"], country=f["country"], country_label=ref.label("country", f["country"], lang),
            programme=f["programme"], wave_label=f["wave_label"], wave_text=published_wave(f, lang),
            wave_as_published=f["wave_as_published"], value_pct=f["value_pct"], relation=f["relation"],
            value_text=published_text(f, lang), unit=f["unit"], unit_label=unit_label(f["unit"], lang),
            citation=f["citation"], source_url=f["source_url"], licence=None,
            note=" | ".join(x for x in (f["scope"], f["wave_as_published"], f["note"]) if x), quote=f["quote"],
            n=f["n"]))
    for v in queries.official_values(db, countries=view.countries, indicator=view.indicator, option=view.option):
        # shares only: a table of counts has no place on a percentage axis
        if (v["level"], v["sector"], v["size"], v["measure"]) != (view.level, view.sector, "all", "share"):
            continue
        if not _selected(v["country"], None, v["wave_label"], known, selected):
            continue
        value = None if v["value"] is None else v["value"] * 100
        bars.append(PublishedBar(
            kind=OFFICIAL, ident=v["table_id"], country=v["country"],
            country_label=ref.label("country", v["country"], lang), programme=f"{v['table_id']}, {v['publisher']}",
            wave_label=v["wave_label"], wave_text=v["wave_label"], wave_as_published=None, value_pct=value,
            relation="equal",
            value_text=fmt_pct(v["value"], lang, 0) if value is not None
            else t(lang, "official_no_figure", symbol=v["status"] or ".."),
            unit=v["unit"], unit_label=v["unit"], citation=v["citation"], source_url=v["source_url"],
            licence=v["licence"], note=v["note"] or ""))
    order = {c: i for i, c in enumerate(ref.countries)}
    kinds = {PUBLISHED: 0, OFFICIAL: 1}
    bars.sort(key=lambda b: (order.get(b.country, len(order)), b.wave_label is None, b.wave_label or "",
                             kinds[b.kind]))
    return bars


def resolve_source(requested: str, waves: Sequence[Wave], bars: Iterable[PublishedBar]) -> str:
    """The source a view shows: ``published`` or ``survey`` as asked; for ``auto``, the published figures when
    every selected wave is demo data and figures with a value exist for at least two selected countries."""
    if requested in (PUBLISHED, SURVEY):
        return requested
    countries = {b.country for b in bars if b.value_pct is not None}
    return PUBLISHED if all(w.is_demo for w in waves) and len(countries) >= MIN_COUNTRIES else SURVEY


def units_note(bars: Sequence[PublishedBar], lang: str) -> str | None:
    """The visible note when the bars count different things (workplaces, units, organisations, innovations):
    which unit each country's figures have. None when they share one unit."""
    by_unit: dict[str, list[str]] = {}
    for bar in bars:
        by_unit.setdefault(bar.unit_label, [])
        if bar.country not in by_unit[bar.unit_label]:
            by_unit[bar.unit_label].append(bar.country)
    if len(by_unit) < 2:
        return None
    return t(lang, "published_units_differ",
             detail="; ".join(f"{unit} ({', '.join(countries)})" for unit, countries in by_unit.items()))


def units_phrase_of(bars: Sequence[PublishedBar]) -> str:
    """The units key of the view's headline: the one survey unit all bars count, else 'mixed'."""
    phrases = {UNIT_PHRASE.get(b.unit, "mixed") for b in bars} or {"mixed"}
    return phrases.pop() if len(phrases) == 1 else "mixed"


def published_records(bars: Sequence[PublishedBar], view: Selection, labels: Mapping[str, str],
                      lang: str) -> list[dict[str, Any]]:
    """Flat rows for CSV, XLSX and JSON: the value as printed (no CI), its unit, relation, wave as published,
    kind and source on every row. ``labels`` gives the level, sector, indicator and option in words, and the
    view's comparability warning (the units note)."""
    return [{
        "row_type": bar.kind,
        "country_code": bar.country,
        "country": bar.country_label,
        "programme": bar.programme,
        "wave": bar.wave_text,
        "wave_as_published": bar.wave_as_published or bar.wave_label,
        "government_level_code": view.level, "government_level": labels["level"],
        "sector_code": view.sector, "sector": labels["sector"],
        "indicator_code": view.indicator, "indicator": labels["indicator"],
        "option_code": view.option, "option": labels["option"],
        "share_pct": bar.value_pct,
        "ci_low_pct": None,
        "ci_high_pct": None,
        "n": bar.n,
        "n_counts": published_n_counts({"unit": bar.unit}) if bar.n else None,
        "n_note": bar.value_text,
        "unit": bar.unit_label,
        "relation": bar.relation,
        "comparability_warnings": labels.get("warning", ""),
        "notes": " | ".join(x for x in (bar.note, bar.quote and f"“{bar.quote}”") if x),
        "data": t(lang, "data_official" if bar.kind == OFFICIAL else "data_published"),
        "source": bar.citation,
        "source_url": bar.source_url,
        "licence": bar.licence,
    } for bar in bars]

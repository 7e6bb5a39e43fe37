"""The search index: one entry per view a visitor may be looking for, with the words that find it.

Three kinds of entry:

- a *measure* (indicator x option, every country): its labels, harmonised question and topic in the six languages;
- a *measure in one country*: the country's names, the country's national question wordings and published
  figures (measure and verbatim quote) of that measure, on top of the measure's own words;
  it is found only through words of its own (a country's name, a national wording, a figure), so that a query
  naming no country lists measures first;
- a *published figure without a harmonised measure* (e.g. Iceland's 57% of state institutions using AI): its
  measure, quote and country, leading to the country's profile, which lists it.

Words are folded (accents and case) and a query word matches every indexed word it begins. Built once per data
version (kept per worker); a query touches only the words it begins.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.data import queries
from app.data.db import Database
from app.search.text import STOPWORDS, words
from app.site.params import Known

MEASURE = "measure"
COUNTRY_MEASURE = "country_measure"
FIGURE = "figure"
# how much a word found in each kind of text counts
WEIGHTS = {"label": 5.0, "country": 4.0, "question": 2.0, "wording": 2.0, "figure": 2.0, "topic": 1.0}
OWN_FIELDS = frozenset({"country", "wording", "figure"})  # a country entry's words of its own
# the index is kept in the shared cache under the data version: a change to how it is built changes this name
INDEX_NAME = "search_index:2"


@dataclass
class Entry:
    """One result a query may list: what it leads to and what its one-line answer is made of."""

    kind: str
    indicator: str | None
    option: str | None
    country: str | None
    figure: Mapping[str, Any] | None = None  # the published figure the answer quotes (best one)
    official: Mapping[str, Any] | None = None  # else an official table value
    estimate: tuple[float, str] | None = None  # else the latest demo/survey estimate: (share, wave key)
    estimate_is_demo: bool = True
    real_countries: tuple[str, ...] = ()  # for a measure: the countries with real figures
    level: str = "all"  # the level of the view the entry leads to (a figure of state institutions: 'state')


@dataclass
class SearchIndex:
    entries: list[Entry] = field(default_factory=list)
    vocabulary: list[str] = field(default_factory=list)  # sorted folded words
    postings: dict[str, dict[int, tuple[float, bool]]] = field(default_factory=dict)  # word -> entry -> (weight, own)

    def add(self, entry: Entry, texts: Iterable[tuple[str, str]]) -> None:
        """Index ``entry`` under ``texts``: (field, text) pairs."""
        number = len(self.entries)
        self.entries.append(entry)
        for name, text in texts:
            weight, own = WEIGHTS[name], name in OWN_FIELDS
            for word in words(text):
                best = self.postings.setdefault(word, {}).get(number)
                if best is None or weight > best[0] or (own and not best[1]):
                    self.postings[word][number] = (max(weight, best[0] if best else 0.0), own or bool(best and best[1]))

    def finish(self) -> SearchIndex:
        self.vocabulary = sorted(self.postings)
        return self

    def matches(self, prefix: str) -> dict[int, tuple[float, bool]]:
        """Entries of every indexed word that begins with ``prefix``: entry -> (best weight, own word)."""
        found: dict[int, tuple[float, bool]] = {}
        start = bisect.bisect_left(self.vocabulary, prefix)
        for word in self.vocabulary[start:]:
            if not word.startswith(prefix):
                break
            for number, (weight, own) in self.postings[word].items():
                old = found.get(number)
                found[number] = (max(weight, old[0]) if old else weight, own or bool(old and old[1]))
        return found

    def search(self, query: str, limit: int = 10) -> list[Entry]:
        """The entries that match every word of ``query`` (function words may go unmatched), best first."""
        terms = words(query)
        required = [w for w in terms if w not in STOPWORDS and len(w) > 1] or terms
        scores: dict[int, float] = {}
        own: set[int] = set()
        for position, term in enumerate(required):
            found = self.matches(term)
            if position == 0:
                scores = {n: weight for n, (weight, _) in found.items()}
            else:
                scores = {n: score + found[n][0] for n, score in scores.items() if n in found}
            own |= {n for n, (_, is_own) in found.items() if is_own}
            if not scores:
                return []
        kept = [n for n in scores if self.entries[n].kind != COUNTRY_MEASURE or n in own]
        # a measure before its countries when the scores tie; otherwise catalogue order
        kept.sort(key=lambda n: (-scores[n], self.entries[n].kind != MEASURE, n))
        return [self.entries[n] for n in kept[:limit]]


def _by_lang(texts: Mapping[str, str] | None) -> list[str]:
    return [text for text in (texts or {}).values() if text]


def build_index(db: Database, known: Known) -> SearchIndex:
    """The index of the loaded catalogue, waves, wordings and published figures (kept per worker and data
    version)."""
    return db.kept_in_process(INDEX_NAME, lambda: _build(db, known))


def _build(db: Database, known: Known) -> SearchIndex:
    # ---- load inputs ----
    ref = known.ref
    waves = list(known.waves)
    wave_ids = [w.id for w in waves]
    wave_of = {w.id: w for w in waves}
    wordings = queries.question_wordings(db, wave_ids=wave_ids) if wave_ids else []
    figures = queries.published_figures(db)
    official = queries.official_values(db)
    estimates = {(row["wave_id"], row["indicator"], row["option"]): row for indicator in ref.indicators
                 for row in (queries.estimates(db, wave_ids=wave_ids, indicator=indicator, levels=["all"],
                                               sectors=["all"]) if wave_ids else [])}

    # ---- process: the words of each measure, country and figure ----
    def labels(kind: str, code: str) -> list[str]:
        return _by_lang(ref.labels.get(f"{kind}:{code}"))

    country_names = {c: labels("country", c) for c in ref.countries}
    index = SearchIndex()
    for code, indicator in ref.indicators.items():
        measure_texts = [("label", text) for text in labels("indicator", code)] + \
            [("question", text) for text in _by_lang(ref.questions(code))] + \
            [("topic", text) for text in labels("topic", indicator.topic)]
        for option in indicator.options:
            option_texts = measure_texts + [("label", text) for text in labels("option", f"{code}.{option}")]
            mapped = [f for f in figures if (f["indicator"], f["option"]) == (code, option)]
            real = tuple(c for c in ref.countries if any(f["country"] == c for f in mapped if f["level"] == "all")
                         or any(v["country"] == c and (v["indicator"], v["option"]) == (code, option)
                                for v in official))
            index.add(Entry(MEASURE, code, option, None, real_countries=real), option_texts)
            for country in ref.countries:
                own_waves = [w for w in waves if w.country == country]
                own_figures = [f for f in mapped if f["country"] == country]
                texts = option_texts + [("country", name) for name in country_names[country]]
                texts += [("wording", r["national_wording"]) for r in wordings
                          if wave_of[r["wave_id"]].country == country and r["indicator"] == code
                          and r["option"] in ("", option) and r["national_wording"]]
                texts += [("figure", text) for f in own_figures for text in (f["measure_en"], f["quote"]) if text]
                index.add(_country_entry(code, option, country, own_figures, official, own_waves, estimates), texts)
    for f in figures:
        if f["indicator"] is None:
            index.add(Entry(FIGURE, None, None, f["country"], figure=f, level=f["level"]),
                      [("figure", f["measure_en"]), ("figure", f["quote"] or ""), ("label", f["programme"]),
                       *(("country", name) for name in country_names.get(f["country"], []))])
    # ---- save: the finished index ----
    return index.finish()


def _country_entry(indicator: str, option: str, country: str, figures: list[Mapping[str, Any]],
                   official: list[Mapping[str, Any]], waves: list, estimates: Mapping) -> Entry:
    """The entry of one measure in one country, with what its answer quotes: the latest published figure of
    the whole public sector (else of a narrower level), else an official value, else the latest estimate."""
    def recency(f: Mapping[str, Any]) -> tuple[bool, bool, str]:
        return (f["level"] == "all", f["wave_label"] is not None, f["wave_label"] or "")

    valued = [f for f in figures if f["value_pct"] is not None or f["relation"] == "top"]
    best = max(valued, key=recency) if valued else None
    values = [v for v in official if v["country"] == country and (v["indicator"], v["option"]) == (indicator, option)
              and v["value"] is not None and (v["level"], v["sector"], v["size"]) == ("all", "all", "all")]
    latest = None
    for wave in reversed(waves):
        cell = estimates.get((wave.id, indicator, option))
        if cell is not None and cell["share"] is not None:
            latest = (cell["share"], wave)
            break
    return Entry(COUNTRY_MEASURE, indicator, option, country, figure=best,
                 official=max(values, key=lambda v: v["wave_label"] or "") if values else None,
                 estimate=(latest[0], latest[1].key) if latest else None,
                 estimate_is_demo=latest[1].is_demo if latest else True,
                 level=best["level"] if best is not None and best["level"] != "all" else "all")

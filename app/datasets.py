"""The aggregates behind each page's view, as flat records plus metadata (for the JSON API and downloads).

One function per page takes the same parameters as the page URL, so a link, its JSON and its CSV always
show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.citation import Citation, cite_view
from app.i18n import t
from app.params import (
    CompareView,
    Known,
    Problem,
    ProfileView,
    TypesValuesView,
    View,
    parse_view,
    view_url,
)
from app.queries import Database
from app.viewmodels.compare import build_compare, compare_records
from app.viewmodels.overview import build_overview, overview_records
from app.viewmodels.profile import build_profile, profile_records
from app.viewmodels.sources import build_sources, sources_records
from app.viewmodels.types_values import build_types_values, types_values_records

STATISTICS_EN = (
    "Weighted share p = Σ w·y / Σ w over the units in the base that answered the item; effective sample size "
    "(Kish) n_eff = (Σ w)² / Σ w²; 95% confidence interval: Wilson score interval at n_eff."
)


@dataclass
class Dataset:
    page: str
    view: View
    lang: str
    title: str
    records: list[dict[str, Any]]
    url: str
    warnings: list[dict[str, str]] = field(default_factory=list)
    demo: str | None = None
    notes: list[str] = field(default_factory=list)

    def citation(self, base_url: str) -> Citation:
        """How to cite this view (APA and BibTeX), with its full address."""
        return cite_view(self.title, self.records, base_url + self.url)

    def meta(self, min_cell_n: int | None) -> dict[str, Any]:
        return {
            "page": self.page, "title": self.title, "url": self.url, "lang": self.lang,
            "parameters": self.view.query(),
            "comparability_warnings": self.warnings,
            "demo": self.demo,
            "notes": self.notes,
            "method": {"statistics": STATISTICS_EN, "nordic_average": t("en", "nordic_method")},
            "privacy": privacy_note(min_cell_n),
        }


def privacy_note(min_cell_n: int | None) -> str:
    limit = min_cell_n if min_cell_n is not None else "the minimum cell size"
    return (f"Cells with fewer than {limit} units are suppressed (primary), and further cells are suppressed so "
            "that none can be recovered by differencing (complementary). A suppressed cell has no share, CI or n "
            "here; only aggregates are published, never workplace-level rows.")


def build_dataset(db: Database, page: str, args: dict[str, list[str]], lang: str,
                  known: Known) -> tuple[Dataset | None, list[Problem]]:
    """The records of ``page``'s view for ``args``; (None, problems) when a parameter is not valid."""
    view, problems = parse_view(page, args, known)
    if problems:
        return None, problems
    url = view_url(page, lang, view)
    if page == "compare":
        assert isinstance(view, CompareView)
        result = build_compare(db, view, lang, known)
        return Dataset(page, view, lang, f"{result.title} ({result.subtitle})", compare_records(result), url,
                       warnings=[{"aspect": w.aspect, "text": w.text, "details": list(w.details)}
                                 for w in result.warnings], demo=result.demo,
                       notes=[result.question]), []
    if page == "profile":
        assert isinstance(view, ProfileView)
        profile = build_profile(db, view, lang, known)
        return Dataset(page, view, lang, f"{profile.title} ({profile.subtitle})", profile_records(profile), url,
                       demo=profile.demo, notes=[n["note_en"] for n in profile.notes]), []
    if page == "types-values":
        assert isinstance(view, TypesValuesView)
        tv = build_types_values(db, view, lang, known)
        return Dataset(page, view, lang, f"{tv.title} ({tv.subtitle})", types_values_records(tv), url,
                       demo=tv.demo, notes=[t(lang, "tv_how_text"), t(lang, "tv_how_overlap")]), []
    if page == "overview":
        overview = build_overview(db, known, lang)
        demo = t(lang, "overview_demo") if overview.any_demo else None
        return Dataset(page, view, lang, t(lang, "overview_title"), overview_records(overview, lang), url,
                       demo=demo), []
    sources = build_sources(db, known)
    return Dataset(page, view, lang, t(lang, "data_title"), sources_records(sources), url), []

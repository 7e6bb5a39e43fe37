"""The aggregates behind each page's view, as flat records plus metadata (for the JSON API and downloads).

Each page module's ``dataset`` builds its records from the view parsed from the same parameters as the page
URL, so a link, its JSON and its CSV always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.data.db import Database
from app.data.queries import Wave
from app.exports.citation import Citation, cite_view
from app.models.method import method_record
from app.site.params import Known, Problem, View
from app.site.registry import Page
from app.site.urls import view_url


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
    extra: dict[str, Any] = field(default_factory=dict)  # a view's own parts of the answer (Compare: differences)
    waves: tuple[Wave, ...] = ()  # the loaded waves, whose declared designs the method states

    def citation(self, base_url: str) -> Citation:
        """How to cite this view (APA and BibTeX), with its full address."""
        return cite_view(self.title, self.records, self.url, base_url)

    def meta(self, min_cell_n: int | None) -> dict[str, Any]:
        return {
            "page": self.page, "title": self.title, "url": self.url, "lang": self.lang,
            "parameters": self.view.query(),
            "comparability_warnings": self.warnings,
            "demo": self.demo,
            "notes": self.notes,
            "method": method_record(self.waves),
            "privacy": privacy_note(min_cell_n),
            **self.extra,
        }


def privacy_note(min_cell_n: int | None) -> str:
    limit = min_cell_n if min_cell_n is not None else "the minimum cell size"
    return (f"Cells with fewer than {limit} units are suppressed (primary), and further cells are suppressed so "
            "that none can be recovered by differencing (complementary). A suppressed cell has no share, CI or n "
            "here; only aggregates are published, never workplace-level rows.")


def build_dataset(db: Database, page: Page, args: dict[str, list[str]], lang: str,
                  known: Known) -> tuple[Dataset | None, list[Problem]]:
    """The records of ``page``'s view for ``args``; (None, problems) when a parameter is not valid."""
    view, problems = page.parse(args, known)
    if problems:
        return None, problems
    dataset = page.dataset(db, view, lang, known, view_url(page, lang, view))
    dataset.waves = known.waves
    return dataset, []

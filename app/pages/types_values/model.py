"""Types x values: one of the catalogue's cross-tabs for one wave, from the precomputed cells.

Rows are the options of the cross-tab's row indicator (units that chose that option) plus a margin row of every
unit asked the column question (table estimate of the column indicator); columns are the column indicator's
options asked in the wave. The default cross-tab, innovation type x value achieved, keeps the page's own
wording; any other is named from its two indicators' labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.data import queries
from app.data.db import Database
from app.data.queries import CrossTab, Reference, Wave
from app.i18n import t
from app.models.common import demo_label, export_statistics, n_text
from app.pages.types_values.view import DEFAULT_CROSSTAB, TypesValuesView
from app.site.params import Known

ALL_ROW = "all_innovative"  # the margin row's code in records (kept from when every margin was of innovative units)


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    data: dict[str, Any] | None  # None: no cell (item not asked, or nobody in it)
    n_text: str

    @property
    def share(self) -> float | None:
        return self.data["share"] if self.data and not self.data["suppressed"] else None


@dataclass(frozen=True)
class Wording:
    """How the page names a cross-tab of one wave and its parts, in one language."""

    title: str
    subtitle: str
    row_heading: str  # heading of the table's first column
    margin_row: str
    not_available: str  # when the wave did not ask both questions
    how: tuple[str, ...]  # how to read it (page, JSON and downloads)


def crosstab_name(ref: Reference, tab: CrossTab, lang: str) -> str:
    """A cross-tab as the control lists it: its two indicators in ``lang``."""
    return f"{ref.label('indicator', tab.rows, lang)} × {ref.label('indicator', tab.columns, lang)}"


def _own(tab: CrossTab | None) -> bool:
    """Whether the page's own wording describes ``tab`` (None: the catalogue declares no cross-tab)."""
    return tab is None or tab.code == DEFAULT_CROSSTAB


def how_to_read(ref: Reference, code: str, lang: str) -> tuple[str, ...]:
    """How to read cross-tab ``code`` (page, JSON and downloads)."""
    tab = ref.cross_tabs.get(code)
    if _own(tab):
        return t(lang, "tv_how_text"), t(lang, "tv_how_overlap")
    return t(lang, "tv_crosstab_how_text", base=t(lang, f"base_{tab.base}")), t(lang, "tv_crosstab_how_overlap")


def wording(ref: Reference, tab: CrossTab | None, lang: str, *, country: str, wave: str, level: str,
            sector: str) -> Wording:
    if _own(tab):
        return Wording(t(lang, "tv_headline", country=country, wave=wave),
                       t(lang, "tv_chart_subtitle", level=level, sector=sector), t(lang, "tv_type_column"),
                       t(lang, "tv_all_row"), t(lang, "tv_not_available"), how_to_read(ref, DEFAULT_CROSSTAB, lang))
    rows, columns = ref.label("indicator", tab.rows, lang), ref.label("indicator", tab.columns, lang)
    return Wording(t(lang, "tv_crosstab_headline", crosstab=crosstab_name(ref, tab, lang), country=country, wave=wave),
                   t(lang, "tv_crosstab_subtitle", level=level, sector=sector, base=t(lang, f"base_{tab.base}")),
                   rows, t(lang, "tv_crosstab_all_row"),
                   t(lang, "tv_crosstab_not_available", rows=rows, columns=columns), how_to_read(ref, tab.code, lang))


@dataclass
class TypesValuesResult:
    view: TypesValuesView
    lang: str
    wave: Wave | None
    wording: Wording
    rows: list[tuple[str, str]]  # (code, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Cell]
    demo: str | None
    available: bool  # the wave asked both questions

    @property
    def title(self) -> str:
        return self.wording.title

    @property
    def subtitle(self) -> str:
        return self.wording.subtitle


def asked_options(ref: Reference, indicator: str | None, asked: set[tuple[str, str]]) -> list[str]:
    """The options of ``indicator`` a wave asked, in the catalogue's order."""
    options = ref.indicators[indicator].options if indicator in ref.indicators else ()
    return [o for o in options if (indicator, o) in asked]


def build_types_values(db: Database, view: TypesValuesView, lang: str, known: Known) -> TypesValuesResult:
    ref = known.ref
    tab = ref.cross_tabs.get(view.crosstab)  # None only when the catalogue declares no cross-tab
    wave = known.wave_by_key(view.wave) if view.wave else None
    asked = known.coverage.get(wave.id, set()) if wave else set()
    row_options = asked_options(ref, tab.rows if tab else None, asked)
    column_options = asked_options(ref, tab.columns if tab else None, asked)
    available = bool(tab and wave and row_options and column_options)
    words = wording(ref, tab, lang, country=ref.label("country", wave.country, lang) if wave else "",
                    wave=wave.wave_label if wave else "", level=ref.label("government_level", view.level, lang),
                    sector=ref.label("sector", view.sector, lang))
    cells: dict[tuple[str, str], Cell] = {}
    if available:
        for c in queries.cross_tab_cells(db, cross_tab=tab.code, wave_ids=[wave.id], level=view.level,
                                         sector=view.sector):
            cells[(c["row_option"], c["column_option"])] = Cell(c["row_option"], c["column_option"], c,
                                                                n_text(c, lang))
        for c in queries.estimates(db, wave_ids=[wave.id], indicator=tab.columns, levels=[view.level],
                                   sectors=[view.sector]):
            cells[(ALL_ROW, c["option"])] = Cell(ALL_ROW, c["option"], c, n_text(c, lang))
    rows = [(ALL_ROW, words.margin_row)] + [(o, ref.option_label(tab.rows, o, lang)) for o in row_options]
    columns = [(o, ref.option_label(tab.columns, o, lang)) for o in column_options]
    return TypesValuesResult(view=view, lang=lang, wave=wave, wording=words, rows=rows, columns=columns, cells=cells,
                             demo=demo_label([wave] if wave else [], lang), available=available)


def empty_notice(result: TypesValuesResult, ref: Reference) -> str | None:
    """Why the view has no grid to show (the wave did not ask both questions, or no cell has data), else None:
    the page and its slide say the same."""
    if not result.available:
        return result.wording.not_available
    if not any(cell.data is not None for cell in result.cells.values()):  # a grid of dashes says nothing
        lang, view = result.lang, result.view
        return t(lang, "tv_no_data", country=ref.label("country", result.wave.country, lang),
                 wave=result.wave.wave_label, level=ref.label("government_level", view.level, lang),
                 sector=ref.label("sector", view.sector, lang))
    return None


def types_values_records(result: TypesValuesResult) -> list[dict[str, Any]]:
    """One record per cell; ``type_*`` name its row option and ``value_*`` its column option, whichever
    cross-tab it is (the fields API clients have read since the page showed one cross-tab only)."""
    lang, wave = result.lang, result.wave
    records = []
    for row_code, row_label in result.rows:
        for col_code, col_label in result.columns:
            cell = result.cells.get((row_code, col_code))
            data = cell.data if cell else None
            ok = data is not None and not data["suppressed"]
            records.append({
                "country_code": wave.country if wave else None, "programme": wave.programme if wave else None,
                "wave": wave.wave_label if wave else None, "government_level_code": result.view.level,
                "sector_code": result.view.sector, "type_code": row_code, "type": row_label,
                "value_code": col_code, "value": col_label,
                "status": "ok" if ok else ("suppressed" if data else "no_cell"),
                **export_statistics(data, ok, "" if ok or cell is None else cell.n_text),
                "data": (t(lang, "data_demo") if wave.is_demo else t(lang, "data_real")) if wave else "",
                "source": wave.citation if wave else None, "source_url": wave.source_url if wave else None,
            })
    return records

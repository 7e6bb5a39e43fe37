"""Types x values: which innovation types go with which values achieved, from the precomputed cross-tab.

Rows are the innovation types (units that introduced that type) plus a margin row of all innovative units
(table estimate, indicator 'value'); columns are the values asked in the wave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.data import queries
from app.data.db import Database
from app.data.queries import Wave
from app.i18n import t
from app.models.common import demo_label, export_statistics, n_text
from app.pages.types_values.view import TypesValuesView
from app.site.params import Known

TYPE_INDICATOR = "innovation_type"
VALUE_INDICATOR = "value"
ALL_ROW = "all_innovative"


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    data: dict[str, Any] | None  # None: no cell (item not asked, or nobody in it)
    n_text: str

    @property
    def share(self) -> float | None:
        return self.data["share"] if self.data and not self.data["suppressed"] else None


@dataclass
class TypesValuesResult:
    view: TypesValuesView
    lang: str
    wave: Wave | None
    rows: list[tuple[str, str]]  # (code, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], Cell]
    title: str
    subtitle: str
    demo: str | None
    available: bool  # the wave asked both questions


def build_types_values(db: Database, view: TypesValuesView, lang: str, known: Known) -> TypesValuesResult:
    ref = known.ref
    wave = known.wave_by_key(view.wave) if view.wave else None
    asked = known.coverage.get(wave.id, set()) if wave else set()
    types = [o for o in ref.indicators[TYPE_INDICATOR].options if (TYPE_INDICATOR, o) in asked]
    values = [o for o in ref.indicators[VALUE_INDICATOR].options if (VALUE_INDICATOR, o) in asked]
    available = bool(wave and types and values)
    cells: dict[tuple[str, str], Cell] = {}
    if available:
        for c in queries.type_value(db, wave_ids=[wave.id], level=view.level, sector=view.sector):
            cells[(c["type_code"], c["value_code"])] = Cell(c["type_code"], c["value_code"], c, n_text(c, lang))
        for c in queries.estimates(db, wave_ids=[wave.id], indicator=VALUE_INDICATOR, levels=[view.level],
                                   sectors=[view.sector]):
            cells[(ALL_ROW, c["option"])] = Cell(ALL_ROW, c["option"], c, n_text(c, lang))
    rows = [(ALL_ROW, t(lang, "tv_all_row"))] + [(o, ref.option_label(TYPE_INDICATOR, o, lang)) for o in types]
    columns = [(o, ref.option_label(VALUE_INDICATOR, o, lang)) for o in values]
    country = ref.label("country", wave.country, lang) if wave else ""
    return TypesValuesResult(
        view=view, lang=lang, wave=wave, rows=rows, columns=columns, cells=cells,
        title=t(lang, "tv_headline", country=country, wave=wave.wave_label if wave else ""),
        subtitle=t(lang, "tv_chart_subtitle", level=ref.label("government_level", view.level, lang),
                   sector=ref.label("sector", view.sector, lang)),
        demo=demo_label([wave] if wave else [], lang), available=available,
    )


def types_values_records(result: TypesValuesResult) -> list[dict[str, Any]]:
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

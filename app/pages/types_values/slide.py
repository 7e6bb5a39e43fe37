"""Types x values as a slide: the cross-tab as a grid of cells, or a notice saying why there is none."""

from __future__ import annotations

from app.components.chart_model import Grid, GridCell
from app.components.slide import Slide, SlideRequest, demo_line
from app.i18n import t
from app.models.common import export_footer
from app.pages.types_values.model import build_types_values, empty_notice


def slide(request: SlideRequest) -> Slide:
    view, lang, known = request.view, request.lang, request.known
    result = build_types_values(request.db, view, lang, known)
    waves = [result.wave] if result.wave else []
    notice = empty_notice(result, known.ref)
    grid = _grid(result, lang) if notice is None else None
    return Slide(request.page, view, lang, request.path, result.title, result.subtitle, None,
                 demo_line(result.demo, lang), export_footer(waves, lang), grid=grid, notice=notice)


def _grid(result, lang: str) -> Grid:
    cells = []
    for row_code, _ in result.rows:
        row_cells = []
        for col_code, _ in result.columns:
            cell = result.cells.get((row_code, col_code))
            if cell is None or cell.data is None:
                row_cells.append(GridCell(None, "", t(lang, "tv_no_cell")))
            else:
                shown = cell.share is not None
                row_cells.append(GridCell(cell.share, cell.n_text, "" if shown else t(lang, "suppressed_short"),
                                          cell.data["ci_low"] if shown else None,
                                          cell.data["ci_high"] if shown else None))
        cells.append(tuple(row_cells))
    return Grid(tuple(label for _, label in result.rows), tuple(label for _, label in result.columns), tuple(cells))

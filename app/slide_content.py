"""What one slide of a deck shows: a view named by its canonical address (path and query), read through the
same parsers and view models as its page, so a slide and its page can never show different numbers.

Both renderings of a slide start here: the light server-side SVG of a phone following a talk
(app/slide_render.py) and the self-contained offline deck (app/offline_deck.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from app.components.charts import ReferenceLine, wave_colour
from app.db import Database
from app.i18n import safe_lang, t
from app.pages.registry import COMPARE, PROFILE, TYPES_VALUES, Page
from app.params import CompareView, Known, ProfileView, TypesValuesView, View, parse_lang, parse_search
from app.urls import canonical_query, page_path, parse_path, to_search
from app.viewmodels.common import OK, export_footer, known
from app.viewmodels.compare import build_compare
from app.viewmodels.profile import build_profile
from app.viewmodels.types_values import build_types_values

SLIDE_PAGES: tuple[Page, ...] = (COMPARE, PROFILE, TYPES_VALUES)  # the pages whose views a slide can show


class SlidePathError(ValueError):
    """A slide address that names no view a slide can show (another page, or parameters that do not parse)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"slide {path!r}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class SlideItem:
    """One category of a CI chart: a bar (or dot) with its interval, or a note saying why it has none."""

    label: str
    colour: str
    share: float | None  # None: no value (suppressed, not asked, ...): ``note`` says why
    ci_low: float | None
    ci_high: float | None
    n_text: str  # 'n' as shown: the count, or for a suppressed cell only 'n < 10' (never the count)
    note: str
    published_pct: float | None = None


@dataclass(frozen=True)
class GridCell:
    share: float | None  # None: suppressed or no cell
    n_text: str
    note: str  # shown instead of a value


@dataclass(frozen=True)
class Grid:
    """A cross-tab (types x values): ``cells[r][c]`` for row r of ``rows`` and column c of ``columns``."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[GridCell, ...], ...]


@dataclass(frozen=True)
class Slide:
    page: Page
    view: View
    lang: str
    path: str  # canonical address of the view (parameters at their default left out)
    title: str
    subtitle: str
    warning: str | None  # one line: what is not fully comparable
    demo: str | None  # the demo label of the view's waves (None: real data only)
    sources: str  # source and licence lines, as exported images carry them
    kind: str = "bar"  # bar or dot
    axis: str = "fit"
    items: tuple[SlideItem, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()  # (colour, name) when the labels do not name the colours
    reference: ReferenceLine | None = None  # the Nordic average line
    grid: Grid | None = None
    notice: str | None = None  # nothing to draw, and why


def slide_view(db: Database, path: str, *, lang: str | None = None) -> tuple[Page, View, str, Known]:
    """The page, view and language a slide address names; SlidePathError when it names none a slide shows."""
    parts = urlsplit(path)
    route = parse_path(parts.path)
    if route.page not in SLIDE_PAGES or route.embed:
        raise SlidePathError(path, "not the address of a Compare, Country profile or Types x values view")
    args = parse_search(parts.query)
    path_lang, lang_problems = parse_lang(args, route.path_lang)
    facts = known(db)
    args = {k: v for k, v in args.items() if k not in ("lang", "present")}
    view, problems = route.page.parse(args, facts)
    if lang_problems or problems:
        wrong = ", ".join(f"{p.param}={p.value}" for p in [*lang_problems, *problems])
        raise SlidePathError(path, f"parameters that name no view: {wrong}")
    return route.page, view, safe_lang(lang or path_lang), facts


def canonical_path(page: Page, view: View, lang: str, facts: Known) -> str:
    return page_path(page, lang) + to_search(canonical_query(page, view, facts))


def read_slide(db: Database, path: str, *, lang: str | None = None) -> Slide:
    """Everything a slide of ``path`` shows, from the page's own view model."""
    page, view, lang, facts = slide_view(db, path, lang=lang)
    here = canonical_path(page, view, lang, facts)
    if page is COMPARE:
        return _compare_slide(db, view, lang, facts, here)
    if page is PROFILE:
        return _profile_slide(db, view, lang, facts, here)
    return _types_values_slide(db, view, lang, facts, here)


def _demo(demo: str | None, lang: str) -> str | None:
    return t(lang, "demo_chart") if demo else None


def _compare_slide(db: Database, view: CompareView, lang: str, facts: Known, here: str) -> Slide:
    from app.pages.compare import chart_items, nordic_reference  # the page's own chart categories

    result = build_compare(db, view, lang, facts)
    items = tuple(SlideItem(label=item.label, colour=item.colour, share=item.share, ci_low=item.ci_low,
                            ci_high=item.ci_high, n_text=row.n_text, note=item.note,
                            published_pct=item.published_pct)
                  for item, row in zip(chart_items(result), result.rows, strict=True))
    warning = t(lang, "warn_short", aspects=", ".join(t(lang, f"aspect_{w.aspect}") for w in result.warnings)
                ) if result.warnings else None
    return Slide(COMPARE, view, lang, here, result.title, result.subtitle, warning, _demo(result.demo, lang),
                 export_footer(result.waves, lang), kind=view.chart, axis=view.axis, items=items,
                 reference=nordic_reference(result))


def _profile_slide(db: Database, view: ProfileView, lang: str, facts: Known, here: str) -> Slide:
    result = build_profile(db, view, lang, facts)
    colours = {w.id: wave_colour(i) for i, w in enumerate(result.waves)}  # as the page's chart colours them
    items = []
    for c in result.cells:
        ok = c.status == OK and c.cell is not None
        note = c.status_text + (f" ({c.n_text})" if c.n_text and not ok and c.n_text not in c.status_text else "")
        items.append(SlideItem(label=f"{c.sector_label} · {c.wave.wave_label}", colour=colours[c.wave.id],
                               share=c.cell["share"] if ok else None, ci_low=c.cell["ci_low"] if ok else None,
                               ci_high=c.cell["ci_high"] if ok else None, n_text=c.n_text, note=note))
    legend = tuple((colours[w.id], f"{w.wave_label} · {w.programme}") for w in result.waves)
    notice = None if result.waves else t(lang, "profile_no_waves", country=result.country_label)
    return Slide(PROFILE, view, lang, here, result.title, result.subtitle, None, _demo(result.demo, lang),
                 export_footer(result.waves, lang), kind=view.chart, axis=view.axis, items=tuple(items),
                 legend=legend, notice=notice)


def _types_values_slide(db: Database, view: TypesValuesView, lang: str, facts: Known, here: str) -> Slide:
    result = build_types_values(db, view, lang, facts)
    waves = [result.wave] if result.wave else []
    notice = None
    if not result.available:
        notice = t(lang, "tv_not_available")
    elif not any(cell.data is not None for cell in result.cells.values()):
        notice = t(lang, "tv_no_data", country=facts.ref.label("country", result.wave.country, lang),
                   wave=result.wave.wave_label, level=facts.ref.label("government_level", view.level, lang),
                   sector=facts.ref.label("sector", view.sector, lang))
    cells = []
    for row_code, _ in result.rows:
        row_cells = []
        for col_code, _ in result.columns:
            cell = result.cells.get((row_code, col_code))
            if cell is None or cell.data is None:
                row_cells.append(GridCell(None, "", t(lang, "tv_no_cell")))
            else:
                row_cells.append(GridCell(cell.share, cell.n_text,
                                          "" if cell.share is not None else t(lang, "suppressed_short")))
        cells.append(tuple(row_cells))
    grid = Grid(tuple(label for _, label in result.rows), tuple(label for _, label in result.columns),
                tuple(cells)) if notice is None else None
    return Slide(TYPES_VALUES, view, lang, here, result.title, result.subtitle, None, _demo(result.demo, lang),
                 export_footer(waves, lang), grid=grid, notice=notice)

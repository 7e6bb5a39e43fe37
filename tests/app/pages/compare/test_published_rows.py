"""On Compare, every published figure shown sits on a bar of its own programme and wave (real loaded data)."""

from __future__ import annotations

from app.models.common import published_text
from app.pages.compare.model import build_compare
from app.pages.compare.view import CompareView
from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.published import load_published_figures

FIGURES = load_published_figures(get_settings().published_figures_file, get_catalogue())


def test_no_published_figure_on_a_row_of_another_programme_or_wave(db, facts) -> None:
    measures = sorted({(f.indicator, f.option, f.level, f.sector) for f in FIGURES if f.indicator})
    countries = tuple(sorted({w.country for w in facts.waves}))
    waves = tuple(w.key for w in facts.waves)
    shown = 0
    for indicator, option, level, sector in measures:
        view = CompareView(indicator, option, countries, waves, level, sector, source="survey")
        for row in build_compare(db, view, "en", facts).rows:
            if row.wave is None:
                continue
            own = [f for f in FIGURES if (f.country, f.programme, f.wave_label) ==
                   (row.country, row.wave.programme, row.wave.wave_label)
                   and (f.indicator, f.option, f.level, f.sector) == (indicator, option, level, sector)]
            if row.published:
                shown += 1
                assert own, f"{row.label}: {row.published} is not a figure of this programme and wave"
                assert row.published == published_text({**own[0].__dict__, "value_pct": own[0].value_pct}, "en")
            else:
                assert not own, f"{row.label}: its own figure {own[0].id} is not shown"
    assert shown >= 40


def test_ks_2018_state_row_shows_no_state_barometer_figure(db, facts) -> None:
    view = CompareView("innovative", "yes", ("NO",), tuple(w.key for w in facts.waves if w.country == "NO"),
                       "state", "all")
    assert all(row.published == "" for row in build_compare(db, view, "en", facts).rows)


def test_figure_without_wave_is_listed_beside_the_chart_with_wave_not_stated(db, facts) -> None:
    from app.pages.compare.model import compare_records

    view = CompareView("novelty", "copied", ("NO",), tuple(w.key for w in facts.waves if w.country == "NO"))
    result = build_compare(db, view, "en", facts)
    assert all("41" not in row.published for row in result.rows)
    assert [f["id"] for f in result.published_without_wave] == ["no-vpt-novelty-copied-municipal"]
    published = [r for r in compare_records(result) if r["row_type"] == "published"]
    assert len(published) == 1 and published[0]["share_pct"] == 41 and published[0]["wave"] == "wave not stated"
    assert "municipalities only" in published[0]["notes"]

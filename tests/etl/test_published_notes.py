"""Every published figure agrees with the research notes it was transcribed from (copies in tests/fixtures)."""

from __future__ import annotations

import re

import pytest

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.published import load_published_figures
from tests.etl.research_notes import MORE, NOTES, THIRD, normalise, table_rows, value_of

FIGURES = load_published_figures(get_settings().published_figures_file, get_catalogue())
QUOTED = [f for f in FIGURES if f.quote]
MORE_ROWS = table_rows(MORE)
THIRD_ROWS = table_rows(THIRD)
TABLE_ROWS = MORE_ROWS + THIRD_ROWS


def test_the_more_notes_table_is_parsed_whole() -> None:
    # the note's own count: DK 48, NO 19, FI 15, SE 8, IS 4, Nordic-wide 1
    assert len(MORE_ROWS) == 95
    # the third note's own count: DK 31, NO 2, SE 0, FI 5, IS 3
    assert len(THIRD_ROWS) == 41


@pytest.mark.parametrize("figure", QUOTED, ids=lambda f: f.id)
def test_quote_is_verbatim_in_the_notes(figure) -> None:
    notes = normalise("".join(path.read_text(encoding="utf-8") for path in (NOTES, MORE, THIRD)))
    for part in normalise(figure.quote).split("  "):
        assert part in notes, part


def _rows_quoting(figure) -> list[dict[str, str]]:
    quote = normalise(figure.quote or "")
    return [r for r in TABLE_ROWS if r["country"] == figure.country
            and normalise(r["verbatim quote"].strip('"')) == quote]


FROM_TABLE = [f for f in QUOTED if _rows_quoting(f)]


def test_every_more_figure_that_maps_to_an_indicator_is_loaded() -> None:
    mapped_rows = {("DK", "2015-2016", "nearly half"), ("DK", "2015-2016", "more than every second"),
                   ("DK", "2013-2014", "more than every second"), ("DK", "2013-2014", "22")}
    loaded = {(f.country, r["wave"], r["value"]) for f in FROM_TABLE for r in _rows_quoting(f)}
    assert mapped_rows <= loaded
    assert len(FROM_TABLE) >= 23
    # the Nordic report's five country figures are all there, with no wave
    nordic = {f.country: f.value_pct for f in FIGURES if f.programme.startswith("Measuring New Nordic Solutions")}
    assert nordic == {"IS": 78, "NO": 77, "DK": 80, "SE": 81, "FI": 95}


@pytest.mark.parametrize("figure", FROM_TABLE, ids=lambda f: f.id)
def test_figure_matches_its_row_in_the_more_notes(figure) -> None:
    rows = _rows_quoting(figure)
    same_source = [r for r in rows if r["source URL"].strip("/") == figure.source_url.strip("/")] or rows
    row = next((r for r in same_source if value_of(r["value"]) == figure.value_pct), same_source[0])
    assert value_of(row["value"]) == figure.value_pct, (row["value"], figure.value_pct)
    relation = {"about": "approx"}.get(row["relation"], row["relation"])
    if figure.relation != relation:  # a share written "4 in 10" is a point, not an interval
        assert (relation, figure.relation) in {("about", "equal")}
    wave = row["wave"].lower()
    if "unstated" in wave or "not stated" in wave:
        assert not figure.wave_stated, f"the notes give no wave, the figure says {figure.wave_label}"
        assert figure.calibration_target is None
    else:
        assert figure.wave_stated
        # the wave as this project labels it, or as the source labels it (Danmarks Statistik's "2022-2023")
        years = re.findall(r"20\d\d", figure.wave_label) + re.findall(r"20\d\d", figure.wave_as_published or "")
        assert any(year in wave for year in years), (figure.wave_label, wave)
    assert figure.source_url.strip("/") in row["source URL"].strip("/") or row["source URL"].startswith("seed")



# ---- reconciliation with the Confirmations section ----

def _figure(ident: str):
    return next(f for f in FIGURES if f.id == ident)


def test_vpt_copies_name_no_wave() -> None:
    for ident in ("dk-vpt-novelty-copied-municipal", "no-vpt-novelty-copied-municipal"):
        figure = _figure(ident)
        assert not figure.wave_stated and figure.calibration_target is None
        assert "municipalities only" in figure.scope


def test_danish_2017_report_is_the_2015_16_wave() -> None:
    figure = _figure("dk-2015-value-quality")
    assert figure.wave_label == "2015-16" and figure.wave_as_published.startswith("2017")


def test_dk_no_municipal_pairs_compare_dk_2015_16_with_ks_2018_municipalities_only() -> None:
    # the pairs whose page names no wave are loaded without one (wave_as_published gives COI's dating)
    pairs = [f for f in FIGURES if "De norske tal" in f.citation and f.wave_stated]
    assert len(pairs) == 10
    for figure in pairs:
        assert figure.level == "municipal" and "municipalities only" in figure.scope
        assert (figure.country, figure.wave_label) in {("DK", "2015-16"), ("NO", "2018")}
        assert "ikke direkte sammenlignelige" in figure.note


def test_digdir_work_with_innovation_is_the_state_barometer_and_not_mapped() -> None:
    for figure in (f for f in FIGURES if "Digdir" in f.programme):
        assert figure.level == "state" and figure.indicator is None
    assert {f.value_pct for f in FIGURES if "Digdir" in f.programme and "work with" in f.measure_en} == {85, 91, 90}


def test_seed_figures_are_ks_2018_with_the_verbatim_quote() -> None:
    confirmations = MORE.read_text(encoding="utf-8").split("## Confirmations")[1]
    seeded = [f for f in FIGURES if f.note and "KS results text" in f.note]
    assert len(seeded) == 16
    for figure in seeded:
        assert figure.country == "NO" and figure.wave_label == "2018"
        assert normalise(figure.quote) in normalise(confirmations)


def test_units_are_as_published() -> None:
    assert _figure("fi-2022-innovative").unit == "organisations"
    assert _figure("no-2018-innovative").unit == "units"
    assert _figure("no-2018-value-quality-health").unit == "units"
    assert _figure("dk-2021-partner-any-external").unit == "innovations"
    assert {f.unit for f in FIGURES if "response" in f.id} == {"other"}

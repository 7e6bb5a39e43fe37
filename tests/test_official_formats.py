"""Readers of the Nordic statistics formats (PC-Axis, JSON-stat 2.0, StatBank BULK) and the table mapping.

The fixtures (tests/fixtures/official/, see its README) hold the same cells of OIN01DK in each format, with
real published figures transcribed by hand: Statistics Denmark's 2018-19 level split 80 / 84 / 85 (Nyt
cid=40871) and the all-levels 81 % (CO-PI).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.errors import EtlError
from etl.official.formats import read_official, read_px
from etl.official.mapping import harmonise_official, load_mapping

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "official"
MAPPING = get_settings().official_mapping_dir / "OIN01DK.yaml"
FILES = {"px": "OIN01DK.px", "jsonstat": "OIN01DK.jsonstat.json", "statbank_bulk": "OIN01DK_bulk.csv"}

# (wave, level) -> published share; None where the sources give no figure
PUBLISHED = {
    ("2018-19", "all"): 0.81, ("2018-19", "municipal"): 0.80, ("2018-19", "regional"): 0.85,
    ("2018-19", "state"): 0.84,
    ("2015-16", "all"): None, ("2015-16", "municipal"): 0.80, ("2015-16", "regional"): 0.80,
    ("2015-16", "state"): 0.84,
}


@pytest.fixture(scope="module")
def mapping():
    return load_mapping(MAPPING, get_catalogue())


def harmonised(file_format: str, mapping, path: Path | None = None) -> pd.DataFrame:
    path = path or FIXTURES / FILES[file_format]
    return harmonise_official(read_official(path, file_format), mapping, path)


@pytest.mark.parametrize("file_format", sorted(FILES))
def test_each_format_gives_the_published_figures(file_format: str, mapping) -> None:
    rows = harmonised(file_format, mapping)
    assert set(rows["sector"]) == {"all"} and set(rows["size"]) == {"all"}
    assert set(zip(rows["indicator"], rows["option"], strict=True)) == {("innovative", "yes")}
    got = {(r.wave, r.level): (None if pd.isna(r.value) else round(r.value, 10)) for r in rows.itertuples()}
    assert got == PUBLISHED
    missing = rows[rows["value"].isna()]
    assert list(missing["status"]) == [".."]
    assert rows["ci_low"].isna().all() and rows["ci_high"].isna().all()  # the table publishes no CI


def test_px_and_jsonstat_and_bulk_load_into_the_same_harmonised_rows(mapping) -> None:
    px, jsonstat, bulk = (harmonised(f, mapping) for f in ("px", "jsonstat", "statbank_bulk"))
    pd.testing.assert_frame_equal(px, jsonstat)
    pd.testing.assert_frame_equal(px, bulk)


def test_px_reader_keeps_codes_labels_title_and_unit() -> None:
    table = read_px(FIXTURES / FILES["px"])
    assert table.dimensions == ("OFFSEKTOR", "BRANCHE", "STRGRP", "INNOTYPE", "Tid")
    assert table.labels["OFFSEKTOR"] == {"TOT": "Sektorer i alt", "KOM": "Kommuner", "REG": "Regioner",
                                         "STAT": "Staten"}
    # a text split over two lines is one value; the [en] variant of TITLE does not replace the main one
    assert table.title == ("Innovative offentlige arbejdssteder efter sektor, branche, størrelse, "
                           "innovationstype og tid")
    assert table.unit == "pct."
    # the last HEADING variable varies fastest: TOT 2015-16 is "..", TOT 2018-19 is 81
    first = table.frame.iloc[:2]
    assert list(first["Tid"]) == ["2015-2016", "2018-2019"]
    assert first["value"].isna().iloc[0] and first["value"].iloc[1] == 81.0


def test_px_file_in_latin1_is_decoded_by_its_codepage(tmp_path: Path) -> None:
    text = (FIXTURES / FILES["px"]).read_text(encoding="utf-8").replace('CODEPAGE="utf-8"', 'CODEPAGE="iso-8859-1"')
    path = tmp_path / "latin1.px"
    path.write_bytes(text.encode("iso-8859-1"))
    table = read_px(path)
    assert "størrelse" in table.title
    assert table.labels["INNOTYPE"] == {"INNOV": "Mindst én innovationstype"}


def test_a_table_publishing_confidence_limits_keeps_them(tmp_path: Path) -> None:
    # the limits in this fixture are invented for the test (see its label); the figures are the published ones
    text = MAPPING.read_text(encoding="utf-8").split("\ndimensions:")[0].replace("table: OIN01DK", "table: CITEST")
    text += ("\nfixed: {sector: all, size: all, indicator_option: innovative.yes}\n"
             "dimensions:\n"
             "  OFFSEKTOR: {to: level, codes: {KOM: municipal, REG: regional}}\n"
             "  Tid: {to: wave, codes: {'2018-2019': 2018-19}}\n"
             "  ESTIMAT: {to: statistic, codes: {PCT: value, NEDRE: ci_low, OEVRE: ci_high}}\n")
    (tmp_path / "CITEST.yaml").write_text(text, encoding="utf-8")
    mapping = load_mapping(tmp_path / "CITEST.yaml", get_catalogue())
    rows = harmonised("jsonstat", mapping, FIXTURES / "OIN01DK_ci.jsonstat.json")
    got = {r.level: (r.value, r.ci_low, r.ci_high) for r in rows.itertuples()}
    assert got == {"municipal": pytest.approx((0.80, 0.78, 0.82)), "regional": pytest.approx((0.85, 0.80, 0.89))}


def test_a_category_mapped_to_null_is_left_out(tmp_path: Path) -> None:
    text = MAPPING.read_text(encoding="utf-8").replace("TOT: all, KOM: municipal", "TOT: null, KOM: municipal")
    (tmp_path / "OIN01DK.yaml").write_text(text, encoding="utf-8")
    rows = harmonised("statbank_bulk", load_mapping(tmp_path / "OIN01DK.yaml", get_catalogue()))
    assert sorted(set(rows["level"])) == ["municipal", "regional", "state"]
    assert len(rows) == 6


BAD_FILES = [
    ("px", "data.px", lambda t: t.replace('VALUES("tid")="2015-2016","2018-2019";', ""),
     'keyword VALUES(\'tid\') is missing'),
    ("px", "data.px", lambda t: t.replace("84 84;", "84;"),
     "line 34, keyword DATA: 7 figures, but the variables sektor, branche, størrelse, innovationstype, tid make 8"),
    ("px", "data.px", lambda t: t.replace('CODES("sektor")="TOT","KOM","REG","STAT";', 'CODES("sektor")="TOT";'),
     "line 22, keyword CODES('sektor'): 1 codes for 4 values"),
    ("px", "data.px", lambda t: t.replace("80 85", "80 8x5"), "line 37, keyword DATA, figure 6: '8x5'"),
    ("px", "data.px", lambda t: t.replace("84 84;", "84 84"), "line 34: the entry starting here has no closing ';'"),
    ("px", "data.px", lambda t: t.replace("DECIMALS=0;", "DECIMALS 0;"), "line 6: entry 'DECIMALS 0' has no '='"),
    ("px", "data.px", lambda t: t.replace('"2015-2016","2018-2019";', '"2015-2016",,"2018-2019";', 1),
     "line 21, keyword VALUES: empty item in the list"),
    ("jsonstat", "data.json", lambda t: t.replace('"size": [\n  4,', '"size": [\n  3,'),
     "dimension 'OFFSEKTOR': 4 categories but size says 3"),
    ("jsonstat", "data.json", lambda t: t.replace('"value": [', '"value": [1,'),
     "keyword value: 9 figures, but size [4, 1, 1, 1, 2] makes 8 cells"),
    ("jsonstat", "data.json", lambda t: t.replace('"class": "dataset",', '"class": "dataset"'),
     "line 4: not valid JSON"),
    ("statbank_bulk", "data.csv", lambda t: t.replace(";INDHOLD", ";VALUE"),
     "line 1: the header must end with the figure column INDHOLD"),
    ("statbank_bulk", "data.csv", lambda t: t + "KOM;TOT;TOT;INNOV;2018-2019;79\n",
     "line 10: the cell {'OFFSEKTOR': 'KOM', 'BRANCHE': 'TOT', 'STRGRP': 'TOT', 'INNOTYPE': 'INNOV', "
     "'Tid': '2018-2019'} appears twice"),
]


@pytest.mark.parametrize(("file_format", "name", "damage", "message"), BAD_FILES,
                         ids=[f"{f}-{m[:30]}" for f, _n, _d, m in BAD_FILES])
def test_a_bad_file_names_file_line_and_keyword(file_format, name, damage, message, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(damage((FIXTURES / FILES[file_format]).read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(EtlError) as caught:
        read_official(path, file_format)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_variable_ids_match_the_mapping_whatever_their_case(mapping, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text((FIXTURES / FILES["statbank_bulk"]).read_text(encoding="utf-8").replace(";Tid;", ";TID;"),
                    encoding="utf-8")
    pd.testing.assert_frame_equal(harmonised("statbank_bulk", mapping, path), harmonised("px", mapping))


def test_a_file_whose_dimensions_differ_from_the_mapping_is_refused(mapping, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text((FIXTURES / FILES["statbank_bulk"]).read_text(encoding="utf-8").replace("STRGRP", "STR"),
                    encoding="utf-8")
    with pytest.raises(EtlError, match=r"not in the file: \['STRGRP'\]; not in the mapping: \['STR'\]"):
        harmonise_official(read_official(path, "statbank_bulk"), mapping, path)


@pytest.mark.parametrize(("change", "message"), [
    (("measure: share", "measure: percent"), "measure must be one of"),
    (("INNOV: innovative.yes", "INNOV: innovative.maybe"), "'innovative.maybe' is not a catalogue indicator.option"),
    (("table: OIN01DK", "table: OIN02DK"), "table 'OIN02DK' differs from the file name 'OIN01DK'"),
    (("    to: size\n", "    to: level\n"), "role 'level' must come from exactly one dimension"),
])
def test_a_bad_mapping_names_the_key(change: tuple[str, str], message: str, tmp_path: Path) -> None:
    path = tmp_path / "OIN01DK.yaml"
    path.write_text(MAPPING.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(EtlError, match="^" + str(path)) as caught:
        load_mapping(path, get_catalogue())
    assert message in str(caught.value)

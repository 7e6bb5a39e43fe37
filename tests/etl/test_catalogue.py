"""The catalogue's files are checked with pydantic: a fault names the file and the key, never a KeyError."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from core.config import get_settings
from etl.catalogue import load_catalogue
from etl.codebook import load_codebook
from etl.errors import CatalogueError, CodebookError


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    shutil.copytree(get_settings().catalogue_dir, tmp_path / "catalogue")
    return tmp_path / "catalogue"


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_bundled_countries_in_their_order_with_colour_blind_safe_colours() -> None:
    countries = load_catalogue(get_settings().catalogue_dir).countries
    assert list(countries) == ["DK", "NO", "SE", "FI", "IS"]
    assert {code: c.colour for code, c in countries.items()} == {
        "DK": "#D55E00", "NO": "#0072B2", "SE": "#E69F00", "FI": "#009E73", "IS": "#CC79A7"}  # Okabe-Ito
    assert countries["IS"].tile == (1, 1) and countries["DK"].tile == (2, 3)


@pytest.mark.parametrize(("change", "key"), [
    (lambda d: d["countries"]["SE"].pop("colour"), "countries.SE.colour"),
    (lambda d: d["countries"]["FI"].update(tile=[1]), "countries.FI.tile.1"),
    (lambda d: d["countries"]["DK"]["label"].pop("is"), "countries.DK.label"),
    (lambda d: d["countries"]["SE"].update(language="de"), "countries.SE.language"),
    (lambda d: d["countries"]["IS"].pop("language"), "countries.IS.language"),
    (lambda d: d.pop("sectors"), "sectors"),
])
def test_a_fault_in_the_dimensions_names_file_and_key(catalogue_dir: Path, change, key: str) -> None:
    edit(catalogue_dir / "dimensions.yaml", change)
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(catalogue_dir)
    assert str(catalogue_dir / "dimensions.yaml") in str(raised.value) and repr(key) in str(raised.value)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["cross_tabs"]["type_value"].pop("base"), "key 'cross_tabs.type_value.base': Field required"),
    (lambda d: d["cross_tabs"]["type_value"].update(columns="values"),
     "key 'cross_tabs.type_value.columns': unknown indicator 'values'"),
    (lambda d: d["indicators"]["novelty"].update(base="innovating"),
     "key 'indicators.novelty.base': unknown base 'innovating' (known: all_units, innovative_units)"),
    (lambda d: d["bases"]["innovative_units"].update(option="ja"),
     "key 'bases.innovative_units': unknown indicator option innovative.ja"),
])
def test_a_fault_in_the_indicators_names_file_and_key(catalogue_dir: Path, change, message: str) -> None:
    edit(catalogue_dir / "indicators.yaml", change)
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(catalogue_dir)
    assert str(raised.value) == f"{catalogue_dir / 'indicators.yaml'}: {message}"


def test_a_codebook_of_a_country_missing_from_the_catalogue_is_refused(tmp_path: Path) -> None:
    settings = get_settings()
    codebook = tmp_path / "2018.yaml"
    codebook.write_text((settings.codebook_dir / "se" / "2018.yaml").read_text(encoding="utf-8").replace(
        "country: SE", "country: XX"), encoding="utf-8")
    with pytest.raises(CodebookError, match=r"variable 'wave.country': unknown country 'XX' \(the catalogue "
                                            r"knows DK, NO, SE, FI, IS\)"):
        load_codebook(codebook, load_catalogue(settings.catalogue_dir))

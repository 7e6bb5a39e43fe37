"""Codebook texts (notes, wave descriptions, design statements) in six languages, English required."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from core.config import LANGUAGES, get_settings
from etl.catalogue import get_catalogue
from etl.codebook import load_codebook
from etl.design_statement import design_statement
from etl.errors import CodebookError

BUNDLED = sorted(get_settings().codebook_dir.glob("*/*.yaml"))


def write(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def is_2021() -> dict:
    return yaml.safe_load((get_settings().codebook_dir / "is" / "2021.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_every_bundled_note_and_description_is_in_all_six_languages(path: Path) -> None:
    codebook = load_codebook(path, get_catalogue())
    texts = [note.note for note in codebook.notes_with_design()]
    texts += [codebook.wave.reference_period, codebook.wave.population, codebook.wave.licence]
    if codebook.wave.response_rate:
        texts.append(codebook.wave.response_rate.of)
    for text in texts:
        assert set(text) == set(LANGUAGES), text["en"]
        # a translation that merely repeats the English is no translation (numbers-only texts aside)
        assert [lang for lang in LANGUAGES[1:] if text[lang] == text["en"]] == [], text["en"]


def test_a_plain_string_is_english_and_a_mapping_needs_english(tmp_path: Path, is_2021: dict) -> None:
    raw = copy.deepcopy(is_2021)
    raw["comparability_notes"] = [{"aspect": "unit", "note": "Only in English."}]
    codebook = load_codebook(write(tmp_path, raw), get_catalogue())
    assert codebook.comparability_notes[0].note == {"en": "Only in English."}

    raw["comparability_notes"] = [{"aspect": "unit", "note": {"nb": "Bare på norsk."}}]
    with pytest.raises(CodebookError, match=r"comparability_notes\.0\.note.*English text \(en\) is required"):
        load_codebook(write(tmp_path, raw), get_catalogue())
    raw["comparability_notes"] = [{"aspect": "unit", "note": {"en": "Unit.", "de": "Einheit."}}]
    with pytest.raises(CodebookError, match=r"unknown language\(s\) de"):
        load_codebook(write(tmp_path, raw), get_catalogue())


def test_a_response_rate_needs_its_source(tmp_path: Path, is_2021: dict) -> None:
    raw = copy.deepcopy(is_2021)
    raw["wave"]["response_rate"] = {"percent": 36, "of": "of workplaces asked"}
    with pytest.raises(CodebookError, match=r"wave\.response_rate\.citation"):
        load_codebook(write(tmp_path, raw), get_catalogue())


def test_the_design_statement_is_given_only_in_the_languages_of_the_designs_note(tmp_path: Path,
                                                                                  is_2021: dict) -> None:
    raw = copy.deepcopy(is_2021)
    raw["design"]["note"] = {"en": "Demo design.", "is": "Kynningarhönnun."}
    design = load_codebook(write(tmp_path, raw), get_catalogue()).design
    statement = design_statement(design)
    assert set(statement) == {"en", "is"}
    assert statement["en"] == ("Sampling design (strata: government level): confidence intervals use the design-based "
                               "effective sample size (Taylor linearisation, Korn-Graubard, adjusted for the design's "
                               "degrees of freedom). The effective n is at most the number of responses (n). Demo "
                               "design.")
    assert statement["is"].startswith("Úrtakshönnun (lagskipting: stjórnsýslustig): ")
    assert statement["is"].endswith("Kynningarhönnun.")
    assert set(design_statement(None)) == set(LANGUAGES)

"""Every bundled national file round-trips through its codebook, and the demo files are reproducible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.codebook import load_codebook
from etl.demo.generator import WaveGenerator, generate_wave, wave_targets
from etl.demo.spec import discover_specs, load_spec
from etl.pipeline import extract_and_harmonise

# regenerating every demo wave takes a minute of CPU: in `make test`, not in the unit tier
pytestmark = pytest.mark.slow

SETTINGS = get_settings()
SPECS = discover_specs(SETTINGS.demo_spec_dir)


def generated_and_loaded(spec_path):
    catalogue = get_catalogue()
    spec = load_spec(spec_path)
    codebook = load_codebook(SETTINGS.codebook_dir / spec.codebook, catalogue)
    frame = WaveGenerator(spec, codebook, catalogue, wave_targets(spec, codebook, SETTINGS, catalogue)).build()
    data, _ = extract_and_harmonise(codebook, catalogue, SETTINGS)
    return frame, data, codebook


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_file_harmonises_back_to_what_was_generated(spec_path) -> None:
    frame, data, codebook = generated_and_loaded(spec_path)

    respondents = data.respondents.set_index("national_id").sort_index()
    generated = frame.set_index("national_id").sort_index()
    assert list(respondents.index) == list(generated.index)
    np.testing.assert_allclose(respondents["weight"], generated["weight"], rtol=0, atol=5e-7)
    for column in ("government_level_code", "sector_code", "size_band_code"):
        expected = generated[column].where(generated[column].notna(), None)
        if column == "size_band_code" and codebook.respondent.size_band is None:
            continue
        if column == "sector_code" and codebook.respondent.sector is None:
            continue
        assert respondents[column].tolist() == expected.tolist(), column

    # every asked item: answered values equal, "don't know" and not-asked absent
    answers = data.answers.set_index(["indicator_code", "option_code", "national_id"])["selected"].sort_index()
    checked = 0
    for code, question in codebook.questions.items():
        options = list(question.items) if question.items else sorted(set(question.labels.values()))
        for option in options:
            column = generated[f"{code}.{option}"]
            valid = column[column >= 0]
            stored = answers.loc[(code, option)].sort_index() if (code, option) in answers.index else pd.Series()
            assert list(stored.index) == list(valid.index), f"{code}.{option}"
            assert stored.tolist() == (valid == 1).tolist(), f"{code}.{option}"
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bundled_file_is_what_the_generator_writes(spec_path) -> None:
    assert generate_wave(spec_path, SETTINGS, check_only=True) == []

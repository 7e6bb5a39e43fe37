"""The catalogue's rule for derived measures, as the demo data exercise it (Iceland 2021 has "Veit ekki" items)."""

from __future__ import annotations

import pandas as pd

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.codebook import load_codebook
from etl.pipeline import extract_and_harmonise
from tests.independent import read_codebook, unit_frame

SETTINGS = get_settings()
ITEMS = ["own_organisation", "other_public", "private_firms", "citizens", "research", "civil_society"]


def test_every_derived_measure_declares_its_rule() -> None:
    catalogue = get_catalogue()
    assert catalogue.indicators["innovative"].derived_rule == "any_yes"
    assert catalogue.indicators["evaluated"].derived_rule == "chosen_among"
    partner = {o.code: o.rule for o in catalogue.indicators["partner"].options if o.derived_any_of}
    assert partner == {"any_external": "any_yes", "outside_organisation": "any_yes"}


def test_any_partner_is_yes_if_any_item_yes_no_only_if_all_no_else_left_out() -> None:
    path = SETTINGS.codebook_dir / "is" / "2021.yaml"
    codebook = load_codebook(path, get_catalogue())
    data, _ = extract_and_harmonise(codebook, get_catalogue(), SETTINGS)
    raw = read_codebook(path)
    _units, answers = unit_frame(raw, SETTINGS.data_dir)
    ids = pd.Series(data.respondents["national_id"].to_numpy())
    items = pd.DataFrame({o: answers[f"partner.{o}"].to_numpy() for o in ITEMS})
    innovative = answers["innovative.yes"].to_numpy() == 1
    asked = innovative & items.notna().any(axis=1).to_numpy()
    some_yes = (items == 1).any(axis=1).to_numpy()
    all_no = (items == 0).all(axis=1).to_numpy()
    some_unanswered = items.isna().any(axis=1).to_numpy()

    stored = data.answers[(data.answers.indicator_code == "partner") & (data.answers.option_code == "any_external")]
    stored = stored.set_index("national_id")["selected"]
    yes_with_gaps = ids[asked & some_yes & some_unanswered]
    no_answer_but_gaps = ids[asked & ~some_yes & some_unanswered & ~all_no]
    assert len(yes_with_gaps) >= 3 and len(no_answer_but_gaps) >= 1  # the demo data exercise both cases
    assert stored.loc[yes_with_gaps].all()
    assert not stored.index.isin(no_answer_but_gaps).any()
    assert (~stored.loc[ids[asked & all_no]]).all()

"""Every figure of the three research notes is loaded or has a stated reason (data/published/research_ledger.yaml).

A table row is loaded when a published figure has its country, its value and its verbatim quote. Every other row,
and every number written with % in the prose note, must be in the ledger with a reason: not mappable, a duplicate
of a loaded figure, a conflicting source, or a fact of a wave kept in waves.yaml (or the wave's codebook).
"""

from __future__ import annotations

import re

import pytest
import yaml

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.codebook import discover_codebooks, load_codebook
from etl.known_waves import load_known_waves
from etl.published import load_published_figures
from tests.etl.research_notes import MORE, NOTES, THIRD, normalise, prose_percentages, table_rows, value_of

SETTINGS = get_settings()
CATALOGUE = get_catalogue()
FIGURES = {f.id: f for f in load_published_figures(SETTINGS.published_figures_file, CATALOGUE)}
KNOWN = load_known_waves(SETTINGS.known_waves_file, CATALOGUE)
LEDGER = yaml.safe_load((SETTINGS.published_figures_file.parent / "research_ledger.yaml").read_text(encoding="utf-8"))
ROWS = [("more", row) for row in table_rows(MORE)] + [("2026", row) for row in table_rows(THIRD)]
REASONS = {"not_mappable", "duplicate", "conflicting_source", "wave_fact"}


def _loaded(row: dict[str, str]) -> list[str]:
    """Ids of the figures that are this row: same country, same value, the row's quote verbatim."""
    quote = normalise(row["verbatim quote"].strip('"'))
    try:
        value = value_of(row["value"])
    except AttributeError:  # not a number (e.g. "98 municipalities + 5 regions")
        return []
    return [f.id for f in FIGURES.values() if f.country == row["country"] and f.quote
            and normalise(f.quote) == quote and value in (f.value_pct, f.n)]


def _listed(note: str, row: dict[str, str]) -> list[dict]:
    return [e for e in LEDGER["not_loaded"] if e["note"] == note and e["country"] == row["country"]
            and row["measure"].startswith(e["measure"]) and e["value"] == row["value"]]


@pytest.mark.parametrize(("note", "row"), ROWS, ids=[f"{n}:{r['country']}:{r['measure'][:40]}" for n, r in ROWS])
def test_every_table_row_is_loaded_or_has_a_reason(note: str, row: dict[str, str]) -> None:
    loaded, listed = _loaded(row), _listed(note, row)
    assert loaded or listed, "neither loaded nor listed in research_ledger.yaml"
    assert not (loaded and listed), f"loaded as {loaded} and listed as not loaded"
    assert len(listed) <= 1


def test_every_ledger_entry_names_a_row_of_its_note() -> None:
    for entry in LEDGER["not_loaded"]:
        matches = [row for note, row in ROWS if note == entry["note"] and entry in _listed(note, row)]
        assert len(matches) == 1, entry


def _wave_holds(wave: dict[str, str], value: str) -> bool:
    """The wave's facts in waves.yaml (or its codebook) hold ``value``: a fact, a quote, or the conflicts' text."""
    number = re.sub(r"[^\d.]", "", value.split(";")[0]) or value
    for known in KNOWN:
        if (known.country, known.wave_label) == (wave["country"], wave["wave_label"]) \
                and known.programme == wave.get("programme", known.programme):
            texts = [known.conflicts or ""] + [f.quote or "" for f in known.facts]
            if any(f.value == float(number) for f in known.facts if number.replace(".", "").isdigit()) \
                    or any(value in text for text in texts):
                return True
    for path in discover_codebooks(SETTINGS.codebook_dir, [wave["country"]]):
        book = load_codebook(path, CATALOGUE)
        if book.wave.wave_label == wave["wave_label"]:
            stated = {book.wave.responded, book.wave.invited,
                      book.wave.response_rate.percent if book.wave.response_rate else None}
            if float(number) in {v for v in stated if v is not None}:
                return True
    return False


@pytest.mark.parametrize("entry", LEDGER["not_loaded"] + LEDGER["prose"],
                         ids=lambda e: f"{e['country']}:{e.get('measure') or e.get('context')}"[:60])
def test_reason_is_stated_and_holds(entry: dict) -> None:
    if "figure" in entry and "reason" not in entry:  # a prose number that is loaded
        return
    assert entry["reason"] in REASONS and entry["why"].strip()
    if entry["reason"] == "duplicate":
        assert entry["figure"] in FIGURES
    if entry["reason"] == "wave_fact":
        # fact_value: the fact the row is kept as, where the row's value is words (e.g. "every 6th answered")
        value = str(entry.get("fact_value") or entry.get("value")
                    or re.search(r"(\d+(?:\.\d+)?)%$", entry["context"]).group(1))
        assert _wave_holds(entry["wave"], value), (entry["wave"], value)


PROSE = prose_percentages(NOTES)


def _covering(country: str, line: str, match: re.Match[str]) -> list[dict]:
    """Ledger entries of the prose note whose context ends at this number of this bullet."""
    return [e for e in LEDGER["prose"] if e["country"] == country and e["context"] in line
            and line.index(e["context"]) + len(e["context"]) == match.end()]


@pytest.mark.parametrize(("country", "line", "match"), PROSE,
                         ids=[f"{c}:{m.group(0)}@{m.start()}" for c, _, m in PROSE])
def test_every_prose_percentage_is_loaded_or_has_a_reason(country: str, line: str, match: re.Match[str]) -> None:
    entries = _covering(country, line, match)
    assert len(entries) == 1, f"{len(entries)} ledger entries for {line[max(0, match.start() - 40):match.end()]!r}"
    entry = entries[0]
    if "figure" in entry:
        assert FIGURES[entry["figure"]].value_pct == float(match.group(1)), entry


def test_every_prose_entry_names_a_number_of_the_note() -> None:
    assert len(PROSE) == len(LEDGER["prose"])
    for entry in LEDGER["prose"]:
        assert any(entry in _covering(country, line, match) for country, line, match in PROSE), entry


def test_the_new_note_is_loaded_with_its_reconciliations() -> None:
    # Iceland's 2023 wave of state institutions: a published-only wave and its headline
    wave = next(w for w in KNOWN if (w.country, w.wave_label) == ("IS", "2023"))
    assert wave.status == "published" and wave.level == "state"
    assert FIGURES["is-2023-innovative-state"].value_pct == 79
    # KS 2024 is announced (method only); KS 2020's exact 74% is followed: KS's own 'tre av fire' is calibrated to it
    assert next(w for w in KNOWN if (w.country, w.wave_label) == ("NO", "2024")).status == "announced"
    assert FIGURES["no-2020-innovative-forskningsradet"].value_pct == 74
    assert FIGURES["no-2020-innovative"].calibration_target == 74
    # Denmark 2021-23: 1,611 responses of a 4,494 sample from 14,297 workplaces
    dk = next(w for w in KNOWN if (w.country, w.wave_label) == ("DK", "2021-23"))
    assert {f.kind: f.value for f in dk.facts} == {"responses": 1611, "asked": 4494, "population": 14297,
                                                   "response_rate": 36}
    # the second Danish wave's three response counts: 2,363 followed, the others stated as conflicting
    dk2 = next(w for w in KNOWN if (w.country, w.wave_label) == ("DK", "2015-16"))
    assert [f.value for f in dk2.facts if f.kind == "responses"] == [2363]
    assert "2,362" in dk2.conflicts and "2,463" in dk2.conflicts

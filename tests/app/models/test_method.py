"""Every method statement (README, docs/method.md, the API's ``method``, the Data & methods page, the data
package, each wave's method note) is compared with what the codebooks declare, wave by wave, and with the one
confidence level and z of ``core.config``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.models.method import DESIGN, KISH, effective_n_kind, statistics_statement, wave_design
from core.config import PROJECT_ROOT, get_settings
from etl.codebook import discover_codebooks
from tests.app.drawing import as_text, draw
from tests.independent import read_codebook

CODEBOOKS = discover_codebooks(get_settings().codebook_dir)
DIMENSION_WORDS = {"government_level": "government level", "sector": "sector", "size_band": "size band"}


def declared(path: Path) -> tuple[str, dict]:
    """(wave name as 'DK 2021-23', the codebook's design block or {})."""
    codebook = read_codebook(path)
    return f"{codebook['wave']['country']} {codebook['wave']['wave_label']}", codebook.get("design") or {}


def docs_table() -> dict[str, list[str]]:
    """docs/method.md's table of designs: wave -> [effective n, strata, clusters, sampling fraction]."""
    rows = {}
    for line in (PROJECT_ROOT / "docs" / "method.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[A-Z]{2} \d{4}(-\d{2})?", cells[0]):
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize("path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_docs_table_of_designs_is_the_codebooks(path: Path) -> None:
    name, design = declared(path)
    kind, strata, clusters, fraction = docs_table()[name]
    assert kind == ("design" if design else "Kish")
    assert strata == (" x ".join(DIMENSION_WORDS[d] for d in design.get("strata") or []) or "–")
    assert clusters == (design.get("cluster") or "–")
    sampling = design.get("sampling_fraction")
    if sampling:
        assert fraction.startswith(f"{sampling['drawn']:,} / {sampling['population']:,}")
    else:
        assert fraction == "–"


def test_docs_table_lists_every_codebook_and_nothing_else() -> None:
    assert sorted(docs_table()) == sorted(declared(path)[0] for path in CODEBOOKS)


@pytest.mark.parametrize("path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_waves_stored_design_api_and_statement_are_its_codebooks(path: Path, facts, client) -> None:
    name, design = declared(path)
    (wave,) = [w for w in facts.waves if w.name == name]
    stated = wave_design(wave)
    assert effective_n_kind(wave) == (DESIGN if design else KISH)
    assert stated["strata"] == (design.get("strata") or [])
    assert stated["cluster"] == design.get("cluster")
    sampling = design.get("sampling_fraction")
    assert stated["may_exceed_n"] == bool(sampling)
    if sampling:
        assert stated["sampling_fraction"]["drawn"] == sampling["drawn"]
        assert stated["sampling_fraction"]["population"] == sampling["population"]
        assert stated["sampling_fraction"]["source"] == sampling["source"]
    else:
        assert stated["sampling_fraction"] is None
    # the API's method lists the wave with the same design, and its statistics text names it under its kind
    method = client.get("/api/v1/estimates?indicator=innovative&option=yes").get_json()["method"]
    assert stated in method["designs"]
    statement = method["statistics"]
    designed_part, _, kish_part = statement.partition("Kish's")
    assert name in (designed_part if design else kish_part)
    assert statement == statistics_statement(facts.waves)


@pytest.mark.parametrize("path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_waves_method_note_states_its_codebooks_design(path: Path, facts, dash_app) -> None:
    name, design = declared(path)
    (wave,) = [w for w in facts.waves if w.name == name]
    text = as_text(draw(dash_app, "/en/data"))
    if not design:
        assert "Sampling design not declared" in text
        return
    strata = " x ".join(DIMENSION_WORDS[d] for d in design.get("strata") or [])
    sampling = design.get("sampling_fraction")
    parts = [f"strata: {strata}"] if strata else []
    if sampling:
        parts.append(f"finite population correction: sample of {sampling['drawn']:,} drawn from "
                     f"{sampling['population']:,}")
    if design.get("cluster"):
        parts.append(f"clusters: {design['cluster']}")
    cap = ("The finite population correction can make the effective n larger than the number of responses (n)."
           if sampling else "The effective n is at most the number of responses (n).")
    assert f"Sampling design ({', '.join(parts)})" in text and cap in text, wave.key


def test_one_z_everywhere(client, dash_app) -> None:
    settings = get_settings()
    assert settings.confidence_z == pytest.approx(1.959963984540054, abs=1e-15)
    method = client.get("/api/v1/estimates?indicator=innovative&option=yes").get_json()["method"]
    assert method["z"] == settings.confidence_z and method["confidence_level"] == 0.95
    assert f"z = {settings.confidence_z:.6f}" in method["statistics"]
    assert f"z = {settings.confidence_z:.6f}" in (PROJECT_ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    # no text spells its own z: the catalogues quote {z}, filled from the configured level
    for path in (PROJECT_ROOT / "app" / "i18n").glob("*.json"):
        texts = json.loads(path.read_text(encoding="utf-8"))
        assert not [k for k, v in texts.items() if re.search(r"1[.,]96", v)], path.name
    for path in [*PROJECT_ROOT.joinpath("app").rglob("*.py"), *PROJECT_ROOT.joinpath("etl").rglob("*.py"),
                 *PROJECT_ROOT.joinpath("core").rglob("*.py")]:
        assert not re.search(r"1\.9599|\b1\.96\b", path.read_text(encoding="utf-8")), path
    for lang, z in (("en", "1.96"), ("sv", "1,96")):
        assert f"± {z}·√" in as_text(draw(dash_app, f"/{lang}/data"))
    assert "± 1.96·√" in method["nordic_average"] and "clipped" in method["nordic_average"]

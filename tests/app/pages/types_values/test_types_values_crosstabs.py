"""Types x values shows any cross-tab the catalogue declares (?crosstab=), type_value unless another is chosen.

The control lists the catalogue's cross-tabs; a cross-tab's numbers are the stored cells of exactly that
cross-tab; an unknown one is a 400 in the API; and a view that names none is the view it was before."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import psycopg
import pytest

from app.data.db import Database
from app.decks.slides.svg import slide_svg
from app.i18n import t
from app.site.params import Known
from app.site.registry import page_named
from app.site.urls import canonical_query
from core.config import get_settings
from etl.catalogue import load_catalogue
from tests.app.drawing import as_text, by_id, draw, figure_of

SVG = "{http://www.w3.org/2000/svg}"
CALLBACK_URL = "/_dash-update-component"


def stored_cells(url: str, crosstab: str, wave_id: int, level: str = "all", sector: str = "all") -> set[tuple]:
    """(row option, column option, share, n) of every unsuppressed cell, read straight from the table."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT row_option, column_option, share, n_unweighted FROM cross_tab_estimate "
                            "WHERE cross_tab_code = %s AND wave_id = %s AND government_level_code = %s "
                            "AND sector_code = %s AND NOT suppressed", (crosstab, wave_id, level, sector)).fetchall()
    return set(rows)


def wave_asking(facts: Known, *indicators: str):
    """The first loaded wave that asked every one of ``indicators``."""
    for wave in facts.waves:
        if set(indicators) <= {ind for ind, _ in facts.coverage.get(wave.id, set())}:
            return wave
    raise AssertionError(f"no wave asked {indicators}")


@pytest.fixture(scope="module")
def partner_wave(facts: Known):
    return wave_asking(facts, "innovation_type", "partner")


def test_the_control_lists_the_catalogues_cross_tabs_in_the_page_language(dash_app, facts: Known) -> None:
    declared = list(load_catalogue(get_settings().catalogue_dir).cross_tabs)
    assert {"type_value", "type_partner"} <= set(declared)
    for lang in ("en", "sv"):
        page = draw(dash_app, f"/{lang}/types-values")
        control = by_id(page, "tv-crosstab")
        assert [o["value"] for o in control.options] == declared and control.value == "type_value"
        assert by_id(page, "tv-crosstab-label").htmlFor == "tv-crosstab"
        assert by_id(page, "tv-crosstab-label").children == t(lang, "label_crosstab")
        labels = {o["value"]: o["label"] for o in control.options}
        ref = facts.ref
        assert labels["type_partner"] == (f"{ref.label('indicator', 'innovation_type', lang)} × "
                                          f"{ref.label('indicator', 'partner', lang)}")
    assert labels["type_partner"] == "Typ av innovation × Samarbetspartner"


def test_type_partner_gives_the_stored_partner_cells(client, loaded_db: str, partner_wave) -> None:
    body = client.get(f"/api/v1/types-values?wave={partner_wave.key}&crosstab=type_partner").get_json()
    assert body["parameters"]["crosstab"] == "type_partner"
    cells = {(r["type_code"], r["value_code"], r["share_pct"], r["n"]) for r in body["data"]
             if r["type_code"] != "all_innovative" and r["status"] == "ok"}
    stored = stored_cells(loaded_db, "type_partner", partner_wave.id)
    assert stored and {(row, column, share * 100, n) for row, column, share, n in stored} == cells
    assert {r["value_code"] for r in body["data"]} <= {c for _, c, _, _ in stored} | {"none"}
    assert "Collaboration partners" in body["title"] and partner_wave.wave_label in body["title"]


def test_type_partner_on_the_page_its_table_download_and_slide(dash_app, client, db: Database, loaded_db: str,
                                                              partner_wave) -> None:
    query = f"?wave={partner_wave.key}&crosstab=type_partner"
    page = draw(dash_app, "/nb/types-values", query)
    rows = figure_of(page, "tv-graph").layout.yaxis.ticktext
    assert rows[0] == t("nb", "tv_crosstab_all_row") and "Samarbeidspartnere" in as_text(by_id(page, "tv-results"))
    how = as_text(by_id(page, "tv-how"))
    assert t("nb", "tv_crosstab_how_overlap") in how and t("nb", "tv_how_overlap") not in how

    rows = list(csv.DictReader(io.StringIO(client.get(f"/download/types-values.csv{query}")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    stored = stored_cells(loaded_db, "type_partner", partner_wave.id)
    assert {(r["type_code"], r["value_code"]) for r in rows if r["status"] == "ok" and r["type_code"] !=
            "all_innovative"} == {(row, column) for row, column, _, _ in stored}

    root = ET.fromstring(slide_svg(db, f"/en/types-values{query}"))
    assert root.find(f"{SVG}title").text.startswith("Type of innovation × Collaboration partners: Denmark")
    drawn = [g for g in root.iter(f"{SVG}g") if "cell" in g.get("class", "").split()]
    assert sorted(float(g.get("data-share-pct")) for g in drawn if g.get("data-share-pct")) == sorted(
        float(r["share_pct"]) for r in rows if r["status"] == "ok")


def post_callback(dash_app, output: str, values: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the server answers when the browser posts the controls' ``values`` to the callback of ``output``."""
    key = next(k for k in dash_app.callback_map if output in k)
    spec = dash_app.callback_map[key]
    outputs = []
    for part in (key.strip(".").split("...") if key.startswith("..") else [key]):
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})
    body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [{**d, "value": values.get(d["id"])} for d in spec["inputs"]],
            "state": [{**d, "value": lang} for d in spec["state"]], "changedPropIds": ["tv-crosstab.value"]}
    response = dash_app.server.test_client().post(CALLBACK_URL, json=body)
    assert response.status_code == 200
    return response.get_json()["response"]


def test_choosing_a_cross_tab_redraws_the_results_the_address_and_how_to_read_it(dash_app, partner_wave) -> None:
    values = {"tv-wave": partner_wave.key, "tv-level": "all", "tv-sector": "all", "tv-display": "table",
              "tv-crosstab": "type_partner"}
    answer = post_callback(dash_app, "tv-results.children", values, "da")
    shown = json.dumps(answer["tv-results"]["children"], ensure_ascii=False)
    assert "Innovationstype × Samarbejdspartnere" in shown and t("da", "tv_crosstab_all_row") in shown
    address = next(v["data"]["url"] for k, v in answer.items() if "page-query" in k)
    assert address == f"/da/types-values?wave={partner_wave.key}&display=table&crosstab=type_partner"
    assert t("da", "tv_crosstab_how_overlap") in json.dumps(answer["tv-how"]["children"], ensure_ascii=False)
    for unusable in (None, ["type_partner"], "nonsense"):  # the page's own cross-tab, as the parser decides
        answer = post_callback(dash_app, "tv-results.children", {**values, "tv-crosstab": unusable}, "da")
        assert t("da", "tv_how_overlap") in json.dumps(answer["tv-how"]["children"], ensure_ascii=False)


def test_an_unknown_cross_tab_is_a_400_naming_it(client) -> None:
    response = client.get("/api/v1/types-values?crosstab=type_nonsense")
    assert response.status_code == 400
    assert [(p["param"], p["reason"]) for p in response.get_json()["problems"]] == [
        ("crosstab", "problem_unknown_value")]
    assert client.get("/download/types-values.csv?crosstab=type_nonsense").status_code == 400


def test_the_default_is_the_type_value_cross_tab_as_before(client, loaded_db: str, facts: Known) -> None:
    plain = client.get("/api/v1/types-values?wave=SE-2018").get_json()
    named = client.get("/api/v1/types-values?wave=SE-2018&crosstab=type_value").get_json()
    assert plain == named
    assert plain["parameters"] == {"wave": "SE-2018", "level": "all", "sector": "all", "display": "chart"}
    assert plain["title"].startswith("Values achieved, by type of innovation: Sweden 2018")
    assert plain["notes"][:2] == [t("en", "tv_how_text"), t("en", "tv_how_overlap")]
    wave = facts.wave_by_key("SE-2018")
    cells = {(r["type_code"], r["value_code"], r["share_pct"], r["n"]) for r in plain["data"]
             if r["type_code"] != "all_innovative" and r["status"] == "ok"}
    assert cells == {(row, column, share * 100, n)
                     for row, column, share, n in stored_cells(loaded_db, "type_value", wave.id)}
    page = page_named("types-values")
    view, problems = page.parse({"wave": ["SE-2018"], "crosstab": ["type_value"]}, facts)
    assert not problems and canonical_query(page, view, facts) == {"wave": "SE-2018"}
    partner, _ = page.parse({"crosstab": ["type_partner"]}, facts)
    assert canonical_query(page, partner, facts) == {"crosstab": "type_partner"}

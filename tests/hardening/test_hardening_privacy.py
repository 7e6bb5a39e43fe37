"""Privacy: only aggregates leave the app, small cells are suppressed everywhere, and a suppressed cell cannot be
recovered by differencing the views the app publishes.

Against the shipped minimum cell size (MIN_CELL_N = 10) on every bundled wave (``loaded_db``), where the
innovation type x value cross-tab has real suppressed cells, and against IS/FI/SE loaded with MIN_CELL_N = 150
(``strict_db``), where whole sectors, levels and country totals are suppressed (and left out of the Nordic
average).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import psycopg
import pytest
from hardening_helpers import (
    READER_ROLE,
    close_app_database,
    csv_rows,
    hardening_settings,
    route,
    scalars,
    xlsx_rows,
    xlsx_text,
)
from psycopg.rows import dict_row

from app.exports.data_package import nordic_table
from app.site.params import known
from core.roles import AGGREGATE_TABLES, MICRODATA_TABLES


def rows(url: str, query: str, params: Any = ()) -> list[dict[str, Any]]:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute(query, params).fetchall()


def wave_keys(app) -> dict[int, str]:
    return {w.id: w.key for w in known(app.server.extensions["barometer_db"]).waves}


# ---------------------------------------------------------------------------------------------------------
# Only aggregate columns, never a respondent's id
# ---------------------------------------------------------------------------------------------------------

# Every column the API and the downloads may carry. A new column fails this test on purpose: check that it is
# an aggregate (or documentation) before adding it here.
AGGREGATE_COLUMNS = {
    # what a cell is about
    "row_type", "country_code", "country", "programme", "wave", "wave_key", "reference_period",
    "unit_of_observation", "nordic_round", "government_level_code", "government_level", "sector_code", "sector",
    "indicator_code", "indicator", "option_code", "option", "type_code", "type", "value_code", "value",
    # the aggregate itself
    "status", "share_pct", "ci_low_pct", "ci_high_pct", "n", "n_effective", "n_note", "suppression",
    # a difference between two shown (never suppressed) aggregates
    "comparison", "subject_wave_key", "reference_wave_key", "difference_pct", "difference_ci_low_pct",
    "difference_ci_high_pct", "p_value", "p_adjusted", "family_size", "family", "differs", "comparability_caveat",
    "n_counts",
    # documentation and provenance
    "comparability_warnings", "notes", "published_figure", "data", "source", "source_url", "view_url", "citation",
    "codebook", "codebook_sha256", "comparability_notes", "fieldwork_end", "fieldwork_start", "file_format", "invited",
    "is_demo", "licence", "loaded_at", "min_cell_n", "population", "publisher", "responded", "source_file",
    "source_rows", "source_sha256",
    # /api/v1/published and /api/v1/waves
    "id", "level", "measure_en", "note", "relation", "top_rank", "value_pct", "wave_id", "wave_label",
    "key", "long_key", "wave_as_published", "unit", "scope", "quote",
}
MICRODATA_COLUMNS = {"national_id", "respondent_id", "weight", "size_band_code", "selected", "answer", "respondent"}

VIEWS = ["/api/v1/estimates?waves=all", "/api/v1/estimates?waves=all&indicator=partner&option=research&level=state",
         "/api/v1/profile?country=DK&level=regional", "/api/v1/profile?country=SE", "/api/v1/profile?country=FI",
         "/api/v1/types-values", "/api/v1/types-values?wave=DK-2021-23&level=regional&sector=administration",
         "/api/v1/overview", "/api/v1/sources"]
DOWNLOADS = ["/download/compare.csv?waves=all", "/download/compare.xlsx?waves=all&level=municipal",
             "/download/profile.csv?country=IS", "/download/profile.xlsx?country=NO&level=municipal",
             "/download/types-values.csv?wave=DK-2021-23&level=regional&sector=administration",
             "/download/types-values.xlsx?wave=SE-2018", "/download/overview.csv", "/download/overview.xlsx",
             "/download/data.csv", "/download/data.xlsx"]


def test_the_api_and_downloads_carry_aggregate_columns_only(hclient) -> None:
    seen: set[str] = set()
    for path in VIEWS:
        body = hclient.get(path).get_json()
        assert body["data"], path
        seen |= {key for record in body["data"] for key in record}
    seen |= set(hclient.get("/api/v1/published").get_json()["published"][0])
    seen |= set(hclient.get("/api/v1/waves").get_json()["waves"][0])
    for path in DOWNLOADS:
        body = hclient.get(path).data
        records = csv_rows(body) if ".csv" in path else xlsx_rows(body)
        assert records, path
        seen |= set(records[0])
    assert not seen & MICRODATA_COLUMNS
    assert seen <= AGGREGATE_COLUMNS, f"new columns to review for privacy: {sorted(seen - AGGREGATE_COLUMNS)}"


def test_every_published_cell_has_at_least_the_minimum_n(hclient, loaded_db: str) -> None:
    """A row about fewer than MIN_CELL_N units (down to one workplace) never carries a value."""
    min_n = rows(loaded_db, "SELECT min(min_cell_n) AS m FROM source_file")[0]["m"]
    checked = 0
    for path in VIEWS[:-1]:
        for record in hclient.get(path).get_json()["data"]:
            if record.get("row_type") == "published":
                continue  # transcribed national headline figures, not cells of ours
            if record.get("share_pct") is not None and record.get("n") is not None:
                assert record["n"] >= min_n, (path, record)
                checked += 1
            if record.get("status") == "suppressed":
                assert record["share_pct"] is None and record["n"] is None and record["ci_low_pct"] is None
    assert checked > 80


def _responses_to_search(app, client) -> list[tuple[str, str, list[Any]]]:
    """(what, raw text, scalar values) of every API view, download and drawn page we publish."""
    found = []
    for path in [*VIEWS, "/api/v1/published", "/api/v1/waves", "/api/v1/reference"]:
        response = client.get(path)
        found.append((path, response.get_data(as_text=True), scalars(response.get_json())))
    for path in DOWNLOADS:
        body = client.get(path).data
        if ".csv" in path:
            cells = [v for r in csv_rows(body) for v in r.values()]
            found.append((path, body.decode("utf-8"), cells))
        else:
            cells = [v for r in xlsx_rows(body) for v in r.values()]
            found.append((path, xlsx_text(body), cells))
    for path, search in [("/en/", ""), ("/en/compare", "?waves=all"), ("/en/profile", "?country=DK&level=regional"),
                         ("/en/types-values", "?wave=DK-2021-23&level=regional&sector=administration"),
                         ("/en/data", "")]:
        response = route(client, app, path, search)
        found.append((path + search, response.get_data(as_text=True), scalars(response.get_json())))
    return found


def leaked_ids(ids: Iterable[str], responses: list[tuple[str, str, list[Any]]]) -> list[tuple[str, str]]:
    """Respondent ids that appear in a response: as a text value anywhere; ids with letters also inside any text;
    long numeric ids also as numbers (short numeric ids collide with counts such as n = 1611)."""
    ids = set(ids)
    textual = sorted(i for i in ids if any(ch.isalpha() for ch in i))
    numeric = {int(i) for i in ids if i.isdigit() and len(i) >= 6}
    leaks = []
    for what, text, values in responses:
        strings = {v.strip() for v in values if isinstance(v, str)}
        numbers = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
        leaks += [(what, i) for i in sorted(strings & ids)]
        leaks += [(what, str(i)) for i in sorted(numbers & numeric)]
        leaks += [(what, i) for i in textual if i in text]
    return sorted(set(leaks))


def test_no_response_contains_a_respondent_id(hard_app, hclient, loaded_db: str) -> None:
    ids = [r["national_id"] for r in rows(loaded_db, "SELECT national_id FROM respondent")]
    assert len(ids) > 10_000 and any(i[0].isalpha() for i in ids) and any(len(i) >= 6 and i.isdigit() for i in ids)
    responses = _responses_to_search(hard_app, hclient)
    assert len(responses) >= 25 and sum(len(t) for _, t, _ in responses) > 500_000
    assert leaked_ids(ids, responses) == []


def test_the_id_search_finds_an_id_where_there_is_one() -> None:
    """The search above is not blind: an id as a JSON value, inside CSV text or as a number is found."""
    responses = [("json", '{"x": "CP900017"}', ["CP900017"]), ("csv", "a,b\nfoo IB22-0007 bar,1\n", ["foo"]),
                 ("number", '{"n": 500001}', [500001]), ("count", '{"n": 1611}', [1611])]
    assert leaked_ids({"CP900017", "IB22-0007", "500001", "1611"}, responses) == [
        ("csv", "IB22-0007"), ("json", "CP900017"), ("number", "500001")]


# ---------------------------------------------------------------------------------------------------------
# Suppression on the shipped data: a real suppressed cell, its margins, and a differencing attack
# ---------------------------------------------------------------------------------------------------------

# the estimates, and each declared cross-tab: (table, item column, option column, rows of that table)
TABLES = {"estimate": ("estimate", "indicator_code", "option_code", "TRUE"),
          "type_value": ("cross_tab_estimate", "row_option", "column_option", "t.cross_tab_code = 'type_value'"),
          "type_partner": ("cross_tab_estimate", "row_option", "column_option", "t.cross_tab_code = 'type_partner'")}


def cells_of(url: str, table: str) -> list[dict[str, Any]]:
    name, item, option, where = TABLES[table]
    return rows(url, f"SELECT t.wave_id, t.{item} AS item, t.{option} AS option, t.government_level_code AS level, "
                     f"t.sector_code AS sector, t.n_unweighted AS n, t.suppressed, t.suppression, t.share, "
                     f"f.min_cell_n FROM {name} t JOIN source_file f ON f.wave_id = t.wave_id WHERE {where}")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_cell_below_the_minimum_is_stored_suppressed_and_without_values(loaded_db: str, table: str) -> None:
    cells = cells_of(loaded_db, table)
    assert cells, f"no cells of {table} in the shipped data"
    small = [c for c in cells if c["n"] < c["min_cell_n"]]
    assert all(c["suppressed"] and c["suppression"] == "primary" and c["share"] is None for c in small)
    assert all(c["share"] is None for c in cells if c["suppressed"])
    if table == "type_value":
        assert len(small) >= 10, "the shipped data no longer have small cells: this test would prove nothing"


@pytest.fixture(scope="module")
def target(loaded_db: str) -> dict[str, Any]:
    """A real primary-suppressed cell of the shipped data, inside a level and a sector (two real margins)."""
    candidates = [c for c in cells_of(loaded_db, "type_value")
                  if c["suppression"] == "primary" and c["level"] != "all" and c["sector"] != "all"]
    assert candidates, "no suppressed cell inside a level and a sector in the shipped data"
    return sorted(candidates, key=lambda c: (c["wave_id"], c["item"], c["option"], c["level"], c["sector"]))[0]


def published_n(client, key: str, level: str, sector: str, item: str, option: str) -> tuple[bool, int | None]:
    """(hidden, n) of one cross-tab cell as the API publishes it."""
    body = client.get("/api/v1/types-values", query_string={"wave": key, "level": level, "sector": sector})
    assert body.status_code == 200
    record = next(r for r in body.get_json()["data"] if r["type_code"] == item and r["value_code"] == option)
    return record["status"] != "ok", record["n"]


def test_the_api_never_reveals_the_suppressed_cell(hard_app, hclient, target: dict[str, Any]) -> None:
    key = wave_keys(hard_app)[target["wave_id"]]
    query = {"wave": key, "level": target["level"], "sector": target["sector"]}
    record = next(r for r in hclient.get("/api/v1/types-values", query_string=query).get_json()["data"]
                  if r["type_code"] == target["item"] and r["value_code"] == target["option"])
    assert record["status"] == "suppressed" and record["suppression"] == "primary"
    assert record["share_pct"] is None and record["ci_low_pct"] is None and record["ci_high_pct"] is None
    assert record["n"] is None and record["n_note"] == f"n < {target['min_cell_n']}"
    for fmt in ("csv", "xlsx"):
        body = hclient.get(f"/download/types-values.{fmt}", query_string=query).data
        records = csv_rows(body) if fmt == "csv" else xlsx_rows(body)
        row = next(r for r in records if r["type_code"] == target["item"] and r["value_code"] == target["option"])
        assert row["status"] == "suppressed" and row["share_pct"] in ("", None) and row["n"] in ("", None)
        assert row["ci_low_pct"] in ("", None) and row["ci_high_pct"] in ("", None)


def _margins(cells: dict[tuple[str, str], Any], level: str, sector: str) -> dict[str, tuple[tuple, list[tuple]]]:
    """The two margins through (level, sector): its level's sectors and its sector's levels, each with a total."""
    return {
        "sectors of the level": ((level, "all"), [c for c in cells if c[0] == level and c[1] != "all"]),
        "levels of the sector": (("all", sector), [c for c in cells if c[1] == sector and c[0] != "all"]),
    }


def test_differencing_the_published_views_does_not_recover_the_cell(hard_app, hclient, loaded_db: str,
                                                                   target: dict[str, Any]) -> None:
    key = wave_keys(hard_app)[target["wave_id"]]
    truth = {(c["level"], c["sector"]): c["n"] for c in cells_of(loaded_db, "type_value")
             if (c["wave_id"], c["item"], c["option"]) == (target["wave_id"], target["item"], target["option"])}
    cell = (target["level"], target["sector"])
    attacked = 0
    for name, (total, children) in _margins(truth, *cell).items():
        assert cell in children and len(children) >= 2, name
        seen = {c: published_n(hclient, key, c[0], c[1], target["item"], target["option"]) for c in [total, *children]}
        hidden = [c for c in children if seen[c][0]]
        assert cell in hidden
        assert len(hidden) >= 2, f"{name}: the target is the only hidden cell, so total - visible = its n"
        if seen[total][0]:
            continue  # a hidden total: differencing gives nothing at all
        # the attack: the total minus the visible cells leaves the hidden cells' combined n ...
        residual = seen[total][1] - sum(seen[c][1] for c in children if not seen[c][0])
        # ... which is sound (the margin adds up, so with the target alone hidden it would give its exact n) ...
        assert truth[total] == sum(truth[c] for c in children), f"{name} does not add up; the attack is moot"
        assert residual == sum(truth[c] for c in hidden)
        # ... but with another cell hidden beside it, it only bounds the target's n, and not to its value
        assert residual > truth[cell] and residual - truth[cell] >= min(truth[c] for c in hidden if c != cell)
        attacked += 1
    assert attacked >= 1, "both totals hidden: pick a target whose differencing can actually be attempted"


def determined_cells(cells: list[dict[str, Any]]) -> list[tuple]:
    """Suppressed cells whose n follows from the published n's by linear algebra over the level and sector margins
    (a hidden cell is determined when its unit vector lies in the row space of the margin equations)."""
    tables: dict[tuple, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for c in cells:
        tables[(c["wave_id"], c["item"], c["option"])][(c["level"], c["sector"])] = c
    determined = []
    for table_key, table in tables.items():
        hidden = sorted(c for c, v in table.items() if v["suppressed"])
        if not hidden:
            continue
        column = {c: i for i, c in enumerate(hidden)}
        equations = []
        levels, sectors = {lv for lv, _ in table}, {s for _, s in table}
        margins = [((lv, "all"), [c for c in table if c[0] == lv and c[1] != "all"]) for lv in levels]
        margins += [(("all", s), [c for c in table if c[1] == s and c[0] != "all"]) for s in sectors]
        for total, children in margins:
            if total not in table or not children:
                continue
            if table[total]["n"] != sum(table[c]["n"] for c in children):
                continue  # a margin that does not add up gives an attacker no exact equation
            row = np.zeros(len(hidden))
            for c in children:
                if c in column:
                    row[column[c]] += 1
            if total in column:
                row[column[total]] -= 1
            if row.any():
                equations.append(row)
        if not equations:
            continue
        # x is determined exactly when every solution of the homogeneous system leaves x unchanged, i.e. when
        # x's column is zero in a basis of the null space
        system = np.array(equations)
        _, singular, vt = np.linalg.svd(system)
        rank = int((singular > 1e-9).sum())
        null_space = vt[rank:]
        for c, i in column.items():
            if null_space.shape[0] == 0 or np.all(np.abs(null_space[:, i]) < 1e-9):
                determined.append((*table_key, *c))
    return determined


def test_the_recovery_check_finds_a_lone_suppressed_cell() -> None:
    """The linear-algebra check is not blind: a margin with one hidden cell gives it away."""
    base = {"wave_id": 1, "item": "x", "option": "y"}
    cells = [{**base, "level": "all", "sector": "all", "n": 30, "suppressed": False},
             {**base, "level": "all", "sector": "a", "n": 25, "suppressed": False},
             {**base, "level": "all", "sector": "b", "n": 5, "suppressed": True}]
    assert determined_cells(cells) == [(1, "x", "y", "all", "b")]
    cells.append({**base, "level": "all", "sector": "c", "n": 12, "suppressed": True})
    cells[0]["n"] = 42
    assert determined_cells(cells) == []


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("database", ["loaded_db", "strict_db"])
def test_no_suppressed_cell_is_determined_by_the_margins(request, table: str, database: str) -> None:
    cells = cells_of(request.getfixturevalue(database), table)
    suppressed = [c for c in cells if c["suppressed"]]
    if database == "strict_db" or table == "type_value":
        assert len(suppressed) >= 50, "too few suppressed cells for this test to mean anything"
    assert determined_cells(cells) == []


@pytest.mark.parametrize("table", sorted(TABLES))
@pytest.mark.parametrize("database", ["loaded_db", "strict_db"])
def test_no_visible_sibling_option_shows_a_suppressed_cells_n(request, table: str, database: str) -> None:
    """Options of one item in one cell usually share their n; a visible sibling would print the hidden n."""
    by_cell: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for c in cells_of(request.getfixturevalue(database), table):
        by_cell[(c["wave_id"], c["item"], c["level"], c["sector"])].append(c)
    leaks = [(key, c["option"]) for key, group in by_cell.items() for c in group if c["suppressed"]
             and any(not s["suppressed"] and s["n"] == c["n"] for s in group)]
    assert leaks == []


# ---------------------------------------------------------------------------------------------------------
# A strict minimum: the API, the downloads and the Nordic average follow the stored suppression
# ---------------------------------------------------------------------------------------------------------


def test_every_view_of_the_strict_database_follows_its_suppression(strict_app, strict_client, strict_db: str,
                                                                   strict_min_n: int) -> None:
    keys = wave_keys(strict_app)
    stored = {(keys[c["wave_id"]], c["level"], c["sector"], c["item"], c["option"]): c
              for c in cells_of(strict_db, "estimate")}
    levels = sorted({k[1] for k in stored})
    counted = {"ok": 0, "suppressed": 0}
    for level in levels:
        for fmt in ("json", "csv", "xlsx"):
            query = {"waves": "all", "level": level, "indicator": "innovative", "option": "yes"}
            if fmt == "json":
                records = strict_client.get("/api/v1/estimates", query_string=query).get_json()["data"]
            else:
                body = strict_client.get(f"/download/compare.{fmt}", query_string=query).data
                records = csv_rows(body) if fmt == "csv" else xlsx_rows(body)
            for r in records:
                if r["row_type"] != "estimate" or r["status"] not in counted:
                    continue
                cell = stored[(r["wave_key"], r["government_level_code"], r["sector_code"], "innovative", "yes")]
                counted[r["status"]] += 1
                if cell["suppressed"]:
                    assert r["status"] == "suppressed", (fmt, r)
                    assert all(r[k] in (None, "") for k in ("share_pct", "ci_low_pct", "ci_high_pct", "n"))
                else:
                    assert r["status"] == "ok" and int(r["n"]) == cell["n"] >= strict_min_n, (fmt, r)
    assert counted["ok"] >= 10 and counted["suppressed"] >= 10, counted


def test_profile_and_cross_tab_views_follow_the_suppression(strict_app, strict_client, strict_db: str) -> None:
    keys = wave_keys(strict_app)
    stored = {(keys[c["wave_id"]], c["level"], c["sector"], c["item"], c["option"]): c["suppressed"]
              for c in cells_of(strict_db, "type_value")}
    assert any(stored.values())
    hidden_seen = 0
    for wave_key, level, sector in sorted({k[:3] for k in stored}):
        query = {"wave": wave_key, "level": level, "sector": sector}
        for r in strict_client.get("/api/v1/types-values", query_string=query).get_json()["data"]:
            suppressed = stored.get((wave_key, level, sector, r["type_code"], r["value_code"]))
            if suppressed is None:
                continue  # the 'all innovative' margin row comes from table estimate
            assert (r["status"] == "suppressed") == suppressed, (query, r)
            if suppressed:
                hidden_seen += 1
                assert r["share_pct"] is None and r["n"] is None and r["ci_low_pct"] is None
    assert hidden_seen >= 50
    for country in ("IS", "FI", "SE"):
        for r in strict_client.get("/api/v1/profile", query_string={"country": country}).get_json()["data"]:
            if r["row_type"] == "estimate" and r["status"] == "suppressed":
                assert r["share_pct"] is None and r["n"] is None and r["n_effective"] is None


def test_the_nordic_average_leaves_out_suppressed_countries(strict_db: str, strict_app) -> None:
    """The whole-dataset package's per-round averages (computed as Compare computes them) skip suppressed cells."""
    shares: dict[tuple, dict[str, float | None]] = defaultdict(dict)
    for r in rows(strict_db, "SELECT w.nordic_round, w.country_code, e.government_level_code AS level, "
                             "e.sector_code AS sector, e.indicator_code AS item, e.option_code AS option, "
                             "e.share, e.suppressed FROM estimate e JOIN survey_wave w ON w.id = e.wave_id "
                             "WHERE w.nordic_round IS NOT NULL"):
        key = (r["nordic_round"], r["level"], r["sector"], r["item"], r["option"])
        shares[key][r["country_code"]] = None if r["suppressed"] else r["share"]
    db = strict_app.server.extensions["barometer_db"]
    facts = known(db)
    averages = {(r["nordic_round"], r["government_level"], r["sector"], r["indicator"], r["option"]): r
                for r in nordic_table(db, facts.ref, facts.waves).rows}
    with_a_country_left_out = 0
    for key, by_country in shares.items():
        visible = {c: s for c, s in by_country.items() if s is not None}
        if len(visible) < 2:
            assert key not in averages, f"{key}: an average of fewer than two visible countries"
            continue
        average = averages[key]
        assert sorted(average["countries"].split(",")) == sorted(visible), key
        assert average["share"] == pytest.approx(sum(visible.values()) / len(visible), abs=1e-12)
        with_a_country_left_out += len(visible) < len(by_country)
    assert with_a_country_left_out >= 5, "no average with a suppressed country: the test would prove nothing"


def test_the_api_nordic_average_uses_only_visible_countries(strict_client) -> None:
    query = {"countries": "IS,FI,SE", "waves": "IS-2018,FI-2018,SE-2018", "indicator": "innovative",
             "option": "yes", "level": "all", "sector": "all", "source": "survey"}
    data = strict_client.get("/api/v1/estimates", query_string=query).get_json()["data"]
    by_country = {r["country_code"]: r for r in data if r["row_type"] == "estimate"}
    nordic = [r for r in data if r["row_type"] == "nordic_average"]
    hidden = [c for c, r in by_country.items() if r["status"] == "suppressed"]
    visible = {c: r["share_pct"] for c, r in by_country.items() if r["status"] == "ok"}
    assert hidden == ["FI"] and sorted(visible) == ["IS", "SE"]  # Finland 2018 has 112 units < 150
    assert len(nordic) == 1
    assert "FI" not in nordic[0]["n_note"] and "IS" in nordic[0]["n_note"] and "SE" in nordic[0]["n_note"]
    assert nordic[0]["share_pct"] == pytest.approx(sum(visible.values()) / 2, abs=0.01)


# ---------------------------------------------------------------------------------------------------------
# The read-only role
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader_app(loaded_db: str, reader_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The app started on the admin URL, with READONLY_DATABASE_URL naming the read-only role."""
    from app.factory import create_app

    settings = hardening_settings(tmp_path_factory.mktemp("reader"), readonly_database_url=reader_url)
    app = create_app(loaded_db, settings=settings)
    yield app
    close_app_database(app)


def test_the_app_connects_as_the_read_only_role(reader_app) -> None:
    database = reader_app.server.extensions["barometer_db"]
    assert database.fetch("SELECT current_user AS who")[0]["who"] == READER_ROLE


READER_PATHS = [*VIEWS, *DOWNLOADS, "/api/v1/reference", "/api/v1/waves", "/api/v1/published", "/healthz",
                "/en/compare", "/embed/en/profile?country=IS"]


def test_the_app_works_through_the_read_only_role(reader_app) -> None:
    client = reader_app.server.test_client()
    for path in READER_PATHS:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:200])
    for path, search in [("/en/", ""), ("/en/compare", "?waves=all"), ("/en/profile", "?country=DK"),
                         ("/en/types-values", ""), ("/en/data", "")]:
        drawn = route(client, reader_app, path, search).get_data(as_text=True)
        assert "Something went wrong" not in drawn and '"main"' in drawn, path


def test_the_read_only_role_cannot_read_workplace_rows_or_write(reader_url: str) -> None:
    with psycopg.connect(reader_url, autocommit=True) as conn:
        for table in MICRODATA_TABLES:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table} LIMIT 1")
        for table in AGGREGATE_TABLES:
            conn.execute(f"SELECT * FROM {table} LIMIT 1")
        with pytest.raises((psycopg.errors.ReadOnlySqlTransaction, psycopg.errors.InsufficientPrivilege)):
            conn.execute("DELETE FROM estimate")


def test_scalars_sees_every_value_of_nested_json() -> None:
    """The id search relies on it."""
    assert scalars(json.loads('{"a": [1, {"b": "x"}], "c": null}')) == [1, "x", None]

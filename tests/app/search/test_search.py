"""Find a chart: /api/v1/search in each of the six languages, accent- and case-insensitive, each result with its
one-line answer (country, figure, kind of source) and the address of its view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app.search.cases import SEARCHES

pytestmark = pytest.mark.db


def _search(client, lang: str, q: str, limit: int = 5) -> list[dict]:
    response = client.get("/api/v1/search", query_string={"lang": lang, "q": q, "limit": limit})
    assert response.status_code == 200
    return response.get_json()["results"]


def _params(result: dict) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(result["url"]).query).items()}


@pytest.mark.parametrize(("lang", "query", "first"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_a_query_in_each_language_finds_the_view(client, lang: str, query: str, first: tuple) -> None:
    results = _search(client, lang, query)
    top = results[0]
    assert (top["indicator"], top["option"], top["country"]) == first
    assert top["url"].startswith(f"/{lang}/compare?")
    params = _params(top)
    assert params.get("indicator", "innovative") == first[0] and params.get("option") == first[1]
    if first[2]:
        assert params["countries"] == first[2]


def test_the_answer_line_gives_country_figure_and_kind_of_source(client) -> None:
    top = _search(client, "en", "citizens Iceland")[0]
    # Iceland 2021: "the public involved in 10%" (published), the demo estimates one switch away
    assert top["answer"] == "Iceland · 10% · published figure · 2021"
    assert _params(top)["source"] == "published"
    demo = _search(client, "en", "citizens needs Iceland")[0]
    assert demo["answer"].startswith("Iceland · ") and demo["answer"].endswith("· demo estimate · 2021")
    assert _search(client, "nb", "samarbeid med private")[0]["answer"] == "Publiserte tall: Danmark, Finland, Island"


def test_accents_and_case_do_not_matter(client) -> None:
    plain = _search(client, "is", "einkafyrirtaeki island")
    assert plain == _search(client, "is", "EINKAFYRIRTÆKI ÍSLAND") == _search(client, "is", "einkafyrirtæki Ísland")


def test_published_figures_are_found_by_their_quote_and_lead_to_the_profile(client) -> None:
    # Iceland 2023 (state institutions): "sögðu 57% aðspurðra að gervigreind væri nýtt í starfseminni"
    results = _search(client, "is", "gervigreind")
    assert {r["title"] for r in results} == {"Artificial intelligence is used in the institution's operations",
                                            "See opportunities in using AI for improvements"}
    assert all(r["url"] == "/is/profile?country=IS" and r["title_lang"] == "en" for r in results)
    assert "57%" in next(r["answer"] for r in results if r["title"].startswith("Artificial"))


def test_a_query_naming_no_country_lists_the_measure_first(client) -> None:
    results = _search(client, "fi", "yksityiset", limit=10)
    assert results[0]["country"] is None and results[0]["kind"] == "measure"
    assert all(r["indicator"] in ("partner", "driver") for r in results)


def test_nothing_found_and_bad_parameters(client) -> None:
    assert _search(client, "en", "qqqzzz") == []
    assert _search(client, "en", "   ") == []
    bad = client.get("/api/v1/search", query_string={"q": "x", "limit": "1000", "colour": "red"})
    assert bad.status_code == 400
    assert {p["param"] for p in bad.get_json()["problems"]} == {"limit", "colour"}

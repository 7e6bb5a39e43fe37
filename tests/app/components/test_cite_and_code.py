"""Each view's "Cite" box (the same text as its API citation) and its pandas and R snippets; the pandas snippet is
run, as shown, against the app served over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pandas as pd
import pytest
from werkzeug.serving import make_server

from tests.app.drawing import by_id, draw

VIEWS = [
    ("compare", "/compare", "?indicator=partner&option=private_firms&countries=DK,NO&waves=DK-2018-19,NO-2018",
     "/api/v1/estimates"),
    ("profile", "/profile", "?country=FI&indicator=innovative&option=yes", "/api/v1/profile"),
    ("types-values", "/types-values", "?wave=SE-2018&level=municipal", "/api/v1/types-values"),
    ("overview", "/", "", "/api/v1/overview"),
    ("data", "/data", "", "/api/v1/sources"),
]


def text_of(component) -> str:
    """The text of a Pre(Code(text)) block."""
    return component.children.children


@pytest.mark.parametrize("page, path, search, endpoint", VIEWS)
@pytest.mark.parametrize("lang", ["en", "nb", "da", "sv", "fi", "is"])
def test_every_view_offers_the_citation_of_its_api(dash_app, client, page: str, path: str, search: str,
                                                   endpoint: str, lang: str) -> None:
    drawn = draw(dash_app, f"/{lang}{path}", search)
    apa, bibtex = text_of(by_id(drawn, f"{page}-cite-apa")), text_of(by_id(drawn, f"{page}-cite-bibtex"))
    joiner = "&" if search else "?"
    citation = client.get(f"{endpoint}{search}{joiner}lang={lang}").get_json()["citation"]
    assert (apa, bibtex) == (citation["apa"], citation["bibtex"])
    assert "https://barometer.example" in apa and by_id(drawn, f"{page}-code-r")


def test_snippets_name_the_views_csv_and_api_addresses(dash_app) -> None:
    drawn = draw(dash_app, "/nb/types-values", "?wave=SE-2018&level=municipal")
    pandas_code = text_of(by_id(drawn, "types-values-code-pandas"))
    r_code = text_of(by_id(drawn, "types-values-code-r"))
    query = "?wave=SE-2018&level=municipal&sector=all&display=chart&lang=nb"
    csv = f"https://barometer.example/download/types-values.csv{query}"
    api = f"https://barometer.example/api/v1/types-values{query}"
    assert f'pd.read_csv("{csv}", encoding="utf-8-sig")' in pandas_code and f'urlopen("{api}")' in pandas_code
    assert f'read.csv("{csv}", fileEncoding = "UTF-8-BOM")' in r_code and f'jsonlite::fromJSON("{api}")' in r_code


@pytest.fixture(scope="module")
def live_server(dash_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_the_pandas_snippet_runs_and_loads_the_views_numbers(dash_app, client, live_server: str) -> None:
    search = "?indicator=partner&option=private_firms&countries=DK,NO,SE&waves=all&level=all&sector=all"
    drawn = draw(dash_app, "/en/compare", search)
    code = text_of(by_id(drawn, "compare-code-pandas")).replace("https://barometer.example", live_server)
    namespace: dict = {}
    exec(compile(code, "pandas-snippet", "exec"), namespace)  # the code as a reader copies it
    table, records, view = namespace["table"], namespace["records"], namespace["view"]
    api = client.get(f"/api/v1/estimates{search}").get_json()
    assert view["title"] == api["title"] and len(records) == len(api["data"]) == len(table)
    expected = pd.DataFrame(api["data"])
    estimates = table[table.row_type == "estimate"].reset_index(drop=True)
    assert list(estimates.wave_key) == list(expected[expected.row_type == "estimate"].wave_key)
    assert estimates.share_pct.tolist() == expected[expected.row_type == "estimate"].share_pct.tolist()
    assert records.n.tolist()[:3] == expected.n.tolist()[:3] and estimates.n.notna().all()

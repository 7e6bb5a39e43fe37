"""The page registry drives the app: a page is one package under app/pages plus one line in the registry.

A page's name is spelled only in its own package (and the registry's list of packages); other pages link to it
by name through app.site.urls.link_to. Each page keeps the typed contract, and a page registered from a package
of the tests alone gets its address, JSON endpoint, downloads, navigation entry, callbacks and slides."""

from __future__ import annotations

import ast
import csv
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.site.registry import (
    PAGE_PACKAGES,
    Page,
    PageContractError,
    check_contract,
    page_at,
    page_named,
    page_of_endpoint,
    pages,
    use_pages,
)

APP_DIR = Path(__file__).resolve().parents[3] / "app"
REGISTRY = APP_DIR / "site" / "registry.py"
EXTRA_PAGE = "tests.fixtures.pages.response_rates"
# calls whose string arguments are never page names: Dash dependencies name a component property
# (e.g. "data" of a dcc.Store), a spreadsheet names its sheet, a cached query names its cache entries, a table of
# the data package (app/exports/data_package.py) names its resource; link_to names the page it links to (the
# one way a page may name another)
NOT_PAGE_ARGUMENTS = {"Input", "Output", "State", "add_worksheet", "memoised", "Table", "link_to"}
CSS_CLASS_KEYWORDS = {"className", "cls"}  # a CSS class may share a word with a page name


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def page_name_uses(path: Path, names: set[str]) -> list[tuple[str, int]]:
    """(name, line) of every string literal in ``path`` spelling a page name, except record field names (dict
    keys and subscripts such as fig["data"]), Plotly's {"type": ...} attributes, CSS class names and the arguments
    listed in NOT_PAGE_ARGUMENTS."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ignored: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            ignored |= {id(k) for k in node.keys if k is not None}
            ignored |= {id(v) for k, v in zip(node.keys, node.values, strict=True)
                        if isinstance(k, ast.Constant) and k.value == "type"}
        elif isinstance(node, ast.Subscript):
            ignored.add(id(node.slice))
        elif isinstance(node, ast.Call):
            if _call_name(node) in NOT_PAGE_ARGUMENTS:
                ignored |= {id(a) for a in node.args}
            ignored |= {id(k.value) for k in node.keywords if k.arg in CSS_CLASS_KEYWORDS}
    return [(node.value, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in names and id(node) not in ignored]


def own_package(page: Page) -> Path:
    module = page.layout.__module__
    return APP_DIR.parent / Path(*module.split(".")[:3])


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_a_page_is_named_only_in_its_own_package(page: Page) -> None:
    package = own_package(page)
    assert package.is_dir() and (package / "__init__.py").is_file()
    spelled = {page.name, page.api_endpoint, page.segment} - {""}
    offenders = [(path.relative_to(APP_DIR).as_posix(), name, line)
                 for path in sorted(APP_DIR.rglob("*.py")) if path != REGISTRY and package not in path.parents
                 for name, line in page_name_uses(path, spelled)]
    assert offenders == [], f"{page.name} is spelled outside its package: {offenders}"


def test_the_check_finds_a_page_name_where_it_does_not_belong(tmp_path: Path) -> None:
    module = tmp_path / "toolbar.py"
    module.write_text('ENDPOINTS = {"compare": "estimates"}\nif page == "types-values":\n    pass\n'
                      'Output("x", "data")\nrow = {"data": 1, "type": "data"}\nfig["data"]\n'
                      'html.P(className="data")\nlink(page="data")\nlink_to("data", "en", {})\n')
    assert page_name_uses(module, {"estimates", "types-values", "data"}) == [("estimates", 1), ("types-values", 2),
                                                                                ("data", 8)]


def test_no_module_outside_pages_imports_a_page_package() -> None:
    """Pages are reached through the registry only: nothing but the pages themselves imports app.pages.*."""
    offenders = []
    for path in sorted(APP_DIR.rglob("*.py")):
        if APP_DIR / "pages" in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [(path.relative_to(APP_DIR).as_posix(), n) for n in names if n.startswith("app.pages")]
    assert offenders == []


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_each_page_keeps_the_contract(page: Page) -> None:
    assert check_contract(page, page.name) is page
    assert dataclasses.is_dataclass(page.view_class)
    # a page with slides can be carried offline (its results draw the figure) and has its own view of them
    assert page.slideable == (page.name in ("compare", "profile", "types-values"))
    assert page.presentable == (page.name != "data") and page.embeddable == page.slideable


def test_the_registry_refuses_a_broken_contract() -> None:
    good = page_named("profile")
    with pytest.raises(PageContractError, match="view_class must be a dataclass"):
        check_contract(dataclasses.replace(good, view_class=dict), "app.pages.profile")
    with pytest.raises(PageContractError, match="also gives its results"):
        check_contract(dataclasses.replace(good, results=None), "app.pages.profile")
    with pytest.raises(PageContractError, match="is not an app.site.registry.Page"):
        check_contract(object(), "somewhere")
    with pytest.raises(PageContractError, match="lower-case words"):
        check_contract(dataclasses.replace(good, name="Profile"), "app.pages.profile")


def test_two_pages_with_one_address_stop_the_start() -> None:
    before = use_pages((*PAGE_PACKAGES, "app.pages.profile"))
    try:
        with pytest.raises(PageContractError, match="share the name 'profile'"):
            pages()
    finally:
        use_pages(before)


def test_names_segments_and_endpoints_are_unique_and_found() -> None:
    for attribute, lookup in (("name", page_named), ("segment", page_at), ("api_endpoint", page_of_endpoint)):
        values = [getattr(p, attribute) for p in pages()]
        assert len(set(values)) == len(values), attribute
        assert [lookup(v) for v in values] == list(pages())
        assert lookup("no-such-page") is None


def test_parameters_are_the_fields_of_the_view() -> None:
    assert page_named("compare").params == ("indicator", "option", "countries", "waves", "level", "sector", "chart",
                                            "display", "nordic", "axis", "source")
    assert page_named("profile").params == ("country", "indicator", "option", "level", "chart", "display", "axis")
    assert page_named("types-values").params == ("wave", "level", "sector", "display", "crosstab")
    assert page_named("overview").params == page_named("data").params == ()


def test_every_parameter_is_documented() -> None:
    for page in pages():
        docs = page.parameter_docs()
        assert list(docs) == ["lang", *page.params]
        assert all(text != name and len(text) > 10 for name, text in docs.items()), page.name


# ---------------------------------------------------------------------------------------------------------
# A page from one package of the tests, and no other file
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extra_app(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from app.factory import create_app
    from tests.app.conftest import app_settings

    before = use_pages((*PAGE_PACKAGES, EXTRA_PAGE))
    app = create_app(loaded_db, settings=app_settings(tmp_path_factory.mktemp("extra")))
    yield app
    app.server.extensions["barometer_db"].close()
    use_pages(before)


def test_a_page_package_alone_gives_address_api_download_navigation_and_slide(extra_app) -> None:
    from app.web.router import render

    client = extra_app.server.test_client()
    page = page_named("response-rates")
    assert page is not None and page.label("nb") == "Svarprosent"

    # its address: the router draws it, with its navigation entry beside the others
    with extra_app.server.test_request_context("/en/response-rates?country=DK"):
        drawn = str(render("/en/response-rates", "?country=DK"))
    assert "nav-response-rates" in drawn and "Response rates" in drawn and "DK-2021-23" in drawn
    assert "NO-2020" not in drawn  # the view's parameter filters the page
    assert client.get("/en/response-rates").status_code == 200  # a page of the site, not a 404

    # its JSON endpoint and the API's self-description
    answer = client.get("/api/v1/response-rates?country=DK").get_json()
    assert answer["page"] == "response-rates" and {r["country"] for r in answer["data"]} == {"DK"}
    dk = {r["wave"]: r for r in answer["data"]}["DK-2021-23"]
    assert dk["responded"] == 1611 and dk["response_rate"] is None  # the codebook states no sample size
    iceland = client.get("/api/v1/response-rates?country=IS").get_json()["data"]
    assert [(r["wave"], r["response_rate"]) for r in iceland] == [("IS-2018", pytest.approx(272 / 751))]
    assert client.get("/api/v1/response-rates?country=XX").status_code == 400
    paths = [e["path"] for e in client.get("/api/v1").get_json()["endpoints"]]
    assert "/api/v1/response-rates" in paths
    assert "/download/response-rates.csv" in client.get("/api/v1/openapi.json").get_json()["paths"]

    # its download
    download = client.get("/download/response-rates.csv?country=DK")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert {r["wave"] for r in rows} == set({r["wave"] for r in answer["data"]})

    # its callbacks
    assert any("rr-echo.children" in key for key in extra_app.callback_map)

    # its slide: drawn as SVG for phones, and accepted into a deck
    svg = client.get("/svg/en/response-rates?country=IS")
    assert svg.status_code == 200 and "Response rates" in svg.data.decode()
    assert f'data-share-pct="{272 / 751 * 100!r}"' in svg.data.decode()
    created = client.post("/api/decks", json={"lang": "en", "path": "/en/response-rates?country=DK"})
    assert created.status_code == 201, created.data
    assert created.get_json()["slides"][0]["path"] == "/en/response-rates?country=DK"

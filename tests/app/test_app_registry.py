"""The page registry drives the app: a page's name is spelled only in the registry (and its own module), and each
page module provides what its registry entry promises."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from app.pages.registry import PAGES, PARAMETER_DOC, Page, page_at, page_named, page_of_endpoint

APP_DIR = Path(__file__).resolve().parents[2] / "app"
REGISTRY = APP_DIR / "pages" / "registry.py"
# calls whose string arguments are never page names: Dash dependencies name a component property
# (e.g. "data" of a dcc.Store), a spreadsheet names its sheet, a cached query names its cache entries, a table of
# the data package (app/bulk_export.py) names its resource
NOT_PAGE_ARGUMENTS = {"Input", "Output", "State", "add_worksheet", "memoised", "Table"}
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


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_a_page_is_named_only_in_the_registry_and_its_own_module(page: Page) -> None:
    own_module = APP_DIR.parent / (page.module_name.replace(".", "/") + ".py")
    assert own_module.is_file()
    spelled = {page.name, page.api_endpoint, page.segment} - {""}
    offenders = [(path.relative_to(APP_DIR).as_posix(), name, line)
                 for path in sorted(APP_DIR.rglob("*.py")) if path not in (REGISTRY, own_module)
                 for name, line in page_name_uses(path, spelled)]
    assert offenders == [], f"{page.name} is spelled outside the registry: {offenders}"


def test_the_check_finds_a_page_name_where_it_does_not_belong(tmp_path: Path) -> None:
    module = tmp_path / "toolbar.py"
    module.write_text('ENDPOINTS = {"compare": "estimates"}\nif page == "types-values":\n    pass\n'
                      'Output("x", "data")\nrow = {"data": 1, "type": "data"}\nfig["data"]\n'
                      'html.P(className="data")\nlink(page="data")\n')
    assert page_name_uses(module, {"estimates", "types-values", "data"}) == [("estimates", 1), ("types-values", 2),
                                                                                ("data", 8)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_each_page_module_provides_what_its_entry_promises(page: Page) -> None:
    module = page.module()
    assert callable(module.layout) and callable(module.dataset) and callable(module.parse)
    assert dataclasses.is_dataclass(module.VIEW_CLASS)
    assert hasattr(module, "present") == page.presentable
    assert hasattr(module, "embed") == page.embeddable
    assert module.PAGE is page


def test_names_segments_and_endpoints_are_unique_and_found() -> None:
    for attribute, lookup in (("name", page_named), ("segment", page_at), ("api_endpoint", page_of_endpoint)):
        values = [getattr(p, attribute) for p in PAGES]
        assert len(set(values)) == len(values), attribute
        assert [lookup(v) for v in values] == list(PAGES)
        assert lookup("no-such-page") is None


def test_parameters_are_the_fields_of_the_view() -> None:
    assert page_named("compare").params == ("indicator", "option", "countries", "waves", "level", "sector", "chart",
                                            "display", "nordic", "axis")
    assert page_named("profile").params == ("country", "indicator", "option", "level", "chart", "display", "axis")
    assert page_named("types-values").params == ("wave", "level", "sector", "display")
    assert page_named("overview").params == page_named("data").params == ()


def test_every_parameter_is_documented() -> None:
    assert {name for page in PAGES for name in page.params} | {"lang"} <= set(PARAMETER_DOC)
